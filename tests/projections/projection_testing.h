// Shared setup for the projection tests: an event store whose fsyncs return
// at once (these tests check the folds, not the store's durability, and a
// synced append costs milliseconds), a key-by-key comparison of two
// projection databases, and a comparison of messages that shows the
// differences.
//
//   FakeClock clock(absl::FromUnixSeconds(1'790'000'000));
//   ASSERT_OK_AND_ASSIGN(UnsyncedStore store,
//                        OpenUnsyncedStore(dir.Child("store"), clock));
//   ... append to *store.store, run two runners ...
//   EXPECT_TRUE(SameDatabase(a->db(), b->db()));
#ifndef VAGT_TESTS_PROJECTIONS_PROJECTION_TESTING_H_
#define VAGT_TESTS_PROJECTIONS_PROJECTION_TESTING_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "google/protobuf/message.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"

namespace vagt::projections::testing {

// A store on a file system whose Sync/Fsync do nothing. Acknowledged events
// still survive the death of a process (they are in the page cache), just
// not of the machine. Members are destroyed store first, then its Env.
struct UnsyncedStore {
  std::unique_ptr<rocksdb::Env> env;
  std::unique_ptr<eventstore::EventStore> store;
};

// Opens (or creates) the store at `path`, stamped by `clock`, which must
// outlive it.
absl::StatusOr<UnsyncedStore> OpenUnsyncedStore(const std::string& path,
                                                Clock& clock);

// Success when `a` and `b` hold exactly the same keys with the same values;
// otherwise names the first key that differs (escaped). Keys starting with
// a non-empty `except_prefix` are left out of the comparison (e.g. the feed
// cursor of runners fed by different feeds).
::testing::AssertionResult SameDatabase(rocksdb::DB& a, rocksdb::DB& b,
                                        const std::string& except_prefix = "");

// Success when the messages are equal; otherwise lists the differences.
::testing::AssertionResult SameMessage(
    const google::protobuf::Message& expected,
    const google::protobuf::Message& actual);

}  // namespace vagt::projections::testing

#endif  // VAGT_TESTS_PROJECTIONS_PROJECTION_TESTING_H_
