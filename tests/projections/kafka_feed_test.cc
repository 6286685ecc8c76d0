// KafkaFeed (projections/kafka_feed.h) and its bookkeeping (kafka_order.h).
//
// The Kafka tests run on librdkafka's mock cluster (3 brokers, the four
// event topics with 3 partitions each). A plain test producer publishes the
// envelopes of a random history (event_generator.h) as the relay would (key
// = stream id, topic by Topics::For), but topic by topic, so the feed sees
// the calls before the lines that came first, and with some events
// published twice. The feed must hand out exactly positions 1..N in order,
// and a runner fed by it must end key-for-key equal to one fed by the store.
#include "projections/kafka_feed.h"

#include <gtest/gtest.h>
#include <librdkafka/rdkafka.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "projections/event_feed.h"
#include "projections/kafka_order.h"
#include "projections/runner.h"
#include "projections/store_feed.h"
#include "services/kafka/mock_cluster.h"
#include "services/kafka/topics.h"
#include "tests/eventstore/test_store.h"
#include "tests/projections/event_generator.h"
#include "tests/projections/projection_testing.h"

namespace vagt::projections {
namespace {

using eventstore::testing::ReadAllEvents;
using eventstore::testing::ScratchDir;
using testing::EventGenerator;
using testing::OpenUnsyncedStore;
using testing::SameDatabase;
using testing::UnsyncedStore;

// The runners' cursors differ by design (positions vs. partition offsets).
constexpr char kCursorKey[] = "m/cursor";
// Real time allowed for anything to arrive; only reached if the feed hangs.
constexpr absl::Duration kPatience = absl::Seconds(30);

v1::EventEnvelope EventAt(uint64_t position) {
  v1::EventEnvelope event;
  event.set_global_position(position);
  event.set_stream_id(absl::StrCat("line-", position));
  event.set_stream_version(1);
  return event;
}

std::vector<uint64_t> PositionsOf(const std::vector<v1::EventEnvelope>& v) {
  std::vector<uint64_t> positions;
  for (const v1::EventEnvelope& e : v) positions.push_back(e.global_position());
  return positions;
}

std::vector<uint64_t> OneTo(uint64_t n) {
  std::vector<uint64_t> positions(n);
  std::iota(positions.begin(), positions.end(), 1);
  return positions;
}

// ---------------------------------------------------------------------------
// The cursor and the reordering buffer, without Kafka.

TEST(KafkaCursor, EmptyTextIsTheBeginning) {
  ASSERT_OK_AND_ASSIGN(KafkaCursor cursor, KafkaCursor::Parse(""));
  EXPECT_EQ(cursor.next_position, 1u);
  EXPECT_TRUE(cursor.offsets.empty());
}

TEST(KafkaCursor, TextRoundTrips) {
  KafkaCursor cursor;
  cursor.next_position = 124;
  cursor.offsets[{"vagt.lines.v1", 2}] = 17;
  cursor.offsets[{"vagt.calls.v1", 0}] = 45;
  const std::string text = cursor.Format();
  EXPECT_EQ(text, "v1;next=124;vagt.calls.v1/0=45;vagt.lines.v1/2=17");
  ASSERT_OK_AND_ASSIGN(KafkaCursor parsed, KafkaCursor::Parse(text));
  EXPECT_EQ(parsed.next_position, 124u);
  EXPECT_EQ(parsed.offsets, cursor.offsets);
}

TEST(KafkaCursor, MalformedTextIsInvalidArgumentNamingTheProblem) {
  const struct {
    std::string text;
    std::string named;
  } cases[] = {
      {"42", "does not start with 'v1'"},
      {"v2;next=1", "does not start with 'v1'"},
      {"v1", "no next position"},
      {"v1;vagt.lines.v1/0=3", "no next position"},
      {"v1;next=abc", "'abc' is not a number"},
      {"v1;next=0", "'0' is not a number"},
      {"v1;next=5;vagt.lines.v1=3", "'vagt.lines.v1=3' is not"},
      {"v1;next=5;vagt.lines.v1/x=3", "'vagt.lines.v1/x=3' is not"},
      {"v1;next=5;vagt.lines.v1/0", "'vagt.lines.v1/0' is not"},
      {"v1;next=5;/0=3", "'/0=3' is not"},
      {"v1;next=5;vagt.lines.v1/0=-1", "negative"},
      {"v1;next=5;t/0=1;t/0=2", "'t/0' appears more than once"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.text);
    absl::StatusOr<KafkaCursor> cursor = KafkaCursor::Parse(c.text);
    ASSERT_FALSE(cursor.ok());
    EXPECT_EQ(cursor.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_TRUE(absl::StrContains(cursor.status().message(), c.named))
        << cursor.status();
  }
}

TEST(GlobalOrderBuffer, HandsOutOnlyPositionsContiguousFromTheNext) {
  GlobalOrderBuffer buffer{KafkaCursor{}};
  const TopicPartition calls{"calls", 0};
  const TopicPartition lines{"lines", 1};
  EXPECT_EQ(buffer.highest_position(), 0u);
  EXPECT_TRUE(buffer.Add(calls, 0, EventAt(2)));
  EXPECT_TRUE(buffer.Add(calls, 1, EventAt(3)));
  EXPECT_EQ(buffer.releasable(), 0u);
  EXPECT_EQ(buffer.highest_position(), 3u);  // seen, waiting for 1
  EXPECT_TRUE(buffer.Release(10).empty());
  EXPECT_TRUE(buffer.Add(lines, 0, EventAt(1)));
  EXPECT_TRUE(buffer.Add(lines, 1, EventAt(5)));
  EXPECT_EQ(buffer.releasable(), 3u);
  EXPECT_EQ(PositionsOf(buffer.Release(2)), (std::vector<uint64_t>{1, 2}));
  EXPECT_EQ(PositionsOf(buffer.Release(10)), (std::vector<uint64_t>{3}));
  EXPECT_EQ(buffer.next_position(), 4u);
  EXPECT_EQ(buffer.buffered(), 1u);  // 5 waits for 4
  EXPECT_EQ(buffer.highest_position(), 5u);
  EXPECT_EQ(buffer.BufferedFrom(lines), 1u);
  EXPECT_EQ(buffer.BufferedFrom(calls), 0u);
}

TEST(GlobalOrderBuffer, DropsRedeliveredPositionsAndRepeatedOffsets) {
  GlobalOrderBuffer buffer{KafkaCursor{}};
  const TopicPartition p{"lines", 0};
  ASSERT_TRUE(buffer.Add(p, 0, EventAt(1)));
  ASSERT_TRUE(buffer.Add(p, 1, EventAt(3)));
  EXPECT_FALSE(buffer.Add(p, 1, EventAt(3)));  // the same offset again
  EXPECT_FALSE(buffer.Add(p, 2, EventAt(3)));  // buffered already
  ASSERT_EQ(buffer.Release(10).size(), 1u);
  EXPECT_FALSE(buffer.Add(p, 3, EventAt(1)));  // handed out already
  EXPECT_TRUE(buffer.Add({"calls", 0}, 0, EventAt(2)));
  EXPECT_EQ(PositionsOf(buffer.Release(10)), (std::vector<uint64_t>{2, 3}));
  EXPECT_EQ(buffer.buffered(), 0u);
}

TEST(GlobalOrderBuffer, CursorHoldsEachPartitionAtItsFirstEventNotHandedOut) {
  KafkaCursor start;
  start.next_position = 10;
  start.offsets[{"lines", 0}] = 100;
  start.offsets[{"calls", 2}] = 7;
  GlobalOrderBuffer buffer(start);
  EXPECT_EQ(buffer.FetchOffset({"lines", 0}), 100);
  EXPECT_EQ(buffer.FetchOffset({"lines", 1}), std::nullopt);
  EXPECT_FALSE(buffer.Add({"lines", 0}, 99, EventAt(10)));  // before start
  ASSERT_TRUE(buffer.Add({"lines", 0}, 100, EventAt(10)));
  ASSERT_TRUE(buffer.Add({"lines", 0}, 101, EventAt(12)));
  ASSERT_TRUE(buffer.Add({"lines", 0}, 102, EventAt(13)));
  ASSERT_TRUE(buffer.Add({"lines", 1}, 0, EventAt(11)));
  ASSERT_TRUE(buffer.Add({"lines", 1}, 1, EventAt(14)));
  ASSERT_EQ(PositionsOf(buffer.Release(2)), (std::vector<uint64_t>{10, 11}));
  const KafkaCursor after = buffer.Cursor();
  EXPECT_EQ(after.next_position, 12u);
  EXPECT_EQ(after.offsets,
            (std::map<TopicPartition, int64_t>{
                {{"calls", 2}, 7}, {{"lines", 0}, 101}, {{"lines", 1}, 1}}));
  EXPECT_EQ(buffer.FetchOffset({"lines", 0}), 103);
}

// Partitions holding positions in order (some twice), consumed in random
// interleavings and handed out in random batch sizes, with the buffer now
// and then replaced by one started from its own cursor (a restart that
// loses everything buffered): every position comes out once, in order.
TEST(GlobalOrderBuffer, RestartsFromItsCursorLoseNothing) {
  for (uint32_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    std::mt19937 random(seed);
    constexpr uint64_t kPositions = 500;
    std::vector<std::vector<uint64_t>> partitions(5);
    for (uint64_t p = 1; p <= kPositions; ++p) {
      std::vector<uint64_t>& log = partitions[random() % partitions.size()];
      log.push_back(p);
      if (random() % 10 == 0) {
        log.push_back(p - random() % std::min<uint64_t>(p, 3));  // republished
      }
    }
    auto name = [](size_t i) { return TopicPartition{"t", int32_t(i)}; };
    auto buffer = std::make_unique<GlobalOrderBuffer>(KafkaCursor{});
    std::vector<int64_t> read(partitions.size(), 0);  // next offset to read
    std::vector<uint64_t> out;
    for (int step = 0; out.size() < kPositions && step < 1'000'000; ++step) {
      const size_t i = random() % partitions.size();
      if (read[i] < int64_t(partitions[i].size())) {
        buffer->Add(name(i), read[i], EventAt(partitions[i][size_t(read[i])]));
        ++read[i];
      }
      if (random() % 4 == 0) {
        for (const auto& e : buffer->Release(1 + random() % 8)) {
          out.push_back(e.global_position());
        }
      }
      if (random() % 50 == 0) {
        ASSERT_OK_AND_ASSIGN(KafkaCursor cursor,
                             KafkaCursor::Parse(buffer->Cursor().Format()));
        buffer = std::make_unique<GlobalOrderBuffer>(cursor);
        for (size_t k = 0; k < partitions.size(); ++k) {
          read[k] = buffer->FetchOffset(name(k)).value_or(0);
        }
      }
    }
    EXPECT_EQ(out, OneTo(kPositions));
  }
}

// ---------------------------------------------------------------------------
// Against the mock cluster.

// Publishes envelopes as the relay does: key = stream id, value = the
// serialized envelope, idempotent (so a partition keeps its order across
// retries while a broker is down).
class TestProducer {
 public:
  static absl::StatusOr<std::unique_ptr<TestProducer>> Create(
      const std::string& bootstraps) {
    char error[512];
    rd_kafka_conf_t* conf = rd_kafka_conf_new();
    for (const auto& [name, value] :
         std::vector<std::pair<std::string, std::string>>{
             {"bootstrap.servers", bootstraps},
             {"enable.idempotence", "true"},
             {"linger.ms", "5"},
             {"reconnect.backoff.max.ms", "200"}}) {
      if (rd_kafka_conf_set(conf, name.c_str(), value.c_str(), error,
                            sizeof error) != RD_KAFKA_CONF_OK) {
        rd_kafka_conf_destroy(conf);
        return absl::InternalError(error);
      }
    }
    auto producer = std::unique_ptr<TestProducer>(new TestProducer);
    rd_kafka_conf_set_opaque(conf, producer.get());
    rd_kafka_conf_set_dr_msg_cb(
        conf, [](rd_kafka_t*, const rd_kafka_message_t* message, void* self) {
          if (message->err != RD_KAFKA_RESP_ERR_NO_ERROR) {
            ++static_cast<TestProducer*>(self)->failed_;
          }
        });
    producer->handle_ =
        rd_kafka_new(RD_KAFKA_PRODUCER, conf, error, sizeof error);
    if (producer->handle_ == nullptr) {
      rd_kafka_conf_destroy(conf);
      return absl::InternalError(error);
    }
    return producer;
  }
  ~TestProducer() {
    rd_kafka_flush(handle_, 10'000);
    rd_kafka_destroy(handle_);
  }

  absl::Status Publish(const v1::EventEnvelope& event) {
    return PublishRaw(topics_.For(event.stream_id()), event.stream_id(),
                      event.SerializeAsString());
  }
  absl::Status PublishRaw(const std::string& topic, const std::string& key,
                          const std::string& value) {
    rd_kafka_vu_t fields[4] = {};
    fields[0].vtype = RD_KAFKA_VTYPE_TOPIC;
    fields[0].u.cstr = topic.c_str();
    fields[1].vtype = RD_KAFKA_VTYPE_KEY;
    fields[1].u.mem = {const_cast<char*>(key.data()), key.size()};
    fields[2].vtype = RD_KAFKA_VTYPE_VALUE;
    fields[2].u.mem = {const_cast<char*>(value.data()), value.size()};
    fields[3].vtype = RD_KAFKA_VTYPE_MSGFLAGS;
    fields[3].u.i = RD_KAFKA_MSG_F_COPY;
    if (rd_kafka_error_t* error = rd_kafka_produceva(handle_, fields, 4)) {
      absl::Status status = absl::InternalError(rd_kafka_error_string(error));
      rd_kafka_error_destroy(error);
      return status;
    }
    rd_kafka_poll(handle_, 0);
    return absl::OkStatus();
  }
  // Waits until everything published so far is acknowledged.
  absl::Status Flush() {
    if (rd_kafka_resp_err_t err = rd_kafka_flush(
            handle_, static_cast<int>(absl::ToInt64Milliseconds(kPatience)));
        err != RD_KAFKA_RESP_ERR_NO_ERROR) {
      return absl::DeadlineExceededError(rd_kafka_err2str(err));
    }
    if (failed_ > 0) return absl::InternalError("a delivery failed");
    return absl::OkStatus();
  }

 private:
  TestProducer() = default;
  kafka::Topics topics_;
  rd_kafka_t* handle_ = nullptr;
  std::atomic<int> failed_{0};
};

// Records the positions a feed hands out.
class RecordingFeed final : public EventFeed {
 public:
  explicit RecordingFeed(std::unique_ptr<EventFeed> inner)
      : inner_(std::move(inner)) {}
  absl::StatusOr<FeedBatch> Next(const std::string& cursor, size_t max_events,
                                 absl::Time deadline) override {
    absl::StatusOr<FeedBatch> batch =
        inner_->Next(cursor, max_events, deadline);
    if (batch.ok()) {
      absl::MutexLock lock(&mu_);
      for (const auto& e : batch->events) {
        positions_.push_back(e.global_position());
      }
    }
    return batch;
  }
  void Interrupt() override { inner_->Interrupt(); }
  std::vector<uint64_t> positions() const {
    absl::MutexLock lock(&mu_);
    return positions_;
  }

 private:
  std::unique_ptr<EventFeed> inner_;
  mutable absl::Mutex mu_;
  std::vector<uint64_t> positions_ ABSL_GUARDED_BY(mu_);
};

class KafkaFeedTest : public ::testing::Test {
 protected:
  static constexpr uint64_t kEvents = 800;

  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(cluster_, kafka::MockCluster::Start(3));
    ASSERT_OK(cluster_->CreateTopics(topics_));
    ASSERT_OK_AND_ASSIGN(store_,
                         OpenUnsyncedStore(dir_.Child("store"), clock_));
    EventGenerator generator(/*seed=*/7, *store_.store, clock_);
    ASSERT_OK(generator.Generate(kEvents));
    ASSERT_OK_AND_ASSIGN(events_, ReadAllEvents(*store_.store));
    ASSERT_OK_AND_ASSIGN(producer_,
                         TestProducer::Create(cluster_->bootstraps()));
  }

  // Publishes the events in [from, to) (1-based positions) topic by topic,
  // from the last topic of Topics::All() to the first, so positions arrive
  // far out of global order; within a topic, in order. With `twice`, a
  // slice of each topic's events is published again right after it.
  void PublishTopicByTopic(uint64_t from, uint64_t to, bool twice) {
    std::vector<std::string> topics = topics_.All();
    std::reverse(topics.begin(), topics.end());
    for (const std::string& topic : topics) {
      std::vector<const v1::EventEnvelope*> of_topic;
      for (uint64_t p = from; p < to; ++p) {
        const v1::EventEnvelope& event = events_[p - 1];
        if (topics_.For(event.stream_id()) == topic) of_topic.push_back(&event);
      }
      for (const v1::EventEnvelope* event : of_topic) {
        ASSERT_OK(producer_->Publish(*event));
      }
      if (twice) {
        for (size_t i = of_topic.size() / 3; i < of_topic.size() / 2; ++i) {
          ASSERT_OK(producer_->Publish(*of_topic[i]));
        }
      }
    }
    ASSERT_OK(producer_->Flush());
  }

  KafkaFeed::Options FeedOptions(const std::string& group) const {
    return {.bootstrap_servers = cluster_->bootstraps(),
            .group_id = group,
            .topics = topics_.All(),
            // A short session: the mock coordinator makes a member
            // joining after the last one left wait for the session
            // timeout, less a second. (Not below its 3 s initial
            // rebalance delay, which a first member waits out.)
            .consumer_config = {{"fetch.wait.max.ms", "20"},
                                {"reconnect.backoff.max.ms", "200"},
                                {"topic.metadata.refresh.interval.ms", "1000"},
                                {"session.timeout.ms", "4000"},
                                {"heartbeat.interval.ms", "500"}},
            .max_buffered = 100'000};
  }

  // Reads from `feed` until `until` has been handed out, with batch sizes
  // taken in turn from `sizes` (but none beyond `until`), passing each batch's
  // cursor back (as the runner does). Adds the events to `out`.
  void ReadUntil(KafkaFeed& feed, uint64_t until, std::string& cursor,
                 std::vector<v1::EventEnvelope>& out,
                 const std::vector<size_t>& sizes = {1000},
                 absl::Duration patience = kPatience) {
    const absl::Time give_up = absl::Now() + patience;
    size_t turn = 0;
    while ((out.empty() || out.back().global_position() < until) &&
           absl::Now() < give_up) {
      const uint64_t last = out.empty() ? 0 : out.back().global_position();
      const size_t size =
          std::min<size_t>(sizes[turn++ % sizes.size()], until - last);
      ASSERT_OK_AND_ASSIGN(
          FeedBatch batch,
          feed.Next(cursor, size, absl::Now() + absl::Milliseconds(200)));
      if (batch.events.empty()) {
        EXPECT_EQ(batch.cursor, cursor);
      }
      cursor = batch.cursor;
      for (auto& e : batch.events) out.push_back(std::move(e));
    }
  }

  // A runner fed by the store, caught up: what every Kafka-fed runner must
  // end up equal to.
  std::unique_ptr<ProjectionRunner> Reference() {
    absl::StatusOr<std::unique_ptr<ProjectionRunner>> runner =
        ProjectionRunner::Open(dir_.Child("reference"),
                               std::make_unique<StoreFeed>(*store_.store));
    EXPECT_TRUE(runner.ok()) << runner.status();
    if (!runner.ok()) return nullptr;
    absl::StatusOr<uint64_t> applied = (*runner)->CatchUp();
    EXPECT_TRUE(applied.ok() && *applied == kEvents) << applied.status();
    return *std::move(runner);
  }

  // Steps `runner` until it has applied `position`.
  static void StepUntil(ProjectionRunner& runner, uint64_t position) {
    const absl::Time give_up = absl::Now() + kPatience;
    while (runner.AppliedPosition() < position && absl::Now() < give_up) {
      ASSERT_OK(runner.Step(absl::Now() + absl::Milliseconds(200)));
    }
    ASSERT_GE(runner.AppliedPosition(), position);
  }

  ScratchDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
  kafka::Topics topics_;
  std::unique_ptr<kafka::MockCluster> cluster_;
  UnsyncedStore store_;
  std::vector<v1::EventEnvelope> events_;
  std::unique_ptr<TestProducer> producer_;
};

TEST_F(KafkaFeedTest, HandsOutEveryPositionOnceInGlobalOrder) {
  ASSERT_EQ(events_.size(), kEvents);
  PublishTopicByTopic(1, kEvents + 1, /*twice=*/true);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<KafkaFeed> feed,
                       KafkaFeed::Create(FeedOptions("order")));
  std::string cursor;
  std::vector<v1::EventEnvelope> out;
  ReadUntil(*feed, kEvents, cursor, out, {1, 7, 100, 1, 1000, 3});
  EXPECT_EQ(PositionsOf(out), OneTo(kEvents));
  for (size_t i = 0; i < std::min(out.size(), events_.size()); ++i) {
    ASSERT_EQ(out[i].SerializeAsString(), events_[i].SerializeAsString())
        << "position " << i + 1;
  }
  const KafkaFeed::Progress progress = feed->progress();
  EXPECT_EQ(progress.handed_out, kEvents);
  EXPECT_EQ(progress.buffered, 0u);
  EXPECT_EQ(progress.assigned_partitions, 12u);
  // Topic by topic: the lines came last, so most events waited for them
  // (more than SmallBufferPausesThePartitionsAheadAndStillDelivers allows).
  EXPECT_GT(progress.peak_buffered, kEvents * 3 / 4);
  ASSERT_OK_AND_ASSIGN(KafkaCursor end, KafkaCursor::Parse(cursor));
  EXPECT_EQ(end.next_position, kEvents + 1);
  EXPECT_EQ(end.offsets.size(), 12u);
}

TEST_F(KafkaFeedTest, SmallBufferPausesThePartitionsAheadAndStillDelivers) {
  PublishTopicByTopic(1, kEvents + 1, /*twice=*/true);
  KafkaFeed::Options options = FeedOptions("small-buffer");
  options.max_buffered = 200;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<KafkaFeed> feed,
                       KafkaFeed::Create(std::move(options)));
  std::string cursor;
  std::vector<v1::EventEnvelope> out;
  ReadUntil(*feed, kEvents, cursor, out, {50});
  EXPECT_EQ(PositionsOf(out), OneTo(kEvents));
  // Without pausing, most of the log would have waited for the lines.
  // Past the limit, each partition pauses beyond its share (200 / 12).
  EXPECT_LE(feed->progress().peak_buffered, 2 * 200 + 12);
}

TEST_F(KafkaFeedTest, RunnerEndsEqualToOneFedByTheStore) {
  PublishTopicByTopic(1, kEvents + 1, /*twice=*/true);
  std::unique_ptr<ProjectionRunner> reference = Reference();
  ASSERT_NE(reference, nullptr);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<KafkaFeed> feed,
                       KafkaFeed::Create(FeedOptions("runner")));
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ProjectionRunner> runner,
      ProjectionRunner::Open(dir_.Child("kafka"), std::move(feed)));
  runner->Start();
  ASSERT_TRUE(runner->WaitUntilApplied(kEvents, absl::Now() + kPatience))
      << runner->status();
  EXPECT_OK(runner->status());
  EXPECT_TRUE(SameDatabase(reference->db(), runner->db(), kCursorKey));
  EXPECT_FALSE(SameDatabase(reference->db(), runner->db()));  // the cursor
}

TEST_F(KafkaFeedTest, BulkLoadLastsUntilTheFeedIsCaughtUp) {
  PublishTopicByTopic(1, kEvents + 1, /*twice=*/true);
  std::unique_ptr<ProjectionRunner> reference = Reference();
  ASSERT_NE(reference, nullptr);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<KafkaFeed> feed,
                       KafkaFeed::Create(FeedOptions("bulk")));
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ProjectionRunner> runner,
      ProjectionRunner::Open(dir_.Child("kafka"), std::move(feed),
                             {.batch_events = 50}));
  // Joining the group gives empty batches, the consumer short ones: the
  // feed says it is behind, so the bulk load goes on through them and
  // commits the whole log at once.
  int steps = 0;
  int commits = 0;
  uint64_t position = 0;
  const absl::Time give_up = absl::Now() + kPatience;
  while (runner->AppliedPosition() < kEvents && absl::Now() < give_up) {
    ASSERT_OK(runner->Step(absl::Now() + absl::Milliseconds(200)));
    ++steps;
    if (runner->AppliedPosition() != position) ++commits;
    position = runner->AppliedPosition();
  }
  ASSERT_EQ(runner->AppliedPosition(), kEvents);
  EXPECT_GT(steps, static_cast<int>(kEvents / 50));
  EXPECT_LE(commits, 2);
  EXPECT_TRUE(SameDatabase(reference->db(), runner->db(), kCursorKey));
}

TEST_F(KafkaFeedTest, RestartedRunnerContinuesFromItsStoredCursor) {
  PublishTopicByTopic(1, kEvents + 1, /*twice=*/true);
  std::unique_ptr<ProjectionRunner> reference = Reference();
  ASSERT_NE(reference, nullptr);
  const std::string path = dir_.Child("kafka");
  uint64_t stopped_at = 0;
  {
    ASSERT_OK_AND_ASSIGN(std::unique_ptr<KafkaFeed> feed,
                         KafkaFeed::Create(FeedOptions("restart")));
    // Small batches: the stored cursor falls among buffered events.
    ASSERT_OK_AND_ASSIGN(
        std::unique_ptr<ProjectionRunner> runner,
        ProjectionRunner::Open(path, std::move(feed), {.batch_events = 7}));
    StepUntil(*runner, kEvents / 3);
    stopped_at = runner->AppliedPosition();
  }
  // Redelivery: the first half is published again, all topics.
  PublishTopicByTopic(1, kEvents / 2, /*twice=*/false);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<KafkaFeed> feed,
                       KafkaFeed::Create(FeedOptions("restart")));
  auto recording = std::make_unique<RecordingFeed>(std::move(feed));
  RecordingFeed* recorded = recording.get();
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ProjectionRunner> runner,
                       ProjectionRunner::Open(path, std::move(recording),
                                              {.batch_events = 100}));
  EXPECT_EQ(runner->AppliedPosition(), stopped_at);
  StepUntil(*runner, kEvents);
  // Nothing before the stored cursor was handed out again; nothing twice.
  std::vector<uint64_t> expected(kEvents - stopped_at);
  std::iota(expected.begin(), expected.end(), stopped_at + 1);
  EXPECT_EQ(recorded->positions(), expected);
  EXPECT_TRUE(SameDatabase(reference->db(), runner->db(), kCursorKey));
}

TEST_F(KafkaFeedTest, CursorOtherThanTheLastReturnedStartsOverFromIt) {
  PublishTopicByTopic(1, kEvents + 1, /*twice=*/false);
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<KafkaFeed> feed,
                       KafkaFeed::Create(FeedOptions("rewind")));
  std::string cursor;
  std::vector<v1::EventEnvelope> first;
  ReadUntil(*feed, 100, cursor, first, {100});
  ASSERT_EQ(PositionsOf(first), OneTo(100));
  const std::string after_100 = cursor;
  std::vector<v1::EventEnvelope> second;
  ReadUntil(*feed, 400, cursor, second, {300});
  ASSERT_FALSE(second.empty());
  // The runner discarded the second batch: it asks again after 100.
  cursor = after_100;
  std::vector<v1::EventEnvelope> again;
  ReadUntil(*feed, kEvents, cursor, again, {300});
  std::vector<uint64_t> expected(kEvents - 100);
  std::iota(expected.begin(), expected.end(), 101);
  EXPECT_EQ(PositionsOf(again), expected);
  // And from the beginning.
  cursor.clear();
  std::vector<v1::EventEnvelope> all;
  ReadUntil(*feed, kEvents, cursor, all, {1000});
  EXPECT_EQ(PositionsOf(all), OneTo(kEvents));
}

TEST_F(KafkaFeedTest, BrokerDownWhileConsumingDelaysButLosesNothing) {
  PublishTopicByTopic(1, kEvents / 2, /*twice=*/false);
  KafkaFeed::Options options = FeedOptions("broker-down");
  // The group's coordinator may be the broker that goes down: the session
  // outlasts the outage, so the feed keeps its partitions throughout.
  options.consumer_config["session.timeout.ms"] = "45000";
  options.consumer_config["heartbeat.interval.ms"] = "3000";
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<KafkaFeed> feed,
                       KafkaFeed::Create(std::move(options)));
  std::string cursor;
  std::vector<v1::EventEnvelope> out;
  // The mock coordinator holds a join that finds the group rebalancing
  // (the member's first JoinGroup only fetches its member id) for the
  // session timeout less a second: up to 44 s here before the first event.
  ReadUntil(*feed, kEvents / 4, cursor, out, {50},
            absl::Seconds(45) + kPatience);
  ASSERT_EQ(PositionsOf(out), OneTo(kEvents / 4));
  // Broker 1 goes down; every partition's leader moves to broker 2.
  ASSERT_OK(cluster_->BrokerDown(1));
  for (const std::string& topic : topics_.All()) {
    for (int32_t p = 0; p < topics_.partitions; ++p) {
      ASSERT_OK(cluster_->SetLeader(topic, p, 2));
    }
  }
  PublishTopicByTopic(kEvents / 2, kEvents * 3 / 4, /*twice=*/true);
  ReadUntil(*feed, kEvents * 3 / 4 - 1, cursor, out, {50});
  // Back up, and leading again.
  ASSERT_OK(cluster_->BrokerUp(1));
  for (const std::string& topic : topics_.All()) {
    ASSERT_OK(cluster_->SetLeader(topic, 0, 1));
  }
  PublishTopicByTopic(kEvents * 3 / 4, kEvents + 1, /*twice=*/true);
  ReadUntil(*feed, kEvents, cursor, out, {50});
  EXPECT_EQ(PositionsOf(out), OneTo(kEvents));
}

TEST_F(KafkaFeedTest, MalformedCursorIsInvalidArgument) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<KafkaFeed> feed,
                       KafkaFeed::Create(FeedOptions("malformed")));
  absl::StatusOr<FeedBatch> batch =
      feed->Next("v1;next=abc", 10, absl::InfinitePast());
  ASSERT_FALSE(batch.ok());
  EXPECT_EQ(batch.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(batch.status().message(), "next position"))
      << batch.status();
}

TEST_F(KafkaFeedTest, MessageThatIsNotAnEnvelopeIsDataLossNamingWhere) {
  ASSERT_OK(producer_->PublishRaw(topics_.lines, "line-1",
                                  "Borgeren ringede om natten"));
  ASSERT_OK(producer_->Flush());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<KafkaFeed> feed,
                       KafkaFeed::Create(FeedOptions("data-loss")));
  absl::Status status;
  const absl::Time give_up = absl::Now() + kPatience;
  while (status.ok() && absl::Now() < give_up) {
    absl::StatusOr<FeedBatch> batch =
        feed->Next("", 10, absl::Now() + absl::Milliseconds(200));
    status = batch.status();
    if (batch.ok()) {
      EXPECT_TRUE(batch->events.empty());
    }
  }
  EXPECT_EQ(status.code(), absl::StatusCode::kDataLoss) << status;
  EXPECT_TRUE(absl::StrContains(status.message(), topics_.lines + "/"));
  EXPECT_TRUE(absl::StrContains(status.message(), "offset 0"));
  EXPECT_FALSE(absl::StrContains(status.message(), "Borgeren"));
}

TEST_F(KafkaFeedTest, InterruptWakesABlockedNext) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<KafkaFeed> feed,
                       KafkaFeed::Create(FeedOptions("interrupt")));
  // Nothing is published: only Interrupt() can end this Next early.
  std::future<absl::StatusOr<FeedBatch>> next = std::async(
      std::launch::async,
      [&] { return feed->Next("", 10, absl::Now() + absl::Hours(1)); });
  feed->Interrupt();
  ASSERT_EQ(next.wait_for(std::chrono::seconds(10)), std::future_status::ready);
  ASSERT_OK_AND_ASSIGN(FeedBatch batch, next.get());
  EXPECT_TRUE(batch.events.empty());
  EXPECT_EQ(batch.cursor, "");
}

TEST(KafkaFeed, RefusesOptionsItOwnsOrLacks) {
  KafkaFeed::Options options;
  options.bootstrap_servers = "127.0.0.1:1";
  options.topics = {"vagt.lines.v1"};
  options.consumer_config["enable.auto.commit"] = "true";
  EXPECT_EQ(KafkaFeed::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.consumer_config.clear();
  options.topics.clear();
  EXPECT_EQ(KafkaFeed::Create(options).status().code(),
            absl::StatusCode::kInvalidArgument);
  options.topics = {"vagt.lines.v1"};
  options.consumer_config["no.such.property"] = "1";
  absl::StatusOr<std::unique_ptr<KafkaFeed>> feed = KafkaFeed::Create(options);
  EXPECT_EQ(feed.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(absl::StrContains(feed.status().message(), "no.such.property"));
}

}  // namespace
}  // namespace vagt::projections
