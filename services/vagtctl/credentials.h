// Where vagtctl keeps the tokens it logs in with: one file, readable by its
// owner only (0600, in a 0700 directory), one line per server:
//
//   # vagtctl credentials: server token
//   127.0.0.1:50051 vagt1.<credential id>.<secret>
//
// The file is $VAGT_CREDENTIALS, else $XDG_CONFIG_HOME/vagt/credentials,
// else ~/.config/vagt/credentials. $VAGT_TOKEN, when set, is used instead of
// the file (for scripts and services). A token is never printed or logged.
#ifndef VAGT_SERVICES_VAGTCTL_CREDENTIALS_H_
#define VAGT_SERVICES_VAGTCTL_CREDENTIALS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace vagt::vagtctl {

// The credentials file's path; FAILED_PRECONDITION when neither
// $VAGT_CREDENTIALS, $XDG_CONFIG_HOME nor $HOME is set.
absl::StatusOr<std::string> CredentialsPath();

// The token for `server`: $VAGT_TOKEN, else the file's line for it. NOT_FOUND
// when there is none (not logged in).
absl::StatusOr<std::string> StoredToken(const std::string& server);

// Writes (or replaces) the line for `server`, atomically, creating the
// directory (0700) and the file (0600). FAILED_PRECONDITION when the existing
// file is readable by others (it is not written to then).
absl::Status SaveToken(const std::string& server, const std::string& token);

// Removes the line for `server`; OK when there was none.
absl::Status ForgetToken(const std::string& server);

// The first line of `path` without surrounding blanks (a token file, such as
// the one vagtd writes on its first start).
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

}  // namespace vagt::vagtctl

#endif  // VAGT_SERVICES_VAGTCTL_CREDENTIALS_H_
