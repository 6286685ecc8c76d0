// Open: refuses what is not a vagt store of this format, without touching
// it, and gives a clear error for paths that cannot hold a store.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "eventstore/event_store.h"
#include "eventstore/keys.h"
#include "rocksdb/db.h"
#include "tests/eventstore/raw_store.h"
#include "tests/eventstore/test_store.h"

namespace vagt::eventstore {
namespace {

using testing::AppendTo;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::MakeCallReceived;
using testing::OpenStoreAt;
using testing::RawStore;
using testing::ReadAllEvents;
using testing::ScratchDir;

namespace fs = std::filesystem;

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
}

// Every file and directory under `dir`, with the bytes of each file. RocksDB's
// info logs (LOG, LOG.old.*) are left out: even a read-only open rotates them.
std::map<std::string, std::string> Snapshot(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const fs::directory_entry& entry :
       fs::recursive_directory_iterator(dir)) {
    if (entry.path().filename().string().starts_with("LOG")) continue;
    const std::string name = fs::relative(entry.path(), dir).string();
    out[name] = entry.is_directory() ? "<dir>" : ReadFile(entry.path());
  }
  return out;
}

// Names of entries added, removed or changed between two snapshots.
std::vector<std::string> Changes(
    const std::map<std::string, std::string>& before,
    const std::map<std::string, std::string>& after) {
  std::vector<std::string> changed;
  for (const auto& [name, bytes] : before) {
    auto it = after.find(name);
    if (it == after.end()) {
      changed.push_back("removed " + name);
    } else if (it->second != bytes) {
      changed.push_back("changed " + name);
    }
  }
  for (const auto& [name, bytes] : after) {
    if (!before.contains(name)) changed.push_back("added " + name);
  }
  return changed;
}

TEST(EventStoreOpen, EmptyDirectoryBecomesAnEmptyStore) {
  ScratchDir dir;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store,
                       OpenStoreAt(dir.path()));
  EXPECT_EQ(store->LastPosition(), 0u);
  ASSERT_OK(store->Append(
      AppendTo("call-1", ExpectedVersion::Any(), {MakeCallReceived("1")})));
}

TEST(EventStoreOpen, DirectoryWithUnrelatedFileIsNotAStoreAndStaysUnchanged) {
  ScratchDir dir;
  const fs::path notes = dir.Child("vagtplan");
  fs::create_directory(notes);
  WriteFile(notes / "uge47.txt", "mandag: Anna, tirsdag: Bo\n");
  const std::map<std::string, std::string> before = Snapshot(notes);

  absl::StatusOr<std::unique_ptr<EventStore>> store =
      OpenStoreAt(notes.string());
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
  EXPECT_THAT(std::string(store.status().message()),
              HasSubstr("not a vagt event store"));
  EXPECT_THAT(Changes(before, Snapshot(notes)), IsEmpty());
}

TEST(EventStoreOpen, PlainRocksDbWithoutMetaFamilyIsRefusedAndStaysUsable) {
  ScratchDir dir;
  const std::string path = dir.Child("other-db");
  {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* db = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, path, &db).ok());
    ASSERT_TRUE(db->Put(rocksdb::WriteOptions(), "ledger", "42").ok());
    delete db;
  }
  const std::map<std::string, std::string> before = Snapshot(path);

  absl::StatusOr<std::unique_ptr<EventStore>> store = OpenStoreAt(path);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
  EXPECT_THAT(Changes(before, Snapshot(path)), IsEmpty());

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<RawStore> raw, RawStore::Open(path));
  EXPECT_THAT(raw->FamilyNames(), ElementsAre("default"))
      << "vagt must not add its column families to a foreign database";
  ASSERT_OK_AND_ASSIGN(std::string value, raw->Get("default", "ledger"));
  EXPECT_EQ(value, "42");
}

TEST(EventStoreOpen, StoreOfAnotherFormatVersionIsRefusedAndNotDamaged) {
  ScratchDir dir;
  const std::string path = dir.Child("store");
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store, OpenStoreAt(path));
    for (int i = 0; i < 3; ++i) {
      ASSERT_OK(store->Append(
          AppendTo("call-1", ExpectedVersion::Any(), {MakeCallReceived("1")})));
    }
  }
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<RawStore> raw, RawStore::Open(path));
    ASSERT_OK_AND_ASSIGN(std::string version,
                         raw->Get(keys::kMetaFamily, keys::kFormatVersionKey));
    EXPECT_EQ(version, absl::StrCat(kFormatVersion));
    ASSERT_OK(raw->Put(keys::kMetaFamily, keys::kFormatVersionKey, "2"));
  }
  const std::map<std::string, std::string> before = Snapshot(path);

  absl::StatusOr<std::unique_ptr<EventStore>> refused = OpenStoreAt(path);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition)
      << refused.status();
  EXPECT_THAT(Changes(before, Snapshot(path)), IsEmpty());
  // Names the version found and the version this build reads (looked for
  // outside the path, whose random part may hold digits too).
  const std::string message =
      absl::StrReplaceAll(refused.status().message(), {{path, "<path>"}});
  EXPECT_THAT(message, HasSubstr("2"));
  EXPECT_THAT(message, HasSubstr(absl::StrCat(kFormatVersion)));

  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<RawStore> raw, RawStore::Open(path));
    ASSERT_OK_AND_ASSIGN(std::string version,
                         raw->Get(keys::kMetaFamily, keys::kFormatVersionKey));
    EXPECT_EQ(version, "2") << "the refused open rewrote the format version";
    ASSERT_OK(raw->Put(keys::kMetaFamily, keys::kFormatVersionKey,
                       absl::StrCat(kFormatVersion)));
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> store, OpenStoreAt(path));
  EXPECT_EQ(store->LastPosition(), 3u);
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(*store));
  EXPECT_EQ(all.size(), 3u);
  ASSERT_OK_AND_ASSIGN(VerifyReport report, store->VerifyChain());
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.events_checked, 3u);
}

TEST(EventStoreOpen, PathThatIsARegularFileIsRefusedNamingThePath) {
  ScratchDir dir;
  const std::string path = dir.Child("vagt.db");
  WriteFile(path, "not a directory\n");

  absl::StatusOr<std::unique_ptr<EventStore>> store = OpenStoreAt(path);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition)
      << store.status();
  EXPECT_THAT(std::string(store.status().message()), HasSubstr(path));
  EXPECT_EQ(ReadFile(path), "not a directory\n");
}

TEST(EventStoreOpen, MissingPathWithoutCreateIfMissingIsRefusedAndNotMade) {
  ScratchDir dir;
  const std::string path = dir.Child("absent");
  absl::StatusOr<std::unique_ptr<EventStore>> store =
      EventStore::Open({.path = path, .create_if_missing = false});
  EXPECT_FALSE(store.ok());
  EXPECT_FALSE(fs::exists(path));
}

TEST(EventStoreOpen, SecondOpenOfAnOpenStoreIsRefused) {
  ScratchDir dir;
  const std::string path = dir.Child("store");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<EventStore> first, OpenStoreAt(path));
  EXPECT_FALSE(OpenStoreAt(path).ok());
  ASSERT_OK(first->Append(
      AppendTo("call-1", ExpectedVersion::Any(), {MakeCallReceived("1")})));
}

}  // namespace
}  // namespace vagt::eventstore
