// KafkaFeed: the EventFeed of distributed mode. It consumes the topics the
// outbox relay publishes (value = a serialized vagt.v1.EventEnvelope, key =
// its stream id; headers are not read) as a member of a consumer group, and
// hands the events out in global position order.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<KafkaFeed> feed, KafkaFeed::Create({
//       .bootstrap_servers = "broker-1:9092",
//       .group_id = "vagt-projections",
//       .topics = kafka::Topics().All()}));
//   ASSIGN_OR_RETURN(auto runner, ProjectionRunner::Open(path,
//                                                        std::move(feed)));
//
// Order: the relay publishes every global position at least once, each
// stream to one partition in order, while partitions and topics interleave
// arbitrarily. The feed buffers what it consumes and hands out only the
// positions contiguous from the next one due (kafka_order.h); a position
// below it is a redelivery and is dropped.
//
// Where it starts: from the cursor the runner stored with its state, never
// from the offsets committed to Kafka. The cursor names the next position
// and, per partition, the offset of the first message not handed out yet,
// so a restarted feed re-reads exactly what was buffered but not handed
// out. Offsets are committed to the group asynchronously after each batch,
// for monitoring (consumer lag) only.
//
// One member per group: restoring the global order needs every partition
// of every topic. A second member of the same group takes partitions away;
// the feed keeps working but stops at the first position that lives on a
// partition it does not hold (it never skips it). The same happens if a
// position was never published, or has been deleted by retention before
// the feed read it.
//
// Memory: about `max_buffered` events wait for an earlier position (at
// most about twice that, plus one per partition). Past it, a partition with
// more than its share (max_buffered / assigned partitions) waiting is
// paused, so the partitions behind are fetched, and resumed when half its
// share is left waiting (all are, below half of max_buffered). A partition
// holding the next position due has nothing waiting (positions ascend within a
// partition), so it is never paused; should nothing arrive for a second while
// partitions are paused, they are resumed and pausing stops until an event is
// handed out, so a partition delivering out of position order cannot stall the
// feed.
//
// Threading: Next() is called by one thread at a time (the runner's);
// Interrupt() and progress() from any thread. Destroying the feed closes
// the consumer (leaving the group); no Next() may be running then.
#ifndef VAGT_PROJECTIONS_KAFKA_FEED_H_
#define VAGT_PROJECTIONS_KAFKA_FEED_H_

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "projections/event_feed.h"
#include "projections/kafka_order.h"

typedef struct rd_kafka_s rd_kafka_t;
typedef struct rd_kafka_message_s rd_kafka_message_t;
typedef struct rd_kafka_topic_partition_list_s rd_kafka_topic_partition_list_t;

namespace vagt::projections {

class KafkaFeed final : public EventFeed {
 public:
  struct Options {
    // "host:port,..." (bootstrap.servers).
    std::string bootstrap_servers;
    // The consumer group (group.id); one member per group (see above).
    std::string group_id = "vagt-projections";
    // Every topic the relay publishes to (kafka::Topics::All()).
    std::vector<std::string> topics;
    // More librdkafka consumer properties (e.g. timeouts in tests). The
    // feed's own properties (bootstrap.servers, group.id,
    // enable.auto.commit, enable.auto.offset.store, auto.offset.reset,
    // partition.assignment.strategy) cannot be overridden; its default
    // fetch.wait.max.ms of 10 (not librdkafka's 500: see kafka_feed.cc) can.
    std::map<std::string, std::string> consumer_config;
    // Events buffered while waiting for an earlier position before the
    // partitions ahead are paused.
    size_t max_buffered = 100'000;
  };

  // Creates the consumer and subscribes to the topics; the group is joined
  // during the first Next(). INVALID_ARGUMENT for bad options (naming the
  // property librdkafka refused).
  static absl::StatusOr<std::unique_ptr<KafkaFeed>> Create(Options options);
  ~KafkaFeed() override;
  KafkaFeed(const KafkaFeed&) = delete;
  KafkaFeed& operator=(const KafkaFeed&) = delete;

  // Up to `max_events` events after `cursor`, in global position order.
  // When `cursor` is not the one this feed returned last (a first call, a
  // restart, a batch the runner discarded), the feed starts over from it.
  // Errors: INVALID_ARGUMENT for a malformed cursor; DATA_LOSS for a
  // message that is not an event envelope (naming its topic, partition and
  // offset); UNAVAILABLE when the consumer failed fatally. Transient Kafka
  // errors (a broker down, a leader moving) are retried by librdkafka; the
  // latest one shows in progress().
  absl::StatusOr<FeedBatch> Next(const std::string& cursor, size_t max_events,
                                 absl::Time deadline) override;
  // Makes the running (or else the next) Next() return an empty batch
  // within about 50 ms.
  void Interrupt() override { interrupted_ = true; }

  // As of the end of the last Next().
  struct Progress {
    // The global position handed out last (0: none yet).
    uint64_t handed_out = 0;
    // The highest global position consumed: handed out, or waiting for an
    // earlier one. The log holds at least this much.
    uint64_t highest_seen = 0;
    // Events consumed and waiting for an earlier position.
    size_t buffered = 0;
    // The most events that ever waited at once.
    size_t peak_buffered = 0;
    // Partitions assigned to this member.
    size_t assigned_partitions = 0;
    // The latest transient consumer error ("" if none yet).
    std::string last_error;
  };
  Progress progress() const;

 private:
  explicit KafkaFeed(Options options);

  // Starts over from `cursor`: a new buffer, and the assigned partitions
  // re-read from its offsets.
  absl::Status Reset(const std::string& cursor);
  // Consumes until an event can be handed out, `deadline` passes or
  // Interrupt() is called.
  absl::Status WaitForEvents(size_t max_events, absl::Time deadline);
  // Polls for up to `wait`, then takes what has already arrived, until
  // `want` events can be handed out.
  absl::Status Consume(absl::Duration wait, uint64_t want);
  absl::Status Take(const rd_kafka_message_t& message);
  // Over max_buffered, pauses `partition` (which has events waiting) if
  // more than its fair share of the buffer waits from it.
  void Throttle(const TopicPartition& partition);
  // Resumes the paused partitions down to half their fair share, or all
  // below half of max_buffered.
  void ResumeCaughtUp();
  size_t FairShare() const;  // max_buffered / assigned partitions
  void ResumeAll();
  // Sets each partition's offset to where the buffer continues it, and
  // records it as assigned.
  void SetFetchOffsets(rd_kafka_topic_partition_list_t& partitions);
  // Commits `cursor`'s offsets of the assigned partitions, asynchronously.
  void CommitOffsets(const KafkaCursor& cursor);
  void UpdateProgress();
  // Whether more is known to be ready than was handed out (FeedBatch::behind).
  bool Behind() const;

  // The rebalance callback (served inside Next() and the destructor):
  // assigns the partitions at the buffer's offsets, never at the group's
  // committed ones.
  void Rebalance(bool assign, rd_kafka_topic_partition_list_t* partitions);

  const Options options_;
  rd_kafka_t* consumer_ = nullptr;
  std::atomic<bool> interrupted_{false};

  // Used by the thread in Next() (and the rebalance callback it serves).
  bool started_ = false;
  std::string cursor_;  // the cursor returned last
  std::unique_ptr<GlobalOrderBuffer> buffer_;
  std::set<TopicPartition> assigned_;
  std::set<TopicPartition> paused_;
  // No pausing until an event is handed out (see above).
  bool throttle_off_ = false;
  absl::Time last_message_ = absl::InfinitePast();
  size_t peak_buffered_ = 0;
  std::string last_error_;
  absl::Status rebalance_error_;

  mutable absl::Mutex mu_;
  Progress progress_ ABSL_GUARDED_BY(mu_);
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_KAFKA_FEED_H_
