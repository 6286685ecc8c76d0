// The timing loop shared by every vagt-bench case.
#include <time.h>

#include <atomic>
#include <chrono>
#include <random>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/synchronization/notification.h"
#include "tests/bench/bench.h"

namespace vagt::bench {

const std::string& EventBytes() {
  static const std::string* const bytes = [] {
    auto* s = new std::string(kEventBytes, '\0');
    std::mt19937 random(20240401);  // fixed: every run writes the same bytes
    for (char& c : *s) c = static_cast<char>(random() & 0xff);
    return s;
  }();
  return *bytes;
}

double Throughput::EventsPerSecond() const {
  const double seconds = absl::ToDoubleSeconds(elapsed);
  return seconds > 0 ? static_cast<double>(events) / seconds : 0.0;
}

absl::StatusOr<Throughput> RunThreads(int threads, absl::Duration duration,
                                      const AppendFn& append) {
  if (threads < 1) {
    return absl::InvalidArgumentError(
        absl::StrCat("threads must be >= 1, got ", threads));
  }
  using SteadyClock = std::chrono::steady_clock;

  absl::Notification start;
  // Written before `start` is notified, read only after: no lock needed.
  SteadyClock::time_point deadline;
  std::atomic<bool> stop{false};
  absl::Mutex mu;
  absl::Status first_error;  // guarded by mu
  // Element t is written only by thread t, and read after join().
  std::vector<uint64_t> counts(static_cast<size_t>(threads), 0);

  std::vector<std::thread> workers;
  workers.reserve(counts.size());
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      start.WaitForNotification();
      uint64_t i = 0;
      while (!stop.load(std::memory_order_relaxed) &&
             SteadyClock::now() < deadline) {
        absl::Status status = append(t, i);
        if (!status.ok()) {
          absl::MutexLock lock(&mu);
          if (first_error.ok()) first_error = std::move(status);
          stop.store(true, std::memory_order_relaxed);
          break;
        }
        ++i;
      }
      counts[static_cast<size_t>(t)] = i;
    });
  }

  const SteadyClock::time_point begin = SteadyClock::now();
  deadline = begin + absl::ToChronoNanoseconds(duration);
  start.Notify();
  for (std::thread& worker : workers) worker.join();
  const SteadyClock::time_point end = SteadyClock::now();

  {
    absl::MutexLock lock(&mu);
    if (!first_error.ok()) return first_error;
  }
  Throughput result;
  for (uint64_t count : counts) result.events += count;
  result.elapsed = absl::FromChrono(end - begin);
  return result;
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) +
         static_cast<double>(ts.tv_nsec) * 1e-9;
}

double ProcessCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) +
         static_cast<double>(ts.tv_nsec) * 1e-9;
}

}  // namespace vagt::bench
