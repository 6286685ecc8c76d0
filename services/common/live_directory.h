// LiveDirectory: the directory as the store holds it now, for the gate. A
// request costs one atomic read while nothing was appended, and one stream
// head lookup after any append; only a changed directory is read and folded
// again (into a new snapshot, so a request keeps a consistent one). A token
// revoked by an acknowledged RevokeToken is therefore refused by the very
// next request.
//
//   LiveDirectory directory(store);
//   ASSIGN_OR_RETURN(std::shared_ptr<const DirectoryState> now,
//                    directory.Current());
//
// Thread-safe. The store must outlive it.
#ifndef VAGT_SERVICES_COMMON_LIVE_DIRECTORY_H_
#define VAGT_SERVICES_COMMON_LIVE_DIRECTORY_H_

#include <cstdint>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "domain/directory.h"
#include "eventstore/event_store.h"
#include "services/common/gate.h"

namespace vagt::services {

class LiveDirectory final : public DirectorySource {
 public:
  explicit LiveDirectory(const eventstore::EventStore& store) : store_(store) {}

  // UNAVAILABLE (the store's error) when the directory cannot be read.
  absl::StatusOr<std::shared_ptr<const DirectoryState>> Current() const override
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const eventstore::EventStore& store_;
  mutable absl::Mutex mu_;
  mutable std::shared_ptr<const DirectoryState> state_ ABSL_GUARDED_BY(mu_) =
      std::make_shared<DirectoryState>();
  // The store's last position when state_ was last brought up to date.
  mutable uint64_t seen_position_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_LIVE_DIRECTORY_H_
