// How a RocksDB error becomes a status, for the event store and the
// projections alike: UNAVAILABLE (a storage error: the caller may retry, and
// the projections' thread does), naming what was being done.
//
//   if (!s.ok()) return FromRocks(s, "projections: writing a batch");
//
// The outbox relay maps its checkpoint database's errors to INTERNAL
// instead (services/kafka/relay.cc), because UNAVAILABLE there means that
// its Kafka producer failed for good.
#ifndef VAGT_EVENTSTORE_ROCKS_STATUS_H_
#define VAGT_EVENTSTORE_ROCKS_STATUS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "rocksdb/status.h"

namespace vagt::eventstore {

inline absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  return absl::UnavailableError(
      absl::StrCat(std::string(what), ": ", s.ToString()));
}

}  // namespace vagt::eventstore

#endif  // VAGT_EVENTSTORE_ROCKS_STATUS_H_
