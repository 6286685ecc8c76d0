// StateCache: a write-back cache of string values over the projection
// database, for state a projection reads and writes while applying a batch.
// Writes stay pending until Flush() puts them into the batch the runner
// commits; Discard() forgets them when that batch is not committed.
#ifndef VAGT_PROJECTIONS_STATE_CACHE_H_
#define VAGT_PROJECTIONS_STATE_CACHE_H_

#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace vagt::projections {

class StateCache {
 public:
  // `db` must outlive the cache. At most `max_clean` committed values are
  // kept in memory.
  explicit StateCache(rocksdb::DB* db, size_t max_clean = 1 << 20)
      : db_(db), max_clean_(max_clean) {}

  // The value: pending, cached, or read from the database; nullopt if none.
  absl::StatusOr<std::optional<std::string>> Get(const std::string& key);
  void Put(const std::string& key, std::string value);
  // The bytes (keys and values) of the pending writes.
  size_t pending_bytes() const { return pending_bytes_; }

  // Moves the pending writes into `batch`; they count as committed from now.
  void Flush(rocksdb::WriteBatch& batch);
  // Forgets pending writes and everything cached.
  void Discard();

 private:
  rocksdb::DB* const db_;
  const size_t max_clean_;
  absl::flat_hash_map<std::string, std::string> pending_;
  size_t pending_bytes_ = 0;
  absl::flat_hash_map<std::string, std::optional<std::string>> clean_;
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_STATE_CACHE_H_
