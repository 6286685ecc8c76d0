// ProjectedDirectory: the directory as the projections hold it, for the gate
// of a process without the store (the queries role, fed from Kafka). It
// folds the directory stream's events from the audit trail's index
// ("directory" entity) as they are applied, each only once; a request reads
// the snapshot folded so far. It lags the store by what the projections
// lag: a token revoked in the store's process is refused here once the
// revocation has reached this process through Kafka.
//
// Thread-safe. The view must outlive it.
#ifndef VAGT_SERVICES_COMMON_PROJECTED_DIRECTORY_H_
#define VAGT_SERVICES_COMMON_PROJECTED_DIRECTORY_H_

#include <cstdint>
#include <memory>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "services/common/gate.h"
#include "services/common/projection_view.h"

namespace vagt::services {

class ProjectedDirectory final : public DirectorySource {
 public:
  explicit ProjectedDirectory(const ProjectionView& view) : view_(view) {}

  absl::StatusOr<std::shared_ptr<const DirectoryState>> Current() const override
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  const ProjectionView& view_;
  mutable absl::Mutex mu_;
  mutable std::shared_ptr<const DirectoryState> state_ ABSL_GUARDED_BY(mu_) =
      std::make_shared<DirectoryState>();
  // The applied position state_ was brought up to, and the position of the
  // last directory event folded.
  mutable uint64_t seen_applied_ ABSL_GUARDED_BY(mu_) = 0;
  mutable uint64_t folded_position_ ABSL_GUARDED_BY(mu_) = 0;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_PROJECTED_DIRECTORY_H_
