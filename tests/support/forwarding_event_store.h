// ForwardingEventStore: an EventStore that passes every call to another,
// for tests that change one or two calls (hold a subscription back, run a
// hook before a read) and leave the rest as the real store does them.
//
//   class LaggingStore final : public testing::ForwardingEventStore {
//    public:
//     using ForwardingEventStore::ForwardingEventStore;
//     std::unique_ptr<eventstore::Subscription> Subscribe(...) override;
//   };
#ifndef VAGT_TESTS_SUPPORT_FORWARDING_EVENT_STORE_H_
#define VAGT_TESTS_SUPPORT_FORWARDING_EVENT_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "eventstore/event_store.h"

namespace vagt::testing {

class ForwardingEventStore : public eventstore::EventStore {
 public:
  explicit ForwardingEventStore(eventstore::EventStore& inner)
      : inner_(inner) {}

  absl::StatusOr<eventstore::AppendResult> Append(
      eventstore::AppendRequest request) override {
    return inner_.Append(std::move(request));
  }
  absl::StatusOr<std::optional<eventstore::AppendResult>> FindRequest(
      const std::string& request_id) const override {
    return inner_.FindRequest(request_id);
  }
  absl::StatusOr<std::vector<v1::EventEnvelope>> ReadStream(
      std::string_view stream_id, uint64_t from_version,
      size_t max_count) const override {
    return inner_.ReadStream(stream_id, from_version, max_count);
  }
  absl::StatusOr<std::vector<v1::EventEnvelope>> ReadAll(
      uint64_t from_position, size_t max_count) const override {
    return inner_.ReadAll(from_position, max_count);
  }
  absl::StatusOr<uint64_t> StreamVersion(
      std::string_view stream_id) const override {
    return inner_.StreamVersion(stream_id);
  }
  absl::Status AppendStatus() const override { return inner_.AppendStatus(); }
  uint64_t LastPosition() const override { return inner_.LastPosition(); }
  uint64_t WaitForAppend(uint64_t after, absl::Time deadline) const override {
    return inner_.WaitForAppend(after, deadline);
  }
  std::unique_ptr<eventstore::Subscription> Subscribe(
      uint64_t after,
      std::function<absl::Status(const v1::EventEnvelope&)> handler) override {
    return inner_.Subscribe(after, std::move(handler));
  }
  absl::StatusOr<eventstore::VerifyReport> VerifyChain() const override {
    return inner_.VerifyChain();
  }
  absl::Status SaveCheckpoint(std::string_view name,
                              uint64_t position) override {
    return inner_.SaveCheckpoint(name, position);
  }
  absl::StatusOr<uint64_t> LoadCheckpoint(
      std::string_view name) const override {
    return inner_.LoadCheckpoint(name);
  }

 protected:
  eventstore::EventStore& inner() const { return inner_; }

 private:
  eventstore::EventStore& inner_;
};

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SUPPORT_FORWARDING_EVENT_STORE_H_
