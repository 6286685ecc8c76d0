#include "services/roster/roster_coverage.h"

#include "domain/roster_state.h"
#include "eventstore/status_macros.h"
#include "services/common/command.h"

namespace vagt::services {

absl::StatusOr<std::optional<v1::Party>> ActualOrPlannedCoverage::Covering(
    const std::string& line_id, v1::RosterRole role, absl::Time at) const {
  ASSIGN_OR_RETURN(std::optional<v1::Party> actual,
                   actual_.Covering(line_id, role, at));
  if (actual.has_value()) return actual;
  uint64_t version = 0;
  ASSIGN_OR_RETURN(
      RosterState roster,
      LoadAggregate<RosterState>(store_, RosterStreamId(line_id), &version));
  std::optional<RosterAssignment> planned = roster.Planned(role, at);
  if (!planned.has_value()) return std::nullopt;
  return planned->party;
}

}  // namespace vagt::services
