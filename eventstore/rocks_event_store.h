// RocksEventStore: the EventStore on RocksDB. Internal to eventstore/; users
// hold an EventStore from EventStore::Open().
//
// Write path (group commit, after LevelDB's DBImpl::Write): each Append()
// queues a Writer under write_mu_. The writer at the front is the leader: it
// takes every queued writer (up to a bound), releases write_mu_, validates them
// against the stream heads, builds one WriteBatch and writes it with
// sync=true, then wakes the group. Only the leader touches the `leader state`
// below, and leaders follow each other through write_mu_, so that state needs
// no lock of its own.
#ifndef VAGT_EVENTSTORE_ROCKS_EVENT_STORE_H_
#define VAGT_EVENTSTORE_ROCKS_EVENT_STORE_H_

#include <deque>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "eventstore/event_store.h"
#include "eventstore/keys.h"
#include "eventstore/rocks_status.h"
#include "rocksdb/db.h"

namespace vagt::eventstore {

class RocksEventStore final : public EventStore {
 public:
  struct Families {
    rocksdb::ColumnFamilyHandle* events = nullptr;
    rocksdb::ColumnFamilyHandle* stream_index = nullptr;
    rocksdb::ColumnFamilyHandle* stream_heads = nullptr;
    rocksdb::ColumnFamilyHandle* requests = nullptr;
    rocksdb::ColumnFamilyHandle* checkpoints = nullptr;
    rocksdb::ColumnFamilyHandle* meta = nullptr;
  };

  // Takes ownership of `db` and `handles`; `families` point into `handles`.
  RocksEventStore(Clock* clock, std::unique_ptr<rocksdb::DB> db,
                  std::vector<rocksdb::ColumnFamilyHandle*> handles,
                  Families families, uint64_t last_position,
                  const keys::Hash& last_hash, absl::Status append_block,
                  std::function<void(const absl::Status&)> on_appends_refused);
  ~RocksEventStore() override;

  absl::StatusOr<AppendResult> Append(AppendRequest request) override;
  absl::StatusOr<std::optional<AppendResult>> FindRequest(
      const std::string& request_id) const override;
  absl::StatusOr<std::vector<v1::EventEnvelope>> ReadStream(
      std::string_view stream_id, uint64_t from_version,
      size_t max_count) const override;
  absl::StatusOr<std::vector<v1::EventEnvelope>> ReadAll(
      uint64_t from_position, size_t max_count) const override;
  absl::StatusOr<uint64_t> StreamVersion(
      std::string_view stream_id) const override;
  absl::Status AppendStatus() const override;
  uint64_t LastPosition() const override;
  uint64_t WaitForAppend(uint64_t after_position,
                         absl::Time deadline) const override;
  std::unique_ptr<Subscription> Subscribe(
      uint64_t after_position,
      std::function<absl::Status(const v1::EventEnvelope&)> handler) override;
  absl::StatusOr<VerifyReport> VerifyChain() const override;
  absl::Status SaveCheckpoint(std::string_view name,
                              uint64_t position) override;
  absl::StatusOr<uint64_t> LoadCheckpoint(std::string_view name) const override;

 private:
  struct Writer;
  struct Staged;

  // Leader only: validates and writes `group`, filling each Writer's result.
  // Returns the error of a failed RocksDB write (members already carry it).
  absl::Status CommitGroup(const std::vector<Writer*>& group);
  // Leader only: the stream's head, from the cache or from RocksDB.
  absl::StatusOr<uint64_t> LoadHead(const std::string& stream_id);
  absl::StatusOr<v1::EventEnvelope> ReadEvent(uint64_t position) const;
  // The receipt stored for `request_id`; nullopt when it was never used.
  absl::StatusOr<std::optional<keys::AppendReceipt>> LoadReceipt(
      const std::string& request_id) const;
  // A big-endian number stored under `key`; 0 when there is none. `what`
  // names it in errors ("a stream head").
  absl::StatusOr<uint64_t> ReadNumber(rocksdb::ColumnFamilyHandle* family,
                                      std::string_view key,
                                      absl::string_view what) const;

  Clock* const clock_;
  const std::unique_ptr<rocksdb::DB> db_;
  const std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  const Families cf_;

  mutable absl::Mutex write_mu_;
  std::deque<Writer*> writers_ ABSL_GUARDED_BY(write_mu_);
  // Not OK once appends must stop: Open found the log changed outside vagt
  // (a new chain head would be written over the damage), or a RocksDB write
  // failed. Every later Append fails with it.
  absl::Status append_block_ ABSL_GUARDED_BY(write_mu_);
  const std::function<void(const absl::Status&)> on_appends_refused_;

  // Leader state: touched only by the current group-commit leader.
  uint64_t next_position_;  // position the next event gets
  keys::Hash last_hash_;    // hash of event next_position_ - 1
  // recorded_at of event next_position_ - 1: recorded_at never decreases
  // along the log, even when the clock steps back, so that a time range is
  // a range of positions.
  absl::Time last_recorded_at_ = absl::InfinitePast();
  absl::flat_hash_map<std::string, uint64_t> head_cache_;

  // The last durable position, for readers and waiters.
  mutable absl::Mutex published_mu_;
  uint64_t published_position_ ABSL_GUARDED_BY(published_mu_);
};

}  // namespace vagt::eventstore

#endif  // VAGT_EVENTSTORE_ROCKS_EVENT_STORE_H_
