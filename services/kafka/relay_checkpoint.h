// RelayCheckpoint: the relay's own small RocksDB, holding the last position P
// such that every position 1..P is acknowledged by Kafka (key
// "relay/checkpoint", 8 bytes big-endian). Writes are not synced: a lost
// checkpoint only makes the relay publish some positions again (relay.h).
//
// Its errors are INTERNAL, not the store's UNAVAILABLE
// (eventstore/rocks_status.h): in the relay, UNAVAILABLE means that the Kafka
// producer failed for good, which a checkpoint error is not. Save() may be
// called from any thread, one at a time.
#ifndef VAGT_SERVICES_KAFKA_RELAY_CHECKPOINT_H_
#define VAGT_SERVICES_KAFKA_RELAY_CHECKPOINT_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

namespace rocksdb {
class DB;
}  // namespace rocksdb

namespace vagt::kafka {

// The RocksDB key of the checkpoint.
inline constexpr char kRelayCheckpointKey[] = "relay/checkpoint";

class RelayCheckpoint {
 public:
  // Opens (or creates) the database at `path` and reads the checkpoint (0
  // when none is stored). FAILED_PRECONDITION when it is past
  // `store_position` (the database belongs to another store); DATA_LOSS for
  // a malformed value; INTERNAL with RocksDB's message otherwise.
  static absl::StatusOr<std::unique_ptr<RelayCheckpoint>> Open(
      const std::string& path, uint64_t store_position);
  ~RelayCheckpoint();
  RelayCheckpoint(const RelayCheckpoint&) = delete;
  RelayCheckpoint& operator=(const RelayCheckpoint&) = delete;

  // The checkpoint read by Open.
  uint64_t loaded() const { return loaded_; }
  // Stores `position` as the checkpoint.
  absl::Status Save(uint64_t position);

 private:
  RelayCheckpoint(std::unique_ptr<rocksdb::DB> db, uint64_t loaded);

  const std::unique_ptr<rocksdb::DB> db_;
  const uint64_t loaded_;
};

}  // namespace vagt::kafka

#endif  // VAGT_SERVICES_KAFKA_RELAY_CHECKPOINT_H_
