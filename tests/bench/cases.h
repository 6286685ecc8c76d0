// The cases vagt-bench measures. Each makes durable appends of one
// ~kEventBytes event per call, back to back, from `threads` threads for
// `duration` (see RunThreads), and returns acknowledged events per second.
// An append counts only once it is fsync'd.
#ifndef VAGT_TESTS_BENCH_CASES_H_
#define VAGT_TESTS_BENCH_CASES_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
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

// PostgreSQL reached through libpq `conninfo`: (re)creates table `events`
// and, over one connection per thread, INSERTs one row (stream id, kEventBytes
// bytea) per autocommitted transaction. The server must run with fsync=on and
// synchronous_commit=on (see PostgresCluster). Only built with libpq.
absl::StatusOr<Throughput> MeasurePostgresInsert(const std::string& conninfo,
                                                 int threads,
                                                 absl::Duration duration);

}  // namespace vagt::bench

#endif  // VAGT_TESTS_BENCH_CASES_H_
