// The cases vagt-bench measures. The append cases make durable appends of
// one ~kEventBytes event per call, back to back, from `threads` threads for
// `duration` (see RunThreads), and return acknowledged events per second;
// an append counts only once it is fsync'd. The kafka case measures
// latency, not throughput. The projections case is last.
#ifndef VAGT_TESTS_BENCH_CASES_H_
#define VAGT_TESTS_BENCH_CASES_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "tests/bench/bench.h"

namespace vagt::bench {

// The baseline: a RocksDB database created in the empty directory `dir`; every
// call is one DB::Write of a WriteBatch holding one Put (8-byte big-endian
// key, kEventBytes value) with WriteOptions::sync. Concurrent writers are
// grouped by RocksDB itself.
absl::StatusOr<Throughput> MeasureRocksDbBatch(const std::string& dir,
                                               int threads,
                                               absl::Duration duration);

// The event store opened on the empty directory `dir`: every call is one
// Append of one CallReceived to the thread's own stream (ExpectedVersion::Any,
// a fresh request id), sized so that its stored envelope is ~kEventBytes.
absl::StatusOr<Throughput> MeasureEventStoreAppend(const std::string& dir,
                                                   int threads,
                                                   absl::Duration duration);

// ReceiveCall through real gRPC over TLS (a throwaway certificate the
// openssl CLI makes in the empty directory `dir`), every request with a
// bearer token, into a fresh event store there: the call service behind the
// edge as vagtd runs it. With kAuthenticationOff the edge admits every
// request as the bench's worker without looking at the token (the cost of
// authentication, measured). With kEdgeOnly the same edge admits the
// request and a handler answers at once, logging nothing: what gRPC, TLS and
// the edge cost by themselves.
enum class CommandsCase { kAuthenticated, kAuthenticationOff, kEdgeOnly };
absl::StatusOr<Throughput> MeasureCommands(const std::string& dir, int threads,
                                           absl::Duration duration,
                                           CommandsCase which);

// PostgreSQL reached through libpq `conninfo`: (re)creates table `events`
// and, over one connection per thread, INSERTs one row (stream id, kEventBytes
// bytea) per autocommitted transaction. The server must run with fsync=on and
// synchronous_commit=on (see PostgresCluster). Only built with libpq.
absl::StatusOr<Throughput> MeasurePostgresInsert(const std::string& conninfo,
                                                 int threads,
                                                 absl::Duration duration);

// The projections case, in the empty directory `dir`: appends a synthetic
// on-call log (SyntheticLog) to an event store until it holds
// `small_events`, builds the projections into a fresh database and times the
// first page (50 events) of each frequent caller's timeline; grows the log to
// `large_events`, reads it once through the feed alone (the baseline),
// rebuilds the projections into another fresh database (the rebuild rate
// counts ProjectionRunner::CatchUp only) and times the same timelines again.
// Fails if the pages differ between the two logs. Prints a line per step.
struct ProjectionsResult {
  uint64_t events = 0;  // in the large log
  double rebuild_events_per_second = 0;
  double feed_events_per_second = 0;
  double timeline_small_us = 0;  // median per query
  double timeline_large_us = 0;
};
absl::StatusOr<ProjectionsResult> MeasureProjections(const std::string& dir,
                                                     uint64_t small_events,
                                                     uint64_t large_events);

// The kafka case, in the empty directory `dir`: two fresh stores, each
// followed live by a ProjectionRunner on its own thread: one through Kafka
// (OutboxRelay into a 3-broker MockCluster, KafkaFeed), one through the
// embedded StoreFeed (the baseline). For each, after a warm-up, appends one
// event per Append on an open-loop schedule of options.events_per_second
// for options.duration (8 threads take the next slot due) and measures, per
// event, the time from just before its Append until the runner's applied
// position reaches it. Prints a line per feed.
struct VisibleLatency {
  uint64_t events = 0;
  double p50_ms = 0;
  double p90_ms = 0;
  double p99_ms = 0;
  double max_ms = 0;
  double appends_per_second = 0;  // achieved
};
struct KafkaVisibleResult {
  VisibleLatency kafka;
  VisibleLatency embedded;
};
struct KafkaVisibleOptions {
  int events_per_second = 1000;
  absl::Duration duration = absl::Seconds(10);
  // KafkaFeed::Options::consumer_config (none: the feed's defaults).
  std::map<std::string, std::string> consumer_config;
};
absl::StatusOr<KafkaVisibleResult> MeasureKafkaVisible(
    const std::string& dir, const KafkaVisibleOptions& options);

// Rebuilds the projections of everything in `store` into the fresh
// directory `dir` the way ProjectionRunner does, one step at a time (feed
// read, stream dedup, routing, board fold, audit trail, batch write), and
// prints each step's thread CPU time per event.
absl::Status ProfileRebuildPhases(const eventstore::EventStore& store,
                                  const std::string& dir);

}  // namespace vagt::bench

#endif  // VAGT_TESTS_BENCH_CASES_H_
