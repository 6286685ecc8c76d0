// The board shows planned against actual coverage: who the roster plans now
// (DUTY, BACKUP) next to who holds the line, an alert while they differ,
// and the coverage watch's alarms while their condition holds.
#include <memory>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/local_time.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/roster/coverage_watch.h"
#include "tests/services/parties.h"
#include "tests/services/service_test_server.h"
#include "vagt/v1/lines.grpc.pb.h"
#include "vagt/v1/oncall.grpc.pb.h"
#include "vagt/v1/roster.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;
using ::vagt::testing::ServiceTestServer;

constexpr char kLine[] = "ishoj-bos";
constexpr char kNight[] = "partner:natpartner";

using ::vagt::testing::NightPartner;
using ::vagt::testing::Worker;

absl::Time Local(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), DutyTimeZone());
}

class RosterBoardTest : public ::testing::Test {
 protected:
  RosterBoardTest()
      : roster_(v1::RosterService::NewStub(server_.channel())),
        lines_(v1::LineService::NewStub(server_.channel())),
        oncall_(v1::OnCallService::NewStub(server_.channel())) {
    v1::SetRotationRequest request;
    request.set_request_id("rotation");
    request.mutable_rotation()->set_line_id(kLine);
    request.mutable_rotation()->set_effective_from("2026-11-02");
    v1::StandardRotation& s = *request.mutable_standard();
    *s.mutable_weekday_worker() = Worker("anna");
    *s.mutable_night_partner() = NightPartner();
    for (const char* name : {"bo", "dan", "finn", "hans"}) {
      v1::WeekendCover& w = *s.add_weekends();
      *w.mutable_duty() = Worker(name);
      *w.mutable_backup() = Worker(std::string(name) + "-backup");
    }
    v1::CommandResult result;
    grpc::Status status = roster_->SetRotation(
        ServiceTestServer::As("worker:leder").get(), request, &result);
    EXPECT_TRUE(status.ok()) << status.error_message();
  }

  v1::Board Board() {
    v1::GetBoardRequest request;
    request.set_line_id(kLine);
    v1::Board board;
    grpc::Status status = oncall_->GetBoard(
        ServiceTestServer::As("worker:anna").get(), request, &board);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return board;
  }

  void TakeLine() {
    v1::TakeLineRequest request;
    request.set_request_id("take");
    request.set_line_id(kLine);
    request.set_reason(v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED);
    v1::CommandResult result;
    ASSERT_TRUE(lines_
                    ->TakeLine(ServiceTestServer::As("worker:anna").get(),
                               request, &result)
                    .ok());
  }

  std::string OfferToNightPartner() {
    v1::OfferHandoverRequest request;
    request.set_request_id("offer");
    request.set_line_id(kLine);
    *request.mutable_offered_to() = NightPartner();
    v1::LineHandoverResponse response;
    EXPECT_TRUE(lines_
                    ->OfferHandover(ServiceTestServer::As("worker:anna").get(),
                                    request, &response)
                    .ok());
    return response.handover_id();
  }

  void Accept(const std::string& handover_id) {
    v1::AcceptHandoverRequest request;
    request.set_request_id("accept");
    request.set_line_id(kLine);
    request.set_handover_id(handover_id);
    v1::CommandResult result;
    ASSERT_TRUE(lines_
                    ->AcceptHandover(ServiceTestServer::As(kNight).get(),
                                     request, &result)
                    .ok());
  }

  int Watch(absl::Time now) {
    server_.clock().Set(now);
    absl::StatusOr<int> raised = watch_.Check(now);
    EXPECT_TRUE(raised.ok()) << raised.status();
    return raised.value_or(-1);
  }

  ServiceTestServer server_;
  std::unique_ptr<v1::RosterService::Stub> roster_;
  std::unique_ptr<v1::LineService::Stub> lines_;
  std::unique_ptr<v1::OnCallService::Stub> oncall_;
  services::CoverageWatch watch_{server_.store(), server_.clock()};
};

TEST_F(RosterBoardTest, BoardShowsPlannedNextToActualAcrossTheEveningHandover) {
  TakeLine();  // Tuesday 24 November, 20:00
  v1::Board board = Board();
  EXPECT_EQ(board.holder().id(), "worker:anna");
  EXPECT_EQ(board.planned().duty().id(), "worker:anna");
  EXPECT_FALSE(board.planned().has_backup());
  EXPECT_FALSE(board.planned().holder_differs());
  EXPECT_FALSE(board.has_roster());  // the stored roster is not shown
  EXPECT_TRUE(board.alerts().empty());

  server_.clock().Set(Local(2026, 11, 24, 21, 55));
  const std::string handover = OfferToNightPartner();
  server_.clock().Set(Local(2026, 11, 24, 22, 0));
  board = Board();
  EXPECT_EQ(board.planned().duty().id(), kNight);
  EXPECT_TRUE(board.planned().holder_differs());
  EXPECT_THAT(board.alerts(),
              Contains("the roster plans partner:natpartner on duty; the line "
                       "is held by worker:anna"));

  // 22:10: the coverage watch raises the alarm, and the board shows it.
  EXPECT_EQ(Watch(Local(2026, 11, 24, 22, 9)), 0);
  EXPECT_EQ(Watch(Local(2026, 11, 24, 22, 10)), 1);
  board = Board();
  ASSERT_EQ(board.open_alarms_size(), 1);
  EXPECT_EQ(board.open_alarms(0).kind(), v1::ALARM_KIND_HANDOVER_NOT_ACCEPTED);
  EXPECT_EQ(board.alerts(0),
            "ALARM: handover of line ishoj-bos to partner:natpartner planned "
            "at 2026-11-24 22:00 not accepted by 2026-11-24 22:10; held by "
            "worker:anna (offer " +
                handover + " to partner:natpartner pending)");

  // Accepted: the alarm and the difference are over.
  Accept(handover);
  board = Board();
  EXPECT_EQ(board.holder().id(), kNight);
  EXPECT_FALSE(board.planned().holder_differs());
  EXPECT_EQ(board.open_alarms_size(), 0);
  EXPECT_THAT(board.alerts(), Not(Contains(HasSubstr("ALARM"))));
  EXPECT_THAT(board.alerts(), Not(Contains(HasSubstr("roster plans"))));
}

TEST_F(RosterBoardTest, LineNobodyTookShowsTheUncoveredAlarmUntilTaken) {
  EXPECT_EQ(Watch(Local(2026, 11, 24, 20, 0)), 1);
  v1::Board board = Board();
  EXPECT_TRUE(board.nobody_responsible());
  EXPECT_EQ(board.planned().duty().id(), "worker:anna");
  EXPECT_TRUE(board.planned().holder_differs());
  ASSERT_EQ(board.open_alarms_size(), 1);
  EXPECT_EQ(board.open_alarms(0).kind(), v1::ALARM_KIND_LINE_UNCOVERED);
  EXPECT_EQ(board.alerts(0), "NOBODY IS RESPONSIBLE FOR LINE ishoj-bos");
  EXPECT_THAT(board.alerts(1), HasSubstr("ALARM: nobody holds line ishoj-bos"));

  TakeLine();
  board = Board();
  EXPECT_FALSE(board.nobody_responsible());
  EXPECT_EQ(board.open_alarms_size(), 0);
  EXPECT_TRUE(board.alerts().empty());
}

TEST_F(RosterBoardTest, WeekendBoardShowsThePlannedBackupAndOverrides) {
  TakeLine();
  // Saturday 28 November 10:00, week 4 of the cycle.
  server_.clock().Set(Local(2026, 11, 28, 10, 0));
  v1::Board board = Board();
  EXPECT_EQ(board.planned().duty().id(), "worker:hans");
  EXPECT_EQ(board.planned().backup().id(), "worker:hans-backup");
  EXPECT_TRUE(board.planned().holder_differs());

  v1::AddOverrideRequest request;
  request.set_request_id("swap");
  request.set_line_id(kLine);
  request.mutable_start()->set_local_date("2026-11-28");
  request.mutable_start()->mutable_time()->set_hour(7);
  request.mutable_end()->set_local_date("2026-11-28");
  request.mutable_end()->mutable_time()->set_hour(22);
  request.set_role(v1::ROSTER_ROLE_DUTY);
  *request.mutable_covered_by() = Worker("anna");
  v1::AddOverrideResponse added;
  ASSERT_TRUE(roster_
                  ->AddOverride(ServiceTestServer::As("worker:leder").get(),
                                request, &added)
                  .ok());
  board = Board();
  EXPECT_EQ(board.planned().duty().id(), "worker:anna");
  EXPECT_EQ(board.planned().duty_override_id(), added.override_id());
  EXPECT_FALSE(board.planned().holder_differs());
  EXPECT_EQ(board.planned().backup().id(), "worker:hans-backup");
}

}  // namespace
}  // namespace vagt
