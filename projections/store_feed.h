// StoreFeed: the EventFeed of embedded mode, reading the local event store in
// global order. Its cursor is the last global position handed out, as
// decimal text.
#ifndef VAGT_PROJECTIONS_STORE_FEED_H_
#define VAGT_PROJECTIONS_STORE_FEED_H_

#include <atomic>
#include <string>

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
  const eventstore::EventStore& store_;
  std::atomic<bool> interrupted_{false};
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_STORE_FEED_H_
