// ScratchDir: a fresh, empty directory for one benchmark case, removed with
// everything in it when the ScratchDir is destroyed. Benchmarks of durable
// writes must run on a real disk, so FilesystemType() tells the reader where
// the fsyncs went.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<ScratchDir> dir,
//                    ScratchDir::Create("/var/tmp", "vagt-bench-rocksdb"));
//   OpenDatabaseIn(dir->path());
#ifndef VAGT_TESTS_BENCH_SCRATCH_DIR_H_
#define VAGT_TESTS_BENCH_SCRATCH_DIR_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vagt::bench {

class ScratchDir {
 public:
  // Creates `parent`/`prefix`-XXXXXX (mode 0700) with mkdtemp.
  static absl::StatusOr<std::unique_ptr<ScratchDir>> Create(
      const std::string& parent, absl::string_view prefix);

  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;
  // Removes the directory and its contents; errors are printed, not fatal.
  ~ScratchDir();

  const std::string& path() const { return path_; }

 private:
  explicit ScratchDir(std::string path) : path_(std::move(path)) {}
  std::string path_;
};

// The name of the filesystem holding `path` ("ext4", "tmpfs", ...), or its
// magic number in hex when unknown.
std::string FilesystemType(const std::string& path);

// True for filesystems that keep data in memory only (tmpfs, ramfs), where
// an fsync proves nothing.
bool IsMemoryFilesystem(const std::string& path);

// Where the cases put their scratch directories when --dir is not given:
// /var/tmp unless it is in memory, else the current directory.
std::string DefaultScratchParent();

}  // namespace vagt::bench

#endif  // VAGT_TESTS_BENCH_SCRATCH_DIR_H_
