// EventStore::Open: checks, creation and recovery.
//
// A new store is built in "<path>.vagt-creating", given its format version
// (synced), closed and only then renamed into place, and the parent directory
// is fsync'd: a process killed during its first start leaves either no store
// or a complete empty one, never a half-made directory that later opens fail
// on.
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "eventstore/chain.h"
#include "eventstore/event_store.h"
#include "eventstore/rocks_event_store.h"
#include "eventstore/status_macros.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/table.h"

namespace vagt::eventstore {
namespace {

namespace fs = std::filesystem;

constexpr char kCreatingSuffix[] = ".vagt-creating";

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

// Point lookups (stream heads, request ids) dominate the write path; bloom
// filters keep them off disk for keys that are not there.
rocksdb::ColumnFamilyOptions FamilyOptions() {
  rocksdb::BlockBasedTableOptions table;
  table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions o;
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  return o;
}

rocksdb::Options DbOptions(bool create, rocksdb::Env* env) {
  rocksdb::Options o;
  if (env != nullptr) o.env = env;
  o.create_if_missing = create;
  o.create_missing_column_families = create;
  o.error_if_exists = create;
  o.paranoid_checks = true;
  // Every acknowledged write was fsync'd; a torn WAL tail after a crash is a
  // write that was never acknowledged, and recovery stops before it.
  o.wal_recovery_mode = rocksdb::WALRecoveryMode::kPointInTimeRecovery;
  o.keep_log_file_num = 4;
  return o;
}

// An open RocksDB with vagt's column families, in FamilyNames() order.
struct OpenDb {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;

  void Close() {
    if (db == nullptr) return;
    for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
    handles.clear();
    db->Close().PermitUncheckedError();
    db.reset();
  }
};

absl::StatusOr<OpenDb> OpenRocks(const std::string& path, bool create,
                                 rocksdb::Env* env) {
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : FamilyNames()) {
    descriptors.emplace_back(name, FamilyOptions());
  }
  OpenDb out;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(DbOptions(create, env), path,
                                        descriptors, &out.handles, &raw);
  if (!s.ok()) return FromRocks(s, absl::StrCat("opening ", path, " failed"));
  out.db.reset(raw);
  return out;
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
  for (const std::string& name : families) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  s = rocksdb::DB::OpenForReadOnly(rocksdb::DBOptions(), path, descriptors,
                                   &handles, &raw);
  if (!s.ok()) return FromRocks(s, absl::StrCat("opening ", path, " failed"));
  std::unique_ptr<rocksdb::DB> db(raw);
  rocksdb::ColumnFamilyHandle* meta =
      handles[std::find(families.begin(), families.end(), keys::kMetaFamily) -
              families.begin()];
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

absl::Status SyncDirectory(const fs::path& dir) {
  const int fd = open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0 || fsync(fd) != 0) {
    if (fd >= 0) close(fd);
    return absl::UnavailableError(absl::StrCat("cannot fsync ", dir.string()));
  }
  close(fd);
  return absl::OkStatus();
}

// Creates an empty store at `path` (absent, or an empty directory).
absl::Status CreateStore(const fs::path& path, rocksdb::Env* env) {
  const fs::path staging = path.string() + kCreatingSuffix;
  std::error_code ec;
  fs::remove_all(staging, ec);  // Left by a start that was killed; never used.
  fs::create_directories(staging, ec);
  if (ec) {
    return absl::UnavailableError(
        absl::StrCat("cannot create ", staging.string(), ": ", ec.message()));
  }
  ASSIGN_OR_RETURN(OpenDb fresh, OpenRocks(staging, /*create=*/true, env));
  rocksdb::WriteOptions wo;
  wo.sync = true;
  rocksdb::Status s =
      fresh.db->Put(wo, fresh.handles[6], keys::kFormatVersionKey,
                    std::to_string(kFormatVersion));
  fresh.Close();
  if (!s.ok()) return FromRocks(s, "writing the format version failed");
  RETURN_IF_ERROR(SyncDirectory(staging));
  fs::rename(staging, path, ec);  // Replaces an empty directory atomically.
  if (ec) {
    return absl::UnavailableError(absl::StrCat(
        "cannot move the new store into ", path.string(), ": ", ec.message()));
  }
  return SyncDirectory(path.parent_path().empty() ? fs::path(".")
                                                  : path.parent_path());
}

// Where the log ends, from its last event, and whether the chain head record
// agrees. A disagreement means someone changed the log outside vagt; the store
// then opens for reading and verifying but refuses appends, which would
// otherwise write a new head over the damage.
struct Recovered {
  uint64_t last_position = 0;
  keys::Hash last_hash = chain::ZeroHash();
  absl::Status append_block;
};

absl::StatusOr<Recovered> Recover(rocksdb::DB* db,
                                  rocksdb::ColumnFamilyHandle* events,
                                  rocksdb::ColumnFamilyHandle* meta) {
  Recovered r;
  std::unique_ptr<rocksdb::Iterator> it(
      db->NewIterator(rocksdb::ReadOptions(), events));
  it->SeekToLast();
  if (!it->status().ok()) {
    return FromRocks(it->status(), "reading the event log failed");
  }
  std::optional<keys::EventValue> value;
  if (it->Valid()) {
    std::optional<uint64_t> pos =
        keys::DecodeBigEndian64(it->key().ToStringView());
    value = keys::DecodeEventValue(it->value().ToStringView());
    if (!pos.has_value() || !value.has_value()) {
      return absl::DataLossError(
          "the last stored event is damaged; run verify");
    }
    r.last_position = *pos;
    r.last_hash = value->hash;
  }
  std::string head;
  rocksdb::Status s =
      db->Get(rocksdb::ReadOptions(), meta, keys::kChainHeadKey, &head);
  if (!s.ok() && !s.IsNotFound()) {
    return FromRocks(s, "reading the chain head failed");
  }
  const std::optional<keys::ChainHead> recorded =
      s.IsNotFound() ? std::nullopt : keys::DecodeChainHead(head);
  const bool agrees =
      r.last_position == 0
          ? s.IsNotFound()
          : recorded == keys::ChainHead{.position = r.last_position,
                                        .hash = r.last_hash};
  if (!agrees) {
    r.append_block = absl::DataLossError(
        "the event log does not end where its chain head says: it was changed "
        "outside vagt. Appends are refused until the store is repaired; run "
        "verify to find the first bad position");
  }
  return r;
}

}  // namespace

absl::StatusOr<std::unique_ptr<EventStore>> EventStore::Open(Options options) {
  if (options.path.empty()) {
    return absl::InvalidArgumentError("path: must not be empty");
  }
  if (options.clock == nullptr) {
    return absl::InvalidArgumentError("clock: must not be null");
  }
  fs::path path = fs::path(options.path).lexically_normal();
  if (!path.has_filename()) path = path.parent_path();
  const std::string shown = options.path;

  std::error_code ec;
  const fs::file_status st = fs::status(path, ec);
  bool create = !fs::exists(st);
  if (!create) {
    if (!fs::is_directory(st)) return NotAStore(shown, "it is not a directory");
    if (fs::exists(path / "CURRENT")) {
      RETURN_IF_ERROR(CheckExistingStore(path));
    } else if (!fs::is_empty(path, ec)) {
      return NotAStore(shown, "the directory holds other files");
    } else {
      create = true;
    }
  }
  if (create) {
    if (!options.create_if_missing) {
      return absl::NotFoundError(absl::StrCat("no event store at ", shown));
    }
    RETURN_IF_ERROR(CreateStore(path, options.rocksdb_env));
  }

  ASSIGN_OR_RETURN(OpenDb opened,
                   OpenRocks(path, /*create=*/false, options.rocksdb_env));
  RocksEventStore::Families cf{.events = opened.handles[1],
                               .stream_index = opened.handles[2],
                               .stream_heads = opened.handles[3],
                               .requests = opened.handles[4],
                               .checkpoints = opened.handles[5],
                               .meta = opened.handles[6]};
  absl::StatusOr<Recovered> recovered =
      Recover(opened.db.get(), cf.events, cf.meta);
  if (!recovered.ok()) {
    opened.Close();
    return recovered.status();
  }
  return std::unique_ptr<EventStore>(new RocksEventStore(
      options.clock, std::move(opened.db), std::move(opened.handles), cf,
      recovered->last_position, recovered->last_hash,
      std::move(recovered->append_block),
      std::move(options.on_appends_refused)));
}

}  // namespace vagt::eventstore
