// Clock: the one source of "now" for vagt. Production code takes a Clock&
// (never calls absl::Now() itself) so tests can drive deadlines, shift changes
// and daylight-saving days without sleeping.
#ifndef VAGT_EVENTSTORE_CLOCK_H_
#define VAGT_EVENTSTORE_CLOCK_H_

#include "absl/base/thread_annotations.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace vagt {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The wall clock. Thread-safe; the returned object lives forever.
Clock& SystemClock();

// A clock that moves only when told to. Thread-safe.
class FakeClock : public Clock {
 public:
  explicit FakeClock(absl::Time start) : now_(start) {}
  absl::Time Now() const override;
  void Set(absl::Time t);
  void Advance(absl::Duration d);

 private:
  mutable absl::Mutex mu_;
  absl::Time now_ ABSL_GUARDED_BY(mu_);
};

}  // namespace vagt

#endif  // VAGT_EVENTSTORE_CLOCK_H_
