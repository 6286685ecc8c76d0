#include "tests/services/kafka/kafka_testing.h"

#include <librdkafka/rdkafka.h>

#include <set>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/util/message_differencer.h"

namespace vagt::kafka::testing {
namespace {

using TopicPartition = std::pair<std::string, int32_t>;

int MillisUntil(absl::Time deadline) {
  return static_cast<int>(
      std::max<int64_t>(0, absl::ToInt64Milliseconds(deadline - absl::Now())));
}

absl::StatusOr<rd_kafka_t*> NewConsumer(const std::string& bootstraps) {
  char error[512];
  rd_kafka_conf_t* conf = rd_kafka_conf_new();
  const std::pair<const char*, const char*> properties[] = {
      {"bootstrap.servers", bootstraps.c_str()},
      {"group.id", "vagt-kafka-tests"},
      {"enable.auto.commit", "false"},
      {"auto.offset.reset", "earliest"},
      {"log.connection.close", "false"},
  };
  for (const auto& [name, value] : properties) {
    if (rd_kafka_conf_set(conf, name, value, error, sizeof error) !=
        RD_KAFKA_CONF_OK) {
      rd_kafka_conf_destroy(conf);
      return absl::InvalidArgumentError(error);
    }
  }
  rd_kafka_t* consumer =
      rd_kafka_new(RD_KAFKA_CONSUMER, conf, error, sizeof error);
  if (consumer == nullptr) {
    rd_kafka_conf_destroy(conf);
    return absl::InternalError(error);
  }
  rd_kafka_poll_set_consumer(consumer);
  return consumer;
}

std::vector<KafkaHeader> HeadersOf(const rd_kafka_message_t& message) {
  std::vector<KafkaHeader> out;
  rd_kafka_headers_t* headers = nullptr;
  if (rd_kafka_message_headers(&message, &headers) !=
      RD_KAFKA_RESP_ERR_NO_ERROR) {
    return out;
  }
  const char* name;
  const void* value;
  size_t size;
  for (size_t i = 0;
       rd_kafka_header_get_all(headers, i, &name, &value, &size) ==
       RD_KAFKA_RESP_ERR_NO_ERROR;
       ++i) {
    out.push_back({name, std::string(static_cast<const char*>(value), size)});
  }
  return out;
}

}  // namespace

absl::StatusOr<std::unique_ptr<MockCluster>> StartClusterWithTopics(
    int brokers, const Topics& topics) {
  absl::StatusOr<std::unique_ptr<MockCluster>> cluster =
      MockCluster::Start(brokers);
  if (!cluster.ok()) return cluster.status();
  if (absl::Status s = (*cluster)->CreateTopics(topics); !s.ok()) return s;
  return cluster;
}

std::map<std::string, std::string> FastRetries() {
  return {{"reconnect.backoff.ms", "10"},
          {"reconnect.backoff.max.ms", "100"},
          {"retry.backoff.ms", "20"},
          {"topic.metadata.refresh.fast.interval.ms", "50"}};
}

absl::StatusOr<std::vector<ConsumedRecord>> ConsumeAll(
    const std::string& bootstraps, const Topics& topics, absl::Time deadline) {
  absl::StatusOr<rd_kafka_t*> made = NewConsumer(bootstraps);
  if (!made.ok()) return made.status();
  rd_kafka_t* consumer = *made;
  absl::Status status;
  std::vector<ConsumedRecord> records;
  // The offset each partition must reach (its end when we started).
  std::map<TopicPartition, int64_t> ends;
  rd_kafka_topic_partition_list_t* assignment =
      rd_kafka_topic_partition_list_new(0);
  for (const std::string& topic : topics.All()) {
    for (int32_t p = 0; p < topics.partitions && status.ok(); ++p) {
      int64_t low = 0, high = 0;
      rd_kafka_resp_err_t err = rd_kafka_query_watermark_offsets(
          consumer, topic.c_str(), p, &low, &high, MillisUntil(deadline));
      if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
        status = absl::UnavailableError(absl::StrCat(
            "watermarks of ", topic, "/", p, ": ", rd_kafka_err2str(err)));
      } else if (high > low) {
        ends[{topic, p}] = high;
        rd_kafka_topic_partition_list_add(assignment, topic.c_str(), p)
            ->offset = RD_KAFKA_OFFSET_BEGINNING;
      }
    }
  }
  if (status.ok() && !ends.empty()) {
    rd_kafka_resp_err_t err = rd_kafka_assign(consumer, assignment);
    if (err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      status = absl::InternalError(rd_kafka_err2str(err));
    }
  }
  rd_kafka_topic_partition_list_destroy(assignment);
  std::map<TopicPartition, int64_t> reached;
  while (status.ok() && reached.size() < ends.size()) {
    if (absl::Now() > deadline) {
      status = absl::DeadlineExceededError(
          absl::StrCat("consumed ", records.size(), " records; ",
                       ends.size() - reached.size(), " partitions not read"));
      break;
    }
    rd_kafka_message_t* message = rd_kafka_consumer_poll(consumer, 100);
    if (message == nullptr) continue;
    if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      // Partition EOF and transient errors: keep polling until the deadline.
      rd_kafka_message_destroy(message);
      continue;
    }
    ConsumedRecord record;
    record.topic = rd_kafka_topic_name(message->rkt);
    record.partition = message->partition;
    record.offset = message->offset;
    record.key.assign(static_cast<const char*>(message->key), message->key_len);
    record.value.assign(static_cast<const char*>(message->payload),
                        message->len);
    record.headers = HeadersOf(*message);
    rd_kafka_message_destroy(message);
    const TopicPartition tp{record.topic, record.partition};
    if (record.offset >= ends[tp] - 1) reached[tp] = record.offset;
    if (record.offset < ends[tp]) records.push_back(std::move(record));
  }
  rd_kafka_consumer_close(consumer);
  rd_kafka_destroy(consumer);
  if (!status.ok()) return status;
  return records;
}

::testing::AssertionResult PublishedLog(
    const std::vector<ConsumedRecord>& records, const Topics& topics,
    const std::vector<v1::EventEnvelope>& stored, Duplicates duplicates) {
  for (size_t i = 0; i < stored.size(); ++i) {
    if (stored[i].global_position() != i + 1) {
      return ::testing::AssertionFailure()
             << "the stored log is not complete at index " << i;
    }
  }
  // Per stream: the highest version seen so far, and its partition.
  std::map<std::string, uint64_t> seen_version;
  std::map<std::string, TopicPartition> partition_of;
  std::set<uint64_t> published;
  for (const ConsumedRecord& record : records) {
    const std::string where =
        absl::StrCat(record.topic, "/", record.partition, "@", record.offset);
    absl::StatusOr<v1::EventEnvelope> event =
        DecodeCloudEvent(record.key, record.value, record.headers);
    if (!event.ok()) {
      return ::testing::AssertionFailure() << where << ": " << event.status();
    }
    const uint64_t position = event->global_position();
    if (position < 1 || position > stored.size()) {
      return ::testing::AssertionFailure()
             << where << ": position " << position << " is not stored";
    }
    if (!google::protobuf::util::MessageDifferencer::Equals(
            *event, stored[position - 1])) {
      return ::testing::AssertionFailure() << where << ": position " << position
                                           << " differs from the stored event";
    }
    if (record.topic != topics.For(event->stream_id())) {
      return ::testing::AssertionFailure()
             << where << ": stream " << event->stream_id()
             << " belongs on topic " << topics.For(event->stream_id());
    }
    const TopicPartition tp{record.topic, record.partition};
    auto [it, first] = partition_of.emplace(event->stream_id(), tp);
    if (!first && it->second != tp) {
      return ::testing::AssertionFailure()
             << where << ": stream " << event->stream_id()
             << " is also on partition " << it->second.second;
    }
    uint64_t& version = seen_version[event->stream_id()];
    if (event->stream_version() == version + 1) {
      version = event->stream_version();
      published.insert(position);
    } else if (event->stream_version() > version) {
      return ::testing::AssertionFailure()
             << where << ": stream " << event->stream_id() << " version "
             << event->stream_version() << " comes after version " << version;
    } else if (duplicates == Duplicates::kNone) {
      return ::testing::AssertionFailure()
             << where << ": stream " << event->stream_id() << " version "
             << event->stream_version() << " is published twice";
    }
  }
  if (published.size() != stored.size()) {
    uint64_t missing = 1;
    while (published.count(missing) > 0) ++missing;
    return ::testing::AssertionFailure()
           << published.size() << " of " << stored.size()
           << " events are published; the first missing is position "
           << missing;
  }
  return ::testing::AssertionSuccess();
}

}  // namespace vagt::kafka::testing
