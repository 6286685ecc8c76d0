// StoreFeed: the EventFeed of embedded mode, reading the local event store in
// global order. Its cursor is the last global position handed out, as
// decimal text.
//
// After handing out a full batch (max_events, so the runner is catching up)
// it reads the next one ahead on a helper thread, so that reading and
// decoding overlap with the runner applying the batch. Next() must not be
// called concurrently with itself.
#ifndef VAGT_PROJECTIONS_STORE_FEED_H_
#define VAGT_PROJECTIONS_STORE_FEED_H_

#include <atomic>
#include <cstdint>
#include <future>
#include <optional>
#include <string>
#include <vector>

#include "eventstore/event_store.h"
#include "projections/event_feed.h"

namespace vagt::projections {

class StoreFeed final : public EventFeed {
 public:
  // `store` must outlive the feed.
  explicit StoreFeed(const eventstore::EventStore& store) : store_(store) {}

  absl::StatusOr<FeedBatch> Next(const std::string& cursor, size_t max_events,
                                 absl::Time deadline) override;
  void Interrupt() override { interrupted_ = true; }

  // The cursor that stands for "after global position `position`".
  static std::string CursorAt(uint64_t position);

 private:
  // The batch after a full one, being read on a helper thread.
  struct ReadAhead {
    uint64_t after = 0;
    size_t max_events = 0;
    std::future<absl::StatusOr<std::vector<v1::EventEnvelope>>> events;
  };
  // The read-ahead for (after, max_events), if there is one and it found
  // events; drops any other.
  std::optional<std::vector<v1::EventEnvelope>> TakeReadAhead(
      uint64_t after, size_t max_events);

  const eventstore::EventStore& store_;
  std::atomic<bool> interrupted_{false};
  // Destroyed first: its destructor waits for the helper thread.
  std::optional<ReadAhead> ahead_;
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_STORE_FEED_H_
