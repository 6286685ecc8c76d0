#include "tests/projections/projection_testing.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "rocksdb/file_system.h"

namespace vagt::projections::testing {
namespace {

// The default file system, with every written file's syncs left out.
class UnsyncedFileSystem : public rocksdb::FileSystemWrapper {
 public:
  UnsyncedFileSystem() : FileSystemWrapper(rocksdb::FileSystem::Default()) {}
  const char* Name() const override { return "VagtUnsyncedFileSystem"; }

  rocksdb::IOStatus NewWritableFile(
      const std::string& name, const rocksdb::FileOptions& options,
      std::unique_ptr<rocksdb::FSWritableFile>* result,
      rocksdb::IODebugContext* dbg) override {
    rocksdb::IOStatus s = target()->NewWritableFile(name, options, result, dbg);
    if (s.ok()) *result = std::make_unique<UnsyncedFile>(std::move(*result));
    return s;
  }

 private:
  class UnsyncedFile : public rocksdb::FSWritableFileOwnerWrapper {
   public:
    using FSWritableFileOwnerWrapper::FSWritableFileOwnerWrapper;
    rocksdb::IOStatus Sync(const rocksdb::IOOptions&,
                           rocksdb::IODebugContext*) override {
      return rocksdb::IOStatus::OK();
    }
    rocksdb::IOStatus Fsync(const rocksdb::IOOptions&,
                            rocksdb::IODebugContext*) override {
      return rocksdb::IOStatus::OK();
    }
  };
};

std::string Printable(const rocksdb::Slice& bytes) {
  return absl::CHexEscape(absl::string_view(bytes.data(), bytes.size()));
}

}  // namespace

absl::StatusOr<UnsyncedStore> OpenUnsyncedStore(const std::string& path,
                                                Clock& clock) {
  UnsyncedStore out;
  out.env = rocksdb::NewCompositeEnv(std::make_shared<UnsyncedFileSystem>());
  eventstore::Options options;
  options.path = path;
  options.clock = &clock;
  options.rocksdb_env = out.env.get();
  absl::StatusOr<std::unique_ptr<eventstore::EventStore>> store =
      eventstore::EventStore::Open(std::move(options));
  if (!store.ok()) return store.status();
  out.store = std::move(*store);
  return out;
}

::testing::AssertionResult SameDatabase(rocksdb::DB& a, rocksdb::DB& b,
                                        const std::string& except_prefix) {
  std::unique_ptr<rocksdb::Iterator> ia(a.NewIterator(rocksdb::ReadOptions()));
  std::unique_ptr<rocksdb::Iterator> ib(b.NewIterator(rocksdb::ReadOptions()));
  auto skip_excepted = [&](rocksdb::Iterator& it) {
    while (!except_prefix.empty() && it.Valid() &&
           it.key().starts_with(except_prefix)) {
      it.Next();
    }
  };
  uint64_t keys = 0;
  for (ia->SeekToFirst(), ib->SeekToFirst();
       skip_excepted(*ia), skip_excepted(*ib), ia->Valid() || ib->Valid();
       ia->Next(), ib->Next(), ++keys) {
    if (!ia->Valid()) {
      return ::testing::AssertionFailure()
             << "only the second database has key " << Printable(ib->key());
    }
    if (!ib->Valid()) {
      return ::testing::AssertionFailure()
             << "only the first database has key " << Printable(ia->key());
    }
    if (ia->key() != ib->key()) {
      return ::testing::AssertionFailure()
             << "after " << keys << " equal keys, the first database has "
             << Printable(ia->key()) << " where the second has "
             << Printable(ib->key());
    }
    if (ia->value() != ib->value()) {
      return ::testing::AssertionFailure()
             << "the values of key " << Printable(ia->key()) << " differ";
    }
  }
  if (!ia->status().ok() || !ib->status().ok()) {
    return ::testing::AssertionFailure()
           << "iteration failed: " << ia->status().ToString() << " / "
           << ib->status().ToString();
  }
  return ::testing::AssertionSuccess() << keys << " keys equal";
}

::testing::AssertionResult SameMessage(
    const google::protobuf::Message& expected,
    const google::protobuf::Message& actual) {
  std::string diff;
  google::protobuf::util::MessageDifferencer differencer;
  differencer.ReportDifferencesToString(&diff);
  if (differencer.Compare(expected, actual)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure() << diff;
}

}  // namespace vagt::projections::testing
