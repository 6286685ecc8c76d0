// The escalations case of vagt-bench: how late the deadline engine
// (services/escalations/deadline_engine.h) times out escalations nobody
// acknowledges, on a real synced store with the real clock, against a bare
// timer that only wakes up at the same kind of deadlines (the baseline: what
// any waiter on this machine pays).
#ifndef VAGT_TESTS_BENCH_ESCALATION_LATENESS_H_
#define VAGT_TESTS_BENCH_ESCALATION_LATENESS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vagt::bench {

struct EscalationLatenessOptions {
  int escalations = 10'000;
  // Each deadline is uniformly spread over [earliest, latest] after the
  // escalation is raised.
  absl::Duration earliest = absl::Seconds(5);
  absl::Duration latest = absl::Seconds(15);
  // The engine's workers.
  int fire_threads = 8;
};

// Lateness of one set of deadlines, in milliseconds.
struct Lateness {
  int count = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
};

struct EscalationLatenessResult {
  // The engine: the moment each EscalationTimedOut's Append returned
  // (durable) minus the deadline it missed.
  Lateness engine;
  // The engine: when the store stamped the EscalationTimedOut (recorded_at)
  // minus its missed deadline.
  Lateness recorded;
  // The baseline: the moment a bare timer thread woke for a deadline minus
  // the deadline.
  Lateness timer;
  // How long raising the escalations took (appends from 16 threads while the
  // engine runs).
  absl::Duration raise_time;
  uint64_t lost_races = 0;
  uint64_t failures = 0;
};

// Runs the case in the empty directory `dir` (a real disk).
absl::StatusOr<EscalationLatenessResult> MeasureEscalationLateness(
    const std::string& dir, const EscalationLatenessOptions& options);

// The escalations group of vagt-bench: runs the case in a fresh scratch
// directory under `parent` and prints its lines, the last one
//   escalation_fire_late_p99_ms=<n>
// Returns false if it failed.
bool RunEscalationsGroup(const std::string& parent,
                         const EscalationLatenessOptions& options);

}  // namespace vagt::bench

#endif  // VAGT_TESTS_BENCH_ESCALATION_LATENESS_H_
