// Direct RocksDB access to a closed vagt store, for tests that damage or
// rewrite it on purpose (tampering, format versions). Uses the layout in
// eventstore/keys.h; never use it on a store that an EventStore has open.
//
//   ASSERT_OK_AND_ASSIGN(std::unique_ptr<RawStore> raw, RawStore::Open(path));
//   ASSERT_OK_AND_ASSIGN(std::string value,
//                        raw->Get(keys::kEventsFamily, keys::EventKey(3)));
//
// Also the chain formula of proto/vagt/v1/events.proto, computed independently
// of the store: hash = SHA-256(prev_hash ‖ canonical bytes).
#ifndef VAGT_TESTS_EVENTSTORE_RAW_STORE_H_
#define VAGT_TESTS_EVENTSTORE_RAW_STORE_H_

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "eventstore/keys.h"
#include "rocksdb/db.h"

namespace vagt::eventstore::testing {

class RawStore {
 public:
  // Opens the RocksDB database at `path` with every column family it has
  // (found with DB::ListColumnFamilies). Fails if there is no database.
  static absl::StatusOr<std::unique_ptr<RawStore>> Open(
      const std::string& path);
  // Closes the database; every write made through it is durable by then.
  ~RawStore();
  RawStore(const RawStore&) = delete;
  RawStore& operator=(const RawStore&) = delete;

  // Names of all column families, sorted.
  std::vector<std::string> FamilyNames() const;

  // NOT_FOUND for a missing key or family.
  absl::StatusOr<std::string> Get(std::string_view family,
                                  std::string_view key) const;
  absl::Status Put(std::string_view family, std::string_view key,
                   std::string_view value);
  absl::Status Delete(std::string_view family, std::string_view key);

 private:
  RawStore() = default;
  absl::StatusOr<rocksdb::ColumnFamilyHandle*> Family(
      std::string_view name) const;

  std::unique_ptr<rocksdb::DB> db_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*, std::less<>> families_;
};

// SHA-256(prev ‖ canonical), with OpenSSL's EVP interface.
keys::Hash ChainHash(const keys::Hash& prev, std::string_view canonical);

// The hash as a std::string, to compare with EventEnvelope::hash().
inline std::string HashBytes(const keys::Hash& h) {
  return std::string(reinterpret_cast<const char*>(h.data()), h.size());
}

}  // namespace vagt::eventstore::testing

#endif  // VAGT_TESTS_EVENTSTORE_RAW_STORE_H_
