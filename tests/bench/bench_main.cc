// vagt-bench: six groups of cases, each ending with its own summary line.
//
// append: durable appends per second from 1 and 16 threads for raw RocksDB
// (the baseline), the event store, and PostgreSQL (for comparison), each
// case in a fresh directory; the summary compares the event store at 16
// threads with the two others.
//
// kafka: how long after its Append an event is visible in a projection fed
// through Kafka (outbox relay, 3-broker mock cluster, KafkaFeed), at 1,000
// events/s, against the embedded StoreFeed (the baseline).
//
// projections: rebuilding the board and the audit trail from a
// 1,000,000-event log, against reading that log through the feed alone (the
// baseline), and a citizen's timeline at 100,000 and 1,000,000 events.
//
//   $ vagt-bench                  # all groups: append, kafka, projections,
//                                 # escalations
//   $ vagt-bench append --seconds=3
//   ...
//   append16_vs_rocksdb16=0.82 append16_vs_postgres16=5.10
//   $ vagt-bench kafka --kafka_seconds=10
//   ...
//   kafka_visible_p50_ms=11.0 kafka_visible_p99_ms=17.2
//   $ vagt-bench projections
//   ...
//   rebuild_events_per_s=250000 timeline_1m_vs_100k=1.10
//
// escalations: how late the deadline engine times out 10,000 running
// escalations (real clock, synced store), against a bare timer's wake-up.
//   $ vagt-bench escalations
//   ...
//   escalation_fire_late_p99_ms=4.2
//
// commands: ReceiveCall through real gRPC over TLS with a bearer token from
// 16 client threads, against raw RocksDB synced puts from 16 threads (the
// baseline), and with the edge not checking the token; and its parts, the
// event store alone and gRPC with the edge alone.
//   $ vagt-bench commands --seconds=5
//   ...
//   commands16_vs_rocksdb16=0.30 auth_on_vs_off=0.98
//
// console: a call received through vagtd's browser gateway until it shows on
// a Connect board stream (what a browser's board sees), against the same
// call on a gRPC board stream of the same vagtd (the baseline). Starts the
// vagtd binary built beside vagt-bench (--vagtd to choose another).
//   $ vagt-bench console --console_calls=300
//   ...
//   console_visible_p99_ms=3.1 grpc_visible_p99_ms=2.9
//   console_p99_vs_grpc_p99=1.07
//
// Not run by ctest: its numbers depend on the disk. See README.md here.
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "tests/bench/bench.h"
#include "tests/bench/cases.h"
#include "tests/bench/console_visible.h"
#include "tests/bench/escalation_lateness.h"
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
ABSL_FLAG(double, kafka_seconds, 10.0,
          "kafka: how long the measured schedule appends, in seconds.");
ABSL_FLAG(int, kafka_rate, 1000,
          "kafka: events appended per second (one per Append).");
ABSL_FLAG(int, kafka_fetch_wait_ms, -1,
          "kafka: the consumer's fetch.wait.max.ms; -1: the feed's default.");
ABSL_FLAG(int, escalations, 10'000,
          "escalations: running escalations whose deadlines pass.");
ABSL_FLAG(double, escalation_spread_s, 10.0,
          "escalations: deadlines fall 5 s to 5 + this many seconds after "
          "each raise.");
ABSL_FLAG(int, console_calls, 300,
          "Calls the console group receives, one after the other.");
ABSL_FLAG(std::string, vagtd, "",
          "The vagtd binary the console group starts (default: the one built "
          "beside vagt-bench, build/services/vagtd/vagtd).");
ABSL_FLAG(uint64_t, log_events, 1'000'000,
          "projections: events in the large log; the small log has a tenth.");

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

// Runs `measure` on a fresh directory under `parent` and reports it as
// `name` at `threads`; its rate, none if it failed.
std::optional<double> ReportInScratchDir(
    absl::string_view name, int threads, const std::string& parent,
    absl::FunctionRef<absl::StatusOr<Throughput>(const std::string& dir)>
        measure) {
  absl::StatusOr<Throughput> result;
  if (absl::StatusOr<std::unique_ptr<ScratchDir>> dir = ScratchDir::Create(
          parent, absl::StrFormat("vagt-bench-%s-%d", name, threads));
      dir.ok()) {
    result = measure((*dir)->path());
  } else {
    result = dir.status();
  }
  return Report(name, threads, result);
}

// Runs `measure` once per thread count, each time in a fresh directory.
CaseResults RunInScratchDirs(absl::string_view name, MeasureInDir measure,
                             const std::string& parent,
                             absl::Duration duration) {
  CaseResults results;
  for (int threads : kThreadCounts) {
    if (std::optional<double> rate = ReportInScratchDir(
            name, threads, parent, [&](const std::string& dir) {
              return measure(dir, threads, duration);
            })) {
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

// The append group; false if a case failed.
bool RunAppendCases(const std::string& parent) {
  const double seconds = absl::GetFlag(FLAGS_seconds);
  const absl::Duration duration = absl::Seconds(seconds);
  std::cout << absl::StrFormat("append: %.1f s per case, %d-byte events",
                               seconds, kEventBytes)
            << std::endl;
  const CaseResults rocksdb =
      RunInScratchDirs("rocksdb_batch", &MeasureRocksDbBatch, parent, duration);
  const CaseResults append = RunInScratchDirs(
      "eventstore_append", &MeasureEventStoreAppend, parent, duration);
  CaseResults pg;
  if (absl::GetFlag(FLAGS_postgres) == "off") {
    std::cout << "postgres_insert    n/a: --postgres=off" << std::endl;
  } else {
    pg = RunPostgres(parent, duration);
  }

  std::cout << "append16_vs_rocksdb16="
            << Ratio(append.sixteen, rocksdb.sixteen)
            << " append16_vs_postgres16=" << Ratio(append.sixteen, pg.sixteen)
            << std::endl;
  return rocksdb.one && rocksdb.sixteen && append.one && append.sixteen;
}

// One commands case at 16 threads in a fresh directory.
std::optional<double> RunCommandsCase(absl::string_view name,
                                      const std::string& parent,
                                      absl::Duration duration,
                                      CommandsCase which) {
  return ReportInScratchDir(name, 16, parent, [&](const std::string& dir) {
    return MeasureCommands(dir, 16, duration, which);
  });
}

// One append case (cases.h) at 16 threads in a fresh directory.
std::optional<double> RunAppendCase(absl::string_view name,
                                    const std::string& parent,
                                    absl::Duration duration,
                                    MeasureInDir measure) {
  return ReportInScratchDir(name, 16, parent, [&](const std::string& dir) {
    return measure(dir, 16, duration);
  });
}

// The rate two parts would reach if each command needed both, one after the
// other, on the same cores: 1 / (1/a + 1/b).
std::optional<double> OneAfterTheOther(std::optional<double> a,
                                       std::optional<double> b) {
  if (!a.has_value() || !b.has_value() || *a <= 0 || *b <= 0) {
    return std::nullopt;
  }
  return 1 / (1 / *a + 1 / *b);
}

// The commands group; false if a case failed. Besides the two commands
// cases it measures their parts, the event store alone and gRPC with the
// edge alone, to show where the time goes.
bool RunCommandsCases(const std::string& parent) {
  const double seconds = absl::GetFlag(FLAGS_seconds);
  const absl::Duration duration = absl::Seconds(seconds);
  std::cout << absl::StrFormat(
                   "commands: ReceiveCall over TLS with a bearer token, 16 "
                   "client threads, %.1f s per case",
                   seconds)
            << std::endl;
  const std::optional<double> rocksdb =
      RunAppendCase("rocksdb_batch", parent, duration, &MeasureRocksDbBatch);
  const std::optional<double> store = RunAppendCase(
      "eventstore_append", parent, duration, &MeasureEventStoreAppend);
  const std::optional<double> edge = RunCommandsCase(
      "grpc_edge_only", parent, duration, CommandsCase::kEdgeOnly);
  const std::optional<double> off = RunCommandsCase(
      "commands_auth_off", parent, duration, CommandsCase::kAuthenticationOff);
  const std::optional<double> on = RunCommandsCase(
      "commands", parent, duration, CommandsCase::kAuthenticated);
  std::cout << "eventstore16_vs_rocksdb16=" << Ratio(store, rocksdb)
            << " grpc_edge16_vs_rocksdb16=" << Ratio(edge, rocksdb)
            << " both_one_after_the_other_vs_rocksdb16="
            << Ratio(OneAfterTheOther(store, edge), rocksdb) << std::endl;
  std::cout << "commands16_vs_rocksdb16=" << Ratio(on, rocksdb)
            << " auth_on_vs_off=" << Ratio(on, off) << std::endl;
  return rocksdb && store && edge && off && on;
}

// The kafka group; false if it failed.
bool RunKafka(const std::string& parent) {
  const double seconds = absl::GetFlag(FLAGS_kafka_seconds);
  const int rate = absl::GetFlag(FLAGS_kafka_rate);
  std::cout << absl::StrFormat(
                   "kafka: append to visible, %d events/s for %.1f s, "
                   "through Kafka and through the embedded feed",
                   rate, seconds)
            << std::endl;
  absl::StatusOr<KafkaVisibleResult> result;
  if (absl::StatusOr<std::unique_ptr<ScratchDir>> dir =
          ScratchDir::Create(parent, "vagt-bench-kafka");
      dir.ok()) {
    KafkaVisibleOptions options{.events_per_second = rate,
                                .duration = absl::Seconds(seconds)};
    if (const int fetch_wait = absl::GetFlag(FLAGS_kafka_fetch_wait_ms);
        fetch_wait >= 0) {
      options.consumer_config["fetch.wait.max.ms"] = absl::StrCat(fetch_wait);
    }
    result = MeasureKafkaVisible((*dir)->path(), options);
  } else {
    result = dir.status();
  }
  if (!result.ok()) {
    std::cout << "kafka error: " << result.status().ToString() << std::endl;
    std::cout << "kafka_visible_p50_ms=n/a kafka_visible_p99_ms=n/a"
              << std::endl;
    return false;
  }
  std::cout << absl::StrFormat(
                   "embedded_visible_p50_ms=%.1f "
                   "embedded_visible_p99_ms=%.1f",
                   result->embedded.p50_ms, result->embedded.p99_ms)
            << " kafka_p99_vs_embedded_p99="
            << Ratio(result->kafka.p99_ms, result->embedded.p99_ms)
            << std::endl;
  std::cout << absl::StrFormat(
                   "kafka_visible_p50_ms=%.1f kafka_visible_p99_ms=%.1f",
                   result->kafka.p50_ms, result->kafka.p99_ms)
            << std::endl;
  return true;
}

// The projections group; false if it failed.
bool RunProjections(const std::string& parent) {
  const uint64_t large = absl::GetFlag(FLAGS_log_events);
  const uint64_t small = large / 10;
  std::cout << absl::StrFormat("projections: logs of %d and %d events", small,
                               large)
            << std::endl;
  absl::StatusOr<ProjectionsResult> result;
  if (absl::StatusOr<std::unique_ptr<ScratchDir>> dir =
          ScratchDir::Create(parent, "vagt-bench-projections");
      dir.ok()) {
    result = MeasureProjections((*dir)->path(), small, large);
  } else {
    result = dir.status();
  }
  if (!result.ok()) {
    std::cout << "projections error: " << result.status().ToString()
              << std::endl;
    std::cout << "rebuild_events_per_s=n/a timeline_1m_vs_100k=n/a"
              << std::endl;
    return false;
  }
  std::cout << "rebuild_vs_feed_read="
            << Ratio(result->rebuild_events_per_second,
                     result->feed_events_per_second)
            << std::endl;
  std::cout << absl::StrFormat("rebuild_events_per_s=%.0f",
                               result->rebuild_events_per_second)
            << " timeline_1m_vs_100k="
            << Ratio(result->timeline_large_us, result->timeline_small_us)
            << std::endl;
  return true;
}

// --vagtd, or the vagtd built beside this binary (build/tests/bench/vagt-bench
// and build/services/vagtd/vagtd).
std::string VagtdPath() {
  if (std::string flag = absl::GetFlag(FLAGS_vagtd); !flag.empty()) {
    return flag;
  }
  std::error_code error;
  const std::filesystem::path self =
      std::filesystem::read_symlink("/proc/self/exe", error);
  return (self.parent_path() / "../../services/vagtd/vagtd")
      .lexically_normal()
      .string();
}

int Main(const std::vector<std::string>& groups) {
  const std::string postgres = absl::GetFlag(FLAGS_postgres);
  if (!(absl::GetFlag(FLAGS_seconds) > 0)) {
    std::cerr << "vagt-bench: --seconds must be > 0\n";
    return 2;
  }
  if (postgres != "auto" && postgres != "off") {
    std::cerr << "vagt-bench: --postgres must be auto or off\n";
    return 2;
  }
  if (!(absl::GetFlag(FLAGS_kafka_seconds) > 0) ||
      absl::GetFlag(FLAGS_kafka_rate) <= 0 ||
      absl::GetFlag(FLAGS_kafka_rate) > 1'000'000) {
    std::cerr << "vagt-bench: --kafka_seconds must be > 0 and --kafka_rate "
                 "1..1000000\n";
    return 2;
  }
  if (absl::GetFlag(FLAGS_log_events) < 10) {
    std::cerr << "vagt-bench: --log_events must be >= 10\n";
    return 2;
  }
  bool append = groups.empty(), kafka = groups.empty(),
       projections = groups.empty(), escalations = groups.empty(),
       commands = groups.empty(), console = groups.empty();
  for (const std::string& group : groups) {
    if (group == "append") {
      append = true;
    } else if (group == "kafka") {
      kafka = true;
    } else if (group == "projections") {
      projections = true;
    } else if (group == "escalations") {
      escalations = true;
    } else if (group == "commands") {
      commands = true;
    } else if (group == "console") {
      console = true;
    } else {
      std::cerr
          << "vagt-bench: unknown group '" << group
          << "' (append, kafka, projections, escalations, commands, console)\n";
      return 2;
    }
  }
  std::string parent = absl::GetFlag(FLAGS_dir);
  if (parent.empty()) parent = DefaultScratchParent();

  std::cout << absl::StrFormat(
                   "vagt-bench: scratch directories under %s (filesystem %s)",
                   parent, FilesystemType(parent))
            << std::endl;
  if (IsMemoryFilesystem(parent)) {
    std::cout << "WARNING: " << parent
              << " is in memory: fsync proves nothing, pass --dir on a disk"
              << std::endl;
  }
  bool ok = true;
  if (append) ok = RunAppendCases(parent) && ok;
  if (commands) ok = RunCommandsCases(parent) && ok;
  if (console) {
    ok = RunConsoleGroup(parent,
                         {.vagtd_path = VagtdPath(),
                          .calls = absl::GetFlag(FLAGS_console_calls)}) &&
         ok;
  }
  if (kafka) ok = RunKafka(parent) && ok;
  if (projections) ok = RunProjections(parent) && ok;
  if (escalations) {
    ok = RunEscalationsGroup(
             parent, {.escalations = absl::GetFlag(FLAGS_escalations),
                      .latest = absl::Seconds(
                          5 + absl::GetFlag(FLAGS_escalation_spread_s))}) &&
         ok;
  }
  return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}

}  // namespace
}  // namespace vagt::bench

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "[append] [commands] [console] [kafka] [projections] [escalations] "
      "[flags]: "
      "durable appends/s (raw RocksDB, the event store, PostgreSQL), "
      "ReceiveCall over TLS with a token, append-to-visible latency through "
      "Kafka, the projections' rebuild and timeline, and how late escalation "
      "deadlines fire, a call through the browser gateway until on a board "
      "stream. No group: all six.");
  const std::vector<char*> args = absl::ParseCommandLine(argc, argv);
  return vagt::bench::Main(
      std::vector<std::string>(args.begin() + 1, args.end()));
}
