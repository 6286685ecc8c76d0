// Crash safety of the outbox relay: a child process (relay_child) appends
// events and relays them to the mock cluster of this process, and is killed
// with SIGKILL mid-way, several times. Each restart resumes at or after the
// last checkpoint it reported (a saved checkpoint survives the kill), the
// last run finishes, and Kafka then holds every event of the store, at
// least once, each stream in order.
#include <signal.h>
#include <sys/wait.h>

#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "services/kafka/mock_cluster.h"
#include "services/kafka/topics.h"
#include "tests/eventstore/test_store.h"
#include "tests/services/kafka/kafka_testing.h"
#include "tests/support/child_process.h"

#ifndef VAGT_RELAY_CHILD
#error "VAGT_RELAY_CHILD must name the relay_child executable"
#endif

namespace vagt::kafka {
namespace {

using eventstore::testing::OpenStoreAt;
using eventstore::testing::ReadAllEvents;
using eventstore::testing::ScratchDir;
using testing::ConsumeAll;
using testing::ConsumedRecord;
using testing::Duplicates;
using testing::PublishedLog;
using testing::StartClusterWithTopics;
using ::vagt::testing::ChildProcess;

constexpr uint32_t kSeed = 5;
constexpr int kKillRounds = 3;
// Events each killed run would append if not killed first.
constexpr uint64_t kEventsPerRun = 120;
// "relayed" lines (one per 4 events) a run reports before it is killed.
constexpr int kMinRelayedBeforeKill = 2;
constexpr int kMaxRelayedBeforeKill = 20;
constexpr uint64_t kEventsInLastRun = 20;
constexpr absl::Duration kChildDeadline = absl::Seconds(60);

// A line of the child: "<word> <number> [<number>]"; false for other output
// (librdkafka's log lines start with '%').
bool Parse(const std::string& line, std::string* word,
           std::vector<uint64_t>* numbers) {
  std::vector<std::string> fields = absl::StrSplit(line, ' ');
  if (fields.size() < 2 || fields.size() > 3) return false;
  *word = fields[0];
  numbers->clear();
  for (size_t i = 1; i < fields.size(); ++i) {
    uint64_t n;
    if (!absl::SimpleAtoi(fields[i], &n)) return false;
    numbers->push_back(n);
  }
  return true;
}

class RelayCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(cluster_, StartClusterWithTopics(3, topics_));
  }

  // Runs the child appending `events`, kills it after `kill_after` relayed
  // lines (never, if 0) and checks what it reports.
  void RunChild(uint64_t events, int kill_after) {
    ASSERT_OK_AND_ASSIGN(
        std::unique_ptr<ChildProcess> child,
        ChildProcess::Start({VAGT_RELAY_CHILD, store_path_, relay_path_,
                             cluster_->bootstraps(), absl::StrCat(events)}));
    const absl::Time deadline = absl::Now() + kChildDeadline;
    bool started = false, done = false;
    int relayed = 0;
    while (true) {
      absl::StatusOr<std::string> line = child->ReadLine(deadline);
      if (absl::IsOutOfRange(line.status())) break;  // the child is gone
      ASSERT_OK(line) << child->transcript();
      std::string word;
      std::vector<uint64_t> numbers;
      if (!Parse(*line, &word, &numbers)) {
        ASSERT_TRUE(absl::StartsWith(*line, "%")) << "child said: " << *line;
        continue;
      }
      if (word == "start") {
        ASSERT_EQ(numbers.size(), 2u) << *line;
        EXPECT_GE(numbers[0], last_reported_) << "a saved checkpoint is lost";
        EXPECT_LE(numbers[0], numbers[1]);
        starts_.push_back(numbers[0]);
        started = true;
      } else if (word == "relayed") {
        ASSERT_TRUE(started);
        ASSERT_GE(numbers[0], last_reported_);
        last_reported_ = numbers[0];
        if (++relayed == kill_after) child->Signal(SIGKILL);
      } else {
        ASSERT_EQ(word, "done") << child->transcript();
        last_reported_ = numbers[0];
        done = true;
      }
    }
    ASSERT_OK_AND_ASSIGN(int status, child->Wait(deadline));
    if (kill_after > 0) {
      ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
          << "wait status " << status << ": " << child->transcript();
      ASSERT_FALSE(done) << "the child finished before it was killed";
      ++kills_;
    } else {
      ASSERT_TRUE(done) << child->transcript();
      ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
          << "wait status " << status;
    }
  }

  const Topics topics_;
  ScratchDir dir_;
  const std::string store_path_ = dir_.Child("store");
  const std::string relay_path_ = dir_.Child("store.relay");
  std::unique_ptr<MockCluster> cluster_;
  uint64_t last_reported_ = 0;  // the last checkpoint the child reported
  std::vector<uint64_t> starts_;
  int kills_ = 0;
};

TEST_F(RelayCrash, KilledRelayResumesFromItsCheckpointAndLosesNothing) {
  std::mt19937 random(kSeed);
  std::uniform_int_distribution<int> kill_after(kMinRelayedBeforeKill,
                                                kMaxRelayedBeforeKill);
  for (int round = 0; round < kKillRounds; ++round) {
    SCOPED_TRACE(absl::StrCat("round ", round));
    ASSERT_NO_FATAL_FAILURE(RunChild(kEventsPerRun, kill_after(random)));
  }
  ASSERT_NO_FATAL_FAILURE(RunChild(kEventsInLastRun, 0));
  EXPECT_EQ(kills_, kKillRounds);

  ASSERT_OK_AND_ASSIGN(std::unique_ptr<eventstore::EventStore> store,
                       OpenStoreAt(store_path_));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> stored,
                       ReadAllEvents(*store));
  EXPECT_EQ(last_reported_, stored.size());
  ASSERT_GT(stored.size(), kEventsInLastRun + kKillRounds);
  ASSERT_OK_AND_ASSIGN(std::vector<ConsumedRecord> records,
                       ConsumeAll(cluster_->bootstraps(), topics_,
                                  absl::Now() + absl::Seconds(30)));
  EXPECT_TRUE(PublishedLog(records, topics_, stored, Duplicates::kAllowed));
  std::printf(
      "%d kills; runs started at checkpoints %s; %zu events, %zu "
      "records\n",
      kills_, absl::StrJoin(starts_, ", ").c_str(), stored.size(),
      records.size());
}

}  // namespace
}  // namespace vagt::kafka
