// ProjectionView: what the query services (on-call board, audit trail) read
// from: the projection runner's database, kept current from the store.
#ifndef VAGT_SERVICES_COMMON_PROJECTION_VIEW_H_
#define VAGT_SERVICES_COMMON_PROJECTION_VIEW_H_

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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

  // Alerts for a board built from projections that are not current: the
  // runner stopped on an error, or (when `check_lag`) has not applied
  // everything the store acknowledged. Empty when the projections are
  // current.
  std::vector<std::string> StalenessAlerts(uint64_t applied,
                                           bool check_lag) const {
    std::vector<std::string> alerts;
    if (absl::Status s = runner_.status(); !s.ok()) {
      alerts.push_back(absl::StrCat(
          "THE BOARD IS NOT BEING UPDATED (projections stopped: ", s.message(),
          ")"));
    }
    const uint64_t last = store_.LastPosition();
    if (check_lag && last > applied) {
      alerts.push_back(absl::StrCat("the board is ", last - applied,
                                    " events behind the log"));
    }
    return alerts;
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
