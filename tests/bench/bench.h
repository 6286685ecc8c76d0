// The shared vocabulary of vagt-bench: what a measurement yields, the one
// timing loop every case runs in, and the ~400-byte event the cases write.
//
//   ASSIGN_OR_RETURN(Throughput t,
//                    RunThreads(16, absl::Seconds(3),
//                               [&](int thread, uint64_t i) {
//                                 return AppendOne(thread, i);
//                               }));
//   std::cout << t.EventsPerSecond();
#ifndef VAGT_TESTS_BENCH_BENCH_H_
#define VAGT_TESTS_BENCH_BENCH_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vagt::bench {

// The size every case aims at for one stored event: the value for the raw
// baselines, the serialized envelope for the event store.
inline constexpr size_t kEventBytes = 400;

// kEventBytes of fixed pseudo-random (incompressible) bytes.
const std::string& EventBytes();

// The outcome of one timed run.
struct Throughput {
  uint64_t events = 0;     // durable appends acknowledged
  absl::Duration elapsed;  // from the start signal until the last thread ended

  double EventsPerSecond() const;
};

// Makes one durable append: the `i`-th (0, 1, ...) of thread `thread`
// (0..threads-1). Called concurrently from different threads; for a given
// `thread` always from the same OS thread, so per-thread state indexed by
// `thread` needs no lock.
using AppendFn = std::function<absl::Status(int thread, uint64_t i)>;

// Starts `threads` threads together and lets each call `append` back to back
// until `duration` has passed; an append in flight at the deadline is waited
// for and counted. The first error stops every thread and is returned.
absl::StatusOr<Throughput> RunThreads(int threads, absl::Duration duration,
                                      const AppendFn& append);

// CPU time used so far by the calling thread, and by the whole process
// (which other processes on the machine do not inflate).
double ThreadCpuSeconds();
double ProcessCpuSeconds();

}  // namespace vagt::bench

#endif  // VAGT_TESTS_BENCH_BENCH_H_
