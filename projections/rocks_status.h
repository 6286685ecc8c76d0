// How a RocksDB error becomes a status in projections/: UNAVAILABLE (a
// storage error, which the runner's thread retries), naming what failed.
#ifndef VAGT_PROJECTIONS_ROCKS_STATUS_H_
#define VAGT_PROJECTIONS_ROCKS_STATUS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/status.h"

namespace vagt::projections {

inline absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  return absl::UnavailableError(
      absl::StrCat("projections: ", std::string(what), ": ", s.ToString()));
}

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_ROCKS_STATUS_H_
