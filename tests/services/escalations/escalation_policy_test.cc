// The escalation ladder as pure functions (services/escalations/policy.h):
// windows in local time (21:59, 22:00, 06:59, 07:00, and the nights the
// clocks change in Europe/Copenhagen), levels with nobody on them passed at
// once, repeats, the ladder position folded from timeouts, and validation
// that names the field.
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/escalations/coverage.h"
#include "services/escalations/policy.h"
#include "tests/services/parties.h"

namespace vagt::services {
namespace {

using ::testing::HasSubstr;
using ::vagt::testing::Level;

v1::Party Party(v1::PartyKind kind, const std::string& id) {
  v1::Party p;
  p.set_kind(kind);
  p.set_id(id);
  return p;
}

const v1::Party kBackup = Party(v1::PARTY_KIND_TEAM_WORKER, "worker:bo");
const v1::Party kDutyWorker = Party(v1::PARTY_KIND_TEAM_WORKER, "worker:anna");
const v1::Party kNightPartner =
    Party(v1::PARTY_KIND_NIGHT_PARTNER, "partner:natteravnen");

// Who covers each role, the same at every instant; counts the questions.
class FixedCoverage final : public CoverageLookup {
 public:
  absl::StatusOr<std::optional<v1::Party>> Covering(const std::string& line_id,
                                                    v1::RosterRole role,
                                                    absl::Time) const override {
    ++asked;
    EXPECT_EQ(line_id, "ishoj-bos");
    if (fail) return absl::UnavailableError("roster unavailable");
    auto it = by_role.find(role);
    if (it == by_role.end()) return std::nullopt;
    return it->second;
  }
  std::map<v1::RosterRole, v1::Party> by_role;
  bool fail = false;
  mutable int asked = 0;
};

// At night the line is the night partner's; the backup is on call.
FixedCoverage NightCoverage() {
  FixedCoverage c;
  c.by_role[v1::ROSTER_ROLE_DUTY] = kNightPartner;
  c.by_role[v1::ROSTER_ROLE_BACKUP] = kBackup;
  return c;
}

absl::Time Copenhagen(int y, int mo, int d, int h, int mi) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &zone));
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), zone);
}

absl::Time Utc(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi),
                         absl::UTCTimeZone());
}

// The level the built-in ladder climbs to from BACKUP at `t`.
v1::EscalationLevel AfterBackup(absl::Time t, const CoverageLookup& coverage) {
  const EscalationPolicy policy = BuiltInPolicy("ishoj-bos");
  absl::StatusOr<std::optional<LadderStep>> next =
      FirstApplicableLevel(policy, "ishoj-bos", 0, t, coverage);
  EXPECT_TRUE(next.ok()) << next.status();
  if (!next.ok() || !next->has_value()) return v1::ESCALATION_LEVEL_UNSPECIFIED;
  return (*next)->level;
}

TEST(EscalationPolicy, BuiltInLadderIsBackupNightPartnerEmergencyService) {
  const EscalationPolicy policy = BuiltInPolicy("ishoj-bos");
  EXPECT_EQ(policy.version, "vagt-escalation-policy-1");
  EXPECT_TRUE(policy.built_in());
  EXPECT_TRUE(ValidatePolicy(policy.spec).ok());
  const FixedCoverage coverage = NightCoverage();
  const absl::Time night = Copenhagen(2026, 11, 24, 23, 0);
  auto first = FirstApplicableLevel(policy, "ishoj-bos", -1, night, coverage);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->level, v1::ESCALATION_LEVEL_BACKUP);
  EXPECT_EQ((*first)->target.id(), "worker:bo");
  EXPECT_EQ((*first)->ack_within, absl::Minutes(15));
  auto second = FirstApplicableLevel(policy, "ishoj-bos", 0, night, coverage);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->level, v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  EXPECT_EQ((*second)->target.id(), "partner:natteravnen");
  EXPECT_EQ((*second)->ack_within, absl::Minutes(10));
  auto third = FirstApplicableLevel(policy, "ishoj-bos", 1, night, coverage);
  ASSERT_TRUE(third.ok() && third->has_value());
  EXPECT_EQ((*third)->level, v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ((*third)->target.kind(), v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ((*third)->ack_within, absl::Minutes(10));
  auto none = FirstApplicableLevel(policy, "ishoj-bos", 2, night, coverage);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

TEST(EscalationPolicy, NightPartnerLevelAppliesFrom2200To0700LocalTime) {
  const FixedCoverage coverage = NightCoverage();
  EXPECT_EQ(AfterBackup(Copenhagen(2026, 11, 24, 21, 59), coverage),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(AfterBackup(Copenhagen(2026, 11, 24, 22, 0), coverage),
            v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  EXPECT_EQ(AfterBackup(Copenhagen(2026, 11, 25, 6, 59), coverage),
            v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  EXPECT_EQ(AfterBackup(Copenhagen(2026, 11, 25, 7, 0), coverage),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  // The same in summer time (UTC+2): the window follows the local clock.
  EXPECT_EQ(AfterBackup(Copenhagen(2026, 7, 1, 21, 59), coverage),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(AfterBackup(Copenhagen(2026, 7, 1, 22, 0), coverage),
            v1::ESCALATION_LEVEL_NIGHT_PARTNER);
}

TEST(EscalationPolicy, NightWindowFollowsLocalTimeOnDaylightSavingSundays) {
  const FixedCoverage coverage = NightCoverage();
  const v1::EscalationLevel kNight = v1::ESCALATION_LEVEL_NIGHT_PARTNER;
  const v1::EscalationLevel kEmergency =
      v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE;
  // Spring: Saturday 28 March 2026 22:00 CET is 21:00Z; the clocks go from
  // 02:00 to 03:00 on Sunday, so 07:00 CEST is 05:00Z: an 8-hour night.
  EXPECT_EQ(AfterBackup(Utc(2026, 3, 28, 20, 59), coverage), kEmergency);
  EXPECT_EQ(AfterBackup(Utc(2026, 3, 28, 21, 0), coverage), kNight);
  EXPECT_EQ(AfterBackup(Utc(2026, 3, 29, 0, 59), coverage), kNight);  // 01:59
  EXPECT_EQ(AfterBackup(Utc(2026, 3, 29, 1, 0), coverage), kNight);   // 03:00
  EXPECT_EQ(AfterBackup(Utc(2026, 3, 29, 4, 59), coverage), kNight);
  EXPECT_EQ(AfterBackup(Utc(2026, 3, 29, 5, 0), coverage), kEmergency);
  // Sunday evening, now in summer time: 22:00 CEST is 20:00Z.
  EXPECT_EQ(AfterBackup(Utc(2026, 3, 29, 19, 59), coverage), kEmergency);
  EXPECT_EQ(AfterBackup(Utc(2026, 3, 29, 20, 0), coverage), kNight);
  // Autumn: Saturday 24 October 22:00 CEST is 20:00Z; 03:00 CEST becomes
  // 02:00 CET, so 07:00 CET is 06:00Z: a 10-hour night.
  EXPECT_EQ(AfterBackup(Utc(2026, 10, 24, 19, 59), coverage), kEmergency);
  EXPECT_EQ(AfterBackup(Utc(2026, 10, 24, 20, 0), coverage), kNight);
  EXPECT_EQ(AfterBackup(Utc(2026, 10, 25, 0, 30), coverage), kNight);  // 02:30
  EXPECT_EQ(AfterBackup(Utc(2026, 10, 25, 1, 30), coverage), kNight);  // 02:30
  EXPECT_EQ(AfterBackup(Utc(2026, 10, 25, 5, 59), coverage), kNight);
  EXPECT_EQ(AfterBackup(Utc(2026, 10, 25, 6, 0), coverage), kEmergency);
  EXPECT_EQ(AfterBackup(Utc(2026, 10, 25, 20, 59), coverage), kEmergency);
  EXPECT_EQ(AfterBackup(Utc(2026, 10, 25, 21, 0), coverage), kNight);
}

v1::PolicyWindow Window(std::vector<v1::Weekday> days, int start_hour,
                        int end_hour) {
  v1::PolicyWindow w;
  for (v1::Weekday d : days) w.add_weekdays(d);
  w.mutable_start()->set_hour(start_hour);
  w.mutable_end()->set_hour(end_hour);
  return w;
}

TEST(EscalationPolicy, WindowOnWeekdaysRunsIntoTheNextDay) {
  const absl::TimeZone zone = BuiltInPolicy("l").zone;
  // Saturday nights only: 22:00 Saturday to 07:00 Sunday.
  const v1::PolicyWindow saturday_night = Window({v1::WEEKDAY_SATURDAY}, 22, 7);
  // 2026-11-28 is a Saturday.
  EXPECT_FALSE(
      WindowContains(saturday_night, zone, Copenhagen(2026, 11, 28, 21, 59)));
  EXPECT_TRUE(
      WindowContains(saturday_night, zone, Copenhagen(2026, 11, 28, 22, 0)));
  EXPECT_TRUE(
      WindowContains(saturday_night, zone, Copenhagen(2026, 11, 29, 6, 59)));
  EXPECT_FALSE(
      WindowContains(saturday_night, zone, Copenhagen(2026, 11, 29, 7, 0)));
  EXPECT_FALSE(
      WindowContains(saturday_night, zone, Copenhagen(2026, 11, 29, 22, 0)));
  // Friday morning is the end of Thursday's night, not Saturday's.
  EXPECT_FALSE(
      WindowContains(saturday_night, zone, Copenhagen(2026, 11, 27, 6, 0)));
  // Weekdays by day: Monday to Friday 08:00-16:00.
  const v1::PolicyWindow office =
      Window({v1::WEEKDAY_MONDAY, v1::WEEKDAY_TUESDAY, v1::WEEKDAY_WEDNESDAY,
              v1::WEEKDAY_THURSDAY, v1::WEEKDAY_FRIDAY},
             8, 16);
  EXPECT_TRUE(WindowContains(office, zone, Copenhagen(2026, 11, 27, 8, 0)));
  EXPECT_FALSE(WindowContains(office, zone, Copenhagen(2026, 11, 27, 16, 0)));
  EXPECT_FALSE(WindowContains(office, zone, Copenhagen(2026, 11, 28, 9, 0)));
}

TEST(EscalationPolicy, LevelWithNobodyOnItIsPassedAtOnce) {
  const EscalationPolicy policy = BuiltInPolicy("ishoj-bos");
  const absl::Time night = Copenhagen(2026, 11, 24, 23, 0);
  // No backup assigned: the ladder starts at the night partner.
  FixedCoverage no_backup;
  no_backup.by_role[v1::ROSTER_ROLE_DUTY] = kNightPartner;
  auto first = FirstApplicableLevel(policy, "ishoj-bos", -1, night, no_backup);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->level, v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  // A team worker still holds the line at 23:00: the NIGHT_PARTNER level
  // has nobody of its kind, so it is passed too.
  FixedCoverage worker_holds;
  worker_holds.by_role[v1::ROSTER_ROLE_DUTY] = kDutyWorker;
  first = FirstApplicableLevel(policy, "ishoj-bos", -1, night, worker_holds);
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->level, v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
}

TEST(EscalationPolicy, LookupFailureIsNotNobody) {
  const EscalationPolicy policy = BuiltInPolicy("ishoj-bos");
  FixedCoverage failing;
  failing.fail = true;
  auto first = FirstApplicableLevel(policy, "ishoj-bos", -1,
                                    Copenhagen(2026, 11, 24, 23, 0), failing);
  EXPECT_EQ(first.status().code(), absl::StatusCode::kUnavailable);
  // A level outside its windows is never asked about.
  failing.asked = 0;
  auto day = FirstApplicableLevel(policy, "ishoj-bos", 0,
                                  Copenhagen(2026, 11, 24, 12, 0), failing);
  ASSERT_TRUE(day.ok() && day->has_value());
  EXPECT_EQ((*day)->level, v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(failing.asked, 0);
}

// BACKUP (the line's backup, 5 min) then the emergency service (5 min),
// `repeats` times over.
EscalationPolicy TwoLevels(uint32_t repeats) {
  v1::EscalationPolicySet spec;
  spec.set_line_id("ishoj-bos");
  *spec.add_levels() =
      Level(v1::ESCALATION_LEVEL_BACKUP, v1::POLICY_TARGET_BACKUP, 300);
  *spec.add_levels() = Level(v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE,
                             v1::POLICY_TARGET_PARTY, 300, "partner:akut");
  spec.set_repeats(repeats);
  absl::StatusOr<v1::EscalationPolicySet> normal = NormalizedPolicy(spec);
  EXPECT_TRUE(normal.ok()) << normal.status();
  absl::StatusOr<EscalationPolicy> policy =
      PolicyFromSpec("policy-ishoj-bos@1", *normal);
  EXPECT_TRUE(policy.ok()) << policy.status();
  return *policy;
}

TEST(EscalationPolicy, RepeatsStartTheLadderAgainThenStayAtTheTop) {
  const EscalationPolicy policy = TwoLevels(/*repeats=*/1);
  const FixedCoverage coverage = NightCoverage();
  const absl::Time now = Copenhagen(2026, 11, 24, 12, 0);
  const v1::EscalationLevel kBackupLevel = v1::ESCALATION_LEVEL_BACKUP;
  const v1::EscalationLevel kTop =
      v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE;
  const v1::Party akut =
      Party(v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE, "partner:akut");

  using Moves =
      std::vector<std::pair<v1::EscalationLevel, v1::EscalationLevel>>;
  // Raised at BACKUP: climbs to the top.
  LadderPosition at = PositionOf(policy, kBackupLevel, {});
  EXPECT_EQ(at.index, 0);
  auto step = NextLevelAfterTimeout(policy, "ishoj-bos", at, kBackupLevel,
                                    kBackup, now, coverage);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->level, kTop);
  // At the top with a repeat left: back to BACKUP.
  at = PositionOf(policy, kTop, Moves{{kBackupLevel, kTop}});
  EXPECT_EQ(at.index, 1);
  EXPECT_EQ(at.rounds, 0u);
  step =
      NextLevelAfterTimeout(policy, "ishoj-bos", at, kTop, akut, now, coverage);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->level, kBackupLevel);
  EXPECT_EQ(step->target.id(), "worker:bo");
  // The second time at the top, the repeat is used: it stays and alerts the
  // emergency service again, with its level's timeout.
  at = PositionOf(
      policy, kTop,
      Moves{{kBackupLevel, kTop}, {kTop, kBackupLevel}, {kBackupLevel, kTop}});
  EXPECT_EQ(at.rounds, 1u);
  step =
      NextLevelAfterTimeout(policy, "ishoj-bos", at, kTop, akut, now, coverage);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->level, kTop);
  EXPECT_EQ(step->target.id(), "partner:akut");
  EXPECT_EQ(step->ack_within, absl::Minutes(5));
  // Without repeats it stays at once.
  at = PositionOf(TwoLevels(0), kTop, Moves{{kBackupLevel, kTop}});
  step = NextLevelAfterTimeout(TwoLevels(0), "ishoj-bos", at, kTop, akut, now,
                               coverage);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->level, kTop);
}

TEST(EscalationPolicy, LevelTheLadderLacksClimbsFromTheStart) {
  const EscalationPolicy policy = TwoLevels(0);
  const FixedCoverage coverage = NightCoverage();
  const v1::Party police = Party(v1::PARTY_KIND_POLICE, "partner:politi");
  const LadderPosition at = PositionOf(policy, v1::ESCALATION_LEVEL_POLICE, {});
  EXPECT_EQ(at.index, -1);
  auto step = NextLevelAfterTimeout(policy, "ishoj-bos", at,
                                    v1::ESCALATION_LEVEL_POLICE, police,
                                    Copenhagen(2026, 11, 24, 12, 0), coverage);
  ASSERT_TRUE(step.ok());
  EXPECT_EQ(step->level, v1::ESCALATION_LEVEL_BACKUP);
}

TEST(EscalationPolicy, BadPoliciesAreRefusedNamingTheField) {
  struct Case {
    const char* field;
    std::function<void(v1::EscalationPolicySet&)> spoil;
  };
  const Case cases[] = {
      {"levels", [](auto& p) { p.clear_levels(); }},
      {"levels[0].level", [](auto& p) { p.mutable_levels(0)->clear_level(); }},
      {"levels[0].target",
       [](auto& p) { p.mutable_levels(0)->clear_target(); }},
      {"levels[0].ack_timeout_seconds",
       [](auto& p) { p.mutable_levels(0)->clear_ack_timeout_seconds(); }},
      {"levels[0].ack_timeout_seconds",
       [](auto& p) { p.mutable_levels(0)->set_ack_timeout_seconds(86401); }},
      {"levels[1].party", [](auto& p) { p.mutable_levels(1)->clear_party(); }},
      {"levels[1].party.kind",
       [](auto& p) {
         p.mutable_levels(1)->mutable_party()->set_kind(v1::PARTY_KIND_POLICE);
       }},
      {"levels[1].party.id",
       [](auto& p) {
         p.mutable_levels(1)->mutable_party()->set_id("worker:akut");
       }},
      {"levels[0].party",
       [](auto& p) {
         p.mutable_levels(0)->mutable_party()->set_id("worker:bo");
       }},
      {"levels[1].level", [](auto& p) { *p.mutable_levels(1) = p.levels(0); }},
      {"levels[0].target",
       [](auto& p) {
         p.mutable_levels(0)->set_level(v1::ESCALATION_LEVEL_POLICE);
       }},
      {"levels[0].windows[0]",
       [](auto& p) { *p.mutable_levels(0)->add_windows() = Window({}, 7, 7); }},
      {"levels[0].windows[0].start.hour",
       [](auto& p) {
         *p.mutable_levels(0)->add_windows() = Window({}, 24, 7);
       }},
      {"levels[0].windows[0].weekdays[0]",
       [](auto& p) {
         *p.mutable_levels(0)->add_windows() =
             Window({v1::WEEKDAY_UNSPECIFIED}, 22, 7);
       }},
      {"time_zone", [](auto& p) { p.set_time_zone("Europe/Nowhere"); }},
      {"repeats", [](auto& p) { p.set_repeats(11); }},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.field);
    v1::EscalationPolicySet spec = TwoLevels(0).spec;
    ASSERT_TRUE(ValidatePolicy(spec).ok());
    c.spoil(spec);
    const absl::Status s = ValidatePolicy(spec);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(s.message()),
                HasSubstr(std::string(c.field) + ":"));
  }
}

}  // namespace
}  // namespace vagt::services
