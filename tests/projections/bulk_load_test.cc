// BulkLoader on its own: what it ingests, in which order it lets keys win,
// where the files land, and what it refuses.
#include "projections/bulk_load.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "projections/keys.h"
#include "rocksdb/db.h"
#include "tests/eventstore/test_store.h"

namespace vagt::projections {
namespace {

using eventstore::testing::ScratchDir;

class BulkLoad : public ::testing::Test {
 protected:
  void SetUp() override {
    rocksdb::Options options;
    options.create_if_missing = true;
    rocksdb::DB* raw = nullptr;
    ASSERT_TRUE(rocksdb::DB::Open(options, dir_.Child("db"), &raw).ok());
    db_.reset(raw);
    loader_ = std::make_unique<BulkLoader>(
        db_.get(), dir_.Child("bulk"),
        std::vector<std::string>{keys::kEventPrefix, keys::kTimePrefix});
  }

  // Every key and value in the database.
  std::map<std::string, std::string> Contents() {
    std::map<std::string, std::string> out;
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions()));
    for (it->SeekToFirst(); it->Valid(); it->Next()) {
      out.emplace(it->key().ToString(), it->value().ToString());
    }
    EXPECT_TRUE(it->status().ok());
    return out;
  }

  int FilesAtLevel(int level) {
    std::string n;
    EXPECT_TRUE(db_->GetProperty(
        absl::StrCat("rocksdb.num-files-at-level", level), &n));
    return std::stoi(n);
  }

  ScratchDir dir_;
  std::unique_ptr<rocksdb::DB> db_;
  std::unique_ptr<BulkLoader> loader_;
};

TEST_F(BulkLoad, IngestsEveryGroupWithTheLastWriteOfAKeyWinning) {
  rocksdb::WriteBatch first;
  ASSERT_TRUE(first.Put(keys::Event(1), "event 1").ok());
  ASSERT_TRUE(first.Put(keys::StreamHead("line-a"), "v1").ok());
  ASSERT_TRUE(first.Put(keys::EntityKey(keys::Entity::kCall, "c", 1), "").ok());
  ASSERT_TRUE(first.Put(keys::Board("a"), "board 1").ok());
  rocksdb::WriteBatch second;
  ASSERT_TRUE(second.Put(keys::Event(2), "event 2").ok());
  ASSERT_TRUE(second.Put(keys::StreamHead("call-c"), "v1").ok());
  ASSERT_TRUE(second.Put(keys::StreamHead("line-a"), "v2").ok());
  ASSERT_TRUE(
      second.Put(keys::EntityKey(keys::Entity::kCall, "c", 2), "").ok());
  ASSERT_TRUE(second.Put(keys::Board("a"), "board 2").ok());
  ASSERT_TRUE(loader_->Add(std::move(first)).ok());
  ASSERT_TRUE(loader_->Add(std::move(second)).ok());
  EXPECT_FALSE(loader_->empty());
  EXPECT_TRUE(Contents().empty()) << "nothing is visible before Ingest()";

  ASSERT_TRUE(loader_->Ingest().ok());
  EXPECT_TRUE(loader_->empty());
  EXPECT_EQ(Contents(), (std::map<std::string, std::string>{
                            {keys::Board("a"), "board 2"},
                            {keys::Event(1), "event 1"},
                            {keys::Event(2), "event 2"},
                            {keys::StreamHead("call-c"), "v1"},
                            {keys::StreamHead("line-a"), "v2"},
                            {keys::EntityKey(keys::Entity::kCall, "c", 1), ""},
                            {keys::EntityKey(keys::Entity::kCall, "c", 2), ""},
                        }));
  // Into an empty database every file goes to the bottom level: nothing is
  // left for a compaction to rewrite.
  EXPECT_EQ(FilesAtLevel(0), 0);
  EXPECT_GE(FilesAtLevel(db_->NumberLevels() - 1), 3);
}

TEST_F(BulkLoad, ALaterChunkOverwritesAnEarlierOne) {
  rocksdb::WriteBatch first;
  ASSERT_TRUE(first.Put(keys::StreamHead("line-a"), "v1").ok());
  ASSERT_TRUE(first.Put(keys::EntityKey(keys::Entity::kCall, "c", 1), "").ok());
  ASSERT_TRUE(loader_->Add(std::move(first)).ok());
  ASSERT_TRUE(loader_->Ingest().ok());
  rocksdb::WriteBatch second;
  ASSERT_TRUE(second.Put(keys::StreamHead("line-a"), "v2").ok());
  ASSERT_TRUE(
      second.Put(keys::EntityKey(keys::Entity::kCall, "c", 2), "").ok());
  ASSERT_TRUE(loader_->Add(std::move(second)).ok());
  ASSERT_TRUE(loader_->Ingest().ok());
  EXPECT_EQ(Contents(), (std::map<std::string, std::string>{
                            {keys::StreamHead("line-a"), "v2"},
                            {keys::EntityKey(keys::Entity::kCall, "c", 1), ""},
                            {keys::EntityKey(keys::Entity::kCall, "c", 2), ""},
                        }));
}

TEST_F(BulkLoad, DiscardForgetsWhatWasNotIngested) {
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(batch.Put(keys::Event(1), "event 1").ok());
  ASSERT_TRUE(batch.Put(keys::StreamHead("line-a"), "v1").ok());
  ASSERT_TRUE(loader_->Add(std::move(batch)).ok());
  loader_->Discard();
  EXPECT_TRUE(loader_->empty());
  EXPECT_EQ(loader_->held_bytes(), 0u);
  ASSERT_TRUE(loader_->Ingest().ok());
  EXPECT_TRUE(Contents().empty());
}

TEST_F(BulkLoad, StreamedKeysThatGoBackAreRefused) {
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(batch.Put(keys::Event(2), "event 2").ok());
  ASSERT_TRUE(batch.Put(keys::Event(1), "event 1").ok());
  ASSERT_TRUE(loader_->Add(std::move(batch)).ok());  // taken on its thread
  const absl::Status status = loader_->Ingest();
  EXPECT_EQ(status.code(), absl::StatusCode::kFailedPrecondition) << status;
  EXPECT_NE(status.message().find("'e/'"), std::string::npos) << status;
}

TEST_F(BulkLoad, AnythingButAPutIsRefused) {
  rocksdb::WriteBatch batch;
  ASSERT_TRUE(batch.Put(keys::StreamHead("line-a"), "v1").ok());
  ASSERT_TRUE(batch.Delete(keys::StreamHead("line-a")).ok());
  ASSERT_TRUE(loader_->Add(std::move(batch)).ok());  // taken on its thread
  const absl::Status status = loader_->Ingest();
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  EXPECT_NE(status.message().find("a Delete"), std::string::npos) << status;
  loader_->Discard();
  EXPECT_TRUE(loader_->Ingest().ok());
  EXPECT_TRUE(Contents().empty()) << "a refused batch changes nothing";
}

}  // namespace
}  // namespace vagt::projections
