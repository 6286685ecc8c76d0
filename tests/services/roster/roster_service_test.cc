// RosterService through gRPC: setting the standard rotation and reading it
// back (who should cover at the shift edges, a week of shifts), a rotation
// with a gap or an overlap refused and nothing recorded, overrides added,
// retried and removed, and the calendar: exported, imported into another
// line to the same week, and a bad calendar that changes nothing.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/local_time.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/parties.h"
#include "tests/services/service_test_server.h"
#include "tests/support/test_roles.h"
#include "vagt/v1/roster.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::vagt::testing::ServiceTestServer;

constexpr char kLeader[] = "worker:leder";

using ::vagt::testing::Worker;

absl::Time Local(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilMinute(y, m, d, hh, mm), DutyTimeZone());
}

v1::LocalDateTime At(const std::string& date, int hour) {
  v1::LocalDateTime t;
  t.set_local_date(date);
  t.mutable_time()->set_hour(hour);
  return t;
}

class RosterServiceTest : public ::testing::Test {
 protected:
  RosterServiceTest() : stub_(v1::RosterService::NewStub(server_.channel())) {}

  v1::SetRotationRequest Standard(const std::string& line,
                                  const std::string& request_id) {
    v1::SetRotationRequest request;
    request.set_request_id(request_id);
    request.mutable_rotation()->set_line_id(line);
    request.mutable_rotation()->set_effective_from("2026-11-02");
    v1::StandardRotation& s = *request.mutable_standard();
    *s.mutable_weekday_worker() = Worker("anna");
    s.mutable_night_partner()->set_kind(v1::PARTY_KIND_NIGHT_PARTNER);
    s.mutable_night_partner()->set_id("partner:natpartner");
    for (const char* name : {"bo", "dan", "finn", "hans"}) {
      v1::WeekendCover& w = *s.add_weekends();
      *w.mutable_duty() = Worker(name);
      *w.mutable_backup() = Worker(std::string(name) + "-backup");
    }
    return request;
  }

  grpc::Status SetStandard(const std::string& line = "ishoj-bos") {
    v1::CommandResult result;
    return stub_->SetRotation(ServiceTestServer::As(kLeader).get(),
                              Standard(line, "rot-" + line), &result);
  }

  v1::WhoShouldCoverResponse Who(absl::Time at,
                                 const std::string& line = "ishoj-bos") {
    v1::WhoShouldCoverRequest request;
    request.set_line_id(line);
    *request.mutable_at() = ToTimestamp(at);
    v1::WhoShouldCoverResponse response;
    grpc::Status s = stub_->WhoShouldCover(ServiceTestServer::As(kLeader).get(),
                                           request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  v1::ShowWeekResponse Week(const std::string& line, const std::string& day) {
    v1::ShowWeekRequest request;
    request.set_line_id(line);
    request.set_week_of(day);
    v1::ShowWeekResponse response;
    grpc::Status s = stub_->ShowWeek(ServiceTestServer::As(kLeader).get(),
                                     request, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  uint64_t RosterVersion(const std::string& line) {
    absl::StatusOr<uint64_t> v =
        server_.store().StreamVersion(absl::StrCat("roster-", line));
    EXPECT_TRUE(v.ok());
    return v.value_or(0);
  }

  ServiceTestServer server_;
  std::unique_ptr<v1::RosterService::Stub> stub_;
};

TEST_F(RosterServiceTest, StandardRotationPlansTheShiftEdges) {
  ASSERT_TRUE(SetStandard().ok());
  EXPECT_EQ(Who(Local(2026, 11, 24, 21, 59)).duty().party().id(),
            "worker:anna");
  const v1::WhoShouldCoverResponse night = Who(Local(2026, 11, 24, 22, 0));
  EXPECT_EQ(night.duty().party().id(), "partner:natpartner");
  EXPECT_EQ(night.duty().local_start(), "2026-11-24 22:00");
  EXPECT_EQ(night.duty().local_end(), "2026-11-25 07:00");
  EXPECT_FALSE(night.has_backup());
  EXPECT_EQ(Who(Local(2026, 11, 25, 6, 59)).duty().party().id(),
            "partner:natpartner");
  EXPECT_EQ(Who(Local(2026, 11, 25, 7, 0)).duty().party().id(), "worker:anna");
  // Saturday 28 November is week 4 of the cycle from 2 November.
  const v1::WhoShouldCoverResponse weekend = Who(Local(2026, 11, 28, 10, 0));
  EXPECT_EQ(weekend.duty().party().id(), "worker:hans");
  EXPECT_EQ(weekend.backup().party().id(), "worker:hans-backup");
  EXPECT_EQ(weekend.backup().local_end(), "2026-11-28 22:00");

  // Without `at`: now (the test clock, Tuesday 24 November 20:00 local).
  v1::WhoShouldCoverRequest now;
  now.set_line_id("ishoj-bos");
  v1::WhoShouldCoverResponse response;
  ASSERT_TRUE(
      stub_
          ->WhoShouldCover(ServiceTestServer::As(kLeader).get(), now, &response)
          .ok());
  EXPECT_EQ(response.duty().party().id(), "worker:anna");
}

TEST_F(RosterServiceTest, ShowWeekListsTheShiftsOfTheWeek) {
  ASSERT_TRUE(SetStandard().ok());
  // Any day names its week: Wednesday 25 November -> Monday 23.
  const v1::ShowWeekResponse week = Week("ishoj-bos", "2026-11-25");
  EXPECT_EQ(week.week_start(), "2026-11-23");
  // Mon-Fri days (5), nights starting Sun..Sun clipped to the week (8),
  // weekend days (2 duty + 2 backup).
  ASSERT_EQ(week.shifts_size(), 17);
  EXPECT_EQ(week.shifts(0).local_start(), "2026-11-23 00:00");
  EXPECT_EQ(week.shifts(0).local_end(), "2026-11-23 07:00");
  EXPECT_EQ(week.shifts(1).party().id(), "worker:anna");
  EXPECT_EQ(week.shifts(1).local_start(), "2026-11-23 07:00");
  EXPECT_EQ(week.shifts(week.shifts_size() - 1).local_end(),
            "2026-11-30 00:00");
  // Without a date: this week.
  EXPECT_EQ(Week("ishoj-bos", "").week_start(), "2026-11-23");
}

TEST_F(RosterServiceTest,
       RotationWithAGapOrOverlapIsRefusedAndNothingIsRecorded) {
  v1::SetRotationRequest gap = Standard("ishoj-bos", "gap");
  v1::RosterRotationSet& rotation = *gap.mutable_rotation();
  // As slots: weekdays 07-21 only.
  rotation.set_cycle_weeks(1);
  v1::RosterSlot& day = *rotation.add_slots();
  for (int d = 1; d <= 5; ++d) day.add_weekdays(static_cast<v1::Weekday>(d));
  day.mutable_start()->set_hour(7);
  day.mutable_end()->set_hour(21);
  day.set_role(v1::ROSTER_ROLE_DUTY);
  *day.mutable_assignee() = Worker("anna");
  v1::RosterSlot& night = *rotation.add_slots();
  for (int d = 1; d <= 7; ++d) night.add_weekdays(static_cast<v1::Weekday>(d));
  night.mutable_start()->set_hour(22);
  night.mutable_end()->set_hour(7);
  night.set_role(v1::ROSTER_ROLE_DUTY);
  night.mutable_assignee()->set_kind(v1::PARTY_KIND_NIGHT_PARTNER);
  night.mutable_assignee()->set_id("partner:natpartner");
  v1::RosterSlot& weekend = *rotation.add_slots();
  weekend.add_weekdays(v1::WEEKDAY_SATURDAY);
  weekend.add_weekdays(v1::WEEKDAY_SUNDAY);
  weekend.mutable_start()->set_hour(7);
  weekend.mutable_end()->set_hour(22);
  weekend.set_role(v1::ROSTER_ROLE_DUTY);
  *weekend.mutable_assignee() = Worker("bo");

  v1::CommandResult result;
  gap.clear_standard();
  grpc::Status s =
      stub_->SetRotation(ServiceTestServer::As(kLeader).get(), gap, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "rotation.slots: DUTY slots leave a gap from Mon 21:00 to Mon "
            "22:00 (nobody would hold the line)");

  v1::SetRotationRequest overlap = gap;
  overlap.set_request_id("overlap");
  overlap.mutable_rotation()->mutable_slots(0)->mutable_end()->set_hour(23);
  s = stub_->SetRotation(ServiceTestServer::As(kLeader).get(), overlap,
                         &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(),
            "rotation.slots: DUTY slots overlap from Mon 22:00 to Mon 23:00 "
            "(slots[0] and slots[1])");
  EXPECT_EQ(RosterVersion("ishoj-bos"), 0u);

  // Fixed, it is taken.
  v1::SetRotationRequest fixed = gap;
  fixed.set_request_id("fixed");
  fixed.mutable_rotation()->mutable_slots(0)->mutable_end()->set_hour(22);
  s = stub_->SetRotation(ServiceTestServer::As(kLeader).get(), fixed, &result);
  EXPECT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(RosterVersion("ishoj-bos"), 1u);
}

TEST_F(RosterServiceTest, OverrideWinsIsRetriedOnceAndCanBeRemoved) {
  ASSERT_TRUE(SetStandard().ok());
  v1::AddOverrideRequest request;
  request.set_request_id("swap-1");
  request.set_line_id("ishoj-bos");
  *request.mutable_start() = At("2026-11-24", 12);
  *request.mutable_end() = At("2026-11-24", 22);
  request.set_role(v1::ROSTER_ROLE_DUTY);
  *request.mutable_covered_by() = Worker("bo");
  request.set_reason(v1::ROSTER_OVERRIDE_REASON_SWAP);
  v1::AddOverrideResponse added;
  ASSERT_TRUE(
      stub_->AddOverride(ServiceTestServer::As(kLeader).get(), request, &added)
          .ok());
  EXPECT_FALSE(added.override_id().empty());
  const v1::WhoShouldCoverResponse bo = Who(Local(2026, 11, 24, 13, 0));
  EXPECT_EQ(bo.duty().party().id(), "worker:bo");
  EXPECT_EQ(bo.duty().override_id(), added.override_id());
  EXPECT_EQ(bo.duty().local_start(), "2026-11-24 12:00");

  // A retry answers with the same override and records nothing.
  v1::AddOverrideResponse again;
  ASSERT_TRUE(
      stub_->AddOverride(ServiceTestServer::As(kLeader).get(), request, &again)
          .ok());
  EXPECT_EQ(again.override_id(), added.override_id());
  EXPECT_TRUE(again.result().replayed());
  EXPECT_EQ(RosterVersion("ishoj-bos"), 2u);

  v1::RemoveOverrideRequest remove;
  remove.set_request_id("unswap-1");
  remove.set_line_id("ishoj-bos");
  remove.set_override_id(added.override_id());
  v1::CommandResult removed;
  ASSERT_TRUE(stub_
                  ->RemoveOverride(ServiceTestServer::As(kLeader).get(), remove,
                                   &removed)
                  .ok());
  EXPECT_EQ(Who(Local(2026, 11, 24, 13, 0)).duty().party().id(), "worker:anna");
  remove.set_request_id("unswap-2");
  grpc::Status s = stub_->RemoveOverride(ServiceTestServer::As(kLeader).get(),
                                         remove, &removed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  remove.set_request_id("unswap-3");
  remove.set_override_id("no-such-override");
  s = stub_->RemoveOverride(ServiceTestServer::As(kLeader).get(), remove,
                            &removed);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);

  // Bad fields are named.
  request.set_request_id("bad-1");
  *request.mutable_end() = At("2026-11-24", 11);
  s = stub_->AddOverride(ServiceTestServer::As(kLeader).get(), request, &added);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "end: must be after start");
  request.set_request_id("bad-2");
  *request.mutable_end() = At("2026-11-24", 22);
  request.mutable_covered_by()->set_id("bo");
  s = stub_->AddOverride(ServiceTestServer::As(kLeader).get(), request, &added);
  EXPECT_THAT(s.error_message(), HasSubstr("covered_by.id"));
}

TEST_F(RosterServiceTest, ShiftsArePlannedOnlyForThoseWhoWorkOnTheLine) {
  // A rotation whose night partner the team does not work with: nobody
  // could answer the line at night, so nothing is recorded.
  v1::SetRotationRequest rotation = Standard("ishoj-bos", "rot-stranger");
  rotation.mutable_standard()->mutable_night_partner()->set_id(
      testing::kStrangerPartner);
  v1::CommandResult result;
  grpc::Status s = stub_->SetRotation(ServiceTestServer::As(kLeader).get(),
                                      rotation, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(),
              HasSubstr(absl::StrCat("\"", testing::kStrangerPartner,
                                     "\" does not work on the line")));
  EXPECT_EQ(RosterVersion("ishoj-bos"), 0u);

  // An override for a worker of another team, likewise.
  ASSERT_TRUE(SetStandard().ok());
  v1::AddOverrideRequest request;
  request.set_request_id("swap-other-team");
  request.set_line_id("ishoj-bos");
  *request.mutable_start() = At("2026-11-24", 12);
  *request.mutable_end() = At("2026-11-24", 22);
  request.set_role(v1::ROSTER_ROLE_DUTY);
  request.mutable_covered_by()->set_kind(v1::PARTY_KIND_TEAM_WORKER);
  request.mutable_covered_by()->set_id(testing::kOtherTeamWorker);
  request.set_reason(v1::ROSTER_OVERRIDE_REASON_SWAP);
  v1::AddOverrideResponse added;
  s = stub_->AddOverride(ServiceTestServer::As(kLeader).get(), request, &added);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(),
              HasSubstr(absl::StrCat("covered_by: \"",
                                     testing::kOtherTeamWorker, "\"")));
  EXPECT_EQ(RosterVersion("ishoj-bos"), 1u);
  EXPECT_EQ(Who(Local(2026, 11, 24, 13, 0)).duty().party().id(), "worker:anna");
}

TEST_F(RosterServiceTest, ExportedCalendarImportsIntoAnotherLineAsTheSameWeek) {
  ASSERT_TRUE(SetStandard("ishoj-bos").ok());
  v1::ExportIcsRequest export_request;
  export_request.set_line_id("ishoj-bos");
  *export_request.mutable_from() = ToTimestamp(Local(2026, 11, 23, 0, 0));
  *export_request.mutable_to() = ToTimestamp(Local(2026, 11, 30, 0, 0));
  v1::ExportIcsResponse exported;
  ASSERT_TRUE(stub_
                  ->ExportIcs(ServiceTestServer::As(kLeader).get(),
                              export_request, &exported)
                  .ok());
  EXPECT_EQ(exported.content_type(), "text/calendar");
  EXPECT_EQ(exported.event_count(), 17u);
  EXPECT_THAT(exported.ics(), HasSubstr("X-WR-CALNAME:vagt ishoj-bos"));

  v1::ImportOverridesRequest import;
  import.set_request_id("import-1");
  import.set_line_id("allerod");
  import.set_ics(exported.ics());
  v1::ImportOverridesResponse imported;
  grpc::Status s = stub_->ImportOverrides(ServiceTestServer::As(kLeader).get(),
                                          import, &imported);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(imported.override_ids_size(), 17);
  EXPECT_EQ(RosterVersion("allerod"), 17u);

  const v1::ShowWeekResponse original = Week("ishoj-bos", "2026-11-23");
  const v1::ShowWeekResponse copy = Week("allerod", "2026-11-23");
  ASSERT_EQ(copy.shifts_size(), original.shifts_size());
  for (int i = 0; i < copy.shifts_size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(copy.shifts(i).role(), original.shifts(i).role());
    EXPECT_EQ(copy.shifts(i).party().id(), original.shifts(i).party().id());
    EXPECT_EQ(copy.shifts(i).local_start(), original.shifts(i).local_start());
    EXPECT_EQ(copy.shifts(i).local_end(), original.shifts(i).local_end());
    EXPECT_EQ(copy.shifts(i).override_id(), imported.override_ids(i));
  }

  // A retry of the import answers with the same overrides.
  v1::ImportOverridesResponse retried;
  ASSERT_TRUE(stub_
                  ->ImportOverrides(ServiceTestServer::As(kLeader).get(),
                                    import, &retried)
                  .ok());
  EXPECT_TRUE(retried.result().replayed());
  EXPECT_THAT(retried.override_ids(),
              ::testing::ElementsAreArray(imported.override_ids()));
  EXPECT_EQ(RosterVersion("allerod"), 17u);
}

TEST_F(RosterServiceTest, BadCalendarChangesNothing) {
  ASSERT_TRUE(SetStandard().ok());
  v1::ImportOverridesRequest import;
  import.set_request_id("import-bad");
  import.set_line_id("ishoj-bos");
  // The first VEVENT is fine, the second has no DTEND: nothing is added.
  import.set_ics(
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//\r\n"
      "BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20261101T000000Z\r\n"
      "DTSTART:20261124T110000Z\r\nDTEND:20261124T210000Z\r\n"
      "SUMMARY:Duty: worker:bo\r\nEND:VEVENT\r\n"
      "BEGIN:VEVENT\r\nUID:2\r\nDTSTAMP:20261101T000000Z\r\n"
      "DTSTART:20261125T110000Z\r\nSUMMARY:Duty: worker:bo\r\n"
      "END:VEVENT\r\nEND:VCALENDAR\r\n");
  v1::ImportOverridesResponse response;
  grpc::Status s = stub_->ImportOverrides(ServiceTestServer::As(kLeader).get(),
                                          import, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "ics: VEVENT 2: DTEND (or DURATION): required");
  EXPECT_EQ(RosterVersion("ishoj-bos"), 1u);
  // A party the override rules refuse is named by its VEVENT too.
  import.set_request_id("import-bad-2");
  import.set_ics(
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//\r\n"
      "BEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20261101T000000Z\r\n"
      "DTSTART:20261124T110000Z\r\nDTEND:20261124T210000Z\r\n"
      "X-VAGT-ROLE:DUTY\r\nX-VAGT-PARTY:worker:bo\r\n"
      "X-VAGT-PARTY-KIND:NIGHT_PARTNER\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
  s = stub_->ImportOverrides(ServiceTestServer::As(kLeader).get(), import,
                             &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("ics: VEVENT 1: covered_by.id"));
  EXPECT_EQ(RosterVersion("ishoj-bos"), 1u);
  EXPECT_EQ(Who(Local(2026, 11, 24, 13, 0)).duty().party().id(), "worker:anna");
}

TEST_F(RosterServiceTest, ReadsNeedAnActorAndARoster) {
  v1::WhoShouldCoverRequest request;
  request.set_line_id("ishoj-bos");
  v1::WhoShouldCoverResponse response;
  EXPECT_EQ(stub_
                ->WhoShouldCover(ServiceTestServer::As(kLeader).get(), request,
                                 &response)
                .error_code(),
            grpc::StatusCode::NOT_FOUND);
  ASSERT_TRUE(SetStandard().ok());
  EXPECT_EQ(
      stub_->WhoShouldCover(ServiceTestServer::As("").get(), request, &response)
          .error_code(),
      grpc::StatusCode::UNAUTHENTICATED);
  v1::CommandResult result;
  EXPECT_EQ(stub_
                ->SetRotation(ServiceTestServer::As("").get(),
                              Standard("ishoj-bos", "x"), &result)
                .error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  v1::ExportIcsRequest too_long;
  too_long.set_line_id("ishoj-bos");
  *too_long.mutable_from() = ToTimestamp(Local(2026, 1, 1, 0, 0));
  *too_long.mutable_to() = ToTimestamp(Local(2028, 1, 1, 0, 0));
  v1::ExportIcsResponse ics;
  grpc::Status s =
      stub_->ExportIcs(ServiceTestServer::As(kLeader).get(), too_long, &ics);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "to: at most 400 days after from");
}

}  // namespace
}  // namespace vagt
