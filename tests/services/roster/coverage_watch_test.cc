// CoverageWatch with an injected clock: a line nobody takes raises
// LINE_UNCOVERED once; a planned handover not accepted ten minutes after it
// raises HANDOVER_NOT_ACCEPTED once (also on the spring daylight-saving
// morning); a line covered as planned raises nothing; two watches on one
// store append one alarm; the thread raises what is due without being
// asked. And the coverage the escalation ladder asks for: who actually
// holds the line or is assigned, else who the roster plans.
#include "services/roster/coverage_watch.h"

#include <latch>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "domain/roster_rotation.h"
#include "domain/roster_state.h"
#include "eventstore/event_store.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/roster/roster_coverage.h"
#include "tests/eventstore/test_store.h"
#include "tests/services/parties.h"

namespace vagt::services {
namespace {

using ::testing::HasSubstr;

constexpr char kLine[] = "ishoj-bos";

using ::vagt::testing::NightPartner;
using ::vagt::testing::Worker;

absl::Time Local(int y, int m, int d, int hh, int mm) {
  return ResolveLocal(absl::CivilSecond(y, m, d, hh, mm, 0), DutyTimeZone());
}

class CoverageWatchTest : public ::testing::Test {
 protected:
  // The roster starts Monday 2026-03-02; the clock stands on its Sunday.
  CoverageWatchTest() : clock_(Local(2026, 3, 1, 12, 0)) {
    auto store = eventstore::EventStore::Open(
        {.path = dir_.Child("store"), .clock = &clock_});
    EXPECT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
  }

  void Append(const std::string& stream, v1::EventPayload payload) {
    eventstore::NewEvent e;
    e.payload = std::move(payload);
    e.actor = "worker:leder";
    e.occurred_at = clock_.Now();
    absl::StatusOr<eventstore::AppendResult> r =
        store_->Append(eventstore::testing::AppendTo(
            stream, eventstore::ExpectedVersion::Any(), {e}));
    ASSERT_TRUE(r.ok()) << r.status();
  }

  void SetStandardRotation() {
    v1::StandardRotation standard;
    *standard.mutable_weekday_worker() = Worker("anna");
    *standard.mutable_night_partner() = NightPartner();
    for (const char* name : {"bo", "dan", "finn", "hans"}) {
      v1::WeekendCover& w = *standard.add_weekends();
      *w.mutable_duty() = Worker(name);
      *w.mutable_backup() = Worker(std::string(name) + "-backup");
    }
    absl::StatusOr<v1::RosterRotationSet> rotation = StandardRotation(standard);
    ASSERT_TRUE(rotation.ok());
    rotation->set_line_id(kLine);
    rotation->set_effective_from("2026-03-02");
    v1::EventPayload p;
    *p.mutable_roster_rotation_set() = *rotation;
    Append(RosterStreamId(kLine), p);
  }

  void Take(const v1::Party& holder) {
    v1::EventPayload p;
    p.mutable_line_coverage_taken()->set_line_id(kLine);
    *p.mutable_line_coverage_taken()->mutable_holder() = holder;
    p.mutable_line_coverage_taken()->set_reason(
        v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED);
    Append("line-ishoj-bos", p);
  }

  void Offer(const std::string& handover_id, const v1::Party& from,
             const v1::Party& to) {
    v1::EventPayload p;
    v1::LineHandoverOffered& o = *p.mutable_line_handover_offered();
    o.set_line_id(kLine);
    o.set_handover_id(handover_id);
    *o.mutable_holder() = from;
    *o.mutable_offered_to() = to;
    Append("line-ishoj-bos", p);
  }

  void Accept(const std::string& handover_id, const v1::Party& from,
              const v1::Party& to) {
    v1::EventPayload p;
    v1::LineHandoverAccepted& a = *p.mutable_line_handover_accepted();
    a.set_line_id(kLine);
    a.set_handover_id(handover_id);
    *a.mutable_previous_holder() = from;
    *a.mutable_accepted_by() = to;
    Append("line-ishoj-bos", p);
  }

  void TakeBack(const std::string& handover_id, const v1::Party& holder) {
    v1::EventPayload p;
    v1::LineCoverageTakenBack& t = *p.mutable_line_coverage_taken_back();
    t.set_line_id(kLine);
    t.set_handover_id(handover_id);
    *t.mutable_night_partner() = NightPartner();
    *t.mutable_holder() = holder;
    Append("line-ishoj-bos", p);
  }

  std::vector<v1::AlarmRaised> Alarms() {
    absl::StatusOr<std::vector<v1::EventEnvelope>> events =
        store_->ReadStream(AlarmStreamId(kLine), 1, 1000);
    EXPECT_TRUE(events.ok());
    std::vector<v1::AlarmRaised> out;
    for (const v1::EventEnvelope& e : *events) {
      EXPECT_EQ(e.actor(), "system:coverage-watch");
      out.push_back(e.payload().alarm_raised());
    }
    return out;
  }

  // Checks at `t` (moving the clock there); returns how many it raised.
  int CheckAt(CoverageWatch& watch, absl::Time t) {
    clock_.Set(t);
    absl::StatusOr<int> raised = watch.Check(t);
    EXPECT_TRUE(raised.ok()) << raised.status();
    return raised.value_or(-1);
  }

  eventstore::testing::ScratchDir dir_;
  FakeClock clock_;
  std::unique_ptr<eventstore::EventStore> store_;
};

// The escalation ladder's BACKUP and DUTY levels (services/escalations):
// the actual holder first, the roster's plan where nobody actually covers.
TEST_F(CoverageWatchTest, EscalationsFindTheActualHolderElseThePlannedCover) {
  SetStandardRotation();
  ActualOrPlannedCoverage coverage(*store_);
  const absl::Time saturday = Local(2026, 3, 7, 12, 0);  // week 1: bo
  const absl::Time tuesday = Local(2026, 3, 3, 12, 0);

  absl::StatusOr<std::optional<v1::Party>> backup =
      coverage.Covering(kLine, v1::ROSTER_ROLE_BACKUP, saturday);
  ASSERT_TRUE(backup.ok()) << backup.status();
  ASSERT_TRUE(backup->has_value());
  EXPECT_EQ((*backup)->id(), "worker:bo-backup");
  absl::StatusOr<std::optional<v1::Party>> duty =
      coverage.Covering(kLine, v1::ROSTER_ROLE_DUTY, saturday);
  ASSERT_TRUE(duty.ok() && duty->has_value());
  EXPECT_EQ((*duty)->id(), "worker:bo");  // nobody holds the line: planned
  absl::StatusOr<std::optional<v1::Party>> weekday_backup =
      coverage.Covering(kLine, v1::ROSTER_ROLE_BACKUP, tuesday);
  ASSERT_TRUE(weekday_backup.ok());
  EXPECT_FALSE(weekday_backup->has_value());  // none planned on weekdays

  Take(Worker("carl"));  // Carl actually holds the line from now on
  duty = coverage.Covering(kLine, v1::ROSTER_ROLE_DUTY, saturday);
  ASSERT_TRUE(duty.ok() && duty->has_value());
  EXPECT_EQ((*duty)->id(), "worker:carl");
}

TEST_F(CoverageWatchTest, LineNobodyTakesRaisesLineUncoveredOnce) {
  SetStandardRotation();
  CoverageWatch watch(*store_, clock_);
  // Before the roster begins, nobody is planned: no alarm.
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 1, 23, 59)), 0);
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 2, 0, 0)), 1);
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 2, 0, 5)), 0);
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 2, 9, 0)), 0);
  const std::vector<v1::AlarmRaised> alarms = Alarms();
  ASSERT_EQ(alarms.size(), 1u);
  EXPECT_EQ(alarms[0].kind(), v1::ALARM_KIND_LINE_UNCOVERED);
  EXPECT_EQ(alarms[0].line_id(), kLine);
  EXPECT_EQ(alarms[0].alarm_id(),
            "line-uncovered:ishoj-bos:2026-03-01T23:00:00Z");
  EXPECT_EQ(ToTime(alarms[0].since()), Local(2026, 3, 2, 0, 0));
  EXPECT_EQ(alarms[0].planned().id(), "partner:natpartner");
  EXPECT_FALSE(alarms[0].has_actual());
  EXPECT_THAT(alarms[0].detail(), HasSubstr("nobody holds line ishoj-bos"));

  // Once the line is taken, the condition is over.
  Take(Worker("anna"));
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 2, 9, 5)), 0);
  EXPECT_TRUE(watch.DueAlarms(Local(2026, 3, 2, 9, 5)).empty());
}

TEST_F(CoverageWatchTest, LineCoveredAsPlannedRaisesNothing) {
  SetStandardRotation();
  clock_.Set(Local(2026, 3, 2, 0, 0));
  Take(NightPartner());
  CoverageWatch watch(*store_, clock_);
  // Through Monday and Tuesday, the handovers happen on time.
  for (absl::Time t = Local(2026, 3, 2, 0, 0); t < Local(2026, 3, 4, 0, 0);
       t += absl::Minutes(5)) {
    const absl::CivilMinute local = absl::ToCivilMinute(t, DutyTimeZone());
    clock_.Set(t);
    if (local.hour() == 7 && local.minute() == 5) {
      TakeBack(absl::StrCat("back-", local.day()), Worker("anna"));
    }
    if (local.hour() == 22 && local.minute() == 0) {
      Offer(absl::StrCat("eve-", local.day()), Worker("anna"), NightPartner());
    }
    if (local.hour() == 22 && local.minute() == 5) {
      Accept(absl::StrCat("eve-", local.day()), Worker("anna"), NightPartner());
    }
    ASSERT_EQ(CheckAt(watch, t), 0) << absl::FormatCivilTime(local);
  }
  EXPECT_TRUE(Alarms().empty());
}

TEST_F(CoverageWatchTest, HandoverNotAcceptedTenMinutesAfterItRaisesOnce) {
  SetStandardRotation();
  clock_.Set(Local(2026, 3, 3, 7, 0));
  Take(Worker("anna"));
  Offer("eve-1", Worker("anna"), NightPartner());  // offered, never accepted
  CoverageWatch watch(*store_, clock_);
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 3, 21, 59)), 0);
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 3, 22, 9)), 0);
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 3, 22, 10)), 1);
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 3, 22, 30)), 0);
  std::vector<v1::AlarmRaised> alarms = Alarms();
  ASSERT_EQ(alarms.size(), 1u);
  EXPECT_EQ(alarms[0].kind(), v1::ALARM_KIND_HANDOVER_NOT_ACCEPTED);
  EXPECT_EQ(ToTime(alarms[0].since()), Local(2026, 3, 3, 22, 0));
  EXPECT_EQ(alarms[0].planned().id(), "partner:natpartner");
  EXPECT_EQ(alarms[0].actual().id(), "worker:anna");
  EXPECT_EQ(alarms[0].detail(),
            "handover of line ishoj-bos to partner:natpartner planned at "
            "2026-03-03 22:00 not accepted by 2026-03-03 22:10; held by "
            "worker:anna (offer eve-1 to partner:natpartner pending)");

  // Accepted late: over. The next morning's return is due at 07:00.
  Accept("eve-1", Worker("anna"), NightPartner());
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 3, 22, 40)), 0);
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 4, 7, 9)), 0);
  EXPECT_EQ(CheckAt(watch, Local(2026, 3, 4, 7, 10)), 1);
  alarms = Alarms();
  ASSERT_EQ(alarms.size(), 2u);
  EXPECT_EQ(alarms[1].planned().id(), "worker:anna");
  EXPECT_EQ(alarms[1].actual().id(), "partner:natpartner");
  EXPECT_EQ(alarms[1].alarm_id(),
            "handover-not-accepted:ishoj-bos:2026-03-04T06:00:00Z");
}

// Sunday 29 March 2026: the night partner's short night ends at 07:00 CEST
// (05:00 UTC); the weekend worker (hans, week 4) does not take the line.
TEST_F(CoverageWatchTest, SpringMorningReturnIsDueAtSevenLocal) {
  SetStandardRotation();
  clock_.Set(Local(2026, 3, 28, 22, 0));
  Take(NightPartner());
  CoverageWatch watch(*store_, clock_);
  const absl::Time seven = absl::FromCivil(absl::CivilMinute(2026, 3, 29, 5, 0),
                                           absl::UTCTimeZone());
  EXPECT_EQ(CheckAt(watch, seven + absl::Minutes(9)), 0);
  EXPECT_EQ(CheckAt(watch, seven + absl::Minutes(10)), 1);
  const std::vector<v1::AlarmRaised> alarms = Alarms();
  ASSERT_EQ(alarms.size(), 1u);
  EXPECT_EQ(ToTime(alarms[0].since()), seven);
  EXPECT_EQ(alarms[0].planned().id(), "worker:hans");
  EXPECT_THAT(alarms[0].detail(), HasSubstr("planned at 2026-03-29 07:00"));
}

TEST_F(CoverageWatchTest, TwoWatchesOnOneStoreAppendOneAlarm) {
  SetStandardRotation();
  clock_.Set(Local(2026, 3, 2, 12, 0));
  for (int round = 0; round < 20; ++round) {
    // A fresh line each round, so that each round races for a new alarm.
    const std::string line = absl::StrCat("line", round);
    v1::EventPayload p;
    absl::StatusOr<std::vector<v1::EventEnvelope>> rotation =
        store_->ReadStream(RosterStreamId(kLine), 1, 1);
    ASSERT_TRUE(rotation.ok());
    *p.mutable_roster_rotation_set() =
        rotation->front().payload().roster_rotation_set();
    p.mutable_roster_rotation_set()->set_line_id(line);
    Append(RosterStreamId(line), p);
  }
  CoverageWatch first(*store_, clock_);
  CoverageWatch second(*store_, clock_);
  int raised[2] = {0, 0};
  std::latch start(2);
  auto check = [&](CoverageWatch& watch, int* out) {
    start.arrive_and_wait();
    absl::StatusOr<int> r = watch.Check(clock_.Now());
    EXPECT_TRUE(r.ok()) << r.status();
    *out = r.value_or(0);
  };
  std::thread a(check, std::ref(first), &raised[0]);
  std::thread b(check, std::ref(second), &raised[1]);
  a.join();
  b.join();
  // 21 lines nobody holds: one alarm each, whoever appended it.
  EXPECT_EQ(raised[0] + raised[1], 21);
  for (int round = 0; round < 20; ++round) {
    absl::StatusOr<uint64_t> version =
        store_->StreamVersion(AlarmStreamId(absl::StrCat("line", round)));
    ASSERT_TRUE(version.ok());
    EXPECT_EQ(*version, 1u) << round;
  }
  EXPECT_EQ(Alarms().size(), 1u);
  // Checked again, neither appends anything.
  EXPECT_EQ(CheckAt(first, clock_.Now()), 0);
  EXPECT_EQ(CheckAt(second, clock_.Now()), 0);
}

TEST_F(CoverageWatchTest, RaiseAlarmWithAStaleVersionFindsTheAlarmThere) {
  v1::AlarmRaised alarm;
  alarm.set_alarm_id("line-uncovered:ishoj-bos:2026-03-01T23:00:00Z");
  alarm.set_line_id(kLine);
  alarm.set_kind(v1::ALARM_KIND_LINE_UNCOVERED);
  absl::StatusOr<bool> first =
      RaiseAlarm(*store_, alarm, 0, "system:a", clock_.Now());
  ASSERT_TRUE(first.ok());
  EXPECT_TRUE(*first);
  // The second saw the stream empty too: refused by the version, it reads
  // the stream and finds the alarm.
  absl::StatusOr<bool> second =
      RaiseAlarm(*store_, alarm, 0, "system:b", clock_.Now());
  ASSERT_TRUE(second.ok());
  EXPECT_FALSE(*second);
  // Another alarm with the same stale version is appended after it.
  alarm.set_alarm_id("other");
  absl::StatusOr<bool> third =
      RaiseAlarm(*store_, alarm, 0, "system:b", clock_.Now());
  ASSERT_TRUE(third.ok());
  EXPECT_TRUE(*third);
  absl::StatusOr<uint64_t> version =
      store_->StreamVersion(AlarmStreamId(kLine));
  ASSERT_TRUE(version.ok());
  EXPECT_EQ(*version, 2u);
}

TEST_F(CoverageWatchTest, ThreadRaisesWhatIsDueWithoutBeingAsked) {
  SetStandardRotation();
  clock_.Set(Local(2026, 3, 2, 12, 0));
  CoverageWatch watch(*store_, clock_);
  watch.Start();
  // Wait (with a deadline) for the alarm stream to appear.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  uint64_t seen = store_->LastPosition();
  while (Alarms().empty() && absl::Now() < deadline) {
    seen = store_->WaitForAppend(seen, absl::Now() + absl::Milliseconds(200));
  }
  watch.Stop();
  ASSERT_EQ(Alarms().size(), 1u);
  EXPECT_EQ(Alarms()[0].kind(), v1::ALARM_KIND_LINE_UNCOVERED);
}

TEST_F(CoverageWatchTest, ThreadWakesWhenTheClockReachesAHandover) {
  SetStandardRotation();
  clock_.Set(Local(2026, 3, 3, 7, 0));
  Take(Worker("anna"));
  clock_.Set(Local(2026, 3, 3, 21, 0));
  CoverageWatch watch(*store_, clock_);
  watch.Start();
  ASSERT_TRUE(watch.WaitForChecks(1, absl::Now() + absl::Seconds(30)));
  EXPECT_TRUE(Alarms().empty());
  // 22:10, the handover to the night partner is due: the thread, waiting
  // for that moment of the clock, wakes and raises it.
  const uint64_t seen = store_->LastPosition();
  clock_.Set(Local(2026, 3, 3, 22, 10));
  store_->WaitForAppend(seen, absl::Now() + absl::Seconds(30));
  watch.Stop();
  const std::vector<v1::AlarmRaised> alarms = Alarms();
  ASSERT_EQ(alarms.size(), 1u);
  EXPECT_EQ(alarms[0].kind(), v1::ALARM_KIND_HANDOVER_NOT_ACCEPTED);
  EXPECT_EQ(ToTime(alarms[0].since()), Local(2026, 3, 3, 22, 0));
}

}  // namespace
}  // namespace vagt::services
