#include "services/common/projected_directory.h"

#include "eventstore/status_macros.h"
#include "projections/keys.h"

namespace vagt::services {

absl::StatusOr<std::shared_ptr<const DirectoryState>>
ProjectedDirectory::Current() const {
  const uint64_t applied = view_.runner().AppliedPosition();
  absl::MutexLock lock(&mu_);
  if (applied == seen_applied_) return state_;
  std::shared_ptr<DirectoryState> next;
  projections::TimelineQuery query{
      .subject =
          projections::EntityRef(projections::keys::Entity::kDirectory, "main"),
      .after_position = folded_position_,
      .limit = 1000};
  for (;;) {
    ASSIGN_OR_RETURN(projections::TimelinePage page,
                     view_.reader().Timeline(query));
    for (const v1::EventEnvelope& e : page.events) {
      if (next == nullptr) next = std::make_shared<DirectoryState>(*state_);
      next->Apply(e);
      folded_position_ = e.global_position();
    }
    if (page.next_after == 0) break;
    query.after_position = page.next_after;
  }
  if (next != nullptr) state_ = std::move(next);
  seen_applied_ = applied;
  return state_;
}

}  // namespace vagt::services
