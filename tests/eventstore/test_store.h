// Shared setup for the event store tests: a scratch directory that is removed
// afterwards, a fixture that owns an open store in it, builders for the two
// payloads the tests append (CallReceived, CallNoteAdded), and assertion
// macros for absl::Status.
//
//   class EventStoreAppend : public EventStoreTest {};
//   TEST_F(EventStoreAppend, ...) {
//     ASSERT_OK_AND_ASSIGN(
//         AppendResult r,
//         store().Append(AppendTo("call-1", ExpectedVersion::NoStream(),
//                                 {MakeCallReceived("1")})));
//   }
//
// AppendTo exists because designated initializers that leave out
// AppendRequest::request_id trip -Wmissing-field-initializers.
#ifndef VAGT_TESTS_EVENTSTORE_TEST_STORE_H_
#define VAGT_TESTS_EVENTSTORE_TEST_STORE_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "eventstore/event_store.h"
#include "vagt/v1/events.pb.h"

namespace vagt::eventstore::testing {

// A fresh directory under ::testing::TempDir(), removed with everything in it
// when this object is destroyed.
class ScratchDir {
 public:
  ScratchDir();
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name; not created.
  std::string Child(std::string_view name) const;

 private:
  std::string path_;
};

// A CallReceived for call `call_id`; `reason` goes into the sensitive part.
NewEvent MakeCallReceived(std::string_view call_id,
                          std::string_view reason = "borger ringer om natten");
// A CallNoteAdded for call `call_id`; `text` goes into the sensitive part.
NewEvent MakeCallNoteAdded(std::string_view call_id,
                           std::string_view text = "aftalt opfølgning");

// An append of `events` to `stream_id`. An empty `request_id` means no
// idempotency.
AppendRequest AppendTo(std::string_view stream_id, ExpectedVersion expected,
                       std::vector<NewEvent> events,
                       std::string_view request_id = "");

// The call id of a CallReceived or CallNoteAdded payload; "" for others.
std::string CallIdOf(const v1::EventEnvelope& event);

// Every stored event, in global order, read in pages so that a large
// max_count is never asked for.
absl::StatusOr<std::vector<v1::EventEnvelope>> ReadAllEvents(
    const EventStore& store);

// Opens a store at `path` with default options.
absl::StatusOr<std::unique_ptr<EventStore>> OpenStoreAt(
    const std::string& path);

// Owns a store in a fresh ScratchDir, opened in SetUp.
class EventStoreTest : public ::testing::Test {
 protected:
  void SetUp() override;

  EventStore& store() { return *store_; }
  const std::string& store_path() const { return store_path_; }

  // Destroys the store (if open) and opens it again at store_path(). Check
  // with ASSERT_NO_FATAL_FAILURE(Reopen()).
  void Reopen();
  // Destroys the store, e.g. before editing it with RawStore.
  void Close() { store_.reset(); }

  // Appends `events` to `stream_id` with no version check. On error it adds
  // a test failure and returns an empty result.
  AppendResult MustAppend(std::string_view stream_id,
                          std::vector<NewEvent> events);

 private:
  ScratchDir scratch_dir_;
  std::string store_path_ = scratch_dir_.Child("store");
  std::unique_ptr<EventStore> store_;
};

namespace internal {
inline const absl::Status& StatusOf(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& StatusOf(const absl::StatusOr<T>& s) {
  return s.status();
}
inline ::testing::AssertionResult IsOk(const absl::Status& s) {
  if (s.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << s;
}
}  // namespace internal

}  // namespace vagt::eventstore::testing

#define VAGT_TEST_CONCAT_INNER_(a, b) a##b
#define VAGT_TEST_CONCAT_(a, b) VAGT_TEST_CONCAT_INNER_(a, b)

#define EXPECT_OK(expr)                                    \
  EXPECT_TRUE(::vagt::eventstore::testing::internal::IsOk( \
      ::vagt::eventstore::testing::internal::StatusOf(expr)))
#define ASSERT_OK(expr)                                    \
  ASSERT_TRUE(::vagt::eventstore::testing::internal::IsOk( \
      ::vagt::eventstore::testing::internal::StatusOf(expr)))

// Usable in functions returning void only, like every ASSERT_*.
#define ASSERT_OK_AND_ASSIGN(lhs, expr)                                        \
  VAGT_ASSERT_OK_AND_ASSIGN_IMPL_(VAGT_TEST_CONCAT_(vagt_statusor_, __LINE__), \
                                  lhs, expr)
#define VAGT_ASSERT_OK_AND_ASSIGN_IMPL_(statusor, lhs, expr) \
  auto statusor = (expr);                                    \
  ASSERT_TRUE(statusor.ok()) << statusor.status();           \
  lhs = std::move(statusor).value()

#endif  // VAGT_TESTS_EVENTSTORE_TEST_STORE_H_
