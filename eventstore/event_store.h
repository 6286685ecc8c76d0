// EventStore: the durable, append-only log of vagt, on RocksDB.
//
// Every event lives in exactly one stream (a call, an escalation, a line, a
// citizen, a roster) and gets a gapless stream version (1, 2, ...) and a
// gapless global position (1, 2, ...) across the store. Events are chained:
// each event's hash is SHA-256 over the previous event's hash and the event's
// stored bytes, so any later change to a stored event is found by
// VerifyChain().
//
//   ASSIGN_OR_RETURN(std::unique_ptr<EventStore> store,
//                    EventStore::Open({.path = "var/vagt"}));
//   NewEvent e;
//   e.actor = "worker:anna";
//   *e.payload.mutable_call_received() = ...;
//   ASSIGN_OR_RETURN(AppendResult r,
//                    store->Append({.stream_id = "call-1",
//                                   .expected = ExpectedVersion::NoStream(),
//                                   .request_id = "req-1",
//                                   .events = {e}}));
//
// Durability: Append() returns OK only after the events are written to
// RocksDB's WAL and fsync'd. An acknowledged event survives a crash (SIGKILL,
// power loss with an honest disk) and is found again by Open().
//
// Threading: all methods are thread-safe. Concurrent Append() calls are
// group-committed: the first waiting caller becomes the leader, validates and
// writes the appends of every caller queued behind it in one synced
// WriteBatch, and wakes them. The EventStore must outlive its Subscriptions.
#ifndef VAGT_EVENTSTORE_EVENT_STORE_H_
#define VAGT_EVENTSTORE_EVENT_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/clock.h"
#include "vagt/v1/events.pb.h"

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace vagt::eventstore {

// Input limits. Larger input is rejected with INVALID_ARGUMENT naming the
// limit; nothing is appended.
inline constexpr size_t kMaxStreamIdBytes = 128;
inline constexpr size_t kMaxRequestIdBytes = 128;
inline constexpr size_t kMaxMetadataBytes = 256;  // actor, correlation, ...
inline constexpr size_t kMaxPayloadBytes = 64 * 1024;  // one serialized payload
inline constexpr size_t kMaxEventsPerAppend = 1000;
inline constexpr size_t kMaxAppendBytes = 4 * 1024 * 1024;  // all payloads

// The on-disk format this build reads and writes.
inline constexpr uint32_t kFormatVersion = 1;

// What the caller expects the stream's version to be before the append.
class ExpectedVersion {
 public:
  // No check.
  static ExpectedVersion Any() { return ExpectedVersion(kAny); }
  // The stream must not exist yet (its version is 0).
  static ExpectedVersion NoStream() { return ExpectedVersion(0); }
  // The stream's current version must be exactly `version` (0 = no stream).
  static ExpectedVersion Exact(uint64_t version) {
    return ExpectedVersion(version);
  }

  bool is_any() const { return value_ == kAny; }
  // Only meaningful when !is_any().
  uint64_t version() const { return value_; }

 private:
  static constexpr uint64_t kAny = ~uint64_t{0};
  explicit ExpectedVersion(uint64_t value) : value_(value) {}
  uint64_t value_;
};

// One event to append. The store fills in the rest of the envelope.
struct NewEvent {
  // Exactly one event must be set.
  v1::EventPayload payload;
  // When it happened; absl::InfinitePast() means "now" (the store's clock).
  absl::Time occurred_at = absl::InfinitePast();
  std::string actor;
  std::string correlation_id;
  std::string causation_id;
};

struct AppendRequest {
  // 1..kMaxStreamIdBytes of [A-Za-z0-9._:@-]; by convention "<kind>-<id>".
  std::string stream_id;
  ExpectedVersion expected = ExpectedVersion::Any();
  // Idempotency key, up to kMaxRequestIdBytes. A second Append() with the same
  // request id returns the first append's result and appends nothing. Empty:
  // no idempotency. Reusing a request id for another stream or other event
  // types fails with ALREADY_EXISTS.
  std::string request_id;
  // 1..kMaxEventsPerAppend events, appended all or nothing, consecutively.
  std::vector<NewEvent> events;
};

struct AppendResult {
  uint64_t first_position = 0;  // global position of the first event
  uint64_t last_position = 0;   // global position of the last event
  uint64_t stream_version = 0;  // the stream's version after the append
  bool replayed = false;        // true: an earlier append with this request id
};

struct VerifyReport {
  bool ok = true;
  uint64_t events_checked = 0;
  // When !ok: the first position whose stored bytes, hash, or link to its
  // predecessor does not hold, and what is wrong there.
  uint64_t first_bad_position = 0;
  std::string problem;
};

class Subscription;

struct Options {
  std::string path;
  // Not owned; must outlive the store. Stamps recorded_at, which never
  // decreases along the log: if the clock steps back, events keep the last
  // recorded_at until it catches up.
  Clock* clock = &SystemClock();
  // Create an empty store when `path` does not exist or is an empty directory.
  bool create_if_missing = true;
  // Not owned; null means RocksDB's default. Tests pass an Env whose files
  // fail on demand, to check what a failed write does.
  rocksdb::Env* rocksdb_env = nullptr;
  // Called once, on the appending thread, when a storage failure makes the
  // store refuse all further appends (see AppendStatus()); e.g. to turn the
  // server's health check to NOT_SERVING. Must not call back into the store.
  std::function<void(const absl::Status&)> on_appends_refused;
};

class EventStore {
 public:
  // Opens (or creates) the store at options.path and recovers its state.
  // Fails with FAILED_PRECONDITION when the directory holds something that is
  // not a vagt store, or a store of another format version; in that case the
  // directory is left untouched.
  static absl::StatusOr<std::unique_ptr<EventStore>> Open(Options options);

  virtual ~EventStore() = default;

  // Appends request.events to request.stream_id, all or nothing. Returns once
  // they are fsync'd. Errors: INVALID_ARGUMENT (bad input, names the field),
  // ABORTED (expected version does not match: a concurrent change; the
  // message gives the stream's actual version), ALREADY_EXISTS (request id
  // reused for a different append), DATA_LOSS (the log was changed outside
  // vagt; appends are refused until it is repaired), UNAVAILABLE (a storage
  // write or fsync failed: the append may or may not be stored, and the
  // store refuses appends until it is reopened; after that a retry with the
  // same request id stores it exactly once).
  virtual absl::StatusOr<AppendResult> Append(AppendRequest request) = 0;

  // The result of the acknowledged append made with `request_id` (with
  // replayed = true); nullopt when the id was never used. Lets a command
  // handler answer a retry before deciding anything again.
  virtual absl::StatusOr<std::optional<AppendResult>> FindRequest(
      const std::string& request_id) const = 0;

  // Events of one stream with version >= from_version, in version order, at
  // most max_count. An unknown stream gives an empty vector.
  virtual absl::StatusOr<std::vector<v1::EventEnvelope>> ReadStream(
      std::string_view stream_id, uint64_t from_version,
      size_t max_count) const = 0;

  // Events with global position >= from_position, in order, at most max_count.
  virtual absl::StatusOr<std::vector<v1::EventEnvelope>> ReadAll(
      uint64_t from_position, size_t max_count) const = 0;

  // The stream's current version; 0 when it does not exist.
  virtual absl::StatusOr<uint64_t> StreamVersion(
      std::string_view stream_id) const = 0;

  // OK while appends are accepted. Otherwise why every Append now fails:
  // DATA_LOSS when Open found the log changed outside vagt, UNAVAILABLE after
  // a failed storage write (until the store is reopened).
  virtual absl::Status AppendStatus() const = 0;

  // Global position of the last acknowledged event; 0 for an empty store.
  virtual uint64_t LastPosition() const = 0;

  // Blocks until LastPosition() > after_position or `deadline` passes (real
  // time). Returns LastPosition().
  virtual uint64_t WaitForAppend(uint64_t after_position,
                                 absl::Time deadline) const = 0;

  // Calls `handler` on a dedicated thread for every event with position >
  // after_position: first the stored ones (catch-up), then live appends, each
  // exactly once and in global order. A handler error stops the subscription
  // (see Subscription::status()). The handler must not call Subscribe()'s
  // returned object.
  virtual std::unique_ptr<Subscription> Subscribe(
      uint64_t after_position,
      std::function<absl::Status(const v1::EventEnvelope&)> handler) = 0;

  // Walks the hash chain from position 1 and reports the first bad position.
  // An error status means the walk itself failed (I/O), not a broken chain.
  virtual absl::StatusOr<VerifyReport> VerifyChain() const = 0;

  // Named checkpoints for simple consumers (e.g. an outbox relay). Durable
  // (fsync'd) on return. A missing checkpoint reads as 0.
  virtual absl::Status SaveCheckpoint(std::string_view name,
                                      uint64_t position) = 0;
  virtual absl::StatusOr<uint64_t> LoadCheckpoint(
      std::string_view name) const = 0;
};

// A running subscription. Destroying it stops the delivery thread and waits
// for an in-flight handler call to return.
class Subscription {
 public:
  virtual ~Subscription() = default;
  // Position of the last event handed to the handler successfully.
  virtual uint64_t position() const = 0;
  // OK while running or stopped by its owner; the handler's or the store's
  // error otherwise.
  virtual absl::Status status() const = 0;
  // Blocks until position() >= position, the subscription failed, or the
  // deadline passed. Returns whether position() >= position.
  virtual bool WaitUntilDelivered(uint64_t position,
                                  absl::Time deadline) const = 0;
};

}  // namespace vagt::eventstore

#endif  // VAGT_EVENTSTORE_EVENT_STORE_H_
