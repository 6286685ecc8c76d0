// ScratchDir and the filesystem checks vagt-bench prints.
#include "tests/bench/scratch_dir.h"

#include <sys/vfs.h>

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace vagt::bench {
namespace {

// Magic numbers from linux/magic.h.
constexpr int64_t kTmpfsMagic = 0x01021994;
constexpr int64_t kRamfsMagic = 0x858458f6;

struct KnownFilesystem {
  int64_t magic;
  const char* name;
};
constexpr KnownFilesystem kKnownFilesystems[] = {
    {0xEF53, "ext4"},       {0x58465342, "xfs"},  {0x9123683E, "btrfs"},
    {0x2FC12FC1, "zfs"},    {0xF2F52010, "f2fs"}, {0x794C7630, "overlayfs"},
    {0x6969, "nfs"},        {0x65735546, "fuse"}, {kTmpfsMagic, "tmpfs"},
    {kRamfsMagic, "ramfs"},
};

// The statfs magic number of `path`; -1 (errno set) when statfs fails.
int64_t FilesystemMagic(const std::string& path) {
  struct statfs info;
  if (statfs(path.c_str(), &info) != 0) return -1;
  return static_cast<int64_t>(info.f_type);
}

}  // namespace

absl::StatusOr<std::unique_ptr<ScratchDir>> ScratchDir::Create(
    const std::string& parent, absl::string_view prefix) {
  std::string pattern = absl::StrCat(parent, "/", prefix, "-XXXXXX");
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (mkdtemp(buffer.data()) == nullptr) {
    return absl::UnavailableError(
        absl::StrCat("mkdtemp(", pattern, ") failed: ", std::strerror(errno)));
  }
  return std::unique_ptr<ScratchDir>(new ScratchDir(buffer.data()));
}

ScratchDir::~ScratchDir() {
  std::error_code error;
  std::filesystem::remove_all(path_, error);
  if (error) {
    std::cerr << "vagt-bench: could not remove " << path_ << ": "
              << error.message() << "\n";
  }
}

std::string FilesystemType(const std::string& path) {
  const int64_t magic = FilesystemMagic(path);
  if (magic < 0)
    return absl::StrCat("unknown (statfs: ", std::strerror(errno), ")");
  for (const KnownFilesystem& fs : kKnownFilesystems) {
    if (fs.magic == magic) return fs.name;
  }
  return absl::StrCat("0x", absl::Hex(magic));
}

bool IsMemoryFilesystem(const std::string& path) {
  const int64_t magic = FilesystemMagic(path);
  return magic == kTmpfsMagic || magic == kRamfsMagic;
}

std::string DefaultScratchParent() {
  const std::string var_tmp = "/var/tmp";
  std::error_code error;
  if (std::filesystem::is_directory(var_tmp, error) &&
      !IsMemoryFilesystem(var_tmp)) {
    return var_tmp;
  }
  return std::filesystem::current_path(error).string();
}

}  // namespace vagt::bench
