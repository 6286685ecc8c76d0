// LineStreamCoverage: the CoverageLookup of the escalation ladder
// (services/escalations/coverage.h) as the line's own stream records who
// covers it: the holder, an assigned backup.
//
//   LineStreamCoverage coverage(store);
//   ASSIGN_OR_RETURN(std::optional<v1::Party> holder,
//                    coverage.Covering("ishoj-bos", v1::ROSTER_ROLE_DUTY,
//                    now));
#ifndef VAGT_SERVICES_LINES_LINE_COVERAGE_H_
#define VAGT_SERVICES_LINES_LINE_COVERAGE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "services/escalations/coverage.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

// Coverage as the line's own stream ("line-<id>") records it:
// - DUTY: the holder of the line after the events that occurred at or
//   before `at` (a team worker by day, the night partner once it holds the
//   line); nobody while the line was never taken.
// - BACKUP: the backup of the latest LineBackupAssigned whose period
//   [starts_at, ends_at) contains `at` (a later assignment replaces an
//   earlier one where their periods overlap); nobody outside every period.
// Reads the stream on every call. The store must outlive the lookup.
class LineStreamCoverage final : public CoverageLookup {
 public:
  explicit LineStreamCoverage(const eventstore::EventStore& store)
      : store_(store) {}

  absl::StatusOr<std::optional<v1::Party>> Covering(
      const std::string& line_id, v1::RosterRole role,
      absl::Time at) const override;

 private:
  const eventstore::EventStore& store_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_LINES_LINE_COVERAGE_H_
