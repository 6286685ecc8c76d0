// Where a projections rebuild spends its time: the runner's work for each
// batch, done step by step with the projections' own parts and timed per
// step in the thread's CPU time (which other processes on the machine do
// not inflate). See ProfileRebuildPhases in cases.h.
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "eventstore/status_macros.h"
#include "projections/audit_projection.h"
#include "projections/board_projection.h"
#include "projections/bulk_load.h"
#include "projections/entities.h"
#include "projections/keys.h"
#include "projections/line_router.h"
#include "projections/runner.h"
#include "projections/state_cache.h"
#include "tests/bench/bench.h"
#include "tests/bench/cases.h"

namespace vagt::bench {
namespace {

using projections::FeedBatch;

// A feed with nothing in it: opens a projections database with the
// runner's own options, for the phases to write into.
class NoFeed final : public projections::EventFeed {
 public:
  absl::StatusOr<FeedBatch> Next(const std::string& cursor, size_t,
                                 absl::Time) override {
    return FeedBatch{.events = {}, .cursor = cursor};
  }
  void Interrupt() override {}
};

// Adds the thread CPU time from construction to destruction to `*total`.
class Timed {
 public:
  explicit Timed(double* total) : total_(total), start_(ThreadCpuSeconds()) {}
  ~Timed() { *total_ += ThreadCpuSeconds() - start_; }

 private:
  double* total_;
  double start_;
};

}  // namespace

absl::Status ProfileRebuildPhases(const eventstore::EventStore& store,
                                  const std::string& dir) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<projections::ProjectionRunner> target,
      projections::ProjectionRunner::Open(dir, std::make_unique<NoFeed>()));
  rocksdb::DB* db = &target->db();
  // As the runner does into an empty database (RunnerOptions::
  // bulk_chunk_bytes is far above this log's held bytes: one chunk).
  projections::BulkLoader loader(
      db, dir + "/bulk-load",
      {projections::keys::kEventPrefix, projections::keys::kTimePrefix});
  projections::StateCache heads(db);
  projections::LineRouter router(db);
  projections::BoardProjection board(db);
  projections::AuditProjection audit;
  const size_t batch_events = projections::RunnerOptions().batch_events;

  struct {
    double read = 0, dedup = 0, route = 0, board = 0, entities = 0,
           serialize = 0, audit = 0, write = 0, free = 0, ingest = 0;
  } t;
  const double process_start = ProcessCpuSeconds();
  uint64_t events = 0, keys = 0, bytes = 0;
  uint64_t after = 0;
  while (true) {
    FeedBatch fed;
    {
      // The store's read itself (StoreFeed reads ahead on another thread).
      Timed timed(&t.read);
      ASSIGN_OR_RETURN(fed.events, store.ReadAll(after + 1, batch_events));
    }
    if (fed.events.empty()) break;
    after = fed.events.back().global_position();
    events += fed.events.size();
    {
      Timed timed(&t.dedup);
      for (const v1::EventEnvelope& e : fed.events) {
        const std::string key = projections::keys::StreamHead(e.stream_id());
        ASSIGN_OR_RETURN(std::optional<std::string> head, heads.Get(key));
        heads.Put(key,
                  projections::keys::EncodeBigEndian64(e.stream_version()));
      }
    }
    std::vector<std::string> lines;
    lines.reserve(fed.events.size());
    {
      Timed timed(&t.route);
      for (const v1::EventEnvelope& e : fed.events) {
        ASSIGN_OR_RETURN(lines.emplace_back(), router.LineOf(e));
      }
    }
    rocksdb::WriteBatch batch;
    {
      Timed timed(&t.board);
      for (size_t i = 0; i < fed.events.size(); ++i) {
        RETURN_IF_ERROR(board.Apply(fed.events[i], lines[i], batch));
      }
    }
    {
      // Measured apart; AuditProjection::Apply below does both again.
      Timed timed(&t.entities);
      for (size_t i = 0; i < fed.events.size(); ++i) {
        keys += projections::EntitiesOf(fed.events[i], lines[i]).size();
      }
    }
    {
      Timed timed(&t.serialize);
      for (const v1::EventEnvelope& e : fed.events) {
        bytes += e.SerializeAsString().size();
      }
    }
    {
      Timed timed(&t.audit);
      for (size_t i = 0; i < fed.events.size(); ++i) {
        RETURN_IF_ERROR(audit.Apply(fed.events[i], lines[i], batch));
      }
    }
    {
      // Queued: the loader's thread takes the batch apart.
      Timed timed(&t.write);
      RETURN_IF_ERROR(loader.Add(std::move(batch)));
    }
    Timed timed(&t.free);
    fed.events.clear();
  }
  {
    // The kept state, then the held groups written and everything ingested.
    Timed timed(&t.ingest);
    rocksdb::WriteBatch state;
    board.Flush(state);
    heads.Flush(state);
    router.Flush(state);
    RETURN_IF_ERROR(loader.Add(std::move(state)));
    RETURN_IF_ERROR(loader.Ingest());
  }
  const double this_thread = t.read + t.dedup + t.route + t.board + t.audit +
                             t.write + t.free + t.ingest;
  const double other_threads =
      ProcessCpuSeconds() - process_start - this_thread;
  const double n = static_cast<double>(events);
  auto us = [&](double seconds) { return seconds * 1e6 / n; };
  std::cout << absl::StrFormat(
                   "rebuild phases (thread CPU, us/event over %d events, "
                   "%.1f entity keys and %.0f envelope bytes per event): "
                   "feed read %.2f, stream dedup %.2f, route %.2f, board fold "
                   "%.2f, audit "
                   "%.2f (of which EntitiesOf ~%.2f, envelope copy ~%.2f), "
                   "hand to the bulk loader %.2f, batch free %.2f, ingest at "
                   "the end %.2f; total %.2f in this thread, %.2f in the "
                   "bulk loader's threads (taking batches apart, writing "
                   "files)",
                   events, static_cast<double>(keys) / n,
                   static_cast<double>(bytes) / n, us(t.read), us(t.dedup),
                   us(t.route), us(t.board), us(t.audit), us(t.entities),
                   us(t.serialize), us(t.write), us(t.free), us(t.ingest),
                   us(this_thread), us(other_threads))
            << std::endl;
  return absl::OkStatus();
}

}  // namespace vagt::bench
