// EventFeed: where a projection runner gets its events. The local event store
// in embedded mode (StoreFeed); a Kafka consumer in distributed mode.
//
// A feed hands out batches after a cursor: an opaque string the feed alone
// understands (a global position here; partition offsets for Kafka). The
// runner stores the cursor in the same write batch as the state the batch
// produced, and passes it back after a restart, so a batch is applied exactly
// once even if the feed redelivers: events at or below the stream version a
// projection already applied are skipped.
#ifndef VAGT_PROJECTIONS_EVENT_FEED_H_
#define VAGT_PROJECTIONS_EVENT_FEED_H_

#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "vagt/v1/events.pb.h"

namespace vagt::projections {

struct FeedBatch {
  // In global position order. A feed may deliver an event again (at least
  // once), but must never skip one nor hand out a later position before an
  // earlier one it has not yet delivered: board snapshots and BoardAt rely
  // on each line's events being applied in log order. A Kafka feed, whose
  // partitions interleave streams, restores that order from the envelopes'
  // gapless global positions before handing events out.
  std::vector<v1::EventEnvelope> events;
  // The cursor after these events: pass it to the next Next().
  std::string cursor;
  // The feed knows it is still behind, although this batch may be short or
  // empty: a Kafka consumer still joining its group, or partitions whose
  // known end lies beyond the cursor. A short batch without it means caught
  // up, which ends the runner's bulk load.
  bool behind = false;
};

class EventFeed {
 public:
  virtual ~EventFeed() = default;

  // Up to `max_events` events after `cursor` ("" = from the beginning).
  // Blocks until at least one is available or `deadline` (real time) passes;
  // then returns an empty batch with the same cursor.
  virtual absl::StatusOr<FeedBatch> Next(const std::string& cursor,
                                         size_t max_events,
                                         absl::Time deadline) = 0;

  // Wakes a Next() blocked in another thread (it returns an empty batch).
  virtual void Interrupt() = 0;
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_EVENT_FEED_H_
