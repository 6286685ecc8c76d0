// A real Kafka client reads what the relay publishes: Debian's kcat
// consumes the calls topic of the mock cluster, printing each record's key,
// headers and value, and finds the CloudEvents headers and the stored
// envelope of every event of a call, in order.
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"
#include "services/kafka/cloud_events.h"
#include "services/kafka/mock_cluster.h"
#include "services/kafka/relay.h"
#include "services/kafka/topics.h"
#include "tests/eventstore/test_store.h"
#include "tests/projections/projection_testing.h"
#include "tests/services/kafka/kafka_testing.h"
#include "tests/support/child_process.h"

namespace vagt::kafka {
namespace {

using eventstore::ExpectedVersion;
using eventstore::testing::AppendTo;
using eventstore::testing::MakeCallNoteAdded;
using eventstore::testing::MakeCallReceived;
using eventstore::testing::ScratchDir;
using projections::testing::OpenUnsyncedStore;
using projections::testing::UnsyncedStore;
using testing::StartClusterWithTopics;
using ::vagt::testing::ChildProcess;

constexpr char kKcat[] = "/usr/bin/kcat";
constexpr absl::Duration kDeadline = absl::Seconds(30);

struct KcatRecord {
  std::string key;
  std::map<std::string, std::string> headers;
  std::string value;
};

// Parses kcat's output for the format "%k\n%h\n%S\n%s": per record a key
// line, a headers line ("name=value,..."), the value's length and the
// value's bytes.
bool ParseKcatOutput(const std::string& out, std::vector<KcatRecord>* records,
                     std::string* problem) {
  size_t at = 0;
  auto line = [&out, &at](std::string* text) {
    size_t end = out.find('\n', at);
    if (end == std::string::npos) return false;
    *text = out.substr(at, end - at);
    at = end + 1;
    return true;
  };
  while (at < out.size()) {
    KcatRecord record;
    std::string headers, length_text;
    size_t length = 0;
    if (!line(&record.key) || !line(&headers) || !line(&length_text) ||
        !absl::SimpleAtoi(length_text, &length) || at + length > out.size()) {
      *problem = absl::StrCat("malformed output at byte ", at);
      return false;
    }
    record.value = out.substr(at, length);
    at += length;
    for (absl::string_view pair : absl::StrSplit(headers, ',')) {
      std::vector<std::string> nv =
          absl::StrSplit(pair, absl::MaxSplits('=', 1));
      if (nv.size() != 2) {
        *problem = absl::StrCat("malformed header: ", std::string(pair));
        return false;
      }
      record.headers[nv[0]] = nv[1];
    }
    records->push_back(std::move(record));
  }
  return true;
}

TEST(Kcat, ReadsRelayedEventsWithTheirCloudEventHeaders) {
  ASSERT_EQ(access(kKcat, X_OK), 0)
      << kKcat << " is missing: deploy/install-deps.sh installs kcat";
  const Topics topics;
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<MockCluster> cluster,
                       StartClusterWithTopics(3, topics));
  ScratchDir dir;
  FakeClock clock(absl::FromUnixSeconds(1'790'000'000));
  ASSERT_OK_AND_ASSIGN(UnsyncedStore store,
                       OpenUnsyncedStore(dir.Child("store"), clock));
  ASSERT_OK(store.store->Append(AppendTo("call-1", ExpectedVersion::NoStream(),
                                         {MakeCallReceived("1")})));
  // Another topic's event between the call's two.
  ASSERT_OK(store.store->Append(AppendTo("escalation-1", ExpectedVersion::Any(),
                                         {MakeCallNoteAdded("x")})));
  clock.Advance(absl::Seconds(90));
  ASSERT_OK(store.store->Append(
      AppendTo("call-1", ExpectedVersion::Exact(1), {MakeCallNoteAdded("1")})));
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> stored,
                       store.store->ReadAll(1, 10));
  ASSERT_EQ(stored.size(), 3u);

  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<OutboxRelay> relay,
      OutboxRelay::Open(*store.store,
                        {.bootstrap_servers = cluster->bootstraps(),
                         .checkpoint_path = dir.Child("store.relay")}));
  ASSERT_OK(relay->Start());
  ASSERT_TRUE(relay->WaitForCheckpoint(3, absl::Now() + kDeadline))
      << relay->status().last_error;

  // The value is binary: kcat writes to a file, not to the test's pipe.
  const std::string out_path = dir.Child("kcat.out");
  const std::string command = absl::StrCat(
      "exec ", kKcat, " -b '", cluster->bootstraps(), "' -C -t ", topics.calls,
      " -o beginning -e -q -f '%k\\n%h\\n%S\\n%s' > '", out_path, "'");
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<ChildProcess> kcat,
                       ChildProcess::Start({"/bin/sh", "-c", command}));
  ASSERT_OK_AND_ASSIGN(int status, kcat->Wait(absl::Now() + kDeadline));
  while (kcat->ReadLine(absl::Now() + kDeadline).ok()) {
  }
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
      << "kcat: wait status " << status << ": " << kcat->transcript();

  std::ifstream file(out_path, std::ios::binary);
  std::stringstream out;
  out << file.rdbuf();
  std::vector<KcatRecord> records;
  std::string problem;
  ASSERT_TRUE(ParseKcatOutput(out.str(), &records, &problem)) << problem << "\n"
                                                              << out.str();
  ASSERT_EQ(records.size(), 2u) << "the calls topic holds the call's events";
  const v1::EventEnvelope* expected[] = {&stored[0], &stored[2]};
  for (size_t i = 0; i < records.size(); ++i) {
    SCOPED_TRACE(absl::StrCat("record ", i));
    const KcatRecord& r = records[i];
    const v1::EventEnvelope& e = *expected[i];
    auto header = [&r](const std::string& name) {
      auto it = r.headers.find(name);
      return it == r.headers.end() ? std::string("<missing>") : it->second;
    };
    EXPECT_EQ(r.key, "call-1");
    EXPECT_EQ(header("ce_specversion"), "1.0");
    EXPECT_EQ(header("ce_id"), e.event_id());
    EXPECT_EQ(header("ce_source"), "/vagt/streams/call-1");
    EXPECT_EQ(header("ce_type"),
              i == 0 ? "vagt.v1.CallReceived" : "vagt.v1.CallNoteAdded");
    EXPECT_EQ(header("ce_time"),
              i == 0 ? "2026-09-21T14:13:20Z" : "2026-09-21T14:14:50Z");
    EXPECT_EQ(header("content-type"), "application/protobuf");
    EXPECT_EQ(header("ce_streamversion"), absl::StrCat(i + 1));
    EXPECT_EQ(header("ce_globalposition"), i == 0 ? "1" : "3");
    v1::EventEnvelope decoded;
    ASSERT_TRUE(decoded.ParseFromString(r.value));
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(decoded, e));
    std::vector<KafkaHeader> headers;
    for (const auto& [name, value] : r.headers)
      headers.push_back({name, value});
    EXPECT_OK(DecodeCloudEvent(r.key, r.value, headers));
  }
}

}  // namespace
}  // namespace vagt::kafka
