// Issue 5, item 4: the command services and the board and audit trail run as
// separate vagtd processes (--role=commands, --role=queries) that share
// nothing but a 3-broker mock Kafka cluster, hosted by vagt-mock-kafka. The
// evening of the commands issue is sent to the commands process; the queries
// process shows it on the board and in the trail, fed from Kafka; its reads
// of citizens' data are recorded through Kafka in the commands process's
// store, and come back to its own trail.
#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "tests/services/duty_commands.h"
#include "tests/services/service_test_server.h"
#include "tests/support/child_process.h"
#include "tests/support/test_accounts.h"
#include "tests/support/vagtd_process.h"
#include "vagt/v1/audit.grpc.pb.h"
#include "vagt/v1/oncall.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::vagt::testing::ChildProcess;
using ::vagt::testing::Created;
using ::vagt::testing::DutyCommands;
using ::vagt::testing::ServiceTestServer;

constexpr char kLine[] = "ishoj-bos";
constexpr char kAnna[] = "worker:anna";
constexpr char kBo[] = "worker:bo";
constexpr char kNightPartner[] = "partner:natpartner";
constexpr char kAuditor[] = "worker:tilsyn";
constexpr char kCitizen[] = "citizen-7f3a";
constexpr char kOtherCitizen[] = "citizen-9b2c";

absl::Time Deadline() { return absl::Now() + absl::Seconds(60); }

// Checks `done` until it holds or `deadline` passes, pausing briefly between
// checks (Kafka delivers asynchronously; there is nothing to block on).
template <typename Predicate>
bool Eventually(absl::Time deadline, Predicate done) {
  absl::Notification never;
  while (!done()) {
    if (absl::Now() >= deadline) return false;
    never.WaitForNotificationWithTimeout(absl::Milliseconds(20));
  }
  return true;
}

class SeparateProcessesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = ::testing::TempDir() + "vagt-separate-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto kafka = ChildProcess::Start({MOCK_KAFKA_PATH});
    ASSERT_TRUE(kafka.ok()) << kafka.status();
    kafka_ = std::move(*kafka);
    auto line = kafka_->ReadUntil("mock kafka at ", Deadline());
    ASSERT_TRUE(line.ok()) << line.status() << kafka_->transcript();
    const std::string brokers = line->substr(line->rfind(' ') + 1);
    auto commands =
        testing::StartVagtd(VAGTD_PATH, dir_ + "/commands", Deadline(),
                            {"--role=commands", "--kafka-brokers=" + brokers});
    ASSERT_TRUE(commands.ok()) << commands.status();
    commands_ = std::move(*commands);
    auto queries =
        testing::StartVagtd(VAGTD_PATH, dir_ + "/queries", Deadline(),
                            {"--role=queries", "--kafka-brokers=" + brokers});
    ASSERT_TRUE(queries.ok()) << queries.status();
    queries_ = std::move(*queries);
    auto to_queries = grpc::CreateChannel(queries_.address,
                                          grpc::InsecureChannelCredentials());
    oncall_ = v1::OnCallService::NewStub(to_queries);
    audit_ = v1::AuditService::NewStub(to_queries);
    // The accounts are made in the commands process; the queries process
    // learns them through Kafka, like everything else.
    absl::StatusOr<std::string> admin =
        testing::FirstAdminToken(dir_ + "/commands");
    ASSERT_TRUE(admin.ok()) << admin.status();
    accounts_ =
        std::make_unique<testing::TestAccounts>(commands_.address, *admin);
    // Everyone of the evening exists before it begins, so that the queries
    // process knows them once it has applied the evening.
    for (const char* party : {kAnna, kBo, kNightPartner, kAuditor}) {
      ASSERT_TRUE(accounts_->TokenFor(party).ok()) << party;
    }
  }

  // A context with the token of the test principal `actor`.
  std::unique_ptr<grpc::ClientContext> As(const std::string& actor) {
    auto context = std::make_unique<grpc::ClientContext>();
    absl::StatusOr<std::string> token = accounts_->TokenFor(actor);
    EXPECT_TRUE(token.ok()) << token.status();
    if (token.ok()) context->AddMetadata("authorization", "Bearer " + *token);
    return context;
  }
  DutyCommands::ContextFor Accounts() {
    return [this](const std::string& actor) { return As(actor); };
  }

  void TearDown() override {
    // Stopped first (SIGKILL if still running): they still write in dir_.
    queries_.process.reset();
    commands_.process.reset();
    kafka_.reset();
    std::filesystem::remove_all(dir_);
  }

  // The board once the queries process has applied `position`.
  v1::Board BoardAfter(uint64_t position) {
    v1::Board board;
    Eventually(Deadline(), [&] {
      v1::GetBoardRequest request;
      request.set_line_id(kLine);
      board.Clear();
      return oncall_->GetBoard(As(kAnna).get(), request, &board).ok() &&
             board.as_of_position() >= position;
    });
    return board;
  }

  absl::StatusOr<v1::TimelineResponse> Timeline(v1::TimelineRequest request,
                                                const std::string& actor) {
    request.mutable_access()->set_purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
    v1::TimelineResponse response;
    grpc::Status s = audit_->Timeline(As(actor).get(), request, &response);
    if (!s.ok()) return absl::InternalError(s.error_message());
    return response;
  }

  // Stops a vagtd with SIGTERM and checks that it stopped cleanly.
  void Stop(testing::RunningVagtd& vagtd) {
    vagtd.process->Signal(SIGTERM);
    absl::StatusOr<int> status = vagtd.process->Wait(Deadline());
    ASSERT_TRUE(status.ok()) << status.status();
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
        << vagtd.process->transcript();
  }

  std::string dir_;
  std::unique_ptr<ChildProcess> kafka_;
  testing::RunningVagtd commands_;
  testing::RunningVagtd queries_;
  std::unique_ptr<v1::OnCallService::Stub> oncall_;
  std::unique_ptr<v1::AuditService::Stub> audit_;
  std::unique_ptr<testing::TestAccounts> accounts_;
};

TEST_F(SeparateProcessesTest,
       TheEveningReachesTheBoardAndTheTrailThroughKafka) {
  DutyCommands duty(grpc::CreateChannel(commands_.address,
                                        grpc::InsecureChannelCredentials()),
                    Accounts());
  // The evening: consent, the line taken, three calls (one escalated and
  // acknowledged), the handover to the night partner, accepted.
  duty.ConsentToNightPartner(kCitizen, kAnna);
  duty.TakeLine(kLine, kAnna);
  const Created c1 = duty.ReceiveCall(kLine, kAnna, kCitizen);
  duty.AssessRisk(c1.id, kAnna, v1::RISK_LEVEL_HIGH);
  const Created e1 = duty.RaiseToBackup(c1.id, kAnna, kBo);
  duty.Acknowledge(e1.id, kBo);
  const Created c2 = duty.ReceiveCall(kLine, kAnna, kOtherCitizen);
  duty.AssessRisk(c2.id, kAnna, v1::RISK_LEVEL_LOW);
  duty.CloseCall(c2.id, kAnna);
  const Created c3 = duty.ReceiveCall(kLine, kAnna, "");
  duty.CloseCall(c3.id, kAnna);
  const Created handover = duty.OfferHandover(
      kLine, kAnna, testing::NightPartner(kNightPartner),
      {testing::CitizenToWatch(kCitizen, "Call her back before midnight"),
       testing::Remark("Two calls closed, one open")});
  const uint64_t last = duty.AcceptHandover(kLine, kNightPartner, handover.id);
  ASSERT_GT(last, 0u);

  // The board of the queries process, fed from Kafka.
  const v1::Board board = BoardAfter(last);
  ASSERT_GE(board.as_of_position(), last) << board.ShortDebugString();
  EXPECT_EQ(board.holder().id(), kNightPartner);
  ASSERT_EQ(board.open_calls_size(), 1) << board.ShortDebugString();
  EXPECT_EQ(board.open_calls(0).call_id(), c1.id);
  EXPECT_EQ(board.open_calls(0).latest_risk(), v1::RISK_LEVEL_HIGH);
  ASSERT_EQ(board.running_escalations_size(), 1);
  EXPECT_EQ(board.running_escalations(0).escalation_id(), e1.id);
  EXPECT_EQ(board.last_handover_note().handover_id(), handover.id);

  // The citizen's trail: everything about her, in log order.
  v1::TimelineRequest about;
  about.set_citizen_ref(kCitizen);
  absl::StatusOr<v1::TimelineResponse> trail = Timeline(about, kAnna);
  ASSERT_TRUE(trail.ok()) << trail.status();
  std::vector<v1::EventPayload::EventCase> cases;
  uint64_t previous = 0;
  for (const v1::EventEnvelope& e : trail->events()) {
    EXPECT_GT(e.global_position(), previous);
    previous = e.global_position();
    cases.push_back(e.payload().event_case());
  }
  EXPECT_THAT(cases, Contains(v1::EventPayload::kCallReceived));
  EXPECT_THAT(cases, Contains(v1::EventPayload::kEscalationAcknowledged));
  EXPECT_THAT(cases, Contains(v1::EventPayload::kLineHandoverOffered));

  // Verify walks the store, which the queries process does not hold.
  v1::VerifyResponse verified;
  EXPECT_EQ(audit_->Verify(As(kAnna).get(), v1::VerifyRequest(), &verified)
                .error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  // Anna's read was recorded in the commands process's store (through the
  // access intake topic) and came back to the trail through Kafka. The
  // auditor's own reads are not about Anna, so they do not count.
  v1::TimelineRequest by_anna;
  by_anna.set_worker_id(kAnna);
  int auditor_reads = 0;
  std::vector<std::string> access_streams;
  ASSERT_TRUE(Eventually(Deadline(), [&] {
    absl::StatusOr<v1::TimelineResponse> page = Timeline(by_anna, kAuditor);
    access_streams.clear();
    if (!page.ok()) {
      ADD_FAILURE() << page.status();
      return true;
    }
    ++auditor_reads;
    for (const v1::EventEnvelope& e : page->events()) {
      if (e.payload().has_sensitive_data_accessed()) {
        access_streams.push_back(e.stream_id());
      }
    }
    return !access_streams.empty();
  }));
  ASSERT_EQ(access_streams.size(), 1u);
  const uint64_t applied = BoardAfter(0).as_of_position();

  // In the commands process's store: the evening, and each read recorded
  // exactly once (Anna's, and each of the auditor's but maybe the last,
  // which may still be on its way).
  Stop(queries_);
  Stop(commands_);
  auto store = eventstore::EventStore::Open({.path = dir_ + "/commands"});
  ASSERT_TRUE(store.ok()) << store.status();
  auto anna_read = (*store)->ReadStream(access_streams[0], 1, 10);
  ASSERT_TRUE(anna_read.ok()) << anna_read.status();
  ASSERT_EQ(anna_read->size(), 1u);
  EXPECT_EQ((*anna_read)[0].actor(), kAnna);
  auto all = (*store)->ReadAll(1, 10'000);
  ASSERT_TRUE(all.ok()) << all.status();
  int access_records = 0;
  for (const v1::EventEnvelope& e : *all) {
    if (e.payload().has_sensitive_data_accessed()) ++access_records;
  }
  EXPECT_GE(access_records, auditor_reads);  // Anna's + all but the last
  EXPECT_LE(access_records, auditor_reads + 1);
  EXPECT_GE((*store)->LastPosition(), applied);
}

}  // namespace
}  // namespace vagt
