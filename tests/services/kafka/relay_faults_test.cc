// The outbox relay and a Kafka-fed projection while Kafka misbehaves: events
// are appended from another thread without pause while Produce requests fail
// with retriable errors, brokers go down (their partitions' leaders moving to
// a live broker) and come back, and finally the whole cluster is down for a
// while. Every append succeeds; afterwards Kafka holds every stored event, at
// least once, each stream in order, and the projection fed from Kafka
// throughout is exactly the one fed from the store: each (stream, version)
// applied once, in order.
#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "projections/kafka_feed.h"
#include "projections/runner.h"
#include "projections/store_feed.h"
#include "services/kafka/mock_cluster.h"
#include "services/kafka/relay.h"
#include "services/kafka/topics.h"
#include "tests/eventstore/test_store.h"
#include "tests/projections/event_generator.h"
#include "tests/projections/projection_testing.h"
#include "tests/services/kafka/kafka_testing.h"

namespace vagt::kafka {
namespace {

using eventstore::testing::ReadAllEvents;
using eventstore::testing::ScratchDir;
using projections::KafkaFeed;
using projections::ProjectionRunner;
using projections::StoreFeed;
using projections::testing::EventGenerator;
using projections::testing::OpenUnsyncedStore;
using projections::testing::SameDatabase;
using projections::testing::UnsyncedStore;
using testing::ConsumeAll;
using testing::ConsumedRecord;
using testing::Duplicates;
using testing::FastRetries;
using testing::PublishedLog;
using testing::StartClusterWithTopics;

constexpr absl::Duration kDeadline = absl::Seconds(30);
constexpr size_t kMaxInFlight = 20;
// Events the relay must publish after a fault before the next one.
constexpr uint64_t kProgress = 25;
// How long the appender waits for the relay to catch up with it before it
// appends again regardless (so it keeps appending through outages).
constexpr absl::Duration kAppendPace = absl::Milliseconds(20);

// One Produce request at a time per broker. A real broker refuses an
// idempotent producer's batch whose sequence does not follow the last one
// appended (OUT_OF_ORDER_SEQUENCE_NUMBER), so a batch retried after an error
// is never overtaken by the next one. The mock cluster checks sequences only
// for transactional producers: with several requests in flight it appends
// the next batch while the failed one waits for its retry, and librdkafka,
// seeing a later sequence acknowledged, takes the retried one as stored.
// Vagt runs with librdkafka's default (5), which is safe against Kafka.
std::map<std::string, std::string> ProducerConfig() {
  std::map<std::string, std::string> config = FastRetries();
  config["max.in.flight.requests.per.connection"] = "1";
  return config;
}

class RelayFaults : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(cluster_, StartClusterWithTopics(3, topics_));
    ASSERT_OK_AND_ASSIGN(store_,
                         OpenUnsyncedStore(dir_.Child("store"), clock_));
    ASSERT_OK_AND_ASSIGN(
        relay_, OutboxRelay::Open(*store_.store,
                                  {.bootstrap_servers = cluster_->bootstraps(),
                                   .topics = topics_,
                                   .checkpoint_path = dir_.Child("store.relay"),
                                   .batch_events = 10,
                                   .max_in_flight = kMaxInFlight,
                                   .producer_config = ProducerConfig()}));
  }

  void TearDown() override {
    StopAppending();
    projection_.reset();
  }

  // A projection runner fed from Kafka, on its own thread.
  void StartProjection() {
    ASSERT_OK_AND_ASSIGN(
        std::unique_ptr<KafkaFeed> feed,
        KafkaFeed::Create({.bootstrap_servers = cluster_->bootstraps(),
                           .group_id = "faults-projection",
                           .topics = topics_.All()}));
    feed_ = feed.get();
    ASSERT_OK_AND_ASSIGN(
        projection_,
        ProjectionRunner::Open(dir_.Child("projection"), std::move(feed)));
    projection_->Start();
  }

  // Appends a few events at a time on another thread until StopAppending(),
  // waiting between appends (up to kAppendPace) for the relay to publish
  // them.
  void StartAppending() {
    appender_ = std::thread([this] {
      EventGenerator generator(11, *store_.store, clock_);
      while (!stop_appending_.load()) {
        if (absl::Status s = generator.Generate(1); !s.ok()) {
          absl::MutexLock lock(&mu_);
          append_status_ = s;
          return;
        }
        relay_->WaitForCheckpoint(store_.store->LastPosition(),
                                  absl::Now() + kAppendPace);
      }
    });
  }

  void StopAppending() {
    stop_appending_ = true;
    if (appender_.joinable()) appender_.join();
  }

  // Waits until the relay has published kProgress events appended after now.
  void ExpectProgress(const char* phase) {
    SCOPED_TRACE(phase);
    const uint64_t target = store_.store->LastPosition() + kProgress;
    ASSERT_TRUE(relay_->WaitForCheckpoint(target, absl::Now() + kDeadline))
        << "stuck at " << relay_->checkpoint() << " of " << target << ": "
        << relay_->status().last_error;
  }

  // Waits until `events` more events are stored.
  void ExpectAppends(uint64_t events) {
    const uint64_t target = store_.store->LastPosition() + events;
    const absl::Time deadline = absl::Now() + kDeadline;
    while (store_.store->LastPosition() < target && absl::Now() < deadline) {
      store_.store->WaitForAppend(store_.store->LastPosition(), deadline);
    }
    ASSERT_GE(store_.store->LastPosition(), target) << "appends stalled";
  }

  void MoveLeadersTo(int32_t broker) {
    for (const std::string& topic : topics_.All()) {
      for (int32_t p = 0; p < topics_.partitions; ++p) {
        ASSERT_OK(cluster_->SetLeader(topic, p, broker));
      }
    }
  }

  const Topics topics_;
  ScratchDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  std::unique_ptr<MockCluster> cluster_;
  UnsyncedStore store_;
  std::unique_ptr<OutboxRelay> relay_;
  std::unique_ptr<ProjectionRunner> projection_;
  KafkaFeed* feed_ = nullptr;  // owned by projection_
  std::thread appender_;
  std::atomic<bool> stop_appending_{false};
  absl::Mutex mu_;
  absl::Status append_status_ ABSL_GUARDED_BY(mu_);
};

TEST_F(RelayFaults, OutagesDelayPublishingButLoseAndReorderNothing) {
  ASSERT_OK(relay_->Start());
  ASSERT_NO_FATAL_FAILURE(StartProjection());
  StartAppending();
  ASSERT_NO_FATAL_FAILURE(ExpectProgress("healthy"));
  // The projection has joined its group and follows before the faults.
  ASSERT_TRUE(projection_->WaitUntilApplied(relay_->checkpoint(),
                                            absl::Now() + kDeadline))
      << "the Kafka-fed projection did not start: "
      << feed_->progress().assigned_partitions << " partitions assigned";

  cluster_->PushRequestErrors(
      /*Produce=*/0, {RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                      RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
                      RD_KAFKA_RESP_ERR_NOT_ENOUGH_REPLICAS,
                      RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION,
                      RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT});
  ASSERT_NO_FATAL_FAILURE(ExpectProgress("produce errors"));

  ASSERT_OK(cluster_->BrokerDown(1));
  ASSERT_NO_FATAL_FAILURE(MoveLeadersTo(2));
  ASSERT_NO_FATAL_FAILURE(ExpectProgress("broker 1 down"));
  ASSERT_OK(cluster_->BrokerUp(1));

  ASSERT_OK(cluster_->BrokerDown(2));
  ASSERT_OK(cluster_->BrokerDown(3));
  ASSERT_NO_FATAL_FAILURE(MoveLeadersTo(1));
  cluster_->PushRequestErrors(0, {RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT,
                                  RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION});
  ASSERT_NO_FATAL_FAILURE(ExpectProgress("brokers 2 and 3 down"));
  ASSERT_OK(cluster_->BrokerUp(2));
  ASSERT_OK(cluster_->BrokerUp(3));
  ASSERT_NO_FATAL_FAILURE(MoveLeadersTo(3));
  ASSERT_NO_FATAL_FAILURE(ExpectProgress("leaders on broker 3"));

  // The whole cluster down: appends go on, the relay waits, holding no
  // more than its in-flight limit.
  for (int32_t broker = 1; broker <= 3; ++broker) {
    ASSERT_OK(cluster_->BrokerDown(broker));
  }
  ASSERT_NO_FATAL_FAILURE(ExpectAppends(3 * kMaxInFlight));
  RelayStatus during = relay_->status();
  EXPECT_LE(during.in_flight, kMaxInFlight);
  EXPECT_LT(during.checkpoint, during.store_position);
  for (int32_t broker = 1; broker <= 3; ++broker) {
    ASSERT_OK(cluster_->BrokerUp(broker));
  }
  ASSERT_NO_FATAL_FAILURE(ExpectProgress("cluster back"));

  StopAppending();
  {
    absl::MutexLock lock(&mu_);
    ASSERT_OK(append_status_);
  }
  const uint64_t last = store_.store->LastPosition();
  ASSERT_TRUE(relay_->WaitForCheckpoint(last, absl::Now() + kDeadline))
      << relay_->status().last_error;
  RelayStatus after = relay_->status();
  EXPECT_FALSE(after.last_error.empty()) << "the outages were noticed";
  relay_->Stop();

  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> stored,
                       ReadAllEvents(*store_.store));
  ASSERT_OK_AND_ASSIGN(
      std::vector<ConsumedRecord> records,
      ConsumeAll(cluster_->bootstraps(), topics_, absl::Now() + kDeadline));
  EXPECT_TRUE(PublishedLog(records, topics_, stored, Duplicates::kAllowed));

  // The projection fed from Kafka through all of it equals one fed from the
  // store: every event applied once, each line's events in log order. Only
  // the feeds' cursors differ.
  ASSERT_TRUE(projection_->WaitUntilApplied(last, absl::Now() + kDeadline))
      << "projection at " << projection_->AppliedPosition() << " of " << last
      << ": " << projection_->status()
      << "; feed: " << feed_->progress().assigned_partitions
      << " partitions assigned, " << feed_->progress().buffered
      << " buffered, last error " << feed_->progress().last_error;
  ASSERT_OK(projection_->status());
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ProjectionRunner> from_store,
      ProjectionRunner::Open(dir_.Child("from-store"),
                             std::make_unique<StoreFeed>(*store_.store)));
  ASSERT_OK_AND_ASSIGN(const uint64_t applied, from_store->CatchUp());
  EXPECT_EQ(applied, last);
  EXPECT_TRUE(SameDatabase(projection_->db(), from_store->db(), "m/cursor"));
  std::printf("%zu events stored, %zu records in Kafka, %llu producers\n",
              stored.size(), records.size(),
              static_cast<unsigned long long>(after.producers_started));
}

}  // namespace
}  // namespace vagt::kafka
