// RosterState and the rotation rules, without a server: who is planned at
// the edges of the shifts, the daylight-saving nights of 2026 in
// Europe/Copenhagen (no gap, no overlap, right local time), the four-week
// weekend rotation, overrides, rotations replacing each other, and the
// rotations refused for a gap or an overlap.
#include "domain/roster_state.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/roster_rotation.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/parties.h"

namespace vagt::services {
namespace {

using ::testing::HasSubstr;

using ::vagt::testing::NightPartner;
using ::vagt::testing::Worker;

// Copenhagen local time.
absl::Time Local(int y, int m, int d, int hh, int mm) {
  return ResolveLocal(absl::CivilSecond(y, m, d, hh, mm, 0), DutyTimeZone());
}

absl::Time Utc(int y, int m, int d, int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(y, m, d, hh, mm, 0),
                         absl::UTCTimeZone());
}

std::string LocalText(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", t, DutyTimeZone());
}

// The standard rotation from Monday 2026-03-02: weekdays anna, nights the
// night partner, weekends (duty/backup) w1 bo/cai, w2 dan/eva, w3 finn/gry,
// w4 hans/ida.
v1::RosterRotationSet Standard(
    const std::string& effective_from = "2026-03-02") {
  v1::StandardRotation standard;
  *standard.mutable_weekday_worker() = Worker("anna");
  *standard.mutable_night_partner() = NightPartner();
  for (const auto& [duty, backup] :
       std::vector<std::pair<std::string, std::string>>{
           {"bo", "cai"}, {"dan", "eva"}, {"finn", "gry"}, {"hans", "ida"}}) {
    v1::WeekendCover& w = *standard.add_weekends();
    *w.mutable_duty() = Worker(duty);
    *w.mutable_backup() = Worker(backup);
  }
  absl::StatusOr<v1::RosterRotationSet> rotation = StandardRotation(standard);
  EXPECT_TRUE(rotation.ok()) << rotation.status();
  rotation->set_line_id("ishoj-bos");
  rotation->set_effective_from(effective_from);
  return *rotation;
}

v1::EventEnvelope Event(uint64_t version, v1::EventPayload payload) {
  v1::EventEnvelope e;
  e.set_stream_id("roster-ishoj-bos");
  e.set_stream_version(version);
  *e.mutable_payload() = std::move(payload);
  return e;
}

v1::EventEnvelope RotationEvent(uint64_t version,
                                const v1::RosterRotationSet& rotation) {
  v1::EventPayload p;
  *p.mutable_roster_rotation_set() = rotation;
  return Event(version, p);
}

v1::LocalDateTime At(const std::string& date, int hour, int minute = 0) {
  v1::LocalDateTime t;
  t.set_local_date(date);
  t.mutable_time()->set_hour(hour);
  t.mutable_time()->set_minute(minute);
  return t;
}

v1::EventEnvelope OverrideEvent(uint64_t version, const std::string& id,
                                v1::LocalDateTime start, v1::LocalDateTime end,
                                v1::RosterRole role, const v1::Party& by) {
  v1::EventPayload p;
  v1::RosterOverrideAdded& o = *p.mutable_roster_override_added();
  o.set_line_id("ishoj-bos");
  o.set_override_id(id);
  *o.mutable_start() = std::move(start);
  *o.mutable_end() = std::move(end);
  o.set_role(role);
  *o.mutable_covered_by() = by;
  return Event(version, p);
}

RosterState StandardRoster() {
  RosterState roster;
  roster.Apply(RotationEvent(1, Standard()));
  return roster;
}

std::string DutyAt(const RosterState& roster, absl::Time t) {
  auto a = roster.Planned(v1::ROSTER_ROLE_DUTY, t);
  return a.has_value() ? a->party.id() : "nobody";
}

std::string BackupAt(const RosterState& roster, absl::Time t) {
  auto a = roster.Planned(v1::ROSTER_ROLE_BACKUP, t);
  return a.has_value() ? a->party.id() : "nobody";
}

// Consecutive DUTY shifts meet exactly: no gap, no overlap.
void ExpectContiguous(const std::vector<PlannedShift>& shifts) {
  for (size_t i = 1; i < shifts.size(); ++i) {
    EXPECT_EQ(shifts[i - 1].end, shifts[i].start)
        << "between shift " << i - 1 << " and " << i << ": "
        << LocalText(shifts[i - 1].end) << " vs " << LocalText(shifts[i].start);
  }
}

TEST(RosterState, HandoverAndReturnAtTheEdgesOfTheShifts) {
  const RosterState roster = StandardRoster();
  // Tuesday 24 November 2026.
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 24, 21, 59)), "worker:anna");
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 24, 22, 0)), "partner:natpartner");
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 25, 6, 59)), "partner:natpartner");
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 25, 7, 0)), "worker:anna");
  EXPECT_EQ(BackupAt(roster, Local(2026, 11, 24, 12, 0)), "nobody");

  const PlannedCoverage both =
      roster.WhoShouldCover(Local(2026, 11, 24, 22, 0));
  ASSERT_TRUE(both.duty.has_value());
  EXPECT_EQ(both.duty->party.kind(), v1::PARTY_KIND_NIGHT_PARTNER);
  EXPECT_TRUE(both.duty->override_id.empty());
  EXPECT_FALSE(both.backup.has_value());
}

TEST(RosterState, NothingIsPlannedBeforeTheFirstRotation) {
  const RosterState roster = StandardRoster();
  EXPECT_EQ(roster.PlanStart(), Local(2026, 3, 2, 0, 0));
  EXPECT_EQ(DutyAt(roster, Local(2026, 3, 1, 23, 59)), "nobody");
  // The night that began on Sunday before the rotation is planned by it
  // from Monday 00:00.
  EXPECT_EQ(DutyAt(roster, Local(2026, 3, 2, 0, 0)), "partner:natpartner");
  EXPECT_EQ(DutyAt(roster, Local(2026, 3, 2, 7, 0)), "worker:anna");
}

// Saturday 2026-03-28 to Monday 2026-03-30: the clocks go from 02:00 CET to
// 03:00 CEST in the night to Sunday 29 March.
TEST(RosterState, SpringForwardNightIsEightHoursWithoutGapOrOverlap) {
  const RosterState roster = StandardRoster();
  const std::vector<PlannedShift> shifts =
      roster.Shifts(v1::ROSTER_ROLE_DUTY, Local(2026, 3, 28, 12, 0),
                    Local(2026, 3, 30, 12, 0));
  ASSERT_EQ(shifts.size(), 5u);
  ExpectContiguous(shifts);
  // Week 4 of the cycle: hans on duty.
  EXPECT_EQ(shifts[0].party.id(), "worker:hans");
  EXPECT_EQ(shifts[1].party.id(), "partner:natpartner");
  EXPECT_EQ(shifts[2].party.id(), "worker:hans");
  EXPECT_EQ(shifts[3].party.id(), "partner:natpartner");
  EXPECT_EQ(shifts[4].party.id(), "worker:anna");
  // Saturday 22:00 CET = 21:00 UTC, Sunday 07:00 CEST = 05:00 UTC.
  EXPECT_EQ(shifts[1].start, Utc(2026, 3, 28, 21, 0));
  EXPECT_EQ(shifts[1].end, Utc(2026, 3, 29, 5, 0));
  EXPECT_EQ(shifts[1].end - shifts[1].start, absl::Hours(8));
  EXPECT_EQ(LocalText(shifts[1].end), "2026-03-29 07:00");
  // Sunday 22:00 CEST = 20:00 UTC; Monday 07:00 CEST = 05:00 UTC.
  EXPECT_EQ(shifts[3].start, Utc(2026, 3, 29, 20, 0));
  EXPECT_EQ(LocalText(shifts[3].start), "2026-03-29 22:00");
  EXPECT_EQ(shifts[3].end, Utc(2026, 3, 30, 5, 0));
  EXPECT_EQ(shifts[2].end - shifts[2].start, absl::Hours(15));

  // The edges, one minute either side.
  EXPECT_EQ(DutyAt(roster, Utc(2026, 3, 29, 4, 59)), "partner:natpartner");
  EXPECT_EQ(DutyAt(roster, Utc(2026, 3, 29, 5, 0)), "worker:hans");
  EXPECT_EQ(DutyAt(roster, Utc(2026, 3, 29, 19, 59)), "worker:hans");
  EXPECT_EQ(DutyAt(roster, Utc(2026, 3, 29, 20, 0)), "partner:natpartner");
  // Inside the skipped hour (02:00-03:00 local does not exist).
  EXPECT_EQ(DutyAt(roster, Utc(2026, 3, 29, 1, 0)), "partner:natpartner");
}

// Saturday 2026-10-24 to Monday 2026-10-26: the clocks go from 03:00 CEST
// back to 02:00 CET in the night to Sunday 25 October.
TEST(RosterState, FallBackNightIsTenHoursWithoutGapOrOverlap) {
  const RosterState roster = StandardRoster();
  const std::vector<PlannedShift> shifts =
      roster.Shifts(v1::ROSTER_ROLE_DUTY, Local(2026, 10, 24, 12, 0),
                    Local(2026, 10, 26, 12, 0));
  ASSERT_EQ(shifts.size(), 5u);
  ExpectContiguous(shifts);
  // Week 2 of the cycle: dan on duty.
  EXPECT_EQ(shifts[0].party.id(), "worker:dan");
  EXPECT_EQ(shifts[2].party.id(), "worker:dan");
  // Saturday 22:00 CEST = 20:00 UTC, Sunday 07:00 CET = 06:00 UTC.
  EXPECT_EQ(shifts[1].start, Utc(2026, 10, 24, 20, 0));
  EXPECT_EQ(shifts[1].end, Utc(2026, 10, 25, 6, 0));
  EXPECT_EQ(shifts[1].end - shifts[1].start, absl::Hours(10));
  EXPECT_EQ(LocalText(shifts[1].start), "2026-10-24 22:00");
  EXPECT_EQ(LocalText(shifts[1].end), "2026-10-25 07:00");
  // Sunday 22:00 CET = 21:00 UTC.
  EXPECT_EQ(shifts[3].start, Utc(2026, 10, 25, 21, 0));
  EXPECT_EQ(LocalText(shifts[3].start), "2026-10-25 22:00");

  EXPECT_EQ(DutyAt(roster, Utc(2026, 10, 25, 5, 59)), "partner:natpartner");
  EXPECT_EQ(DutyAt(roster, Utc(2026, 10, 25, 6, 0)), "worker:dan");
  EXPECT_EQ(DutyAt(roster, Utc(2026, 10, 25, 20, 59)), "worker:dan");
  EXPECT_EQ(DutyAt(roster, Utc(2026, 10, 25, 21, 0)), "partner:natpartner");
  // Both passes of the repeated hour 02:00-03:00 are the night partner's.
  EXPECT_EQ(DutyAt(roster, Utc(2026, 10, 25, 0, 30)), "partner:natpartner");
  EXPECT_EQ(DutyAt(roster, Utc(2026, 10, 25, 1, 30)), "partner:natpartner");
}

TEST(RosterState, AYearOfShiftsHasNoGapAndNoOverlap) {
  const RosterState roster = StandardRoster();
  const std::vector<PlannedShift> shifts = roster.Shifts(
      v1::ROSTER_ROLE_DUTY, Local(2026, 3, 2, 0, 0), Local(2027, 3, 1, 0, 0));
  ExpectContiguous(shifts);
  EXPECT_EQ(shifts.front().start, Local(2026, 3, 2, 0, 0));
  EXPECT_EQ(shifts.back().end, Local(2027, 3, 1, 0, 0));
  // Every shift starts and ends at 07:00 or 22:00 local (or the clip).
  for (size_t i = 1; i + 1 < shifts.size(); ++i) {
    const std::string start = LocalText(shifts[i].start).substr(11);
    EXPECT_TRUE(start == "07:00" || start == "22:00")
        << LocalText(shifts[i].start);
  }
}

TEST(RosterState, WeekendsFollowTheFourWeekRotation) {
  const RosterState roster = StandardRoster();
  // Saturdays of weeks 1..4 of the cycle, then week 1 again.
  const std::vector<std::tuple<int, int, std::string, std::string>> weekends = {
      {11, 14, "worker:bo", "worker:cai"},
      {11, 21, "worker:dan", "worker:eva"},
      {11, 28, "worker:finn", "worker:gry"},
      {11, 7, "worker:hans", "worker:ida"},
      {12, 12, "worker:bo", "worker:cai"}};
  for (const auto& [month, day, duty, backup] : weekends) {
    SCOPED_TRACE(absl::StrCat("2026-", month, "-", day));
    EXPECT_EQ(DutyAt(roster, Local(2026, month, day, 7, 0)), duty);
    EXPECT_EQ(BackupAt(roster, Local(2026, month, day, 7, 0)), backup);
    // Sunday evening, the same pair.
    EXPECT_EQ(DutyAt(roster, Local(2026, month, day + 1, 21, 59)), duty);
    EXPECT_EQ(BackupAt(roster, Local(2026, month, day + 1, 21, 59)), backup);
    // No backup at night.
    EXPECT_EQ(BackupAt(roster, Local(2026, month, day, 23, 0)), "nobody");
  }
}

TEST(RosterState, OverrideWinsForItsPeriodAndRoleAndCanBeRemoved) {
  RosterState roster = StandardRoster();
  // Bo covers Tuesday's day shift from 12:00 instead of anna.
  roster.Apply(OverrideEvent(2, "o-1", At("2026-11-24", 12),
                             At("2026-11-24", 22), v1::ROSTER_ROLE_DUTY,
                             Worker("bo")));
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 24, 11, 59)), "worker:anna");
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 24, 12, 0)), "worker:bo");
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 24, 21, 59)), "worker:bo");
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 24, 22, 0)), "partner:natpartner");
  EXPECT_EQ(roster.Planned(v1::ROSTER_ROLE_DUTY, Local(2026, 11, 24, 13, 0))
                ->override_id,
            "o-1");
  // The role is DUTY only: no backup appears.
  EXPECT_EQ(BackupAt(roster, Local(2026, 11, 24, 13, 0)), "nobody");
  // A later override over the same time wins.
  roster.Apply(OverrideEvent(3, "o-2", At("2026-11-24", 14),
                             At("2026-11-24", 15), v1::ROSTER_ROLE_DUTY,
                             Worker("cai")));
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 24, 14, 30)), "worker:cai");
  // The shifts show it, with the override that planned them.
  const std::vector<PlannedShift> shifts =
      roster.Shifts(v1::ROSTER_ROLE_DUTY, Local(2026, 11, 24, 7, 0),
                    Local(2026, 11, 24, 22, 0));
  ASSERT_EQ(shifts.size(), 4u);
  EXPECT_EQ(shifts[1].party.id(), "worker:bo");
  EXPECT_EQ(shifts[1].override_id, "o-1");
  EXPECT_EQ(shifts[2].party.id(), "worker:cai");
  EXPECT_EQ(shifts[3].override_id, "o-1");

  v1::EventPayload removed;
  removed.mutable_roster_override_removed()->set_override_id("o-1");
  roster.Apply(Event(4, removed));
  EXPECT_FALSE(roster.HasOverride("o-1"));
  EXPECT_TRUE(roster.KnowsOverride("o-1"));
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 24, 12, 0)), "worker:anna");
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 24, 14, 30)), "worker:cai");
}

TEST(RosterState, BackupOverrideLeavesDutyAlone) {
  RosterState roster = StandardRoster();
  roster.Apply(OverrideEvent(2, "o-1", At("2026-11-14", 7), At("2026-11-16", 7),
                             v1::ROSTER_ROLE_BACKUP, Worker("anna")));
  EXPECT_EQ(BackupAt(roster, Local(2026, 11, 14, 8, 0)), "worker:anna");
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 14, 8, 0)), "worker:bo");
  // The override also plans a backup at night, where the rotation has none.
  EXPECT_EQ(BackupAt(roster, Local(2026, 11, 14, 23, 0)), "worker:anna");
}

TEST(RosterState, LocalTimesTheClocksSkipOrRepeat) {
  RosterState roster = StandardRoster();
  // 02:30 on 29 March does not exist: it means the change, 01:00 UTC.
  roster.Apply(OverrideEvent(2, "spring", At("2026-03-29", 2, 30),
                             At("2026-03-29", 4), v1::ROSTER_ROLE_BACKUP,
                             Worker("bo")));
  // 02:30 on 25 October occurs twice: it means the first, 00:30 UTC.
  roster.Apply(OverrideEvent(3, "autumn", At("2026-10-25", 2, 30),
                             At("2026-10-25", 4), v1::ROSTER_ROLE_BACKUP,
                             Worker("cai")));
  EXPECT_EQ(BackupAt(roster, Utc(2026, 3, 29, 0, 59)), "nobody");
  EXPECT_EQ(BackupAt(roster, Utc(2026, 3, 29, 1, 0)), "worker:bo");
  EXPECT_EQ(BackupAt(roster, Utc(2026, 10, 25, 0, 29)), "nobody");
  EXPECT_EQ(BackupAt(roster, Utc(2026, 10, 25, 0, 30)), "worker:cai");
  EXPECT_EQ(
      ResolveLocal(absl::CivilSecond(2026, 3, 29, 2, 30, 0), DutyTimeZone()),
      Utc(2026, 3, 29, 1, 0));
  EXPECT_EQ(
      ResolveLocal(absl::CivilSecond(2026, 10, 25, 2, 30, 0), DutyTimeZone()),
      Utc(2026, 10, 25, 0, 30));
}

TEST(RosterState, ALaterRotationReplacesTheEarlierFromItsDate) {
  RosterState roster = StandardRoster();
  v1::RosterRotationSet next = Standard("2026-12-07");
  *next.mutable_slots(0)->mutable_assignee() = Worker("bo");  // weekdays
  roster.Apply(RotationEvent(2, next));
  EXPECT_EQ(DutyAt(roster, Local(2026, 12, 4, 12, 0)), "worker:anna");
  EXPECT_EQ(DutyAt(roster, Local(2026, 12, 7, 12, 0)), "worker:bo");
  // Its cycle counts from its own date: 12-12 is week 1 again.
  EXPECT_EQ(DutyAt(roster, Local(2026, 12, 12, 12, 0)), "worker:bo");
  EXPECT_EQ(BackupAt(roster, Local(2026, 12, 12, 12, 0)), "worker:cai");

  // What the board keeps of it plans the same from a later instant on.
  RosterState kept = roster;
  kept.ForgetBefore(Local(2026, 12, 8, 0, 0));
  EXPECT_EQ(kept.rotations().size(), 1u);
  for (absl::Time t = Local(2026, 12, 8, 0, 0); t < Local(2026, 12, 22, 0, 0);
       t += absl::Minutes(30)) {
    EXPECT_EQ(DutyAt(kept, t), DutyAt(roster, t)) << LocalText(t);
  }
}

TEST(RosterState, ShiftAtNamesThePlannedHandover) {
  const RosterState roster = StandardRoster();
  std::optional<ShiftContext> night =
      roster.ShiftAt(v1::ROSTER_ROLE_DUTY, Local(2026, 11, 24, 23, 0));
  ASSERT_TRUE(night.has_value());
  EXPECT_EQ(night->shift.start, Local(2026, 11, 24, 22, 0));
  EXPECT_EQ(night->shift.end, Local(2026, 11, 25, 7, 0));
  ASSERT_TRUE(night->previous.has_value());
  EXPECT_EQ(night->previous->id(), "worker:anna");
  // The first shift of the roster has nobody before it.
  std::optional<ShiftContext> first =
      roster.ShiftAt(v1::ROSTER_ROLE_DUTY, Local(2026, 3, 2, 3, 0));
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->shift.start, Local(2026, 3, 2, 0, 0));
  EXPECT_FALSE(first->previous.has_value());
}

TEST(RosterRotation, StandardRotationIsValid) {
  EXPECT_TRUE(ValidateRotation(Standard()).ok())
      << ValidateRotation(Standard());
}

TEST(RosterRotation, GapIsRefusedNamingWhere) {
  v1::RosterRotationSet rotation = Standard();
  // Weekdays end at 21:00: nobody 21:00-22:00 Monday to Friday.
  rotation.mutable_slots(0)->mutable_end()->set_hour(21);
  absl::Status s = ValidateRotation(rotation);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("rotation.slots: DUTY slots leave a gap "
                                     "from week 1 Mon 21:00 to week 1 Mon "
                                     "22:00"));
}

TEST(RosterRotation, OverlapIsRefusedNamingTheSlots) {
  v1::RosterRotationSet rotation = Standard();
  // Nights start at 21:00: an hour with two parties on duty.
  rotation.mutable_slots(1)->mutable_start()->set_hour(21);
  absl::Status s = ValidateRotation(rotation);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              HasSubstr("DUTY slots overlap from week 1 Mon 21:00 to week 1 "
                        "Mon 22:00 (slots[0] and slots[1])"));
}

TEST(RosterRotation, MissingWeekendWeekIsAGap) {
  v1::RosterRotationSet rotation = Standard();
  // Drop week 3's weekend duty slot.
  rotation.mutable_slots()->erase(rotation.mutable_slots()->begin() + 6);
  absl::Status s = ValidateRotation(rotation);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(),
              HasSubstr("gap from week 3 Sat 07:00 to week 3 Sat 22:00"));
}

TEST(RosterRotation, OverlappingBackupsAndBadFieldsAreRefused) {
  v1::RosterRotationSet rotation = Standard();
  *rotation.add_slots() = rotation.slots(3);  // week 1 backup twice
  EXPECT_THAT(ValidateRotation(rotation).message(),
              HasSubstr("BACKUP slots overlap"));

  rotation = Standard();
  rotation.set_effective_from("2026-03-03");
  EXPECT_THAT(ValidateRotation(rotation).message(),
              HasSubstr("rotation.effective_from: must be a Monday"));
  rotation = Standard();
  rotation.set_time_zone("Mars/Olympus");
  EXPECT_THAT(ValidateRotation(rotation).message(),
              HasSubstr("rotation.time_zone"));
  rotation = Standard();
  rotation.mutable_slots(2)->set_cycle_week(5);
  EXPECT_THAT(ValidateRotation(rotation).message(),
              HasSubstr("rotation.slots[2].cycle_week"));
  rotation = Standard();
  rotation.mutable_slots(0)->mutable_assignee()->set_id("anna");
  EXPECT_THAT(ValidateRotation(rotation).message(),
              HasSubstr("rotation.slots[0].assignee.id"));
}

TEST(RosterRotation, StandardRotationNeedsItsParties) {
  v1::StandardRotation standard;
  *standard.mutable_weekday_worker() = Worker("anna");
  *standard.mutable_night_partner() = Worker("natpartner");
  EXPECT_THAT(StandardRotation(standard).status().message(),
              HasSubstr("standard.night_partner.kind: must be "
                        "PARTY_KIND_NIGHT_PARTNER"));
  *standard.mutable_night_partner() = NightPartner();
  EXPECT_THAT(StandardRotation(standard).status().message(),
              HasSubstr("standard.weekends"));
}

TEST(RosterRotation, OverridePeriodMustBeForward) {
  EXPECT_THAT(
      ValidateOverridePeriod("", At("2026-11-24", 22), At("2026-11-24", 7), "")
          .status()
          .message(),
      HasSubstr("end: must be after start"));
  EXPECT_THAT(
      ValidateOverridePeriod("", At("24-11-2026", 22), At("2026-11-25", 7), "")
          .status()
          .message(),
      HasSubstr("start.local_date"));
  absl::StatusOr<OverridePeriod> night =
      ValidateOverridePeriod("", At("2026-10-24", 22), At("2026-10-25", 7), "");
  ASSERT_TRUE(night.ok());
  EXPECT_EQ(night->end - night->start, absl::Hours(10));
}

TEST(RosterState, UnreadableEventsPlanNothing) {
  RosterState roster;
  v1::RosterRotationSet bad = Standard();
  bad.set_time_zone("Nowhere/Nothing");
  roster.Apply(RotationEvent(1, bad));
  roster.Apply(OverrideEvent(2, "o", At("x", 1), At("y", 2),
                             v1::ROSTER_ROLE_DUTY, Worker("bo")));
  EXPECT_FALSE(roster.PlanStart().has_value());
  EXPECT_EQ(DutyAt(roster, Local(2026, 11, 24, 12, 0)), "nobody");
  EXPECT_TRUE(
      roster.Shifts(Local(2026, 11, 23, 0, 0), Local(2026, 11, 30, 0, 0))
          .empty());
}

}  // namespace
}  // namespace vagt::services
