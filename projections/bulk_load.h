// BulkLoader: the writes of a rebuild, turned into sorted SST files and
// ingested into the projection database in one step per chunk, instead of
// key by key through the memtable, its flushes and the compactions after
// them (most of a rebuild's CPU time when it went that way).
//
//   BulkLoader loader(db, dir, {"e/", "t/"});
//   RETURN_IF_ERROR(loader.Add(std::move(batch)));  // each batch: its Puts
//   RETURN_IF_ERROR(loader.Ingest());     // everything added, atomically
//
// The batches are taken apart and written on a thread of the loader's own,
// while the caller applies the next ones (a few batches wait at most).
//
// Keys fall into groups (keys::InsertHintPrefix). The groups named as
// streamed must arrive in strictly ascending key order (the event copies
// and the time index: positions and record times only grow); they go
// straight into SST files of their own and are not held in memory. Every
// other group is held in memory until Ingest(): a group whose keys came in
// ascending order is written as it is, any other group is sorted, the last
// write of a key winning (as in a WriteBatch).
//
// Invariants:
// - Ingest() is all or nothing: every file of the chunk is added in one
//   IngestExternalFiles, which RocksDB records in the manifest atomically.
//   Whatever the chunk carries (the runner's cursor with it) is there after
//   a crash, or none of it is.
// - The files of one chunk never overlap each other: a streamed group's
//   files hold its keys only, and the held groups are written in key order,
//   starting a new file at each streamed group between them. Each file
//   therefore goes to the lowest level it does not overlap: into an empty
//   database, the bottom one, with no compaction to follow.
// - Only Puts are taken; a batch with any other record is refused.
#ifndef VAGT_PROJECTIONS_BULK_LOAD_H_
#define VAGT_PROJECTIONS_BULK_LOAD_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "projections/sst_files.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace vagt::projections {

class BulkLoader {
 public:
  // Writes its files in `dir` (created; emptied first), which must be on
  // the database's file system (ingestion moves them by hard link) and not
  // the database directory itself. `db` must outlive the loader.
  BulkLoader(rocksdb::DB* db, std::string dir,
             std::vector<std::string> streamed_groups);
  ~BulkLoader();  // Discards what was not ingested.

  // Queues `batch`, whose Puts the loader's thread takes. An error (this
  // batch's or an earlier one's) means the loader must be Discard()ed
  // before more is added.
  absl::Status Add(rocksdb::WriteBatch batch);

  // Bytes held in memory (the held groups) by the batches taken so far, to
  // bound a chunk.
  size_t held_bytes() const;
  // Whether anything was added since the last Ingest() or Discard().
  bool empty() const { return empty_; }

  // Writes the rest of the chunk and ingests all its files at once.
  absl::Status Ingest();
  // Forgets everything added since the last Ingest() and deletes its files.
  void Discard();

 private:
  class Taker;
  // A held group: its records (u32 suffix length, suffix, u32 value length,
  // value) in the order they came.
  struct Run {
    std::string records;
    std::string last_key;
    bool ascending = true;
  };
  // A streamed group: its files, and the last key added (empty: none yet;
  // no key is empty).
  struct Stream {
    SstFiles files;
    std::string last_key;
  };

  // The loader's thread: takes queued batches apart until stopped.
  void Work();
  // Waits until every queued batch is taken; returns the first error.
  absl::Status Drain();
  absl::Status Take(const rocksdb::WriteBatch& batch);
  absl::Status Put(std::string_view key, std::string_view value);
  absl::Status PutStreamed(Stream& stream, std::string_view key,
                           std::string_view value);
  // Writes the held groups, in two halves at once; appends the files.
  absl::Status WriteHeld(std::vector<std::string>* paths);
  // Writes `groups` (sorted) into files of `prefix`; appends their paths.
  absl::Status WriteGroups(std::span<const std::string* const> groups,
                           std::string prefix,
                           std::vector<std::string>* paths) const;
  void Reset();

  rocksdb::DB* const db_;
  const rocksdb::Options options_;
  const std::string dir_;
  const std::vector<std::string> streamed_groups_;
  bool empty_ = true;

  mutable absl::Mutex mu_;
  std::deque<rocksdb::WriteBatch> queue_ ABSL_GUARDED_BY(mu_);
  bool taking_ ABSL_GUARDED_BY(mu_) = false;  // a batch is being taken
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  absl::Status status_ ABSL_GUARDED_BY(mu_);  // the first error taking
  size_t held_bytes_ ABSL_GUARDED_BY(mu_) = 0;

  // The thread's while it takes batches, the caller's once drained.
  absl::flat_hash_map<std::string, Stream> streams_;
  absl::flat_hash_map<std::string, Run> runs_;
  size_t taken_bytes_ = 0;  // held bytes of the batches taken

  std::thread thread_;
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_BULK_LOAD_H_
