// FaultyFileSystem: the default RocksDB file system, with writes to the
// write-ahead log (the *.log files) failing on demand. Wrap it into the Env a
// store opens with:
//
//   auto fs = std::make_shared<FaultyFileSystem>();
//   std::unique_ptr<rocksdb::Env> env = rocksdb::NewCompositeEnv(fs);
//   options.rocksdb_env = env.get();   // env and fs outlive the store
//   fs->Inject(WalFault::kSync);       // every later WAL sync fails
//
// Thread-safe: the store's writer thread calls into it while a test arms it.
#ifndef VAGT_TESTS_SUPPORT_FAULTY_FILE_SYSTEM_H_
#define VAGT_TESTS_SUPPORT_FAULTY_FILE_SYSTEM_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <ostream>
#include <string>

#include "rocksdb/file_system.h"

namespace vagt::testing {

// Which WAL operation fails.
enum class WalFault {
  // fsync fails; the record was written, so it is usually found after reopen.
  kSync,
  // The write itself fails; the record usually never reaches the file.
  kAppend,
};

// GoogleTest prints a parameter with this, so ctest names a test by the fault
// (".../FailedWalSync") rather than by its index.
void PrintTo(WalFault fault, std::ostream* out);

class FaultyFileSystem : public rocksdb::FileSystemWrapper {
 public:
  FaultyFileSystem();

  const char* Name() const override { return "VagtFaultyFileSystem"; }

  // From now on, WAL writes fail with `fault`, after `healthy_syncs` more
  // successful WAL syncs (0: the next WAL write fails).
  void Inject(WalFault fault, int64_t healthy_syncs = 0);
  // WAL writes succeed again.
  void Clear() { armed_ = false; }
  // How many WAL operations failed on purpose so far.
  int64_t injected() const { return injected_; }

  // The next WAL sync waits, before it syncs, until ReleaseSync().
  void HoldNextSync();
  // Returns once a sync held by HoldNextSync() waits.
  void WaitUntilSyncHeld();
  // Lets the held sync go on. Also ends a WaitUntilSyncHeld() that would
  // otherwise wait forever, when no sync came.
  void ReleaseSync();

  rocksdb::IOStatus NewWritableFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* dbg) override;

 private:
  class WalFile;

  bool AppendFails() const;
  // Uses up one healthy sync when there is one left.
  bool SyncFails();
  void MaybeHoldSync();
  rocksdb::IOStatus Injected();

  std::atomic<bool> armed_ = false;
  std::atomic<WalFault> fault_ = WalFault::kSync;
  std::atomic<int64_t> healthy_syncs_left_ = 0;
  std::atomic<int64_t> injected_ = 0;
  std::mutex mu_;
  std::condition_variable cv_;
  bool hold_next_sync_ = false;  // guarded by mu_
  bool sync_held_ = false;       // guarded by mu_
  bool sync_released_ = false;   // guarded by mu_
};

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SUPPORT_FAULTY_FILE_SYSTEM_H_
