// The Kafka feed's bookkeeping (kafka_feed.h), free of Kafka itself: the
// cursor it hands the runner, and the buffer that turns messages consumed
// from many partitions back into the store's global order.
//
// The relay publishes every global position at least once, each stream to
// one partition in order; partitions interleave arbitrarily. The buffer
// holds consumed events until every earlier position has been handed out,
// then hands them out in position order, so the runner sees what a
// StoreFeed would show it (plus, perhaps, redeliveries).
//
//   GlobalOrderBuffer buffer(*KafkaCursor::Parse(stored_cursor));
//   ... for each consumed message:
//   buffer.Add({topic, partition}, offset, std::move(envelope));
//   std::vector<v1::EventEnvelope> events = buffer.Release(max_events);
//   std::string cursor = buffer.Cursor().Format();
//
// Thread-compatible.
#ifndef VAGT_PROJECTIONS_KAFKA_ORDER_H_
#define VAGT_PROJECTIONS_KAFKA_ORDER_H_

#include <compare>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "vagt/v1/events.pb.h"

namespace vagt::projections {

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;

  friend auto operator<=>(const TopicPartition&,
                          const TopicPartition&) = default;
};

// Where a Kafka feed resumes. As text:
//
//   v1;next=124;vagt.calls.v1/0=45;vagt.lines.v1/2=17
//
// `next`: the global position handed out next (1 = none yet). Per
// topic/partition: the offset of the first message not handed out yet;
// every message before it was handed out or repeats a position handed out.
// Re-reading each partition from there therefore finds every position from
// `next` on. A partition not named is read from its beginning. The empty
// text means the beginning of everything.
struct KafkaCursor {
  uint64_t next_position = 1;
  std::map<TopicPartition, int64_t> offsets;

  // INVALID_ARGUMENT, naming the part that is wrong, for malformed text.
  static absl::StatusOr<KafkaCursor> Parse(const std::string& text);
  // The text form; partitions in (topic, partition) order.
  std::string Format() const;
};

// Consumed events, waiting for the positions before them.
//
// Invariants: a partition's consumed offsets ascend (Add drops a message at
// or below an offset already consumed). Every position from next_position()
// on that was consumed is buffered once, and the partition that copy came
// from keeps its cursor offset (its lowest buffered offset, or the offset
// after its last consumed message when it has none buffered) at or below it.
// So the cursor never passes a message still needed; other copies of a
// position may be passed.
class GlobalOrderBuffer {
 public:
  // Resumes at `start`: hands out start.next_position first, and takes a
  // partition's messages from its offset in `start` on.
  explicit GlobalOrderBuffer(const KafkaCursor& start);

  // Where to read `partition` from: after the last message consumed from
  // it, else its offset in the starting cursor; nullopt: from the beginning.
  std::optional<int64_t> FetchOffset(const TopicPartition& partition) const;

  // A message consumed at `offset` of `partition`. Dropped (returns false)
  // if that offset was consumed already, or its position was handed out or
  // is already buffered; otherwise kept until its turn. `event` must have a
  // global position (> 0).
  bool Add(const TopicPartition& partition, int64_t offset,
           v1::EventEnvelope event);

  // Up to `max_events` buffered events from next_position() on, in order,
  // stopping at the first position not consumed yet.
  std::vector<v1::EventEnvelope> Release(size_t max_events);

  // How many events Release could hand out now.
  uint64_t releasable() const;
  // Events buffered (kept, not handed out yet).
  size_t buffered() const { return pending_.size(); }
  // Events buffered from `partition`.
  size_t BufferedFrom(const TopicPartition& partition) const;
  // The position handed out next.
  uint64_t next_position() const { return next_position_; }
  // The highest position handed out or waiting (0: none yet).
  uint64_t highest_position() const {
    return pending_.empty() ? next_position_ - 1 : pending_.rbegin()->first;
  }

  // The cursor after everything released so far.
  KafkaCursor Cursor() const;

 private:
  struct PartitionState {
    // The offset after the last consumed message; the starting cursor's
    // offset before any; nullopt: from the beginning.
    std::optional<int64_t> fetch_offset;
    // Offsets of this partition's buffered events.
    std::set<int64_t> buffered;
  };
  struct Pending {
    v1::EventEnvelope event;
    PartitionState* partition;
    int64_t offset;
  };

  uint64_t next_position_;
  // The highest position p such that next_position_..p are all buffered
  // (next_position_ - 1 when next_position_ is not).
  uint64_t contiguous_end_;
  std::map<TopicPartition, PartitionState> partitions_;
  std::map<uint64_t, Pending> pending_;  // by global position
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_KAFKA_ORDER_H_
