// ProjectionView: what the query services (on-call board, audit trail) read
// from: the projection runner's database, kept current from the store.
#ifndef VAGT_SERVICES_COMMON_PROJECTION_VIEW_H_
#define VAGT_SERVICES_COMMON_PROJECTION_VIEW_H_

#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "projections/reader.h"
#include "projections/runner.h"

namespace vagt::services {

// How long a query waits for the projections to apply what the store had
// acknowledged when the query came in (read-your-writes). After that it
// answers from what is applied; the answer's as_of_position tells.
inline constexpr absl::Duration kCatchUpWait = absl::Seconds(3);

class ProjectionView {
 public:
  // Both must outlive the view.
  ProjectionView(projections::ProjectionRunner& runner,
                 const eventstore::EventStore& store)
      : runner_(runner), store_(store), reader_(runner.db()) {}

  // Waits (real time, at most kCatchUpWait) until every event acknowledged
  // by now is applied. Returns the applied position.
  uint64_t CatchUp() const {
    runner_.WaitUntilApplied(store_.LastPosition(), absl::Now() + kCatchUpWait);
    return runner_.AppliedPosition();
  }

  const projections::ProjectionReader& reader() const { return reader_; }
  projections::ProjectionRunner& runner() const { return runner_; }

 private:
  projections::ProjectionRunner& runner_;
  const eventstore::EventStore& store_;
  const projections::ProjectionReader reader_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_PROJECTION_VIEW_H_
