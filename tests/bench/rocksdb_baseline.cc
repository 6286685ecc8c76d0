// The baseline: synced single-Put WriteBatches straight into RocksDB.
#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "eventstore/keys.h"
#include "rocksdb/db.h"
#include "rocksdb/options.h"
#include "rocksdb/write_batch.h"
#include "tests/bench/cases.h"

namespace vagt::bench {

absl::StatusOr<Throughput> MeasureRocksDbBatch(const std::string& dir,
                                               int threads,
                                               absl::Duration duration) {
  rocksdb::Options options;
  options.create_if_missing = true;
  options.error_if_exists = true;
  rocksdb::DB* raw_db = nullptr;
  rocksdb::Status opened = rocksdb::DB::Open(options, dir, &raw_db);
  if (!opened.ok()) {
    return absl::UnavailableError(
        absl::StrCat("rocksdb open ", dir, ": ", opened.ToString()));
  }
  const std::unique_ptr<rocksdb::DB> db(raw_db);

  rocksdb::WriteOptions durable;
  durable.sync = true;  // Write() returns after the WAL is fsync'd
  const std::string& value = EventBytes();

  return RunThreads(
      threads, duration, [&](int thread, uint64_t i) -> absl::Status {
        // Each thread owns the key range starting at thread << 48.
        const std::string key = eventstore::keys::EncodeBigEndian64(
            (static_cast<uint64_t>(thread) << 48) | i);
        rocksdb::WriteBatch batch;
        rocksdb::Status put = batch.Put(key, value);
        if (put.ok()) put = db->Write(durable, &batch);
        if (!put.ok()) {
          return absl::UnavailableError(
              absl::StrCat("rocksdb write: ", put.ToString()));
        }
        return absl::OkStatus();
      });
}

}  // namespace vagt::bench
