// Clock: the one source of "now" for vagt. Production code takes a Clock&
// (never calls absl::Now() itself) so tests can drive deadlines, shift changes
// and daylight-saving days without sleeping.
//
// Code that waits for a moment of the clock (a deadline) waits through the
// clock too, so that a FakeClock moved by a test wakes it:
//
//   absl::MutexLock lock(&mu_);
//   clock.AwaitWithDeadline(mu_, absl::Condition(&changed_), next_deadline);
#ifndef VAGT_EVENTSTORE_CLOCK_H_
#define VAGT_EVENTSTORE_CLOCK_H_

#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace vagt {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;

  // Blocks until `condition` holds or Now() >= `deadline`, whichever comes
  // first, and returns whether `condition` holds. `mu` must be held on entry;
  // it is released while waiting and held again on return, as in
  // absl::Mutex::AwaitWithDeadline. `condition` is evaluated with `mu` held
  // and must read only state that `mu` guards. The default waits in real
  // time (right for a clock that follows the wall clock).
  virtual bool AwaitWithDeadline(absl::Mutex& mu,
                                 const absl::Condition& condition,
                                 absl::Time deadline) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);
};

// The wall clock. Thread-safe; the returned object lives forever.
Clock& SystemClock();

// A clock that moves only when told to. Thread-safe. Set() and Advance()
// wake every AwaitWithDeadline() whose deadline the clock has reached; a
// waiter's mutex is never locked by them (only tried), so they may be called
// with any lock held except one a waiter's condition needs.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override;
  void Set(absl::Time t);
  void Advance(absl::Duration d);

  bool AwaitWithDeadline(absl::Mutex& mu, const absl::Condition& condition,
                         absl::Time deadline) const override
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu);

 private:
  // Makes every waiter's mutex evaluate its waiting condition again.
  void WakeWaiters();

  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
  // The mutexes of the threads in AwaitWithDeadline (one entry per thread).
  mutable absl::Mutex waiters_mu_;
  mutable std::vector<absl::Mutex*> waiters_ ABSL_GUARDED_BY(waiters_mu_);
};

}  // namespace vagt

#endif  // VAGT_EVENTSTORE_CLOCK_H_
