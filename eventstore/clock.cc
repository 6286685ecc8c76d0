#include "eventstore/clock.h"

#include <algorithm>

namespace vagt {
namespace {

class WallClock : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

bool Clock::AwaitWithDeadline(absl::Mutex& mu, const absl::Condition& condition,
                              absl::Time deadline) const {
  return mu.AwaitWithDeadline(condition, deadline);
}

Clock& SystemClock() {
  static WallClock* clock = new WallClock();
  return *clock;
}

absl::Time FakeClock::Now() const {
  absl::MutexLock lock(&mu_);
  return now_;
}

void FakeClock::Set(absl::Time t) {
  {
    absl::MutexLock lock(&mu_);
    now_ = t;
  }
  WakeWaiters();
}

void FakeClock::Advance(absl::Duration d) {
  {
    absl::MutexLock lock(&mu_);
    now_ += d;
  }
  WakeWaiters();
}

bool FakeClock::AwaitWithDeadline(absl::Mutex& mu,
                                  const absl::Condition& condition,
                                  absl::Time deadline) const {
  {
    absl::MutexLock lock(&waiters_mu_);
    waiters_.push_back(&mu);
  }
  struct Wait {
    const FakeClock* clock;
    const absl::Condition* condition;
    absl::Time deadline;
    bool Done() const { return condition->Eval() || clock->Now() >= deadline; }
  } wait{this, &condition, deadline};
  mu.Await(absl::Condition(&wait, &Wait::Done));
  const bool held = condition.Eval();
  {
    absl::MutexLock lock(&waiters_mu_);
    waiters_.erase(std::find(waiters_.begin(), waiters_.end(), &mu));
  }
  return held;
}

void FakeClock::WakeWaiters() {
  // A waiter's condition reads Now(), which has moved. An absl::Mutex
  // evaluates its waiters' conditions whenever it is released: releasing
  // each waiter's mutex once wakes the waiters whose deadline has come. A
  // mutex held by someone else is released by them later, which does the
  // same; trying (never blocking) keeps this free of lock-order cycles with
  // a waiter that holds its mutex while registering. The registry stays
  // locked, so no waiter leaves (and frees its mutex) meanwhile.
  absl::MutexLock lock(&waiters_mu_);
  for (absl::Mutex* mu : waiters_) {
    if (mu->TryLock()) mu->Unlock();
  }
}

}  // namespace vagt
