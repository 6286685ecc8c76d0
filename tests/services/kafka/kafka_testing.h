// Shared setup for the Kafka tests: a mock cluster with vagt's topics, a
// consumer that reads every record the topics hold, and the check that what
// Kafka holds is the store's log (at least once, in order per stream).
//
//   ASSERT_OK_AND_ASSIGN(std::unique_ptr<kafka::MockCluster> cluster,
//                        StartClusterWithTopics(3, Topics()));
//   ... relay the store, wait for its checkpoint ...
//   ASSERT_OK_AND_ASSIGN(std::vector<ConsumedRecord> records,
//                        ConsumeAll(cluster->bootstraps(), Topics(),
//                                   absl::Now() + absl::Seconds(30)));
//   EXPECT_TRUE(PublishedLog(records, Topics(), stored, Duplicates::kAllowed));
#ifndef VAGT_TESTS_SERVICES_KAFKA_KAFKA_TESTING_H_
#define VAGT_TESTS_SERVICES_KAFKA_KAFKA_TESTING_H_

#include <gtest/gtest.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/kafka/cloud_events.h"
#include "services/kafka/mock_cluster.h"
#include "services/kafka/topics.h"
#include "vagt/v1/events.pb.h"

namespace vagt::kafka::testing {

// A mock cluster of `brokers` brokers holding `topics`.
absl::StatusOr<std::unique_ptr<MockCluster>> StartClusterWithTopics(
    int brokers, const Topics& topics);

// Producer properties for tests: short reconnect and retry backoffs, so
// the relay finds brokers that come back quickly.
std::map<std::string, std::string> FastRetries();

struct ConsumedRecord {
  std::string topic;
  int32_t partition = 0;
  int64_t offset = 0;
  std::string key;
  std::string value;
  std::vector<KafkaHeader> headers;
};

// Every record of every partition of `topics` (topics.partitions each),
// from the beginning up to each partition's end as of the call: per
// partition in offset order. A fresh consumer, assigned (no group
// coordination).
absl::StatusOr<std::vector<ConsumedRecord>> ConsumeAll(
    const std::string& bootstraps, const Topics& topics, absl::Time deadline);

enum class Duplicates { kNone, kAllowed };

// Success when `records` are the store's events `stored` (all of them, in
// global order) as the relay publishes them: each record decodes
// (DecodeCloudEvent) to the stored envelope of its position, is on the
// topic of its stream; de-duplicated by (stream id, version) they are
// exactly the stored events, and each stream's first occurrences come in
// version order. With Duplicates::kNone no (stream, version) may appear
// twice.
::testing::AssertionResult PublishedLog(
    const std::vector<ConsumedRecord>& records, const Topics& topics,
    const std::vector<v1::EventEnvelope>& stored, Duplicates duplicates);

}  // namespace vagt::kafka::testing

#endif  // VAGT_TESTS_SERVICES_KAFKA_KAFKA_TESTING_H_
