// CoverageWatch: compares, for every line with a roster, who the roster
// plans with who holds the line, and raises an alarm (AlarmRaised in
// "alarm-<line id>") when
// - nobody has ever taken the line although the roster plans a DUTY party
//   (ALARM_KIND_LINE_UNCOVERED, `since` the start of the roster), or
// - the DUTY party the roster plans since a planned handover at T (a change
//   of planned party) does not hold the line at T + 10 minutes
//   (ALARM_KIND_HANDOVER_NOT_ACCEPTED, `since` T).
//
// Exactly once: an alarm's id is derived from its kind, line and `since`
// ("handover-not-accepted:ishoj-bos:2026-03-28T21:00:00Z"); the watch skips
// ids the alarm stream already holds and appends with the stream's exact
// version, so of two watches on one store (two servers, or a restart in the
// middle) one appends and the other, refused with ABORTED, reads the stream
// again and finds the alarm there (RaiseAlarm).
//
//   CoverageWatch watch(store, clock);
//   ASSIGN_OR_RETURN(int raised, watch.Check(clock.Now()));  // tests
//   watch.Start();  // vagtd: a thread, checking when a handover falls due
//
// The watch follows the log itself (ReadAll from where it left off), so it
// needs no projection; the first Check reads the whole log once.
//
// Threading: Check may be called from any thread (calls are serialized).
// Start() runs Check on a thread of its own until Stop() or destruction.
// The store and clock must outlive the watch.
#ifndef VAGT_SERVICES_ROSTER_COVERAGE_WATCH_H_
#define VAGT_SERVICES_ROSTER_COVERAGE_WATCH_H_

#include <cstdint>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "domain/roster_state.h"
#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "services/lines/line_state.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

// Appends `alarm` to its line's alarm stream as `actor`, expecting the
// stream at `seen_version`, unless an alarm with its id is already there.
// When the stream moved on (ABORTED), reads it again: true when this call
// appended the alarm, false when it was already there.
absl::StatusOr<bool> RaiseAlarm(eventstore::EventStore& store,
                                const v1::AlarmRaised& alarm,
                                uint64_t seen_version, const std::string& actor,
                                absl::Time now);

class CoverageWatch {
 public:
  struct Options {
    // How long after a planned handover the planned party must hold the
    // line.
    absl::Duration handover_grace = absl::Minutes(10);
    // The longest the thread waits between checks (by the clock); it also
    // wakes when the next planned handover falls due.
    absl::Duration max_wait = absl::Seconds(30);
    // The actor of the alarms.
    std::string actor = "system:coverage-watch";
  };

  CoverageWatch(eventstore::EventStore& store, const Clock& clock)
      : CoverageWatch(store, clock, Options()) {}
  CoverageWatch(eventstore::EventStore& store, const Clock& clock,
                Options options);
  ~CoverageWatch();
  CoverageWatch(const CoverageWatch&) = delete;
  CoverageWatch& operator=(const CoverageWatch&) = delete;

  // Reads what was appended since the last check and raises the alarms due
  // at `now` that the store does not hold yet. Returns how many this call
  // appended. Errors are the store's (UNAVAILABLE: try again later).
  absl::StatusOr<int> Check(absl::Time now) ABSL_LOCKS_EXCLUDED(mu_);

  // The alarms due at `now` for what the watch has read so far, whether
  // raised or not (for tests and the thread's next wake-up).
  std::vector<v1::AlarmRaised> DueAlarms(absl::Time now) const
      ABSL_LOCKS_EXCLUDED(mu_);

  // Starts the thread (at most once); it checks at once, then whenever the
  // clock reaches the moment the next planned handover falls due, and at
  // least every max_wait of the clock. It waits through the clock
  // (Clock::AwaitWithDeadline), so a FakeClock moved by a test wakes it.
  // Failed checks are reported on stderr (ids only) and retried.
  void Start();
  // Stops the thread and waits for it; idempotent.
  void Stop();

  // Blocks until `n` checks have ended (by Check or the thread), or the
  // real-time `deadline` passes; returns whether they have.
  bool WaitForChecks(uint64_t n, absl::Time deadline) const
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct LineWatch {
    RosterState roster;
    LineState line;
    uint64_t alarm_version = 0;
    absl::flat_hash_set<std::string> alarm_ids;
  };

  absl::Status CatchUp() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::vector<v1::AlarmRaised> Due(const std::string& line_id,
                                   const LineWatch& watch,
                                   absl::Time now) const;
  // When the next planned handover of any line falls due after `now`.
  absl::Time NextDue(absl::Time now) const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Run();

  eventstore::EventStore& store_;
  const Clock& clock_;
  const Options options_;

  mutable absl::Mutex mu_;
  uint64_t position_ ABSL_GUARDED_BY(mu_) = 0;  // last global position read
  std::map<std::string, LineWatch> lines_ ABSL_GUARDED_BY(mu_);
  absl::Time next_due_ ABSL_GUARDED_BY(mu_) = absl::InfiniteFuture();
  uint64_t checks_ ABSL_GUARDED_BY(mu_) = 0;

  absl::Mutex stop_mu_;
  bool stop_ ABSL_GUARDED_BY(stop_mu_) = false;
  std::thread thread_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ROSTER_COVERAGE_WATCH_H_
