// VerifyChain: the hash chain follows the formula documented in events.proto,
// and any change to a stored event made behind the store's back (a flipped
// byte, a consistently re-hashed forgery, a deleted event) is found and named
// by its position.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"
#include "eventstore/keys.h"
#include "tests/eventstore/raw_store.h"
#include "tests/eventstore/test_store.h"

namespace vagt::eventstore {
namespace {

using testing::AppendTo;
using testing::ChainHash;
using testing::EventStoreTest;
using testing::HashBytes;
using testing::MakeCallNoteAdded;
using testing::MakeCallReceived;
using testing::OpenStoreAt;
using testing::RawStore;
using testing::ReadAllEvents;

constexpr uint64_t kEvents = 10;
// A position in the middle of the chain: it has a predecessor and a successor.
constexpr uint64_t kTampered = 4;

// The stored value at `position`, split; fails the test if malformed.
struct StoredEvent {
  keys::Hash hash;
  std::string canonical;
};
StoredEvent ReadStored(const RawStore& raw, uint64_t position) {
  absl::StatusOr<std::string> value =
      raw.Get(keys::kEventsFamily, keys::EventKey(position));
  EXPECT_OK(value);
  if (!value.ok()) return {};
  std::optional<keys::EventValue> decoded = keys::DecodeEventValue(*value);
  EXPECT_TRUE(decoded.has_value()) << "position " << position;
  if (!decoded) return {};
  return {decoded->hash, std::string(decoded->canonical)};
}

// Changes one character of the call id "cid-<position>" inside the canonical
// bytes, keeping them a parsable envelope of the same length.
std::string ForgeCallId(std::string canonical, uint64_t position) {
  const std::string call_id = absl::StrCat("cid-", position);
  const size_t at = canonical.find(call_id);
  EXPECT_NE(at, std::string::npos) << "call id not in stored bytes";
  if (at != std::string::npos) canonical[at] = 'C';
  return canonical;
}

class EventStoreVerifyChain : public EventStoreTest {
 protected:
  // Appends kEvents events; the call id of the event at position p is
  // "cid-<p>", so that a test can find and change it in the stored bytes.
  void AppendEvents() {
    for (uint64_t p = 1; p <= kEvents; p += 2) {
      MustAppend(absl::StrCat("call-", p),
                 {MakeCallReceived(absl::StrCat("cid-", p)),
                  MakeCallNoteAdded(absl::StrCat("cid-", p + 1))});
    }
    ASSERT_EQ(store().LastPosition(), kEvents);
  }

  // Closes the store and opens it with raw RocksDB.
  std::unique_ptr<RawStore> CloseAndOpenRaw() {
    Close();
    absl::StatusOr<std::unique_ptr<RawStore>> raw =
        RawStore::Open(store_path());
    EXPECT_OK(raw);
    return raw.ok() ? std::move(raw).value() : nullptr;
  }

  // Closes the store and stores `hash` ‖ `canonical` as the event at
  // `position`.
  void ReplaceStoredEvent(uint64_t position, const keys::Hash& hash,
                          std::string_view canonical) {
    std::unique_ptr<RawStore> raw = CloseAndOpenRaw();
    ASSERT_NE(raw, nullptr);
    ASSERT_OK(raw->Put(keys::kEventsFamily, keys::EventKey(position),
                       keys::EncodeEventValue(hash, canonical)));
  }

  // Closes the store and replaces the event at `position` with a forgery
  // that is consistent in itself: a changed call id, re-hashed onto the
  // stored hash of its predecessor.
  void ForgeRehashedEvent(uint64_t position) {
    std::unique_ptr<RawStore> raw = CloseAndOpenRaw();
    ASSERT_NE(raw, nullptr);
    const StoredEvent before = ReadStored(*raw, position - 1);
    const std::string forged =
        ForgeCallId(ReadStored(*raw, position).canonical, position);
    raw.reset();
    ReplaceStoredEvent(position, ChainHash(before.hash, forged), forged);
  }

  // Closes the store and deletes the event at `position`.
  void DeleteStoredEvent(uint64_t position) {
    std::unique_ptr<RawStore> raw = CloseAndOpenRaw();
    ASSERT_NE(raw, nullptr);
    ASSERT_OK(raw->Delete(keys::kEventsFamily, keys::EventKey(position)));
  }

  // Reopens the store and checks that VerifyChain names `position`.
  void ExpectChainBrokenAt(uint64_t position) {
    ASSERT_NO_FATAL_FAILURE(Reopen());
    ASSERT_OK_AND_ASSIGN(VerifyReport report, store().VerifyChain());
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(report.first_bad_position, position) << report.problem;
    EXPECT_FALSE(report.problem.empty());
  }

  // Damage that VerifyChain finds must stay found. The reopened store may
  // refuse to open, or to append, but must not extend the chain over the
  // damage so that it verifies again.
  void ExpectLaterAppendDoesNotHideDamage() {
    Close();
    absl::StatusOr<std::unique_ptr<EventStore>> reopened =
        OpenStoreAt(store_path());
    if (!reopened.ok()) return;  // refusing the damaged store is safe
    EventStore& damaged = **reopened;
    EXPECT_EQ(damaged.AppendStatus().code(), absl::StatusCode::kDataLoss)
        << "the store opened a damaged log for appends";
    absl::StatusOr<AppendResult> later = damaged.Append(AppendTo(
        "call-later", ExpectedVersion::Any(), {MakeCallReceived("later")}));
    ASSERT_OK_AND_ASSIGN(VerifyReport report, damaged.VerifyChain());
    EXPECT_FALSE(report.ok) << "the later append (" << later.status()
                            << ") made the damaged chain verify again";
  }
};

TEST_F(EventStoreVerifyChain, EmptyStoreVerifies) {
  ASSERT_OK_AND_ASSIGN(VerifyReport report, store().VerifyChain());
  EXPECT_TRUE(report.ok);
  EXPECT_EQ(report.events_checked, 0u);
}

TEST_F(EventStoreVerifyChain, UntouchedStoreVerifiesEveryEvent) {
  ASSERT_NO_FATAL_FAILURE(AppendEvents());
  ASSERT_OK_AND_ASSIGN(VerifyReport report, store().VerifyChain());
  EXPECT_TRUE(report.ok) << report.first_bad_position << ": " << report.problem;
  EXPECT_EQ(report.events_checked, kEvents);
  EXPECT_EQ(report.first_bad_position, 0u);
}

// An outside verifier can recompute the chain from the stored bytes alone.
TEST_F(EventStoreVerifyChain, StoredChainFollowsTheDocumentedFormula) {
  ASSERT_NO_FATAL_FAILURE(AppendEvents());
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> read,
                       ReadAllEvents(store()));
  std::unique_ptr<RawStore> raw = CloseAndOpenRaw();
  ASSERT_NE(raw, nullptr);

  keys::Hash prev{};  // the first event's predecessor: 32 zero bytes
  for (uint64_t p = 1; p <= kEvents; ++p) {
    StoredEvent stored = ReadStored(*raw, p);
    EXPECT_EQ(HashBytes(stored.hash),
              HashBytes(ChainHash(prev, stored.canonical)))
        << "position " << p;
    v1::EventEnvelope envelope;
    ASSERT_TRUE(envelope.ParseFromString(stored.canonical)) << "position " << p;
    EXPECT_EQ(envelope.global_position(), p);
    EXPECT_TRUE(envelope.hash().empty()) << "canonical bytes carry no hash";
    EXPECT_EQ(envelope.prev_hash(), HashBytes(prev));
    EXPECT_EQ(read[p - 1].hash(), HashBytes(stored.hash));
    prev = stored.hash;
  }
  ASSERT_OK_AND_ASSIGN(std::string head,
                       raw->Get(keys::kMetaFamily, keys::kChainHeadKey));
  EXPECT_EQ(head, keys::EncodeBigEndian64(kEvents) + HashBytes(prev));
}

TEST_F(EventStoreVerifyChain, ChangedByteOfStoredEventIsFoundAtItsPosition) {
  ASSERT_NO_FATAL_FAILURE(AppendEvents());
  std::unique_ptr<RawStore> raw = CloseAndOpenRaw();
  ASSERT_NE(raw, nullptr);
  const StoredEvent original = ReadStored(*raw, kTampered);
  // The payload's call id (still parses), then the first and the last byte
  // (may not parse): each is found at its position.
  std::vector<std::string> forgeries = {
      ForgeCallId(original.canonical, kTampered), original.canonical,
      original.canonical};
  forgeries[1].front() = static_cast<char>(forgeries[1].front() ^ 0x01);
  forgeries[2].back() = static_cast<char>(forgeries[2].back() ^ 0x01);
  raw.reset();

  for (const std::string& forged : forgeries) {
    ASSERT_NO_FATAL_FAILURE(
        ReplaceStoredEvent(kTampered, original.hash, forged));
    ASSERT_NO_FATAL_FAILURE(ExpectChainBrokenAt(kTampered));
  }

  // Restoring the original bytes makes the chain whole again.
  ASSERT_NO_FATAL_FAILURE(
      ReplaceStoredEvent(kTampered, original.hash, original.canonical));
  ASSERT_NO_FATAL_FAILURE(Reopen());
  ASSERT_OK_AND_ASSIGN(VerifyReport report, store().VerifyChain());
  EXPECT_TRUE(report.ok) << report.problem;
}

// A forger who re-hashes the changed event makes it consistent in itself: its
// stored hash matches SHA-256(prev_hash ‖ forged bytes) and its prev_hash still
// links to position p-1. What gives it away is the successor: the event at
// p+1 carries the original hash of p as its prev_hash (inside its own hashed
// bytes), so the chain breaks at p+1.
TEST_F(EventStoreVerifyChain, RehashedForgeryIsFoundAtTheNextPosition) {
  ASSERT_NO_FATAL_FAILURE(AppendEvents());
  ASSERT_NO_FATAL_FAILURE(ForgeRehashedEvent(kTampered));
  ASSERT_NO_FATAL_FAILURE(ExpectChainBrokenAt(kTampered + 1));
}

// With no successor, the chain head in meta (position ‖ hash of the last
// event) is what the forged last event no longer matches.
TEST_F(EventStoreVerifyChain, RehashedForgeryOfLastEventIsFoundByChainHead) {
  ASSERT_NO_FATAL_FAILURE(AppendEvents());
  ASSERT_NO_FATAL_FAILURE(ForgeRehashedEvent(kEvents));
  ASSERT_NO_FATAL_FAILURE(ExpectChainBrokenAt(kEvents));
}

TEST_F(EventStoreVerifyChain, DeletedLastEventIsFoundByChainHead) {
  ASSERT_NO_FATAL_FAILURE(AppendEvents());
  ASSERT_NO_FATAL_FAILURE(DeleteStoredEvent(kEvents));
  ASSERT_NO_FATAL_FAILURE(ExpectChainBrokenAt(kEvents));
}

TEST_F(EventStoreVerifyChain, DeletedLastEventStaysFoundAfterLaterAppend) {
  ASSERT_NO_FATAL_FAILURE(AppendEvents());
  ASSERT_NO_FATAL_FAILURE(DeleteStoredEvent(kEvents));
  ExpectLaterAppendDoesNotHideDamage();
}

TEST_F(EventStoreVerifyChain, RehashedLastEventStaysFoundAfterLaterAppend) {
  ASSERT_NO_FATAL_FAILURE(AppendEvents());
  ASSERT_NO_FATAL_FAILURE(ForgeRehashedEvent(kEvents));
  ExpectLaterAppendDoesNotHideDamage();
}

TEST_F(EventStoreVerifyChain, DeletedMiddleEventIsFoundAtItsPosition) {
  ASSERT_NO_FATAL_FAILURE(AppendEvents());
  ASSERT_NO_FATAL_FAILURE(DeleteStoredEvent(kTampered));
  ASSERT_NO_FATAL_FAILURE(ExpectChainBrokenAt(kTampered));
}

}  // namespace
}  // namespace vagt::eventstore
