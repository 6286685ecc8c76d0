// vagt-bench: durable appends per second from 1 and 16 threads for raw
// RocksDB (the baseline), the event store, and PostgreSQL (for comparison),
// each case in a fresh directory. The last line compares the event store at
// 16 threads with the two others:
//
//   $ vagt-bench --seconds=3
//   ...
//   append16_vs_rocksdb16=0.82 append16_vs_postgres16=5.10
//
// Not run by ctest: its numbers depend on the disk. See README.md here.
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/bench/bench.h"
#include "tests/bench/cases.h"
#include "tests/bench/scratch_dir.h"
#if VAGT_BENCH_HAVE_LIBPQ
#include "tests/bench/postgres_cluster.h"
#endif

ABSL_FLAG(double, seconds, 3.0, "How long each case appends, in seconds.");
ABSL_FLAG(std::string, dir, "",
          "Parent of the cases' fresh scratch directories. Must be on a real "
          "disk, not tmpfs. Default: /var/tmp, else the current directory.");
ABSL_FLAG(std::string, postgres, "auto",
          "auto: also measure PostgreSQL when its server binaries are "
          "installed (/usr/lib/postgresql/*/bin); off: skip it.");

namespace vagt::bench {
namespace {

constexpr int kThreadCounts[] = {1, 16};

// Events per second at 1 and 16 threads; nullopt where the case failed.
struct CaseResults {
  std::optional<double> one;
  std::optional<double> sixteen;
  void Set(int threads, double events_per_second) {
    (threads == 1 ? one : sixteen) = events_per_second;
  }
};

// Prints one case's line; returns its events/s unless it failed.
std::optional<double> Report(absl::string_view name, int threads,
                             const absl::StatusOr<Throughput>& result) {
  if (!result.ok()) {
    std::cout << absl::StrFormat("%-18s threads=%-3d error: %s", name, threads,
                                 result.status().ToString())
              << std::endl;
    return std::nullopt;
  }
  std::cout << absl::StrFormat(
                   "%-18s threads=%-3d events/s=%-8.0f (%d events in %.2f s)",
                   name, threads, result->EventsPerSecond(), result->events,
                   absl::ToDoubleSeconds(result->elapsed))
            << std::endl;
  return result->EventsPerSecond();
}

using MeasureInDir = absl::StatusOr<Throughput> (*)(const std::string& dir,
                                                    int threads,
                                                    absl::Duration duration);

// Runs `measure` once per thread count, each time in a fresh directory.
CaseResults RunInScratchDirs(absl::string_view name, MeasureInDir measure,
                             const std::string& parent,
                             absl::Duration duration) {
  CaseResults results;
  for (int threads : kThreadCounts) {
    absl::StatusOr<Throughput> result;
    if (absl::StatusOr<std::unique_ptr<ScratchDir>> dir = ScratchDir::Create(
            parent, absl::StrFormat("vagt-bench-%s-%d", name, threads));
        dir.ok()) {
      result = measure((*dir)->path(), threads, duration);
    } else {
      result = dir.status();
    }
    if (std::optional<double> rate = Report(name, threads, result)) {
      results.Set(threads, *rate);
    }
  }
  return results;
}

CaseResults RunPostgres(const std::string& parent, absl::Duration duration) {
  constexpr char kName[] = "postgres_insert";
  CaseResults results;
#if VAGT_BENCH_HAVE_LIBPQ
  absl::StatusOr<std::unique_ptr<PostgresCluster>> cluster =
      PostgresCluster::Start(parent);
  if (!cluster.ok()) {
    std::cout << kName << "    n/a: " << cluster.status().ToString()
              << std::endl;
    return results;
  }
  std::cout << "postgres: " << (*cluster)->bin_dir()
            << ", throwaway cluster in " << (*cluster)->path()
            << ", fsync=on synchronous_commit=on" << std::endl;
  for (int threads : kThreadCounts) {
    if (std::optional<double> rate = Report(
            kName, threads,
            MeasurePostgresInsert((*cluster)->ConnInfo(), threads, duration))) {
      results.Set(threads, *rate);
    }
  }
#else
  (void)parent;
  (void)duration;
  std::cout << kName << "    n/a: vagt-bench was built without libpq"
            << std::endl;
#endif
  return results;
}

std::string Ratio(std::optional<double> numerator,
                  std::optional<double> denominator) {
  if (!numerator.has_value() || !denominator.has_value() || *denominator <= 0) {
    return "n/a";
  }
  return absl::StrFormat("%.2f", *numerator / *denominator);
}

int Main() {
  const double seconds = absl::GetFlag(FLAGS_seconds);
  const std::string postgres = absl::GetFlag(FLAGS_postgres);
  if (!(seconds > 0)) {
    std::cerr << "vagt-bench: --seconds must be > 0\n";
    return 2;
  }
  if (postgres != "auto" && postgres != "off") {
    std::cerr << "vagt-bench: --postgres must be auto or off\n";
    return 2;
  }
  std::string parent = absl::GetFlag(FLAGS_dir);
  if (parent.empty()) parent = DefaultScratchParent();
  const absl::Duration duration = absl::Seconds(seconds);

  std::cout << absl::StrFormat(
                   "vagt-bench: %.1f s per case, %d-byte events, scratch "
                   "directories under %s (filesystem %s)",
                   seconds, kEventBytes, parent, FilesystemType(parent))
            << std::endl;
  if (IsMemoryFilesystem(parent)) {
    std::cout << "WARNING: " << parent
              << " is in memory: fsync proves nothing, pass --dir on a disk"
              << std::endl;
  }

  const CaseResults rocksdb =
      RunInScratchDirs("rocksdb_batch", &MeasureRocksDbBatch, parent, duration);
  const CaseResults append = RunInScratchDirs(
      "eventstore_append", &MeasureEventStoreAppend, parent, duration);
  CaseResults pg;
  if (postgres == "off") {
    std::cout << "postgres_insert    n/a: --postgres=off" << std::endl;
  } else {
    pg = RunPostgres(parent, duration);
  }

  std::cout << "append16_vs_rocksdb16="
            << Ratio(append.sixteen, rocksdb.sixteen)
            << " append16_vs_postgres16=" << Ratio(append.sixteen, pg.sixteen)
            << std::endl;
  const bool all_ran =
      rocksdb.one && rocksdb.sixteen && append.one && append.sixteen;
  return all_ran ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace
}  // namespace vagt::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "Measures durable appends/s: raw RocksDB, the event store, PostgreSQL.");
  absl::ParseCommandLine(argc, argv);
  return vagt::bench::Main();
}
