#include "services/common/live_directory.h"

#include <vector>

#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "services/common/command.h"

namespace vagt::services {

absl::StatusOr<std::shared_ptr<const DirectoryState>> LiveDirectory::Current()
    const {
  // Read before the stream's head: every append up to here is visible to it.
  const uint64_t position = store_.LastPosition();
  absl::MutexLock lock(&mu_);
  if (position == seen_position_) return state_;
  ASSIGN_OR_RETURN(uint64_t version, store_.StreamVersion(kDirectoryStream));
  if (version > state_->version()) {
    ASSIGN_OR_RETURN(std::vector<v1::EventEnvelope> events,
                     store_.ReadStream(kDirectoryStream, state_->version() + 1,
                                       kMaxAggregateEvents));
    auto next = std::make_shared<DirectoryState>(*state_);
    for (const v1::EventEnvelope& e : events) next->Apply(e);
    state_ = std::move(next);
  }
  seen_position_ = position;
  return state_;
}

}  // namespace vagt::services
