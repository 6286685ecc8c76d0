// RocksEventStore::Subscribe: one thread per subscription that reads the log
// in batches from its position and, when it has caught up, waits for the next
// published append. Catch-up and live delivery are the same loop over the
// same ordered log, so the switch between them can neither skip nor repeat.
#include <atomic>
#include <thread>

#include "eventstore/rocks_event_store.h"

namespace vagt::eventstore {
namespace {

constexpr size_t kBatch = 256;
// How long one wait for appends lasts before the thread checks for stop.
constexpr absl::Duration kStopCheckInterval = absl::Milliseconds(50);

class LogSubscription final : public Subscription {
 public:
  LogSubscription(const EventStore& store, uint64_t after_position,
                  std::function<absl::Status(const v1::EventEnvelope&)> handler)
      : store_(store),
        handler_(std::move(handler)),
        delivered_(after_position) {
    thread_ = std::thread([this] { Run(); });
  }

  ~LogSubscription() override {
    stop_.store(true);
    thread_.join();
  }

  uint64_t position() const override {
    absl::MutexLock lock(&mu_);
    return delivered_;
  }

  absl::Status status() const override {
    absl::MutexLock lock(&mu_);
    return status_;
  }

  bool WaitUntilDelivered(uint64_t position,
                          absl::Time deadline) const override {
    absl::MutexLock lock(&mu_);
    auto reached = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
      return delivered_ >= position || !status_.ok();
    };
    mu_.AwaitWithDeadline(absl::Condition(&reached), deadline);
    return delivered_ >= position;
  }

 private:
  void Run() {
    uint64_t next = position() + 1;
    while (!stop_.load()) {
      absl::StatusOr<std::vector<v1::EventEnvelope>> batch =
          store_.ReadAll(next, kBatch);
      if (!batch.ok()) return Fail(batch.status());
      if (batch->empty()) {
        store_.WaitForAppend(next - 1, absl::Now() + kStopCheckInterval);
        continue;
      }
      for (const v1::EventEnvelope& e : *batch) {
        if (stop_.load()) return;
        if (absl::Status s = handler_(e); !s.ok()) return Fail(s);
        absl::MutexLock lock(&mu_);
        delivered_ = e.global_position();
      }
      next = batch->back().global_position() + 1;
    }
  }

  void Fail(absl::Status s) {
    absl::MutexLock lock(&mu_);
    status_ = std::move(s);
  }

  const EventStore& store_;
  const std::function<absl::Status(const v1::EventEnvelope&)> handler_;
  std::atomic<bool> stop_{false};
  mutable absl::Mutex mu_;
  uint64_t delivered_ ABSL_GUARDED_BY(mu_);
  absl::Status status_ ABSL_GUARDED_BY(mu_);
  std::thread thread_;  // last: started once every other member exists
};

}  // namespace

std::unique_ptr<Subscription> RocksEventStore::Subscribe(
    uint64_t after_position,
    std::function<absl::Status(const v1::EventEnvelope&)> handler) {
  return std::make_unique<LogSubscription>(*this, after_position,
                                           std::move(handler));
}

}  // namespace vagt::eventstore
