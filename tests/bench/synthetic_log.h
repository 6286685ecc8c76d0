// SyntheticLog: a realistic on-call log for the projections benchmark, made
// fast. The log is a deterministic sequence of units, each "a call and what
// follows it": the call's whole stream in one Append (received, risk, crisis
// plan consulted, notes, closed), for some calls an escalation's stream
// (raised, timed out, acknowledged, accepted, resolved) and a recorded read
// of the citizen's data (SensitiveDataAccessed); every 500th unit is a line's
// shift change (handover with items, passing to the night partner and back,
// backup assignments), every 1000th a citizen's crisis plan revision.
// A quarter of the calls come from a few frequent callers (the citizens
// FrequentCitizen() names), the rest from the other citizens; one in ten is
// anonymous. Texts are short.
//
//   SyntheticLog log;
//   ASSIGN_OR_RETURN(auto store, EventStore::Open({.path = dir,
//                                                  .clock = &log.clock()}));
//   RETURN_IF_ERROR(log.GrowTo(*store, 100'000, /*threads=*/32));
//
// Many threads append concurrently so that the store's group commit makes
// one fsync for many units; the store's clock (clock()) advances five
// minutes per unit, so the log spans years of calls.
//
// Threading: GrowTo() must not run twice at once; clock() is thread-safe.
#ifndef VAGT_TESTS_BENCH_SYNTHETIC_LOG_H_
#define VAGT_TESTS_BENCH_SYNTHETIC_LOG_H_

#include <atomic>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "eventstore/clock.h"
#include "eventstore/event_store.h"

namespace vagt::bench {

struct LogShape {
  int lines = 4;
  int citizens = 5000;
  // The first `frequent_citizens` citizens make a quarter of the calls.
  int frequent_citizens = 50;
};

class SyntheticLog {
 public:
  explicit SyntheticLog(LogShape shape = {});

  // Appends the next units, from `threads` threads, until the store holds at
  // least `events` events (a unit is never split, so slightly more).
  absl::Status GrowTo(eventstore::EventStore& store, uint64_t events,
                      int threads);

  // The clock to open the store with: the simulated time of the log.
  Clock& clock() { return clock_; }

  // The citizen_ref of frequent caller `i` (0 <= i < frequent_citizens).
  static std::string FrequentCitizen(int i);

 private:
  // Now() = the log's start + 5 minutes per unit handed out.
  class UnitClock final : public Clock {
   public:
    explicit UnitClock(const std::atomic<uint64_t>& units) : units_(units) {}
    absl::Time Now() const override;

   private:
    const std::atomic<uint64_t>& units_;
  };

  const LogShape shape_;
  std::atomic<uint64_t> next_unit_{0};
  UnitClock clock_{next_unit_};
};

}  // namespace vagt::bench

#endif  // VAGT_TESTS_BENCH_SYNTHETIC_LOG_H_
