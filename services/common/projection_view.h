// ProjectionView: what the query services (on-call board, audit trail) read
// from: the projection runner's database, kept current from the store (or
// from Kafka, in the queries role).
#ifndef VAGT_SERVICES_COMMON_PROJECTION_VIEW_H_
#define VAGT_SERVICES_COMMON_PROJECTION_VIEW_H_

#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "projections/reader.h"
#include "projections/runner.h"

namespace vagt::services {

// How long a query waits for the projections to apply what the store had
// acknowledged when the query came in (read-your-writes). After that it
// answers from what is applied; the answer's as_of_position tells.
inline constexpr absl::Duration kCatchUpWait = absl::Seconds(3);

class ProjectionView {
 public:
  // The last position of the log known here: the store's last acknowledged
  // event (embedded), or the highest position the Kafka feed has seen.
  using LogPosition = std::function<uint64_t()>;

  // `runner` must outlive the view.
  ProjectionView(projections::ProjectionRunner& runner,
                 LogPosition log_position)
      : runner_(runner),
        log_position_(std::move(log_position)),
        reader_(runner.db()) {}

  // Waits (real time, at most kCatchUpWait) until every event known by now
  // is applied. Returns the applied position.
  uint64_t CatchUp() const {
    runner_.WaitUntilApplied(log_position_(), absl::Now() + kCatchUpWait);
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
    const uint64_t last = log_position_();
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
  const LogPosition log_position_;
  const projections::ProjectionReader reader_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_PROJECTION_VIEW_H_
