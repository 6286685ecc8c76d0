// EventStore::Open and the read side of RocksEventStore.
#include "eventstore/event_store.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "eventstore/chain.h"
#include "eventstore/rocks_event_store.h"
#include "eventstore/status_macros.h"
#include "eventstore/validation.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"

namespace vagt::eventstore {
namespace {

namespace fs = std::filesystem;

const std::vector<std::string>& FamilyNames() {
  static const auto* names =
      new std::vector<std::string>{rocksdb::kDefaultColumnFamilyName,
                                   keys::kEventsFamily,
                                   keys::kStreamIndexFamily,
                                   keys::kStreamHeadsFamily,
                                   keys::kRequestsFamily,
                                   keys::kCheckpointsFamily,
                                   keys::kMetaFamily};
  return *names;
}

absl::Status NotAStore(const std::string& path, absl::string_view why) {
  return absl::FailedPreconditionError(
      absl::StrCat(path, " is not a vagt event store (", why,
                   "); refusing to open or change it"));
}

absl::Status FromRocks(const rocksdb::Status& s, absl::string_view what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", s.ToString()));
}

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

// Point lookups (stream heads, request ids) dominate the write path; bloom
// filters keep them off disk for keys that are not there.
rocksdb::ColumnFamilyOptions FamilyOptions() {
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions o;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return o;
}

rocksdb::Options DbOptions(bool create) {
  rocksdb::Options o;
  o.create_if_missing = create;
  o.create_missing_column_families = create;
  o.error_if_exists = create;
  o.paranoid_checks = true;
  // The WAL is flushed and fsync'd by every synced write; a torn tail after a
  // crash is a write that was never acknowledged.
  o.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  o.keep_log_file_num = 4;
  return o;
}

// Checks an existing RocksDB directory through a read-only open, which
// changes nothing on disk, before the read-write open.
absl::Status CheckExistingStore(const std::string& path) {
  std::vector<std::string> families;
  rocksdb::Status s =
      rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &families);
  if (!s.ok()) return NotAStore(path, "RocksDB cannot read it");
  for (const std::string& name : FamilyNames()) {
    if (std::find(families.begin(), families.end(), name) == families.end()) {
      return NotAStore(path, absl::StrCat("a RocksDB database without vagt's '",
                                          name, "' column family"));
    }
  }
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : families)
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, descriptors,
                                   &handles, &raw);
  if (!s.ok()) return FromRocks(s, absl::StrCat("opening ", path, " failed"));
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* meta = nullptr;
  for (size_t i = 0; i < families.size(); ++i) {
    if (families[i] == keys::kMetaFamily) meta = handles[i];
  }
  std::string value;
  s = db->Get(rocksdb::ReadOptions(), meta, keys::kFormatVersionKey, &value);
  for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
  if (s.IsNotFound()) return NotAStore(path, "no format version recorded");
  if (!s.ok()) return FromRocks(s, "reading the format version failed");
  uint32_t version = 0;
  if (!absl::SimpleAtoi(value, &version)) {
    return NotAStore(path, "its format version record is unreadable");
  }
  if (version != kFormatVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        path, " holds a vagt event store of format version ", version,
        "; this build reads only format version ", kFormatVersion,
        (version > kFormatVersion ? " (upgrade vagt to open it)" : ""),
        ". The store was not changed."));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<EventStore>> EventStore::Open(Options options) {
  const std::string& path = options.path;
  if (path.empty())
    return absl::InvalidArgumentError("path: must not be empty");
  if (options.clock == nullptr) {
    return absl::InvalidArgumentError("clock: must not be null");
  }
  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  bool create = false;
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) return NotAStore(path, "it is not a directory");
    if (fs::exists(fs::path(path) / "CURRENT")) {
      RETURN_IF_ERROR(CheckExistingStore(path));
    } else if (!fs::is_empty(path, ec)) {
      return NotAStore(path, "the directory holds other files");
    } else {
      create = true;
    }
  } else {
    create = true;
  }
  if (create && !options.create_if_missing) {
    return absl::NotFoundError(absl::StrCat("no event store at ", path));
  }
  if (create) {
    fs::create_directories(path, ec);
    if (ec) {
      return absl::UnavailableError(
          absl::StrCat("cannot create ", path, ": ", ec.message()));
    }
  }

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : FamilyNames()) {
    descriptors.emplace_back(name, FamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s =
      rocksdb::DB::Open(DbOptions(create), path, descriptors, &handles, &raw);
  if (!s.ok()) return FromRocks(s, absl::StrCat("opening ", path, " failed"));
  std::unique_ptr<rocksdb::DB> db(raw);
  RocksEventStore::Families cf{.events = handles[1],
                               .stream_index = handles[2],
                               .stream_heads = handles[3],
                               .requests = handles[4],
                               .checkpoints = handles[5],
                               .meta = handles[6]};

  auto close_on_error = [&](absl::Status status) {
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    return status;
  };
  if (create) {
    rocksdb::WriteOptions wo;
    wo.sync = true;
    s = db->Put(wo, cf.meta, keys::kFormatVersionKey,
                std::to_string(kFormatVersion));
    if (!s.ok())
      return close_on_error(FromRocks(s, "writing the format version failed"));
  }

  // Recover the chain's end from the last stored event.
  uint64_t last_position = 0;
  keys::Hash last_hash = chain::ZeroHash();
  {
    std::unique_ptr<rocksdb::Iterator> it(
        db->NewIterator(rocksdb::ReadOptions(), cf.events));
    it->SeekToLast();
    if (it->Valid()) {
      std::optional<uint64_t> pos =
          keys::DecodeBigEndian64(it->key().ToStringView());
      std::optional<keys::EventValue> value =
          keys::DecodeEventValue(it->value().ToStringView());
      if (!pos.has_value() || !value.has_value()) {
        return close_on_error(absl::DataLossError(
            "the last stored event is damaged; run verify"));
      }
      last_position = *pos;
      last_hash = value->hash;
    } else if (!it->status().ok()) {
      return close_on_error(
          FromRocks(it->status(), "reading the event log failed"));
    }
  }
  return std::unique_ptr<EventStore>(
      new RocksEventStore(options.clock, std::move(db), std::move(handles), cf,
                          last_position, last_hash));
}

RocksEventStore::RocksEventStore(
    Clock* clock, std::unique_ptr<rocksdb::DB> db,
    std::vector<rocksdb::ColumnFamilyHandle*> handles, Families families,
    uint64_t last_position, const keys::Hash& last_hash)
    : clock_(clock),
      db_(std::move(db)),
      handles_(std::move(handles)),
      cf_(families),
      next_position_(last_position + 1),
      last_hash_(last_hash),
      published_position_(last_position) {}

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
