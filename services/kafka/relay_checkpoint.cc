#include "services/kafka/relay_checkpoint.h"

#include <optional>
#include <string_view>
#include <utility>

#include "absl/strings/str_cat.h"
#include "eventstore/keys.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"

namespace vagt::kafka {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  return absl::InternalError(
      absl::StrCat("relay: ", std::string(what), ": ", s.ToString()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RelayCheckpoint>> RelayCheckpoint::Open(
    const std::string& path, uint64_t store_position) {
  rocksdb::Options db_options;
  db_options.create_if_missing = true;
  db_options.max_open_files = 16;
  rocksdb::DB* raw = nullptr;
  rocksdb::Status s = rocksdb::DB::Open(db_options, path, &raw);
  if (!s.ok()) return FromRocks(s, "opening the checkpoint database");
  std::unique_ptr<rocksdb::DB> db(raw);

  uint64_t checkpoint = 0;
  std::string value;
  s = db->Get(rocksdb::ReadOptions(), kRelayCheckpointKey, &value);
  if (s.ok()) {
    std::optional<uint64_t> decoded =
        eventstore::keys::DecodeBigEndian64(value);
    if (!decoded.has_value()) {
      return absl::DataLossError(
          "relay: the stored checkpoint is not 8 bytes long");
    }
    checkpoint = *decoded;
  } else if (!s.IsNotFound()) {
    return FromRocks(s, "reading the checkpoint");
  }
  if (checkpoint > store_position) {
    return absl::FailedPreconditionError(absl::StrCat(
        "relay: the checkpoint (", checkpoint, ") is past the store's last ",
        "position (", store_position,
        "): the checkpoint database belongs to another store"));
  }
  return std::unique_ptr<RelayCheckpoint>(
      new RelayCheckpoint(std::move(db), checkpoint));
}

RelayCheckpoint::RelayCheckpoint(std::unique_ptr<rocksdb::DB> db,
                                 uint64_t loaded)
    : db_(std::move(db)), loaded_(loaded) {}

RelayCheckpoint::~RelayCheckpoint() = default;

absl::Status RelayCheckpoint::Save(uint64_t position) {
  rocksdb::Status s = db_->Put(rocksdb::WriteOptions(), kRelayCheckpointKey,
                               eventstore::keys::EncodeBigEndian64(position));
  if (!s.ok()) return FromRocks(s, "saving the checkpoint");
  return absl::OkStatus();
}

}  // namespace vagt::kafka
