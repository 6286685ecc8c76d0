// CoverageLookup: who covers a role of a line at an instant, as an
// escalation ladder asks it (a POLICY_TARGET_BACKUP or POLICY_TARGET_DUTY
// level, events.proto). The escalation code depends only on this interface;
// where the answer comes from (the line's own stream, LineStreamCoverage in
// services/lines/line_coverage.h; the roster too, ActualOrPlannedCoverage in
// services/roster/roster_coverage.h) is decided by whoever builds the
// service and the deadline engine: vagtd builds one for both.
//
//   LineStreamCoverage coverage(store);
//   ASSIGN_OR_RETURN(std::optional<v1::Party> backup,
//                    coverage.Covering("ishoj-bos", v1::ROSTER_ROLE_BACKUP,
//                                      now));
#ifndef VAGT_SERVICES_ESCALATIONS_COVERAGE_H_
#define VAGT_SERVICES_ESCALATIONS_COVERAGE_H_

#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

// Implementations must be thread-safe: the service's gRPC threads and the
// deadline engine's workers ask concurrently.
class CoverageLookup {
 public:
  virtual ~CoverageLookup() = default;
  // The party covering `role` on `line_id` at `at`; nullopt when nobody
  // does. An error (e.g. UNAVAILABLE storage) is not "nobody": the caller
  // must not pass a level because of it.
  virtual absl::StatusOr<std::optional<v1::Party>> Covering(
      const std::string& line_id, v1::RosterRole role, absl::Time at) const = 0;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ESCALATIONS_COVERAGE_H_
