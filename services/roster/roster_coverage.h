// Coverage for the escalation ladder (services/escalations/coverage.h): who
// actually covers a role, as the line's own stream records it (the holder,
// an assigned backup), and where nobody does, who the line's roster plans
// (e.g. the weekend backup of the four-week rotation). An escalation goes to
// whoever really has the phone, and a rota alone still finds the backup.
#ifndef VAGT_SERVICES_ROSTER_ROSTER_COVERAGE_H_
#define VAGT_SERVICES_ROSTER_ROSTER_COVERAGE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "services/lines/line_coverage.h"

namespace vagt::services {

class ActualOrPlannedCoverage final : public CoverageLookup {
 public:
  // The store must outlive the lookup.
  explicit ActualOrPlannedCoverage(const eventstore::EventStore& store)
      : store_(store), actual_(store) {}

  absl::StatusOr<std::optional<v1::Party>> Covering(
      const std::string& line_id, v1::RosterRole role,
      absl::Time at) const override;

 private:
  const eventstore::EventStore& store_;
  const LineStreamCoverage actual_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ROSTER_ROSTER_COVERAGE_H_
