// WritePrivateFile: a file only its owner may read (mode 0600), written
// whole or not at all: into "<path>.tmp", fsync'd, then renamed over `path`.
// For secrets at rest: the first administrator's token (vagtd), the tokens
// vagtctl keeps.
#ifndef VAGT_DOMAIN_PRIVATE_FILE_H_
#define VAGT_DOMAIN_PRIVATE_FILE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace vagt {

// UNAVAILABLE "cannot write <path>: <reason>" when any step fails (the old
// file, if any, is then unchanged and the temporary one removed).
absl::Status WritePrivateFile(const std::string& path, absl::string_view text);

}  // namespace vagt

#endif  // VAGT_DOMAIN_PRIVATE_FILE_H_
