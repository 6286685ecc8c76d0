// DeadlineEngine: makes an escalation that nobody acknowledges in time climb
// on its own, and raises an alarm if one ever stalls.
//
// Deadlines derive from events only. On start the engine subscribes to the
// store from position 0 and folds every escalation stream (EscalationState)
// into an index of running escalations with their acknowledgement deadlines;
// it then follows new appends through the same subscription. Nothing of its
// own is stored: a new engine (after a restart, or a second one on the same
// store) rebuilds the same deadlines.
//
// When a deadline passes by the injected clock (one already past at start
// fires as soon as the engine has read the log), a worker reads the
// escalation's stream, decides where the policy version it follows sends it
// (DecideTimeout: the ladder and the CoverageLookup) and appends
// EscalationTimedOut with the stream's exact version read, as actor
// "system:escalation-engine". Two engines on one store therefore never both
// time out the same deadline: the loser's append fails with ABORTED, it
// reads the stream again and finds the new deadline ahead. A failed attempt
// (storage, coverage lookup) is tried again `retry_after` later.
//
// Every `check_interval` the engine proves that each running escalation
// (AWAITING_ACK) has a deadline that has not passed by more than
// `stall_after`. One that has none, or whose deadline passed that long ago
// without a timeout, is stalled. The index can lag the log (its
// subscription thread may be behind an answer already stored), so a stall
// the index shows is confirmed against the escalation's stream before it is
// raised: one the stream no longer shows (acknowledged, timed out, resolved)
// is dropped, and the check runs again `check_interval` later on the index
// that has caught up. A stall that holds in the stream, or a stream that
// cannot be read, is raised: the engine appends AlarmRaised
// (ALARM_KIND_ESCALATION_STALLED) to "alarm-<line id>", with the alarm id
// "escalation-stalled:<escalation id>@<stream version>" (so the same stall is
// raised once, whichever engine sees it first: the alarm stream's expected
// version decides) and only ids and times in its text.
//
//   LineStreamCoverage coverage(*store);
//   ASSIGN_OR_RETURN(std::unique_ptr<DeadlineEngine> engine,
//                    DeadlineEngine::Start(*store, SystemClock(), coverage));
//   ...
//   engine.reset();  // stops its threads
//
// Threading: Start() starts a subscription thread, one timer thread and
// `fire_threads` workers; the accessors are thread-safe. The store, clock and
// coverage lookup must outlive the engine. Destroying it stops every thread
// (an in-flight append completes first).
#ifndef VAGT_SERVICES_ESCALATIONS_DEADLINE_ENGINE_H_
#define VAGT_SERVICES_ESCALATIONS_DEADLINE_ENGINE_H_

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "services/escalations/coverage.h"
#include "services/escalations/escalation_decisions.h"
#include "services/escalations/policy.h"

namespace vagt::services {

class DeadlineEngine {
 public:
  struct Options {
    // Workers that append timeouts. Each waits for its append's fsync; more
    // of them let the store commit many timeouts in one group.
    int fire_threads = 8;
    // How often the stall check runs, by the engine's clock.
    absl::Duration check_interval = absl::Seconds(30);
    // How long past its deadline a running escalation may go without a
    // timeout before it counts as stalled.
    absl::Duration stall_after = absl::Seconds(60);
    // How long after a failed attempt the next one is made, by the clock.
    absl::Duration retry_after = absl::Seconds(5);
  };

  // One timeout the engine appended.
  struct Fired {
    std::string escalation_id;
    absl::Time missed_deadline;
    // The global position of the EscalationTimedOut.
    uint64_t position = 0;
  };

  struct Stats {
    // Timeouts appended, appends that lost to a concurrent change,
    // alarms appended, attempts that failed otherwise.
    uint64_t fired = 0;
    uint64_t lost_races = 0;
    uint64_t alarms = 0;
    uint64_t failures = 0;
    // Stall checks run; stalls the index showed that the escalation's stream
    // no longer did (the index had not read an answer yet).
    uint64_t stall_checks = 0;
    uint64_t stale_stalls = 0;
    // Escalations not ended (resolved, cancelled) the engine knows.
    size_t tracked = 0;
    // The last log position the engine has read.
    uint64_t position = 0;
  };

  // Starts the engine. `on_fired`, when set, is called on a worker thread
  // after each timeout is appended (the benchmark measures lateness with
  // it); it must not call back into the engine.
  static std::unique_ptr<DeadlineEngine> Start(
      eventstore::EventStore& store, const Clock& clock,
      const CoverageLookup& coverage, Options options,
      std::function<void(const Fired&)> on_fired = nullptr);
  static std::unique_ptr<DeadlineEngine> Start(eventstore::EventStore& store,
                                               const Clock& clock,
                                               const CoverageLookup& coverage) {
    return Start(store, clock, coverage, Options());
  }

  DeadlineEngine(const DeadlineEngine&) = delete;
  DeadlineEngine& operator=(const DeadlineEngine&) = delete;
  ~DeadlineEngine();

  Stats stats() const;

  // Blocks until the engine is idle at the clock's present: it has read the
  // log up to the store's last position, every deadline that has passed has
  // been timed out (or its attempt failed and waits for its retry), and the
  // stall check is not due. Returns false if `deadline` (real time) passes
  // first. For tests and the benchmark: it polls.
  bool WaitUntilIdle(absl::Time deadline) const;

 private:
  // One escalation that has not ended.
  struct Tracked {
    EscalationState state;
    // When the event that set the current deadline was recorded.
    absl::Time changed_at;
    // Set while a worker handles it; it is not scheduled meanwhile.
    bool in_flight = false;
    // Not scheduled until the index has folded this version (one a worker
    // appended or read ahead of the subscription).
    uint64_t settle_version = 0;
    // Not tried again before this (after a failed attempt).
    absl::Time retry_at = absl::InfinitePast();
    // Its key in due_, when scheduled.
    std::optional<absl::Time> due;
  };

  // A stalled escalation, as the check found it.
  struct Stall {
    // "escalation-<id>".
    std::string stream;
    std::string escalation_id;
    std::string line_id;
    uint64_t version = 0;
    std::optional<absl::Time> deadline;
    absl::Time since;
  };

  // What a worker learned about one escalation.
  struct Outcome {
    // The stream version the worker last read or appended.
    uint64_t version = 0;
    bool failed = false;
  };

  DeadlineEngine(eventstore::EventStore& store, const Clock& clock,
                 const CoverageLookup& coverage, Options options,
                 std::function<void(const Fired&)> on_fired);

  absl::Status OnEvent(const v1::EventEnvelope& event);
  void RunTimer();
  void RunWorker();
  // Reads, decides and appends one timeout; no lock held.
  Outcome Fire(const std::string& stream);
  // The stall rule, in one place: `state` (whose current deadline was set
  // at `changed_at`) is stalled at `now`, or nullopt. Reads only options_.
  std::optional<Stall> StallOf(const std::string& stream,
                               const EscalationState& state,
                               absl::Time changed_at, absl::Time now) const;
  // `seen` (found in the index) as the escalation's stream has it now:
  // nullopt when the stream shows no stall; `seen` itself when the stream
  // cannot be read (an error is never taken for "not stalled"). No lock held.
  std::optional<Stall> ConfirmStall(const Stall& seen);
  // Appends the alarm for `stall` unless it is there; no lock held.
  void RaiseAlarm(const Stall& stall);
  absl::StatusOr<std::shared_ptr<const EscalationPolicy>> PolicyOf(
      const EscalationState& escalation);

  // Puts `stream` in due_ at its effective due time, or takes it out.
  void Reschedule(const std::string& stream, Tracked& tracked)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  std::vector<Stall> FindStalls(absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool Idle() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  bool TimerShouldWake() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return wake_ || stopping_;
  }
  bool WorkerShouldWake() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !queue_.empty() || stopping_;
  }
  bool CaughtUpOrStopping() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return position_ >= start_position_ || stopping_;
  }

  eventstore::EventStore& store_;
  const Clock& clock_;
  const CoverageLookup& coverage_;
  const Options options_;
  const std::function<void(const Fired&)> on_fired_;
  // The log's last position when the engine started: nothing fires before
  // the index has read that far (it would only lose races to answers the
  // engine has not read yet).
  uint64_t start_position_ = 0;

  mutable absl::Mutex mu_;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  // Set to wake the timer before its planned time.
  bool wake_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time planned_wake_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  uint64_t position_ ABSL_GUARDED_BY(mu_) = 0;
  // By stream id ("escalation-<id>").
  absl::flat_hash_map<std::string, Tracked> tracked_ ABSL_GUARDED_BY(mu_);
  // Scheduled timeouts: (due time, stream id).
  std::set<std::pair<absl::Time, std::string>> due_ ABSL_GUARDED_BY(mu_);
  // Streams handed to the workers.
  std::deque<std::string> queue_ ABSL_GUARDED_BY(mu_);
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Time next_check_ ABSL_GUARDED_BY(mu_);
  bool checking_ ABSL_GUARDED_BY(mu_) = false;
  // Alarm ids known to be in the store.
  absl::flat_hash_set<std::string> alarms_ ABSL_GUARDED_BY(mu_);
  Stats stats_ ABSL_GUARDED_BY(mu_);

  absl::Mutex policies_mu_;
  // By "<line id>\n<policy version>"; a version never changes.
  absl::flat_hash_map<std::string, std::shared_ptr<const EscalationPolicy>>
      policies_ ABSL_GUARDED_BY(policies_mu_);

  std::unique_ptr<eventstore::Subscription> subscription_;
  std::thread timer_;
  std::vector<std::thread> workers_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ESCALATIONS_DEADLINE_ENGINE_H_
