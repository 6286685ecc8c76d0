#include "services/lines/line_coverage.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "services/common/command.h"
#include "services/lines/line_state.h"

namespace vagt::services {

absl::StatusOr<std::optional<v1::Party>> LineStreamCoverage::Covering(
    const std::string& line_id, v1::RosterRole role, absl::Time at) const {
  if (role != v1::ROSTER_ROLE_DUTY && role != v1::ROSTER_ROLE_BACKUP) {
    return absl::InvalidArgumentError(
        "role: DUTY or BACKUP (no other role is covered)");
  }
  ASSIGN_OR_RETURN(
      std::vector<v1::EventEnvelope> events,
      store_.ReadStream(LineStreamId(line_id), 1, kMaxAggregateEvents));
  if (role == v1::ROSTER_ROLE_BACKUP) {
    std::optional<v1::Party> backup;
    for (const v1::EventEnvelope& e : events) {
      if (!e.payload().has_line_backup_assigned()) continue;
      const v1::LineBackupAssigned& assigned =
          e.payload().line_backup_assigned();
      if (ToTime(assigned.starts_at()) <= at &&
          at < ToTime(assigned.ends_at())) {
        backup = assigned.backup();
      }
    }
    return backup;
  }
  LineState line;
  for (const v1::EventEnvelope& e : events) {
    if (IsValidTimestamp(e.occurred_at()) && ToTime(e.occurred_at()) > at) {
      break;
    }
    line.Apply(e);
  }
  if (line.phase() == LineState::Phase::kUncovered) return std::nullopt;
  return line.holder();
}

}  // namespace vagt::services
