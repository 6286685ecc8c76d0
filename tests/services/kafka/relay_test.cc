// The outbox relay against a 3-broker mock cluster: every event of every
// stream kind is published once, on its stream's topic, keyed by the stream
// id, with CloudEvents headers and the stored envelope as the value; the
// checkpoint is saved and a new relay continues after it; a fatal producer
// error is survived by a new producer.
#include "services/kafka/relay.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "services/kafka/mock_cluster.h"
#include "services/kafka/topics.h"
#include "tests/eventstore/test_store.h"
#include "tests/projections/event_generator.h"
#include "tests/projections/projection_testing.h"
#include "tests/services/kafka/kafka_testing.h"

namespace vagt::kafka {
namespace {

using eventstore::testing::ReadAllEvents;
using eventstore::testing::ScratchDir;
using projections::testing::EventGenerator;
using projections::testing::OpenUnsyncedStore;
using projections::testing::UnsyncedStore;
using testing::ConsumeAll;
using testing::ConsumedRecord;
using testing::Duplicates;
using testing::FastRetries;
using testing::PublishedLog;
using testing::StartClusterWithTopics;

constexpr absl::Duration kDeadline = absl::Seconds(30);

class RelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(cluster_, StartClusterWithTopics(3, topics_));
    ASSERT_OK_AND_ASSIGN(store_,
                         OpenUnsyncedStore(dir_.Child("store"), clock_));
  }

  RelayOptions Options() {
    return {.bootstrap_servers = cluster_->bootstraps(),
            .topics = topics_,
            .checkpoint_path = dir_.Child("store.relay"),
            .producer_config = FastRetries()};
  }

  eventstore::EventStore& store() { return *store_.store; }

  std::vector<v1::EventEnvelope> Stored() {
    absl::StatusOr<std::vector<v1::EventEnvelope>> events =
        ReadAllEvents(store());
    EXPECT_OK(events);
    return events.ok() ? *events : std::vector<v1::EventEnvelope>();
  }

  std::vector<ConsumedRecord> Consumed() {
    absl::StatusOr<std::vector<ConsumedRecord>> records =
        ConsumeAll(cluster_->bootstraps(), topics_, absl::Now() + kDeadline);
    EXPECT_OK(records);
    return records.ok() ? *records : std::vector<ConsumedRecord>();
  }

  const Topics topics_;
  ScratchDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'790'000'000)};
  std::unique_ptr<MockCluster> cluster_;
  UnsyncedStore store_;
};

TEST_F(RelayTest, PublishesEveryEventOnItsStreamsTopicOnce) {
  EventGenerator generator(1, store(), clock_);
  ASSERT_OK(generator.Generate(300));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                       OutboxRelay::Open(store(), Options()));
  ASSERT_OK(relay->Start());
  const uint64_t last = store().LastPosition();
  ASSERT_TRUE(relay->WaitForCheckpoint(last, absl::Now() + kDeadline))
      << relay->status().last_error;

  std::vector<ConsumedRecord> records = Consumed();
  EXPECT_TRUE(PublishedLog(records, topics_, Stored(), Duplicates::kNone));
  std::set<std::string> topics_used;
  for (const ConsumedRecord& r : records) topics_used.insert(r.topic);
  EXPECT_EQ(topics_used.size(), 4u) << "the history covers every stream kind";

  RelayStatus status = relay->status();
  EXPECT_EQ(status.checkpoint, last);
  EXPECT_EQ(status.store_position, last);
  EXPECT_TRUE(status.running);
  EXPECT_EQ(status.producers_started, 1u);
  relay->Stop();
  EXPECT_FALSE(relay->status().running);
  EXPECT_EQ(relay->status().in_flight, 0u);
}

TEST_F(RelayTest, EventsAppendedWhileRunningArePublished) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                       OutboxRelay::Open(store(), Options()));
  ASSERT_OK(relay->Start());
  EventGenerator generator(2, store(), clock_);
  for (int round = 0; round < 5; ++round) {
    ASSERT_OK(generator.Generate(40));
    ASSERT_TRUE(relay->WaitForCheckpoint(store().LastPosition(),
                                         absl::Now() + kDeadline))
        << relay->status().last_error;
  }
  EXPECT_TRUE(PublishedLog(Consumed(), topics_, Stored(), Duplicates::kNone));
}

TEST_F(RelayTest, NewRelayPublishesOnlyWhatFollowsTheSavedCheckpoint) {
  EventGenerator generator(3, store(), clock_);
  ASSERT_OK(generator.Generate(200));
  const uint64_t first_run = store().LastPosition();
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                         OutboxRelay::Open(store(), Options()));
    EXPECT_EQ(relay->checkpoint(), 0u);
    ASSERT_OK(relay->Start());
    ASSERT_TRUE(relay->WaitForCheckpoint(first_run, absl::Now() + kDeadline))
        << relay->status().last_error;
  }  // destroyed: stopped, its database closed

  ASSERT_OK(generator.Generate(100));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                       OutboxRelay::Open(store(), Options()));
  EXPECT_EQ(relay->checkpoint(), first_run);
  ASSERT_OK(relay->Start());
  ASSERT_TRUE(
      relay->WaitForCheckpoint(store().LastPosition(), absl::Now() + kDeadline))
      << relay->status().last_error;
  // Nothing of the first run is published twice.
  EXPECT_TRUE(PublishedLog(Consumed(), topics_, Stored(), Duplicates::kNone));
}

TEST_F(RelayTest, CheckpointWaitsForAnEarlierPositionStillUndelivered) {
  // The calls topic is led by broker 2, which is down: its records wait,
  // while those of the other topics (led by broker 1) are delivered.
  for (const std::string& topic : topics_.All()) {
    for (int32_t p = 0; p < topics_.partitions; ++p) {
      ASSERT_OK(cluster_->SetLeader(topic, p, topic == topics_.calls ? 2 : 1));
    }
  }
  ASSERT_OK(cluster_->BrokerDown(2));
  ASSERT_OK(store().Append(eventstore::testing::AppendTo(
      "line-1", eventstore::ExpectedVersion::Any(),
      {eventstore::testing::MakeCallNoteAdded("a")})));
  ASSERT_OK(store().Append(eventstore::testing::AppendTo(
      "call-1", eventstore::ExpectedVersion::Any(),
      {eventstore::testing::MakeCallReceived("1")})));
  for (const char* stream : {"line-1", "escalation-1", "citizen-1"}) {
    ASSERT_OK(store().Append(eventstore::testing::AppendTo(
        stream, eventstore::ExpectedVersion::Any(),
        {eventstore::testing::MakeCallNoteAdded("b")})));
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                       OutboxRelay::Open(store(), Options()));
  ASSERT_OK(relay->Start());
  ASSERT_TRUE(relay->WaitForCheckpoint(1, absl::Now() + kDeadline));
  // Until only position 2 waits for its delivery report.
  relay->WaitForInFlight([](uint64_t n) { return n == 1; },
                         absl::Now() + kDeadline);
  RelayStatus waiting = relay->status();
  ASSERT_EQ(waiting.in_flight, 1u) << waiting.last_error;
  EXPECT_EQ(waiting.checkpoint, 1u) << "positions 3..5 are delivered, 2 not";

  ASSERT_OK(cluster_->BrokerUp(2));
  ASSERT_TRUE(relay->WaitForCheckpoint(5, absl::Now() + kDeadline))
      << relay->status().last_error;
  EXPECT_TRUE(PublishedLog(Consumed(), topics_, Stored(), Duplicates::kNone));
}

TEST_F(RelayTest, StoppedDuringAnOutageTheNextRelayPublishesEverything) {
  EventGenerator generator(8, store(), clock_);
  ASSERT_OK(generator.Generate(60));
  for (int32_t broker = 1; broker <= 3; ++broker) {
    ASSERT_OK(cluster_->BrokerDown(broker));
  }
  RelayOptions options = Options();
  options.stop_flush_timeout = absl::Milliseconds(100);
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                         OutboxRelay::Open(store(), options));
    ASSERT_OK(relay->Start());
    // Until the relay has records in flight.
    relay->WaitForInFlight([](uint64_t n) { return n > 0; },
                           absl::Now() + kDeadline);
    ASSERT_GT(relay->status().in_flight, 0u);
    relay->Stop();  // abandons what is in flight
    RelayStatus stopped = relay->status();
    EXPECT_EQ(stopped.checkpoint, 0u);
    EXPECT_EQ(stopped.in_flight, 0u);
    EXPECT_FALSE(stopped.last_error.empty()) << "the outage shows";
  }
  for (int32_t broker = 1; broker <= 3; ++broker) {
    ASSERT_OK(cluster_->BrokerUp(broker));
  }
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                       OutboxRelay::Open(store(), options));
  ASSERT_OK(relay->Start());
  ASSERT_TRUE(
      relay->WaitForCheckpoint(store().LastPosition(), absl::Now() + kDeadline))
      << relay->status().last_error;
  EXPECT_TRUE(PublishedLog(Consumed(), topics_, Stored(), Duplicates::kNone));
}

TEST_F(RelayTest, StartsAgainAfterStop) {
  EventGenerator generator(4, store(), clock_);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                       OutboxRelay::Open(store(), Options()));
  ASSERT_OK(relay->Start());
  EXPECT_TRUE(absl::IsFailedPrecondition(relay->Start()));
  ASSERT_OK(generator.Generate(50));
  ASSERT_TRUE(relay->WaitForCheckpoint(store().LastPosition(),
                                       absl::Now() + kDeadline));
  relay->Stop();
  ASSERT_OK(generator.Generate(50));
  EXPECT_LT(relay->checkpoint(), store().LastPosition());
  ASSERT_OK(relay->Start());
  ASSERT_TRUE(
      relay->WaitForCheckpoint(store().LastPosition(), absl::Now() + kDeadline))
      << relay->status().last_error;
  EXPECT_TRUE(PublishedLog(Consumed(), topics_, Stored(), Duplicates::kNone));
}

TEST_F(RelayTest, FatalProducerErrorStartsANewProducerFromTheCheckpoint) {
  EventGenerator generator(5, store(), clock_);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                       OutboxRelay::Open(store(), Options()));
  ASSERT_OK(relay->Start());
  ASSERT_OK(generator.Generate(100));
  ASSERT_TRUE(relay->WaitForCheckpoint(store().LastPosition(),
                                       absl::Now() + kDeadline));

  ASSERT_OK(relay->InjectFatalErrorForTesting());
  ASSERT_OK(generator.Generate(100));
  ASSERT_TRUE(
      relay->WaitForCheckpoint(store().LastPosition(), absl::Now() + kDeadline))
      << relay->status().last_error;
  RelayStatus status = relay->status();
  EXPECT_EQ(status.producers_started, 2u);
  EXPECT_NE(status.last_error.find("fatal"), std::string::npos)
      << status.last_error;
  EXPECT_TRUE(
      PublishedLog(Consumed(), topics_, Stored(), Duplicates::kAllowed));
}

TEST_F(RelayTest, SmallInFlightLimitStillPublishesEverything) {
  EventGenerator generator(6, store(), clock_);
  ASSERT_OK(generator.Generate(200));
  RelayOptions options = Options();
  options.batch_events = 7;
  options.max_in_flight = 3;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                       OutboxRelay::Open(store(), options));
  ASSERT_OK(relay->Start());
  ASSERT_TRUE(
      relay->WaitForCheckpoint(store().LastPosition(), absl::Now() + kDeadline))
      << relay->status().last_error;
  EXPECT_TRUE(PublishedLog(Consumed(), topics_, Stored(), Duplicates::kNone));
}

TEST_F(RelayTest, CheckpointOfAnotherStoreIsRefused) {
  EventGenerator generator(7, store(), clock_);
  ASSERT_OK(generator.Generate(20));
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                         OutboxRelay::Open(store(), Options()));
    ASSERT_OK(relay->Start());
    ASSERT_TRUE(relay->WaitForCheckpoint(store().LastPosition(),
                                         absl::Now() + kDeadline));
  }
  ASSERT_OK_AND_ASSIGN(UnsyncedStore empty,
                       OpenUnsyncedStore(dir_.Child("empty"), clock_));
  absl::StatusOr<std::unique_ptr<OutboxRelay>> relay =
      OutboxRelay::Open(*empty.store, Options());
  EXPECT_TRUE(absl::IsFailedPrecondition(relay.status())) << relay.status();
}

TEST_F(RelayTest, BadProducerPropertyIsRefusedByStart) {
  RelayOptions options = Options();
  options.producer_config["no.such.property"] = "1";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<OutboxRelay> relay,
                       OutboxRelay::Open(store(), options));
  absl::Status s = relay->Start();
  EXPECT_TRUE(absl::IsInvalidArgument(s)) << s;
  EXPECT_NE(s.message().find("no.such.property"), std::string::npos) << s;
  EXPECT_FALSE(relay->status().running);
}

}  // namespace
}  // namespace vagt::kafka
