// ProjectionRunner: folds an EventFeed into the projection database (the
// board and the audit trail) and keeps it current.
//
//   ASSIGN_OR_RETURN(auto runner, ProjectionRunner::Open(
//       "var/vagt.projections", std::make_unique<StoreFeed>(*store)));
//   runner->Start();                      // follows the feed on a thread
//   runner->WaitUntilApplied(store->LastPosition(), deadline);
//
// Invariants:
// - Each batch of events is applied, and its projections' state, the
//   streams' applied versions and the feed's cursor are written, in one
//   RocksDB WriteBatch: after a crash the database holds a prefix of
//   batches, never half of one, and the runner resumes at the stored cursor.
//   The WAL is not synced: projections are derived, and a lost tail is
//   applied again from the log.
// - Catching up into an empty database (a rebuild, a first start) is a bulk
//   load (bulk_load.h): batches are applied as usual, but their writes are
//   gathered and ingested as sorted files, one chunk at a time, the cursor
//   and the state of the chunk's last batch in the same ingestion. A crash
//   loses at most the chunk being gathered. Once the feed is caught up (a
//   batch shorter than asked for, the feed not saying it is behind) every
//   batch is written as above. Both ways give the same database, key for
//   key. A feed whose time index would go back is followed batch by batch.
// - An event at or below the version already applied for its stream is
//   skipped (a feed may redeliver); a version beyond the next one stops the
//   runner with DATA_LOSS (a feed must not skip).
// - Rebuild() starts from an empty database and gives the same state as
//   following the log live (the folds are deterministic).
// - A database written by another layout version is rebuilt on Open.
#ifndef VAGT_PROJECTIONS_RUNNER_H_
#define VAGT_PROJECTIONS_RUNNER_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "projections/bulk_load.h"
#include "projections/event_feed.h"
#include "projections/line_router.h"
#include "projections/projection.h"
#include "projections/state_cache.h"
#include "rocksdb/db.h"

namespace vagt::projections {

struct RunnerOptions {
  // Most events applied in one write batch.
  size_t batch_events = 2000;
  // Wipe the database and start from the beginning of the feed.
  bool rebuild = false;
  // Catching up into an empty database, ingest a chunk when about this many
  // bytes are held in memory (the loader's and the kept state's; see
  // bulk_load.h); 0 writes batch by batch instead.
  size_t bulk_chunk_bytes = size_t{256} << 20;
  // The Env the database is written through (tests inject faults); nullptr:
  // the default. Must outlive the runner.
  rocksdb::Env* env = nullptr;
};

class ProjectionRunner {
 public:
  // Opens (or creates) the database at `path`. Does not apply anything yet.
  static absl::StatusOr<std::unique_ptr<ProjectionRunner>> Open(
      const std::string& path, std::unique_ptr<EventFeed> feed,
      RunnerOptions options = {});
  ~ProjectionRunner();  // Stops the thread.

  // Follows the feed on a thread until destroyed. A storage error is retried
  // every second; any other error stops the thread (see status()).
  void Start();
  // Without the thread: applies batches until the feed has nothing more
  // (tests, benchmarks, tools). Returns the number of events applied.
  absl::StatusOr<uint64_t> CatchUp();
  // Applies at most one batch, waiting for events until `deadline`. Returns
  // the number of events in it, redelivered ones included (0: nothing came).
  absl::StatusOr<uint64_t> Step(absl::Time deadline);

  // Stops the thread if running, wipes the database and starts over from the
  // beginning of the feed (restarting the thread if it ran).
  absl::Status Rebuild();

  // The database, for readers. Valid as long as the runner. Empty until a
  // bulk load ingests its first chunk.
  rocksdb::DB& db() { return *db_; }
  // The global position of the last applied event (0 before any).
  uint64_t AppliedPosition() const;
  // Blocks until AppliedPosition() >= position or `deadline` (real time).
  bool WaitUntilApplied(uint64_t position, absl::Time deadline) const;
  // Blocks until AppliedPosition() > position or `deadline`; returns it.
  uint64_t WaitForChange(uint64_t position, absl::Time deadline) const;
  // OK unless the thread stopped on an error.
  absl::Status status() const;

 private:
  ProjectionRunner(std::string path, std::unique_ptr<rocksdb::DB> db,
                   std::unique_ptr<EventFeed> feed, RunnerOptions options);
  // What one batch from the feed did.
  struct BatchOutcome {
    size_t delivered = 0;     // events in it, redelivered ones included
    uint64_t applied = 0;     // events applied (not redelivered)
    bool progressed = false;  // events came, or the feed's cursor moved
  };
  absl::StatusOr<BatchOutcome> ApplyBatch(absl::Time deadline);
  absl::Status LoadProgress();
  // Empties the database (with an fsync'd write: a crash leaves the old
  // state or none) and gives the files back.
  absl::Status Wipe();
  void GiveBackFiles();
  // Bulk-loads from here if nothing was ever applied.
  void MaybeStartBulk();
  // Writes the kept state, the cursor and the position into `batch`.
  void FlushState(rocksdb::WriteBatch& batch, const std::string& cursor,
                  uint64_t position);
  absl::Status Commit(rocksdb::WriteBatch& batch, const std::string& cursor,
                      uint64_t position);
  // Takes a batch into the bulk load; ingests the chunk when it is full, or
  // ends the bulk load when `caught_up`.
  absl::Status AddToBulk(rocksdb::WriteBatch& batch, std::string cursor,
                         uint64_t position, bool caught_up);
  // Ingests the chunk (with the kept state and the cursor).
  absl::Status IngestBulk();
  // After a failed bulk step: discards the chunk; ends the bulk load if the
  // feed cannot be bulk loaded (OK then), else returns `status`.
  absl::Status AbandonChunk(absl::Status status);
  // Ingests what is left and writes batch by batch from now on.
  absl::Status EndBulk();
  void Discard();
  void Loop();
  void Stop();

  const std::string path_;
  const std::unique_ptr<rocksdb::DB> db_;
  const std::unique_ptr<EventFeed> feed_;
  const RunnerOptions options_;
  LineRouter router_;
  StateCache heads_;
  std::vector<std::unique_ptr<Projection>> projections_;
  std::string cursor_;  // the feed's cursor after the last committed batch

  // While bulk loading: the loader, and the cursor and position after the
  // last batch it took (committed when its chunk is ingested).
  struct Bulk {
    std::unique_ptr<BulkLoader> loader;
    std::string cursor;
    uint64_t position = 0;
  };
  std::optional<Bulk> bulk_;

  mutable absl::Mutex mu_;
  uint64_t applied_position_ ABSL_GUARDED_BY(mu_) = 0;
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_RUNNER_H_
