#include "tests/support/faulty_file_system.h"

#include <utility>

#include "absl/strings/match.h"

namespace vagt::testing {

class FaultyFileSystem::WalFile : public rocksdb::FSWritableFileOwnerWrapper {
 public:
  WalFile(std::unique_ptr<rocksdb::FSWritableFile> file, FaultyFileSystem* fs)
      : FSWritableFileOwnerWrapper(std::move(file)), fs_(fs) {}

  rocksdb::IOStatus Append(const rocksdb::Slice& data,
                           const rocksdb::IOOptions& options,
                           rocksdb::IODebugContext* dbg) override {
    if (fs_->AppendFails()) return fs_->Injected();
    return FSWritableFileOwnerWrapper::Append(data, options, dbg);
  }
  rocksdb::IOStatus Append(const rocksdb::Slice& data,
                           const rocksdb::IOOptions& options,
                           const rocksdb::DataVerificationInfo& info,
                           rocksdb::IODebugContext* dbg) override {
    if (fs_->AppendFails()) return fs_->Injected();
    return FSWritableFileOwnerWrapper::Append(data, options, info, dbg);
  }
  rocksdb::IOStatus Sync(const rocksdb::IOOptions& options,
                         rocksdb::IODebugContext* dbg) override {
    fs_->MaybeHoldSync();
    if (fs_->SyncFails()) return fs_->Injected();
    return FSWritableFileOwnerWrapper::Sync(options, dbg);
  }
  rocksdb::IOStatus Fsync(const rocksdb::IOOptions& options,
                          rocksdb::IODebugContext* dbg) override {
    fs_->MaybeHoldSync();
    if (fs_->SyncFails()) return fs_->Injected();
    return FSWritableFileOwnerWrapper::Fsync(options, dbg);
  }

 private:
  FaultyFileSystem* fs_;
};

void PrintTo(WalFault fault, std::ostream* out) {
  *out << (fault == WalFault::kSync ? "FailedWalSync" : "FailedWalAppend");
}

FaultyFileSystem::FaultyFileSystem()
    : FileSystemWrapper(rocksdb::FileSystem::Default()) {}

void FaultyFileSystem::Inject(WalFault fault, int64_t healthy_syncs) {
  healthy_syncs_left_ = healthy_syncs;
  fault_ = fault;
  armed_ = true;
}

void FaultyFileSystem::HoldNextSync() {
  std::lock_guard lock(mu_);
  hold_next_sync_ = true;
}

void FaultyFileSystem::WaitUntilSyncHeld() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [this] { return sync_held_; });
}

void FaultyFileSystem::ReleaseSync() {
  std::lock_guard lock(mu_);
  hold_next_sync_ = false;
  sync_held_ = true;
  sync_released_ = true;
  cv_.notify_all();
}

rocksdb::IOStatus FaultyFileSystem::NewWritableFile(
    const std::string& name, const rocksdb::FileOptions& options,
    std::unique_ptr<rocksdb::FSWritableFile>* result,
    rocksdb::IODebugContext* dbg) {
  rocksdb::IOStatus s = target()->NewWritableFile(name, options, result, dbg);
  if (s.ok() && absl::EndsWith(name, ".log")) {
    *result = std::make_unique<WalFile>(std::move(*result), this);
  }
  return s;
}

bool FaultyFileSystem::AppendFails() const {
  return armed_ && fault_ == WalFault::kAppend && healthy_syncs_left_ <= 0;
}

bool FaultyFileSystem::SyncFails() {
  return armed_ && healthy_syncs_left_.fetch_sub(1) <= 0;
}

void FaultyFileSystem::MaybeHoldSync() {
  std::unique_lock lock(mu_);
  if (!hold_next_sync_) return;
  hold_next_sync_ = false;
  sync_held_ = true;
  cv_.notify_all();
  cv_.wait(lock, [this] { return sync_released_; });
}

rocksdb::IOStatus FaultyFileSystem::Injected() {
  ++injected_;
  return rocksdb::IOStatus::IOError("injected");
}

}  // namespace vagt::testing
