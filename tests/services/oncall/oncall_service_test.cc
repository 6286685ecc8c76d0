// OnCallService through gRPC: the board of a line follows the commands sent
// to the line, call and escalation services (read-your-writes, no waiting),
// ages and deadlines follow the clock, a partner sees only shared handover
// items, and WatchBoard sends one whole board per change until cancelled.
#include <chrono>
#include <cstdlib>
#include <future>
#include <memory>
#include <string>
#include <thread>

#include "absl/time/time.h"
#include "domain/streams.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/duty_commands.h"
#include "tests/services/service_test_server.h"
#include "tests/support/test_roles.h"
#include "vagt/v1/oncall.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::vagt::testing::CitizenToWatch;
using ::vagt::testing::Created;
using ::vagt::testing::DutyCommands;
using ::vagt::testing::Remark;
using ::vagt::testing::ServiceTestServer;
using ::vagt::testing::TeamWorker;

constexpr char kLine[] = "central";
constexpr char kAnna[] = "worker:anna";
constexpr char kBo[] = "worker:bo";
constexpr char kCarl[] = "worker:carl";
constexpr char kNight[] = "partner:night";
constexpr char kCitizen[] = "citizen-7f3a";
constexpr char kOtherCitizen[] = "citizen-9c1e";
constexpr char kSecret[] = "skizofreni, stemmer om natten";

// How long a test waits for a watch message before it fails.
constexpr auto kWatchDeadline = std::chrono::seconds(10);

class OnCallServiceTest : public ::testing::Test {
 protected:
  absl::Time Now() { return server_.clock().Now(); }

  // The board of `line` as `actor` sees it now; a failed read fails the test.
  v1::Board Board(const std::string& actor = kAnna,
                  const std::string& line = kLine) {
    v1::Board board;
    grpc::Status s = Get(actor, line, &board);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return board;
  }

  grpc::Status Get(const std::string& actor, const std::string& line,
                   v1::Board* board) {
    v1::GetBoardRequest r;
    r.set_line_id(line);
    return oncall_->GetBoard(ServiceTestServer::As(actor).get(), r, board);
  }

  ServiceTestServer server_;
  DutyCommands duty_{server_.channel()};
  std::unique_ptr<v1::OnCallService::Stub> oncall_ =
      v1::OnCallService::NewStub(server_.channel());
};

TEST_F(OnCallServiceTest, TakingTheLineShowsTheHolderSinceTheCommand) {
  server_.clock().Advance(absl::Minutes(3));
  const absl::Time taken_at = Now();
  const uint64_t position = duty_.TakeLine(kLine, kAnna);
  server_.clock().Advance(absl::Minutes(1));

  const v1::Board board = Board();
  EXPECT_EQ(board.line_id(), kLine);
  EXPECT_EQ(board.state(), v1::LINE_STATE_HELD);
  EXPECT_EQ(board.holder().id(), kAnna);
  EXPECT_EQ(ToTime(board.holder_since()), taken_at);
  EXPECT_FALSE(board.nobody_responsible());
  EXPECT_THAT(board.alerts(), IsEmpty());
  EXPECT_EQ(board.event_count(), 1u);
  EXPECT_EQ(board.last_position(), position);
  EXPECT_EQ(board.as_of_position(), position);
  EXPECT_EQ(ToTime(board.as_of()), Now());
}

TEST_F(OnCallServiceTest, OpenCallAgesWithTheClockShowsItsRiskAndGoesOnClose) {
  duty_.TakeLine(kLine, kAnna);
  server_.clock().Advance(absl::Minutes(1));
  const absl::Time received_at = Now();
  const Created call = duty_.ReceiveCall(kLine, kAnna, kCitizen);

  v1::Board board = Board();
  ASSERT_EQ(board.open_calls_size(), 1);
  EXPECT_EQ(board.open_calls(0).call_id(), call.id);
  EXPECT_EQ(board.open_calls(0).citizen_ref(), kCitizen);
  EXPECT_EQ(board.open_calls(0).caller_kind(), v1::CALLER_KIND_CITIZEN);
  EXPECT_EQ(board.open_calls(0).answered_by().id(), kAnna);
  EXPECT_EQ(ToTime(board.open_calls(0).received_at()), received_at);
  EXPECT_EQ(board.open_calls(0).age_seconds(), 0);
  EXPECT_EQ(board.open_calls(0).latest_risk(), v1::RISK_LEVEL_UNSPECIFIED);

  server_.clock().Advance(absl::Minutes(2));
  const absl::Time assessed_at = Now();
  duty_.AssessRisk(call.id, kAnna, v1::RISK_LEVEL_HIGH);
  board = Board();
  ASSERT_EQ(board.open_calls_size(), 1);
  EXPECT_EQ(board.open_calls(0).latest_risk(), v1::RISK_LEVEL_HIGH);
  EXPECT_EQ(ToTime(board.open_calls(0).risk_assessed_at()), assessed_at);
  EXPECT_EQ(board.open_calls(0).age_seconds(), 120);

  // No event: only the clock moves, and the age with it.
  server_.clock().Advance(absl::Minutes(5));
  board = Board();
  ASSERT_EQ(board.open_calls_size(), 1);
  EXPECT_EQ(board.open_calls(0).age_seconds(), 420);
  EXPECT_EQ(board.open_calls(0).latest_risk(), v1::RISK_LEVEL_HIGH);

  duty_.CloseCall(call.id, kAnna);
  EXPECT_THAT(Board().open_calls(), IsEmpty());
}

TEST_F(OnCallServiceTest, EscalationRunsPassesItsDeadlineIsAcknowledged) {
  duty_.TakeLine(kLine, kAnna);
  const Created call = duty_.ReceiveCall(kLine, kAnna, kCitizen);
  server_.clock().Advance(absl::Minutes(1));
  const absl::Time raised_at = Now();
  const Created escalation = duty_.RaiseToBackup(call.id, kAnna, kBo);

  v1::Board board = Board();
  ASSERT_EQ(board.running_escalations_size(), 1);
  v1::RunningEscalation running = board.running_escalations(0);
  EXPECT_EQ(running.escalation_id(), escalation.id);
  EXPECT_EQ(running.call_id(), call.id);
  EXPECT_EQ(running.citizen_ref(), kCitizen);
  EXPECT_EQ(running.level(), v1::ESCALATION_LEVEL_BACKUP);
  EXPECT_EQ(running.target().id(), kBo);
  EXPECT_EQ(running.urgency(), v1::ESCALATION_URGENCY_URGENT);
  EXPECT_EQ(running.status(), v1::ESCALATION_STATUS_AWAITING_ACK);
  EXPECT_EQ(ToTime(running.raised_at()), raised_at);
  // URGENT: the policy's 15 minutes.
  EXPECT_EQ(ToTime(running.ack_deadline()), raised_at + absl::Minutes(15));
  EXPECT_FALSE(running.deadline_passed());
  EXPECT_THAT(board.alerts(), IsEmpty());

  server_.clock().Advance(absl::Minutes(14));
  EXPECT_FALSE(Board().running_escalations(0).deadline_passed());
  server_.clock().Advance(absl::Minutes(1));
  board = Board();
  ASSERT_EQ(board.running_escalations_size(), 1);
  EXPECT_TRUE(board.running_escalations(0).deadline_passed());
  ASSERT_EQ(board.alerts_size(), 1);
  EXPECT_THAT(board.alerts(0), HasSubstr("escalation " + escalation.id));
  EXPECT_THAT(board.alerts(0), HasSubstr("not acknowledged"));

  server_.clock().Advance(absl::Minutes(1));
  const absl::Time acknowledged_at = Now();
  duty_.Acknowledge(escalation.id, kBo);
  board = Board();
  ASSERT_EQ(board.running_escalations_size(), 1);
  running = board.running_escalations(0);
  EXPECT_EQ(running.status(), v1::ESCALATION_STATUS_ACKNOWLEDGED);
  EXPECT_FALSE(running.has_ack_deadline());
  EXPECT_FALSE(running.deadline_passed());
  EXPECT_EQ(ToTime(running.answered_at()), acknowledged_at);
  EXPECT_THAT(board.alerts(), IsEmpty());

  duty_.Resolve(escalation.id, kAnna);
  EXPECT_THAT(Board().running_escalations(), IsEmpty());
}

TEST_F(OnCallServiceTest, HandoverIsPendingThenOverdueThenAcceptedWithoutText) {
  duty_.TakeLine(kLine, kAnna);
  const absl::Time respond_by = Now() + absl::Minutes(30);
  const Created offer =
      duty_.OfferHandover(kLine, kAnna, TeamWorker(kBo),
                          {CitizenToWatch(kCitizen, kSecret)}, respond_by);

  v1::Board board = Board();
  EXPECT_EQ(board.state(), v1::LINE_STATE_HANDOVER_PENDING);
  EXPECT_EQ(board.holder().id(), kAnna);  // responsible until accepted
  ASSERT_TRUE(board.has_pending_handover());
  const v1::PendingHandover& pending = board.pending_handover();
  EXPECT_EQ(pending.handover_id(), offer.id);
  EXPECT_EQ(pending.holder().id(), kAnna);
  EXPECT_EQ(pending.offered_to().id(), kBo);
  EXPECT_EQ(ToTime(pending.respond_by()), respond_by);
  EXPECT_EQ(pending.item_count(), 1u);
  ASSERT_EQ(pending.items_size(), 1);
  EXPECT_EQ(pending.items(0).citizen_ref(), kCitizen);
  EXPECT_FALSE(pending.items(0).has_sensitive());
  EXPECT_FALSE(pending.overdue());
  EXPECT_THAT(board.alerts(), IsEmpty());
  EXPECT_THAT(board.DebugString(), Not(HasSubstr(kSecret)));

  server_.clock().Advance(absl::Minutes(30));
  board = Board();
  EXPECT_TRUE(board.pending_handover().overdue());
  ASSERT_EQ(board.alerts_size(), 1);
  EXPECT_THAT(board.alerts(0), HasSubstr("handover to worker:bo"));

  server_.clock().Advance(absl::Minutes(2));
  const absl::Time accepted_at = Now();
  duty_.AcceptHandover(kLine, kBo, offer.id);
  board = Board();
  EXPECT_EQ(board.state(), v1::LINE_STATE_HELD);
  EXPECT_EQ(board.holder().id(), kBo);
  EXPECT_EQ(ToTime(board.holder_since()), accepted_at);
  EXPECT_FALSE(board.has_pending_handover());
  EXPECT_THAT(board.alerts(), IsEmpty());
  const v1::HandoverNote& note = board.last_handover_note();
  EXPECT_EQ(note.handover_id(), offer.id);
  EXPECT_EQ(note.kind(), v1::HANDOVER_KIND_ACCEPTED);
  EXPECT_EQ(note.from().id(), kAnna);
  EXPECT_EQ(note.to().id(), kBo);
  EXPECT_EQ(ToTime(note.at()), accepted_at);
  ASSERT_EQ(note.items_size(), 1);
  EXPECT_EQ(note.items(0).citizen_ref(), kCitizen);
  EXPECT_FALSE(note.items(0).has_sensitive());
  EXPECT_EQ(note.items_withheld(), 0u);
  EXPECT_THAT(board.DebugString(), Not(HasSubstr(kSecret)));
}

TEST_F(OnCallServiceTest, NightPartnerHoldsAndSeesOnlySharedItems) {
  duty_.TakeLine(kLine, kAnna);
  duty_.ConsentToNightPartner(kCitizen, kAnna);
  server_.clock().Advance(absl::Hours(3));  // 22:00 in Copenhagen
  const absl::Time passed_at = Now();
  const Created pass =
      duty_.PassToNightPartner(kLine, kAnna, kNight,
                               {CitizenToWatch(kCitizen, kSecret),
                                CitizenToWatch(kOtherCitizen, "ingen samtykke"),
                                Remark("stille aften")});

  v1::Board board = Board(kNight);
  EXPECT_EQ(board.state(), v1::LINE_STATE_HELD_BY_NIGHT);
  EXPECT_EQ(board.holder().id(), kNight);
  EXPECT_EQ(board.holder().kind(), v1::PARTY_KIND_NIGHT_PARTNER);
  EXPECT_EQ(ToTime(board.holder_since()), passed_at);
  EXPECT_FALSE(board.nobody_responsible());
  const v1::HandoverNote& note = board.last_handover_note();
  EXPECT_EQ(note.handover_id(), pass.id);
  EXPECT_EQ(note.kind(), v1::HANDOVER_KIND_PASSED_TO_NIGHT_PARTNER);
  EXPECT_EQ(note.from().id(), kAnna);
  EXPECT_EQ(note.to().id(), kNight);
  ASSERT_EQ(note.items_size(), 2);
  EXPECT_EQ(note.items(0).citizen_ref(), kCitizen);
  EXPECT_EQ(note.items(1).kind(), v1::HANDOVER_ITEM_KIND_REMARK);
  EXPECT_EQ(note.items_withheld(), 1u);
  EXPECT_THAT(board.DebugString(), Not(HasSubstr(kOtherCitizen)));
  EXPECT_THAT(board.DebugString(), Not(HasSubstr(kSecret)));

  // A team worker sees every item, still without the text.
  board = Board(kAnna);
  ASSERT_EQ(board.last_handover_note().items_size(), 3);
  EXPECT_EQ(board.last_handover_note().items(1).citizen_ref(), kOtherCitizen);
  EXPECT_EQ(board.last_handover_note().items_withheld(), 0u);
  EXPECT_THAT(board.DebugString(), Not(HasSubstr(kSecret)));
}

TEST_F(OnCallServiceTest, BackupShowsOnlyWhileItsPeriodCoversNow) {
  duty_.TakeLine(kLine, kAnna);
  const absl::Time starts = Now() + absl::Hours(1);
  const absl::Time ends = Now() + absl::Hours(3);
  duty_.AssignBackup(kLine, kAnna, kCarl, starts, ends);

  v1::Board board = Board();
  EXPECT_FALSE(board.has_backup());
  ASSERT_EQ(board.backup_assignments_size(), 1);
  EXPECT_EQ(board.backup_assignments(0).backup().id(), kCarl);

  server_.clock().Set(starts);
  board = Board();
  ASSERT_TRUE(board.has_backup());
  EXPECT_EQ(board.backup().backup().id(), kCarl);
  EXPECT_EQ(ToTime(board.backup().starts_at()), starts);
  EXPECT_EQ(ToTime(board.backup().ends_at()), ends);

  server_.clock().Set(ends);
  board = Board();
  EXPECT_FALSE(board.has_backup());
  EXPECT_THAT(board.backup_assignments(), IsEmpty());
}

TEST_F(OnCallServiceTest, CallOnALineNobodyHoldsSaysNobodyIsResponsible) {
  duty_.ReceiveCall(kLine, kAnna, kCitizen);
  const v1::Board board = Board();
  EXPECT_EQ(board.state(), v1::LINE_STATE_UNCOVERED);
  EXPECT_TRUE(board.nobody_responsible());
  EXPECT_FALSE(board.has_holder());
  EXPECT_EQ(board.open_calls_size(), 1);
  ASSERT_GE(board.alerts_size(), 1);
  EXPECT_THAT(board.alerts(0), HasSubstr("NOBODY IS RESPONSIBLE"));
}

TEST_F(OnCallServiceTest, RefusesUnknownLineMissingActorAndEmptyLineId) {
  duty_.TakeLine(kLine, kAnna);
  v1::Board board;
  grpc::Status s = Get(kAnna, "no-such-line", &board);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << s.error_message();
  s = Get("", kLine, &board);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  s = Get(kAnna, "", &board);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("line_id"));
}

TEST_F(OnCallServiceTest, EveryCommandIsOnTheBoardReadRightAfterIt) {
  duty_.TakeLine(kLine, kAnna);
  for (int i = 1; i <= 8; ++i) {
    server_.clock().Advance(absl::Minutes(1));  // oldest first
    const Created call = duty_.ReceiveCall(kLine, kAnna, "");
    const v1::Board board = Board();
    ASSERT_EQ(board.open_calls_size(), i);
    EXPECT_EQ(board.open_calls(i - 1).call_id(), call.id);
    EXPECT_EQ(board.last_position(), call.position);
  }
}

// A watch on kLine as anna, with a deadline so a missing message fails the
// test instead of hanging it.
class BoardWatch {
 public:
  BoardWatch(v1::OnCallService::Stub& oncall, const std::string& actor,
             const std::string& line)
      : context_(ServiceTestServer::As(actor)) {
    context_->set_deadline(std::chrono::system_clock::now() + kWatchDeadline);
    v1::WatchBoardRequest r;
    r.set_line_id(line);
    reader_ = oncall.WatchBoard(context_.get(), r);
  }

  // The next board; a failure when the stream ended instead.
  v1::Board Next() {
    v1::Board board;
    EXPECT_TRUE(reader_->Read(&board)) << "the watch ended without a board";
    return board;
  }

  // Cancels and returns how the stream ended.
  grpc::Status Cancel() {
    context_->TryCancel();
    return reader_->Finish();
  }

  grpc::Status Finish() { return reader_->Finish(); }

 private:
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReader<v1::Board>> reader_;
};

TEST_F(OnCallServiceTest, WatchSendsTheBoardThenOneBoardPerChange) {
  duty_.TakeLine(kLine, kAnna);
  duty_.TakeLine("vest", kCarl);
  BoardWatch watch(*oncall_, kAnna, kLine);
  v1::Board board = watch.Next();
  EXPECT_EQ(board.state(), v1::LINE_STATE_HELD);
  EXPECT_EQ(board.holder().id(), kAnna);
  EXPECT_EQ(board.event_count(), 1u);

  const Created call = duty_.ReceiveCall(kLine, kAnna, kCitizen);
  board = watch.Next();
  ASSERT_EQ(board.open_calls_size(), 1);
  EXPECT_EQ(board.open_calls(0).call_id(), call.id);
  EXPECT_EQ(board.last_position(), call.position);
  EXPECT_EQ(board.event_count(), 2u);

  const uint64_t assessed =
      duty_.AssessRisk(call.id, kAnna, v1::RISK_LEVEL_HIGH);
  board = watch.Next();
  ASSERT_EQ(board.open_calls_size(), 1);
  EXPECT_EQ(board.open_calls(0).latest_risk(), v1::RISK_LEVEL_HIGH);
  EXPECT_EQ(board.last_position(), assessed);
  EXPECT_EQ(board.event_count(), 3u);

  // A change to another line sends nothing: the next message is the close.
  duty_.ReceiveCall("vest", kCarl, "");
  const uint64_t closed = duty_.CloseCall(call.id, kAnna);
  board = watch.Next();
  EXPECT_THAT(board.open_calls(), IsEmpty());
  EXPECT_EQ(board.last_position(), closed);
  EXPECT_EQ(board.event_count(), 4u);

  const grpc::Status end = watch.Cancel();
  EXPECT_EQ(end.error_code(), grpc::StatusCode::CANCELLED)
      << end.error_message();
}

TEST_F(OnCallServiceTest,
       ARegisteredLineNothingHappenedOnYetHasANewLinesBoard) {
  const v1::Board board = Board();
  EXPECT_EQ(board.line_id(), kLine);
  EXPECT_EQ(board.state(), v1::LINE_STATE_UNCOVERED);
  EXPECT_TRUE(board.nobody_responsible());
  EXPECT_EQ(board.event_count(), 0u);
  ASSERT_GE(board.alerts_size(), 1);
  EXPECT_THAT(board.alerts(0), HasSubstr("NOBODY IS RESPONSIBLE"));
  // And a watch starts from it, so a console opened on the first day shows
  // the line instead of an error.
  BoardWatch watch(*oncall_, kAnna, kLine);
  EXPECT_TRUE(watch.Next().nobody_responsible());
  duty_.TakeLine(kLine, kAnna);
  EXPECT_EQ(watch.Next().holder().id(), kAnna);
  EXPECT_EQ(watch.Cancel().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(OnCallServiceTest, WatchOfAnUnknownLineOrWithoutActorEnds) {
  duty_.TakeLine(kLine, kAnna);
  BoardWatch unknown(*oncall_, kAnna, "no-such-line");
  EXPECT_EQ(unknown.Finish().error_code(), grpc::StatusCode::NOT_FOUND);
  BoardWatch anonymous(*oncall_, "", kLine);
  EXPECT_EQ(anonymous.Finish().error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

// A watch does not outlive its credentials: suspending the watcher (an
// administrator's event in the directory) ends the stream with the refusal.
TEST_F(OnCallServiceTest, SuspendingTheWatcherEndsTheWatch) {
  duty_.TakeLine(kLine, kAnna);
  BoardWatch watch(*oncall_, kCarl, kLine);
  EXPECT_EQ(watch.Next().holder().id(), kAnna);

  eventstore::NewEvent suspended;
  suspended.actor = "worker:admin";
  suspended.payload.mutable_principal_suspended()->set_party_id(kCarl);
  suspended.payload.mutable_principal_suspended()->set_reason("lost phone");
  std::vector<eventstore::NewEvent> events;
  events.push_back(std::move(suspended));
  ASSERT_TRUE(server_.store()
                  .Append({.stream_id = kDirectoryStream,
                           .expected = eventstore::ExpectedVersion::Any(),
                           .request_id = "suspend-carl",
                           .events = std::move(events)})
                  .ok());
  const grpc::Status end = watch.Finish();
  EXPECT_EQ(end.error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << end.error_message();
  EXPECT_THAT(end.error_message(), HasSubstr("suspended"));
}

// Moved to another team, the watcher may no longer see this team's line:
// the watch ends with the relationship rule's refusal.
TEST_F(OnCallServiceTest, MovingTheWatcherToAnotherTeamEndsTheWatch) {
  duty_.TakeLine(kLine, kAnna);
  BoardWatch watch(*oncall_, kCarl, kLine);
  EXPECT_EQ(watch.Next().holder().id(), kAnna);

  std::vector<eventstore::NewEvent> events;
  auto role = [&](v1::Role r, const std::string& team, bool grant) {
    eventstore::NewEvent e;
    e.actor = "worker:admin";
    if (grant) {
      auto* g = e.payload.mutable_principal_role_granted();
      g->set_party_id(kCarl);
      g->set_role(r);
      g->set_team_id(team);
    } else {
      auto* g = e.payload.mutable_principal_role_revoked();
      g->set_party_id(kCarl);
      g->set_role(r);
      g->set_team_id(team);
    }
    events.push_back(std::move(e));
  };
  role(v1::ROLE_TEAM_WORKER, testing::kOtherTeam, true);
  role(v1::ROLE_TEAM_WORKER, testing::kTestTeam, false);
  role(v1::ROLE_TEAM_LEADER, testing::kTestTeam, false);
  ASSERT_TRUE(server_.store()
                  .Append({.stream_id = kDirectoryStream,
                           .expected = eventstore::ExpectedVersion::Any(),
                           .request_id = "move-carl",
                           .events = std::move(events)})
                  .ok());
  const grpc::Status end = watch.Finish();
  EXPECT_EQ(end.error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << end.error_message();
  EXPECT_THAT(end.error_message(), HasSubstr("on the line \"central\""));
}

// The server side of a cancelled watch ends: the server shuts down (which
// waits for every running handler) well before the watch's deadline.
TEST(OnCallWatch, CancelledWatchEndsOnTheServer) {
  auto server = std::make_unique<ServiceTestServer>();
  {
    DutyCommands duty(server->channel());
    duty.TakeLine(kLine, kAnna);
  }
  auto oncall = v1::OnCallService::NewStub(server->channel());
  BoardWatch watch(*oncall, kAnna, kLine);
  EXPECT_EQ(watch.Next().holder().id(), kAnna);
  EXPECT_EQ(watch.Cancel().error_code(), grpc::StatusCode::CANCELLED);

  std::promise<void> stopped;
  std::future<void> done = stopped.get_future();
  std::thread stopper([&] {
    server.reset();
    stopped.set_value();
  });
  if (done.wait_for(std::chrono::seconds(5)) != std::future_status::ready) {
    ADD_FAILURE() << "the cancelled WatchBoard handler did not return";
    std::_Exit(1);  // the server would wait for it forever
  }
  stopper.join();
}

}  // namespace
}  // namespace vagt
