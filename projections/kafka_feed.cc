#include "projections/kafka_feed.h"

#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <climits>
#include <utility>

#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"

namespace vagt::projections {
namespace {

// Polls are this short so that Interrupt() is seen promptly.
constexpr absl::Duration kPollSlice = absl::Milliseconds(50);
// Messages taken in one go without waiting, before looking at the clock.
constexpr int kDrainLimit = 10'000;
// With partitions paused and nothing arriving for this long, the feed
// resumes them (see kafka_feed.h).
constexpr absl::Duration kStalled = absl::Seconds(1);

// The properties the feed sets itself.
constexpr const char* kOwnProperties[] = {
    "bootstrap.servers",  "group.id",
    "enable.auto.commit", "enable.auto.offset.store",
    "auto.offset.reset",  "partition.assignment.strategy"};

struct PartitionListDeleter {
  void operator()(rd_kafka_topic_partition_list_t* list) const {
    rd_kafka_topic_partition_list_destroy(list);
  }
};
using PartitionList =
    std::unique_ptr<rd_kafka_topic_partition_list_t, PartitionListDeleter>;

struct MessageDeleter {
  void operator()(rd_kafka_message_t* message) const {
    rd_kafka_message_destroy(message);
  }
};
using Message = std::unique_ptr<rd_kafka_message_t, MessageDeleter>;

struct ConfDeleter {
  void operator()(rd_kafka_conf_t* conf) const { rd_kafka_conf_destroy(conf); }
};

PartitionList ListOf(const std::set<TopicPartition>& partitions) {
  PartitionList list(
      rd_kafka_topic_partition_list_new(static_cast<int>(partitions.size())));
  for (const TopicPartition& p : partitions) {
    rd_kafka_topic_partition_list_add(list.get(), p.topic.c_str(), p.partition);
  }
  return list;
}

// The partitions of `list`, each with its element.
template <typename F>
void ForEach(rd_kafka_topic_partition_list_t& list, F f) {
  for (int i = 0; i < list.cnt; ++i) {
    rd_kafka_topic_partition_t& element = list.elems[i];
    f(TopicPartition{element.topic, element.partition}, element);
  }
}

int Milliseconds(absl::Duration d) {
  return static_cast<int>(absl::ToInt64Milliseconds(d));
}

}  // namespace

absl::StatusOr<std::unique_ptr<KafkaFeed>> KafkaFeed::Create(Options options) {
  if (options.bootstrap_servers.empty() || options.group_id.empty() ||
      options.topics.empty() || options.max_buffered == 0) {
    return absl::InvalidArgumentError(
        "kafka feed: bootstrap_servers, group_id, topics and max_buffered "
        "must all be given");
  }
  for (const char* own : kOwnProperties) {
    if (options.consumer_config.contains(own)) {
      return absl::InvalidArgumentError(absl::StrCat(
          "kafka feed: consumer property ", own, " is the feed's own"));
    }
  }
  std::unique_ptr<KafkaFeed> feed(new KafkaFeed(std::move(options)));
  const Options& o = feed->options_;

  std::unique_ptr<rd_kafka_conf_t, ConfDeleter> conf(rd_kafka_conf_new());
  char error[512];
  auto set = [&](const std::string& name,
                 const std::string& value) -> absl::Status {
    if (rd_kafka_conf_set(conf.get(), name.c_str(), value.c_str(), error,
                          sizeof error) == RD_KAFKA_CONF_OK) {
      return absl::OkStatus();
    }
    return absl::InvalidArgumentError(
        absl::StrCat("kafka feed: consumer property ", name, ": ", error));
  };
  RETURN_IF_ERROR(set("bootstrap.servers", o.bootstrap_servers));
  RETURN_IF_ERROR(set("group.id", o.group_id));
  // Where to start is the runner's cursor, not the group's offsets.
  RETURN_IF_ERROR(set("enable.auto.commit", "false"));
  RETURN_IF_ERROR(set("enable.auto.offset.store", "false"));
  RETURN_IF_ERROR(set("auto.offset.reset", "earliest"));
  // Eager: Reset() replaces the whole assignment with rd_kafka_assign.
  RETURN_IF_ERROR(set("partition.assignment.strategy", "range"));
  // A default (consumer_config may override it). librdkafka's 500 ms costs
  // nothing against a real broker, which answers a waiting Fetch as soon as
  // records arrive; librdkafka's mock cluster (embedded mode, tests) holds
  // an empty Fetch for the whole wait even when records arrive meanwhile, so
  // there events became visible up to 500 ms after their append
  // (vagt-bench kafka). 10 ms bounds that, at the price of up to ~100 empty
  // fetches a second per broker while a real cluster is idle.
  RETURN_IF_ERROR(set("fetch.wait.max.ms", "10"));
  for (const auto& [name, value] : o.consumer_config) {
    RETURN_IF_ERROR(set(name, value));
  }
  rd_kafka_conf_set_opaque(conf.get(), feed.get());
  // A lambda in a member function may call the private Rebalance.
  rd_kafka_conf_set_rebalance_cb(
      conf.get(),
      [](rd_kafka_t*, rd_kafka_resp_err_t err,
         rd_kafka_topic_partition_list_t* partitions, void* opaque) {
        static_cast<KafkaFeed*>(opaque)->Rebalance(
            err == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS, partitions);
      });
  feed->consumer_ =
      rd_kafka_new(RD_KAFKA_CONSUMER, conf.get(), error, sizeof error);
  if (feed->consumer_ == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("kafka feed: cannot create the consumer: ", error));
  }
  conf.release();  // owned by the consumer now
  // Rebalances and errors are served by rd_kafka_consumer_poll.
  rd_kafka_poll_set_consumer(feed->consumer_);
  PartitionList topics(
      rd_kafka_topic_partition_list_new(static_cast<int>(o.topics.size())));
  for (const std::string& topic : o.topics) {
    rd_kafka_topic_partition_list_add(topics.get(), topic.c_str(),
                                      RD_KAFKA_PARTITION_UA);
  }
  if (rd_kafka_resp_err_t err =
          rd_kafka_subscribe(feed->consumer_, topics.get());
      err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::InvalidArgumentError(
        absl::StrCat("kafka feed: cannot subscribe: ", rd_kafka_err2str(err)));
  }
  return feed;
}

KafkaFeed::KafkaFeed(Options options)
    : options_(std::move(options)),
      buffer_(std::make_unique<GlobalOrderBuffer>(KafkaCursor{})) {}

KafkaFeed::~KafkaFeed() {
  if (consumer_ == nullptr) return;
  // Leaves the group (serving the final revocation) before destroying.
  rd_kafka_consumer_close(consumer_);
  rd_kafka_destroy(consumer_);
}

absl::StatusOr<FeedBatch> KafkaFeed::Next(const std::string& cursor,
                                          size_t max_events,
                                          absl::Time deadline) {
  if (max_events == 0) {
    return absl::InvalidArgumentError("kafka feed: max_events must be > 0");
  }
  absl::Status status;
  if (!started_ || cursor != cursor_) status = Reset(cursor);
  if (status.ok()) status = WaitForEvents(max_events, deadline);
  if (!status.ok()) {
    started_ = false;  // start over from the runner's cursor next time
    UpdateProgress();
    return status;
  }
  FeedBatch batch;
  batch.events = buffer_->Release(max_events);
  if (!batch.events.empty()) {
    const KafkaCursor after = buffer_->Cursor();
    cursor_ = after.Format();
    throttle_off_ = false;
    ResumeCaughtUp();
    CommitOffsets(after);
  }
  batch.cursor = cursor_;
  batch.behind = Behind();
  UpdateProgress();
  return batch;
}

bool KafkaFeed::Behind() const {
  // Not yet in the group: nothing is known of where the ends are.
  if (assigned_.empty()) return true;
  if (buffer_->releasable() > 0) return true;
  for (const TopicPartition& p : assigned_) {
    // The end as of the partition's last fetch response (empty ones
    // included); unknown until the first, which counts as behind.
    int64_t low = RD_KAFKA_OFFSET_INVALID;
    int64_t high = RD_KAFKA_OFFSET_INVALID;
    if (rd_kafka_get_watermark_offsets(consumer_, p.topic.c_str(), p.partition,
                                       &low,
                                       &high) != RD_KAFKA_RESP_ERR_NO_ERROR ||
        high < 0) {
      return true;
    }
    // The event topics keep everything (deploy/kafka.md), so a partition
    // not read from yet starts at 0.
    if (high > buffer_->FetchOffset(p).value_or(0)) return true;
  }
  return false;
}

absl::Status KafkaFeed::Reset(const std::string& cursor) {
  ASSIGN_OR_RETURN(const KafkaCursor start, KafkaCursor::Parse(cursor));
  ResumeAll();
  buffer_ = std::make_unique<GlobalOrderBuffer>(start);
  throttle_off_ = false;
  started_ = true;
  cursor_ = cursor;
  // Re-read what this member holds from the new offsets. Assigning drops
  // whatever was fetched from the old ones.
  rd_kafka_topic_partition_list_t* current = nullptr;
  rd_kafka_resp_err_t err = rd_kafka_assignment(consumer_, &current);
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat(
        "kafka feed: reading the assignment: ", rd_kafka_err2str(err)));
  }
  PartitionList assignment(current);
  assigned_.clear();
  if (assignment->cnt == 0) return absl::OkStatus();
  SetFetchOffsets(*assignment);
  err = rd_kafka_assign(consumer_, assignment.get());
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    return absl::UnavailableError(absl::StrCat(
        "kafka feed: assigning partitions: ", rd_kafka_err2str(err)));
  }
  return absl::OkStatus();
}

absl::Status KafkaFeed::WaitForEvents(size_t max_events, absl::Time deadline) {
  // What has arrived already, even with a deadline in the past.
  RETURN_IF_ERROR(Consume(absl::ZeroDuration(), max_events));
  while (buffer_->releasable() == 0) {
    const absl::Time now = absl::Now();
    if (interrupted_.exchange(false) || now >= deadline) break;
    if (!paused_.empty() && now - last_message_ > kStalled) {
      ResumeAll();
      throttle_off_ = true;
    }
    RETURN_IF_ERROR(Consume(std::min(deadline - now, kPollSlice), max_events));
  }
  return absl::OkStatus();
}

absl::Status KafkaFeed::Consume(absl::Duration wait, uint64_t want) {
  Message message(rd_kafka_consumer_poll(consumer_, Milliseconds(wait)));
  for (int taken = 1; message != nullptr; ++taken) {
    RETURN_IF_ERROR(Take(*message));
    if (buffer_->releasable() >= want || taken >= kDrainLimit) break;
    message.reset(rd_kafka_consumer_poll(consumer_, 0));
  }
  return std::exchange(rebalance_error_, absl::OkStatus());
}

absl::Status KafkaFeed::Take(const rd_kafka_message_t& message) {
  if (message.err == RD_KAFKA_RESP_ERR__FATAL) {
    char reason[512];
    rd_kafka_fatal_error(consumer_, reason, sizeof reason);
    return absl::UnavailableError(
        absl::StrCat("kafka feed: the consumer failed: ", reason));
  }
  if (message.err == RD_KAFKA_RESP_ERR__PARTITION_EOF) return absl::OkStatus();
  if (message.err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    // Transient (a broker down, a topic not created yet): librdkafka
    // retries. The text is librdkafka's, never a payload.
    last_error_ = rd_kafka_message_errstr(&message);
    return absl::OkStatus();
  }
  TopicPartition partition{rd_kafka_topic_name(message.rkt), message.partition};
  v1::EventEnvelope event;
  if (message.len > static_cast<size_t>(INT_MAX) ||
      !event.ParseFromArray(message.payload, static_cast<int>(message.len)) ||
      event.global_position() == 0) {
    return absl::DataLossError(
        absl::StrCat("kafka feed: the message at ", partition.topic, "/",
                     partition.partition, " offset ", message.offset,
                     " is not an event envelope"));
  }
  last_message_ = absl::Now();
  if (buffer_->Add(partition, message.offset, std::move(event))) {
    peak_buffered_ = std::max(peak_buffered_, buffer_->buffered());
    Throttle(partition);
  }
  return absl::OkStatus();
}

size_t KafkaFeed::FairShare() const {
  return std::max<size_t>(
      1, options_.max_buffered / std::max<size_t>(1, assigned_.size()));
}

void KafkaFeed::Throttle(const TopicPartition& partition) {
  if (throttle_off_ || buffer_->buffered() <= options_.max_buffered) return;
  if (buffer_->BufferedFrom(partition) <= FairShare()) return;
  if (!assigned_.contains(partition) || paused_.contains(partition)) return;
  PartitionList list = ListOf({partition});
  rd_kafka_pause_partitions(consumer_, list.get());
  paused_.insert(partition);
}

void KafkaFeed::ResumeCaughtUp() {
  if (paused_.empty()) return;
  if (buffer_->buffered() <= options_.max_buffered / 2) {
    ResumeAll();
    return;
  }
  // Resumed before its last waiting event is handed out, so that its next
  // fetch overlaps with handing out the rest: once none waits, it may hold
  // the next position due.
  const size_t low = FairShare() / 2;
  std::set<TopicPartition> resume;
  for (const TopicPartition& partition : paused_) {
    if (buffer_->BufferedFrom(partition) <= low) resume.insert(partition);
  }
  if (resume.empty()) return;
  PartitionList list = ListOf(resume);
  rd_kafka_resume_partitions(consumer_, list.get());
  for (const TopicPartition& partition : resume) paused_.erase(partition);
}

void KafkaFeed::ResumeAll() {
  if (paused_.empty()) return;
  PartitionList list = ListOf(paused_);
  rd_kafka_resume_partitions(consumer_, list.get());
  paused_.clear();
}

void KafkaFeed::SetFetchOffsets(rd_kafka_topic_partition_list_t& partitions) {
  ForEach(partitions, [&](TopicPartition partition,
                          rd_kafka_topic_partition_t& element) {
    element.offset =
        buffer_->FetchOffset(partition).value_or(RD_KAFKA_OFFSET_BEGINNING);
    assigned_.insert(std::move(partition));
  });
}

void KafkaFeed::Rebalance(bool assign,
                          rd_kafka_topic_partition_list_t* partitions) {
  // A revoked partition keeps its buffered events (they are the log's, not
  // the member's); it is fetched from after them if it comes back.
  ResumeAll();
  assigned_.clear();
  rd_kafka_resp_err_t err = RD_KAFKA_RESP_ERR_NO_ERROR;
  if (assign) {
    SetFetchOffsets(*partitions);
    err = rd_kafka_assign(consumer_, partitions);
  } else {
    err = rd_kafka_assign(consumer_, nullptr);
  }
  if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
    rebalance_error_ = absl::UnavailableError(absl::StrCat(
        "kafka feed: assigning partitions: ", rd_kafka_err2str(err)));
  }
}

void KafkaFeed::CommitOffsets(const KafkaCursor& cursor) {
  PartitionList list(rd_kafka_topic_partition_list_new(
      static_cast<int>(cursor.offsets.size())));
  for (const auto& [partition, offset] : cursor.offsets) {
    if (!assigned_.contains(partition)) continue;
    rd_kafka_topic_partition_list_add(list.get(), partition.topic.c_str(),
                                      partition.partition)
        ->offset = offset;
  }
  // For monitoring only; a failed commit changes nothing.
  if (list->cnt > 0) rd_kafka_commit(consumer_, list.get(), /*async=*/1);
}

void KafkaFeed::UpdateProgress() {
  absl::MutexLock lock(&mu_);
  progress_.handed_out = buffer_->next_position() - 1;
  progress_.highest_seen = buffer_->highest_position();
  progress_.buffered = buffer_->buffered();
  progress_.peak_buffered = peak_buffered_;
  progress_.assigned_partitions = assigned_.size();
  progress_.last_error = last_error_;
}

KafkaFeed::Progress KafkaFeed::progress() const {
  absl::MutexLock lock(&mu_);
  return progress_;
}

}  // namespace vagt::projections
