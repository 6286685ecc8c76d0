// RocksEventStore: lifetime and the read side.
#include "eventstore/event_store.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "eventstore/chain.h"
#include "eventstore/rocks_event_store.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "eventstore/validation.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"

namespace vagt::eventstore {
namespace {

// A stored event value, decoded, with its hash filled in.
absl::StatusOr<v1::EventEnvelope> DecodeStoredEvent(std::string_view value) {
  std::optional<keys::EventValue> decoded = keys::DecodeEventValue(value);
  v1::EventEnvelope envelope;
  if (!decoded.has_value() ||
      !envelope.ParseFromArray(decoded->canonical.data(),
                               static_cast<int>(decoded->canonical.size()))) {
    return absl::DataLossError("a stored event is damaged; run verify");
  }
  envelope.set_hash(decoded->hash.data(), decoded->hash.size());
  return envelope;
}

}  // namespace

RocksEventStore::RocksEventStore(
    Clock* clock, std::unique_ptr<rocksdb::DB> db,
    std::vector<rocksdb::ColumnFamilyHandle*> handles, Families families,
    uint64_t last_position, const keys::Hash& last_hash,
    absl::Status append_block,
    std::function<void(const absl::Status&)> on_appends_refused)
    : clock_(clock),
      db_(std::move(db)),
      handles_(std::move(handles)),
      cf_(families),
      append_block_(std::move(append_block)),
      on_appends_refused_(std::move(on_appends_refused)),
      next_position_(last_position + 1),
      last_hash_(last_hash),
      published_position_(last_position) {
  if (last_position == 0) return;
  // recorded_at never goes back (see CommitGroup); continue from the last.
  absl::StatusOr<v1::EventEnvelope> last = ReadEvent(last_position);
  if (last.ok()) last_recorded_at_ = ToTime(last->recorded_at());
}

RocksEventStore::~RocksEventStore() {
  // Appends in flight hold write_mu_ while queued; the owner must have let
  // them return. Flushing the memtables makes the next open fast; the WAL
  // already holds everything acknowledged.
  db_->Flush(rocksdb::FlushOptions(), handles_).PermitUncheckedError();
  for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
  db_->Close().PermitUncheckedError();
}

absl::StatusOr<v1::EventEnvelope> RocksEventStore::ReadEvent(
    uint64_t position) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), cf_.events,
                               keys::EventKey(position), &value);
  if (s.IsNotFound()) {
    return absl::DataLossError(absl::StrCat("event ", position, " is missing"));
  }
  if (!s.ok()) return FromRocks(s, "reading an event failed");
  return DecodeStoredEvent(value);
}

absl::StatusOr<std::vector<v1::EventEnvelope>> RocksEventStore::ReadStream(
    std::string_view stream_id, uint64_t from_version, size_t max_count) const {
  RETURN_IF_ERROR(ValidateStreamId(stream_id));
  const std::string prefix = keys::StreamIndexPrefix(stream_id);
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), cf_.stream_index));
  std::vector<v1::EventEnvelope> out;
  for (it->Seek(keys::StreamIndexKey(stream_id,
                                     std::max<uint64_t>(from_version, 1)));
       it->Valid() && it->key().starts_with(prefix) && out.size() < max_count;
       it->Next()) {
    std::optional<uint64_t> position =
        keys::DecodeBigEndian64(it->value().ToStringView());
    if (!position.has_value()) {
      return absl::DataLossError("a stream index record is damaged");
    }
    ASSIGN_OR_RETURN(v1::EventEnvelope e, ReadEvent(*position));
    out.push_back(std::move(e));
  }
  if (!it->status().ok())
    return FromRocks(it->status(), "reading a stream failed");
  return out;
}

absl::StatusOr<std::vector<v1::EventEnvelope>> RocksEventStore::ReadAll(
    uint64_t from_position, size_t max_count) const {
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(rocksdb::ReadOptions(), cf_.events));
  std::vector<v1::EventEnvelope> out;
  for (it->Seek(keys::EventKey(std::max<uint64_t>(from_position, 1)));
       it->Valid() && out.size() < max_count; it->Next()) {
    ASSIGN_OR_RETURN(v1::EventEnvelope e,
                     DecodeStoredEvent(it->value().ToStringView()));
    out.push_back(std::move(e));
  }
  if (!it->status().ok())
    return FromRocks(it->status(), "reading the log failed");
  return out;
}

absl::StatusOr<uint64_t> RocksEventStore::ReadNumber(
    rocksdb::ColumnFamilyHandle* family, std::string_view key,
    absl::string_view what) const {
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), family, key, &value);
  if (s.IsNotFound()) return 0;
  if (!s.ok()) return FromRocks(s, absl::StrCat("reading ", what, " failed"));
  std::optional<uint64_t> number = keys::DecodeBigEndian64(value);
  if (!number.has_value()) {
    return absl::DataLossError(absl::StrCat(what, " is damaged"));
  }
  return *number;
}

absl::StatusOr<uint64_t> RocksEventStore::StreamVersion(
    std::string_view stream_id) const {
  RETURN_IF_ERROR(ValidateStreamId(stream_id));
  return ReadNumber(cf_.stream_heads, stream_id, "a stream head");
}

absl::Status RocksEventStore::AppendStatus() const {
  absl::MutexLock lock(&write_mu_);
  return append_block_;
}

uint64_t RocksEventStore::LastPosition() const {
  absl::MutexLock lock(&published_mu_);
  return published_position_;
}

uint64_t RocksEventStore::WaitForAppend(uint64_t after_position,
                                        absl::Time deadline) const {
  absl::MutexLock lock(&published_mu_);
  auto advanced = [&]() ABSL_SHARED_LOCKS_REQUIRED(published_mu_) {
    return published_position_ > after_position;
  };
  published_mu_.AwaitWithDeadline(absl::Condition(&advanced), deadline);
  return published_position_;
}

absl::StatusOr<VerifyReport> RocksEventStore::VerifyChain() const {
  return chain::Verify(db_.get(), cf_.events, cf_.meta);
}

absl::Status RocksEventStore::SaveCheckpoint(std::string_view name,
                                             uint64_t position) {
  RETURN_IF_ERROR(ValidateCheckpointName(name));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s =
      db_->Put(wo, cf_.checkpoints, name, keys::EncodeBigEndian64(position));
  return s.ok() ? absl::OkStatus() : FromRocks(s, "saving a checkpoint failed");
}

absl::StatusOr<uint64_t> RocksEventStore::LoadCheckpoint(
    std::string_view name) const {
  RETURN_IF_ERROR(ValidateCheckpointName(name));
  return ReadNumber(cf_.checkpoints, name, "a checkpoint");
}

}  // namespace vagt::eventstore
