// The deadline engine (services/escalations/deadline_engine.h) on a real
// store with the services in front of it and a FakeClock the test moves: an
// unacknowledged escalation climbs level by level, time-of-day levels at
// their edges, a level with nobody falls through at once, repeats, the
// policy version an escalation was raised under, a restart in the middle
// (and a deadline that passed while no engine ran), two engines racing on
// one store, the stall check's one alarm, a failing coverage lookup that
// stalls visibly and then resumes, and an acknowledgement that stops the
// climb, also while the engine has not read it yet (its subscription held
// back). No sleeps: every wait is a condition with a deadline (the engine's
// WaitUntilIdle, or its stats).
#include <atomic>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/escalations/deadline_engine.h"
#include "services/lines/line_coverage.h"
#include "tests/services/duty_commands.h"
#include "tests/services/parties.h"
#include "tests/services/service_test_server.h"
#include "tests/support/forwarding_event_store.h"
#include "vagt/v1/escalations.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::vagt::services::DeadlineEngine;
using ::vagt::testing::DutyCommands;
using ::vagt::testing::Level;
using ::vagt::testing::ServiceTestServer;

constexpr char kLine[] = "ishoj-bos";
constexpr char kDutyWorker[] = "worker:anna";
constexpr char kBackup[] = "worker:bo";
constexpr char kNightPartner[] = "partner:natteravnen";
constexpr char kBuiltInEmergencyService[] = "partner:socialt-akuttilbud";
constexpr char kCitizenReason[] = "truer med at skade sig selv";

absl::Time Copenhagen(int y, int mo, int d, int h, int mi) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &zone));
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), zone);
}

DeadlineEngine::Options TestOptions() {
  return {.fire_threads = 2,
          .check_interval = absl::Seconds(30),
          .stall_after = absl::Seconds(60),
          .retry_after = absl::Seconds(5)};
}

// The line's own coverage, failing on demand (a roster database down).
class SwitchableCoverage final : public services::CoverageLookup {
 public:
  explicit SwitchableCoverage(const eventstore::EventStore& store)
      : line_(store) {}
  absl::StatusOr<std::optional<v1::Party>> Covering(
      const std::string& line_id, v1::RosterRole role,
      absl::Time at) const override {
    if (fail.load()) return absl::UnavailableError("coverage unavailable");
    return line_.Covering(line_id, role, at);
  }
  std::atomic<bool> fail{false};

 private:
  services::LineStreamCoverage line_;
};

// Forwards to a real store, but its subscriptions can be held back: while
// held, an event after the held position is not handed to the subscriber
// (its delivery thread waits), so the subscriber's view lags the log by as
// much as the test chooses. A held delivery goes on after 60 s of real time
// whatever happens, so that a failing test still ends.
class LaggingStore final : public testing::ForwardingEventStore {
 public:
  using ForwardingEventStore::ForwardingEventStore;

  // Events after `position` wait until Release().
  void HoldBackAfter(uint64_t position) {
    absl::MutexLock lock(&mu_);
    held_after_ = position;
  }
  void Release() {
    absl::MutexLock lock(&mu_);
    held_after_ = std::numeric_limits<uint64_t>::max();
  }

  std::unique_ptr<eventstore::Subscription> Subscribe(
      uint64_t after,
      std::function<absl::Status(const v1::EventEnvelope&)> handler) override {
    return inner().Subscribe(after, [this, handler = std::move(handler)](
                                        const v1::EventEnvelope& event) {
      const uint64_t position = event.global_position();
      {
        absl::MutexLock lock(&mu_);
        auto released = [&]() ABSL_SHARED_LOCKS_REQUIRED(mu_) {
          return position <= held_after_;
        };
        mu_.AwaitWithTimeout(absl::Condition(&released), absl::Seconds(60));
      }
      return handler(event);
    });
  }

 private:
  absl::Mutex mu_;
  uint64_t held_after_ ABSL_GUARDED_BY(mu_) =
      std::numeric_limits<uint64_t>::max();
};

class EscalationEngineTest : public ::testing::Test {
 protected:
  EscalationEngineTest()
      : duty_(server_.channel()),
        escalations_(v1::EscalationService::NewStub(server_.channel())),
        policies_(v1::EscalationPolicyService::NewStub(server_.channel())),
        coverage_(server_.store()) {}

  std::unique_ptr<DeadlineEngine> StartEngine(
      DeadlineEngine::Options options = TestOptions()) {
    return DeadlineEngine::Start(server_.store(), server_.clock(), coverage_,
                                 options);
  }

  // The line is held by the duty worker, then (when `night`) the night
  // partner; the backup is on call from an hour ago for 12 hours.
  void StaffLine(bool night, bool backup = true) {
    const absl::Time now = server_.clock().Now();
    duty_.TakeLine(kLine, kDutyWorker);
    if (night) duty_.PassToNightPartner(kLine, kDutyWorker, kNightPartner, {});
    if (backup) {
      duty_.AssignBackup(kLine, kDutyWorker, kBackup, now - absl::Hours(1),
                         now + absl::Hours(12));
    }
  }

  std::string OpenCall() {
    return duty_.ReceiveCall(kLine, kDutyWorker, "citizen-7f3a").id;
  }

  // Raised from `call_id` without level or target: the line's policy
  // decides.
  std::string RaiseByPolicy(const std::string& call_id) {
    v1::RaiseEscalationRequest r;
    r.set_request_id(absl::StrCat("raise-", ++raised_));
    r.set_call_id(call_id);
    r.set_urgency(v1::ESCALATION_URGENCY_URGENT);
    r.mutable_details()->set_reason(kCitizenReason);
    v1::RaiseEscalationResponse response;
    grpc::Status s = escalations_->RaiseEscalation(
        ServiceTestServer::As(kDutyWorker).get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.escalation_id();
  }

  grpc::Status SetPolicy(std::vector<v1::PolicyLevel> levels,
                         uint32_t repeats = 0) {
    v1::SetPolicyRequest r;
    r.set_request_id(absl::StrCat("policy-", ++policies_set_));
    r.set_line_id(kLine);
    for (v1::PolicyLevel& level : levels) *r.add_levels() = std::move(level);
    r.set_repeats(repeats);
    v1::SetPolicyResponse response;
    return policies_->SetPolicy(ServiceTestServer::As("worker:leder").get(), r,
                                &response);
  }

  std::vector<v1::EventEnvelope> Stream(const std::string& stream) {
    auto events = server_.store().ReadStream(stream, 1, 1000);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::EventEnvelope>{};
  }

  v1::EscalationRaised Raised(const std::string& escalation_id) {
    std::vector<v1::EventEnvelope> events =
        Stream(absl::StrCat("escalation-", escalation_id));
    return events.empty() ? v1::EscalationRaised()
                          : events[0].payload().escalation_raised();
  }

  std::vector<v1::EscalationTimedOut> Timeouts(
      const std::string& escalation_id) {
    std::vector<v1::EscalationTimedOut> out;
    for (const v1::EventEnvelope& e :
         Stream(absl::StrCat("escalation-", escalation_id))) {
      if (e.payload().has_escalation_timed_out()) {
        EXPECT_EQ(e.actor(), "system:escalation-engine");
        out.push_back(e.payload().escalation_timed_out());
      }
    }
    return out;
  }

  // Every event of kind `kind` in the store.
  int CountAll(v1::EventPayload::EventCase kind) {
    auto events = server_.store().ReadAll(1, 100'000);
    EXPECT_TRUE(events.ok()) << events.status();
    int n = 0;
    for (const v1::EventEnvelope& e : *events) {
      if (e.payload().event_case() == kind) ++n;
    }
    return n;
  }

  // Moves the clock and waits until every engine has done what is due.
  void Advance(absl::Duration d, std::vector<DeadlineEngine*> engines) {
    server_.clock().Advance(d);
    Settle(engines);
  }
  void Settle(std::vector<DeadlineEngine*> engines) {
    for (DeadlineEngine* engine : engines) {
      ASSERT_TRUE(engine->WaitUntilIdle(absl::Now() + absl::Seconds(30)))
          << "the engine did not settle";
    }
  }

  absl::Time Now() { return server_.clock().Now(); }

  // Waits until `engine` has finished a stall check after the `after`-th,
  // or 30 s of real time pass. The engine signals nothing a test could wait
  // on here, so this looks again every few milliseconds, as WaitUntilIdle.
  bool WaitForStallCheck(const DeadlineEngine& engine, uint64_t after) {
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    auto checked = [&] { return engine.stats().stall_checks > after; };
    absl::Mutex mu;
    absl::MutexLock lock(&mu);
    while (!checked()) {
      if (absl::Now() >= deadline) return false;
      mu.AwaitWithTimeout(absl::Condition(&checked), absl::Milliseconds(5));
    }
    return true;
  }

  ServiceTestServer server_;
  DutyCommands duty_;
  std::unique_ptr<v1::EscalationService::Stub> escalations_;
  std::unique_ptr<v1::EscalationPolicyService::Stub> policies_;
  services::LineStreamCoverage coverage_;
  int raised_ = 0;
  int policies_set_ = 0;
};

TEST_F(EscalationEngineTest, UnacknowledgedEscalationClimbsToSocialEmergency) {
  server_.clock().Set(Copenhagen(2026, 11, 24, 22, 30));
  StaffLine(/*night=*/true);
  auto engine = StartEngine();
  const std::string id = RaiseByPolicy(OpenCall());
  const v1::EscalationRaised raised = Raised(id);
  EXPECT_EQ(raised.level(), v1::ESCALATION_LEVEL_BACKUP);
  EXPECT_EQ(raised.target().id(), kBackup);
  EXPECT_EQ(raised.policy_version(), "vagt-escalation-policy-1");
  EXPECT_EQ(ToTime(raised.ack_deadline()), Now() + absl::Minutes(15));

  // Not a moment before the deadline.
  Advance(absl::Minutes(15) - absl::Seconds(1), {engine.get()});
  EXPECT_TRUE(Timeouts(id).empty());
  Advance(absl::Seconds(1), {engine.get()});
  std::vector<v1::EscalationTimedOut> timeouts = Timeouts(id);
  ASSERT_EQ(timeouts.size(), 1u);
  EXPECT_EQ(timeouts[0].from_level(), v1::ESCALATION_LEVEL_BACKUP);
  EXPECT_EQ(timeouts[0].from_target().id(), kBackup);
  EXPECT_EQ(ToTime(timeouts[0].missed_deadline()),
            ToTime(raised.ack_deadline()));
  EXPECT_EQ(timeouts[0].to_level(), v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  EXPECT_EQ(timeouts[0].to_target().id(), kNightPartner);
  EXPECT_EQ(ToTime(timeouts[0].ack_deadline()), Now() + absl::Minutes(10));
  EXPECT_EQ(timeouts[0].policy_version(), "vagt-escalation-policy-1");
  // The timeout names the event whose deadline it missed.
  const std::vector<v1::EventEnvelope> events =
      Stream(absl::StrCat("escalation-", id));
  EXPECT_EQ(events[1].causation_id(), events[0].event_id());

  Advance(absl::Minutes(10), {engine.get()});
  timeouts = Timeouts(id);
  ASSERT_EQ(timeouts.size(), 2u);
  EXPECT_EQ(timeouts[1].from_level(), v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  EXPECT_EQ(timeouts[1].to_level(),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(timeouts[1].to_target().id(), kBuiltInEmergencyService);
  EXPECT_EQ(timeouts[1].to_target().kind(),
            v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(ToTime(timeouts[1].ack_deadline()), Now() + absl::Minutes(10));

  // The top of a ladder without repeats: the service is alerted again.
  Advance(absl::Minutes(10), {engine.get()});
  timeouts = Timeouts(id);
  ASSERT_EQ(timeouts.size(), 3u);
  EXPECT_EQ(timeouts[2].from_level(),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(timeouts[2].to_level(),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(timeouts[2].to_target().id(), kBuiltInEmergencyService);
  EXPECT_EQ(engine->stats().fired, 3u);
  EXPECT_EQ(engine->stats().alarms, 0u);
}

TEST_F(EscalationEngineTest, NightPartnerLevelAt2159And2200) {
  server_.clock().Set(Copenhagen(2026, 11, 24, 21, 44));
  StaffLine(/*night=*/true);
  auto engine = StartEngine();
  const std::string call = OpenCall();
  const std::string at_2159 = RaiseByPolicy(call);  // deadline 21:59
  Advance(absl::Minutes(1), {engine.get()});
  const std::string at_2200 = RaiseByPolicy(call);  // deadline 22:00
  Advance(absl::Minutes(14), {engine.get()});
  ASSERT_EQ(Timeouts(at_2159).size(), 1u);
  EXPECT_EQ(Timeouts(at_2159)[0].to_level(),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_TRUE(Timeouts(at_2200).empty());
  Advance(absl::Minutes(1), {engine.get()});
  ASSERT_EQ(Timeouts(at_2200).size(), 1u);
  EXPECT_EQ(Timeouts(at_2200)[0].to_level(),
            v1::ESCALATION_LEVEL_NIGHT_PARTNER);
}

TEST_F(EscalationEngineTest, NightPartnerLevelAt0659And0700) {
  server_.clock().Set(Copenhagen(2026, 11, 25, 6, 44));
  StaffLine(/*night=*/true);
  auto engine = StartEngine();
  const std::string call = OpenCall();
  const std::string at_0659 = RaiseByPolicy(call);
  Advance(absl::Minutes(1), {engine.get()});
  const std::string at_0700 = RaiseByPolicy(call);
  Advance(absl::Minutes(14), {engine.get()});
  ASSERT_EQ(Timeouts(at_0659).size(), 1u);
  EXPECT_EQ(Timeouts(at_0659)[0].to_level(),
            v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  Advance(absl::Minutes(1), {engine.get()});
  ASSERT_EQ(Timeouts(at_0700).size(), 1u);
  EXPECT_EQ(Timeouts(at_0700)[0].to_level(),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
}

TEST_F(EscalationEngineTest, LevelWithNobodyOnItFallsThroughAtOnce) {
  // 20:00, the duty worker holds the line, nobody is backup.
  StaffLine(/*night=*/false, /*backup=*/false);
  auto engine = StartEngine();
  const std::string direct = RaiseByPolicy(OpenCall());
  EXPECT_EQ(Raised(direct).level(),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(ToTime(Raised(direct).ack_deadline()), Now() + absl::Minutes(10));

  // With a backup: at the backup's deadline the night level (out of its
  // window at 20:15) is passed in the same timeout, not waited out.
  duty_.AssignBackup(kLine, kDutyWorker, kBackup, Now(),
                     Now() + absl::Hours(1));
  const std::string climbing = RaiseByPolicy(OpenCall());
  EXPECT_EQ(Raised(climbing).level(), v1::ESCALATION_LEVEL_BACKUP);
  Advance(absl::Minutes(15), {engine.get()});
  const std::vector<v1::EscalationTimedOut> timeouts = Timeouts(climbing);
  ASSERT_EQ(timeouts.size(), 1u);
  EXPECT_EQ(timeouts[0].to_level(),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(ToTime(timeouts[0].ack_deadline()), Now() + absl::Minutes(10));
}

TEST_F(EscalationEngineTest, RepeatsStartTheLadderAgainThenStayAtTheTop) {
  StaffLine(/*night=*/false);
  ASSERT_TRUE(SetPolicy({Level(v1::ESCALATION_LEVEL_BACKUP,
                               v1::POLICY_TARGET_BACKUP, 300),
                         Level(v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE,
                               v1::POLICY_TARGET_PARTY, 300, "partner:akut")},
                        /*repeats=*/1)
                  .ok());
  auto engine = StartEngine();
  const std::string id = RaiseByPolicy(OpenCall());
  EXPECT_EQ(Raised(id).policy_version(), "policy-ishoj-bos@1");
  for (int i = 0; i < 4; ++i) Advance(absl::Minutes(5), {engine.get()});
  const std::vector<v1::EscalationTimedOut> timeouts = Timeouts(id);
  ASSERT_EQ(timeouts.size(), 4u);
  const v1::EscalationLevel expected[] = {
      v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE,
      v1::ESCALATION_LEVEL_BACKUP,
      v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE,
      v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE,
  };
  for (size_t i = 0; i < timeouts.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(timeouts[i].to_level(), expected[i]);
    EXPECT_EQ(timeouts[i].policy_version(), "policy-ishoj-bos@1");
  }
  EXPECT_EQ(timeouts[1].to_target().id(), kBackup);
  EXPECT_EQ(timeouts[3].to_target().id(), "partner:akut");
}

TEST_F(EscalationEngineTest,
       EscalationFollowsThePolicyVersionItWasRaisedUnder) {
  StaffLine(/*night=*/false);
  ASSERT_TRUE(SetPolicy({Level(v1::ESCALATION_LEVEL_BACKUP,
                               v1::POLICY_TARGET_BACKUP, 300),
                         Level(v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE,
                               v1::POLICY_TARGET_PARTY, 300, "partner:akut")})
                  .ok());
  auto engine = StartEngine();
  const std::string id = RaiseByPolicy(OpenCall());
  ASSERT_TRUE(
      SetPolicy(
          {Level(v1::ESCALATION_LEVEL_BACKUP, v1::POLICY_TARGET_BACKUP, 1800),
           Level(v1::ESCALATION_LEVEL_POLICE, v1::POLICY_TARGET_PARTY, 1800,
                 "partner:politi")})
          .ok());
  Advance(absl::Minutes(5), {engine.get()});
  const std::vector<v1::EscalationTimedOut> timeouts = Timeouts(id);
  ASSERT_EQ(timeouts.size(), 1u);
  EXPECT_EQ(timeouts[0].to_target().id(), "partner:akut");
  EXPECT_EQ(timeouts[0].policy_version(), "policy-ishoj-bos@1");
  EXPECT_EQ(ToTime(timeouts[0].ack_deadline()), Now() + absl::Minutes(5));
  // A new escalation follows the new version.
  EXPECT_EQ(Raised(RaiseByPolicy(OpenCall())).policy_version(),
            "policy-ishoj-bos@2");
}

TEST_F(EscalationEngineTest, RestartPicksUpRunningDeadlines) {
  StaffLine(/*night=*/false);
  auto first = StartEngine();
  const std::string id = RaiseByPolicy(OpenCall());
  Advance(absl::Minutes(5), {first.get()});
  first.reset();  // stopped in the middle of the backup's 15 minutes

  auto second = StartEngine();
  Advance(absl::Minutes(10) - absl::Seconds(1), {second.get()});
  EXPECT_TRUE(Timeouts(id).empty());
  Advance(absl::Seconds(1), {second.get()});
  ASSERT_EQ(Timeouts(id).size(), 1u);
  second.reset();

  // The emergency service's deadline passes while no engine runs; the next
  // one times it out as soon as it has read the log.
  server_.clock().Advance(absl::Minutes(30));
  const absl::Time missed = ToTime(Timeouts(id)[0].ack_deadline());
  auto third = StartEngine();
  Settle({third.get()});
  const std::vector<v1::EscalationTimedOut> timeouts = Timeouts(id);
  ASSERT_EQ(timeouts.size(), 2u);
  EXPECT_EQ(ToTime(timeouts[1].missed_deadline()), missed);
  EXPECT_EQ(ToTime(timeouts[1].ack_deadline()), Now() + absl::Minutes(10));
  EXPECT_EQ(third->stats().fired, 1u);
}

TEST_F(EscalationEngineTest, TwoEnginesRacingFireEachDeadlineOnce) {
  StaffLine(/*night=*/false);
  constexpr int kEscalations = 12;
  std::vector<std::string> ids;
  const std::string call = OpenCall();
  for (int i = 0; i < kEscalations; ++i) ids.push_back(RaiseByPolicy(call));
  auto a = StartEngine({.fire_threads = 4});
  auto b = StartEngine({.fire_threads = 4});
  Advance(absl::Minutes(15), {a.get(), b.get()});
  EXPECT_EQ(CountAll(v1::EventPayload::kEscalationTimedOut), kEscalations);
  Advance(absl::Minutes(10), {a.get(), b.get()});
  EXPECT_EQ(CountAll(v1::EventPayload::kEscalationTimedOut), 2 * kEscalations);
  for (const std::string& id : ids) {
    const std::vector<v1::EventEnvelope> events =
        Stream(absl::StrCat("escalation-", id));
    ASSERT_EQ(events.size(), 3u);
    EXPECT_EQ(events[1].payload().escalation_timed_out().to_level(),
              v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
    EXPECT_EQ(events[2].payload().escalation_timed_out().from_level(),
              v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  }
  const DeadlineEngine::Stats sa = a->stats();
  const DeadlineEngine::Stats sb = b->stats();
  EXPECT_EQ(sa.fired + sb.fired, 2u * kEscalations);
  EXPECT_EQ(sa.failures + sb.failures, 0u);
  RecordProperty("lost_races", static_cast<int>(sa.lost_races + sb.lost_races));
}

TEST_F(EscalationEngineTest, StallCheckRaisesOneAlarm) {
  // An escalation recorded without a deadline (as an older writer could):
  // nothing would ever time it out.
  v1::EventPayload raised;
  raised.mutable_escalation_raised()->set_escalation_id("legacy-1");
  raised.mutable_escalation_raised()->set_line_id(kLine);
  raised.mutable_escalation_raised()->set_level(v1::ESCALATION_LEVEL_BACKUP);
  raised.mutable_escalation_raised()->mutable_target()->set_id(kBackup);
  raised.mutable_escalation_raised()->mutable_sensitive()->set_reason(
      kCitizenReason);
  eventstore::NewEvent event;
  event.payload = raised;
  event.actor = kDutyWorker;
  ASSERT_TRUE(server_.store()
                  .Append({.stream_id = "escalation-legacy-1",
                           .expected = eventstore::ExpectedVersion::NoStream(),
                           .events = {event}})
                  .ok());
  auto a = StartEngine();
  auto b = StartEngine();
  Settle({a.get(), b.get()});
  EXPECT_EQ(CountAll(v1::EventPayload::kAlarmRaised), 0);
  for (int i = 0; i < 4; ++i) Advance(absl::Seconds(30), {a.get(), b.get()});
  const std::vector<v1::EventEnvelope> alarms = Stream("alarm-ishoj-bos");
  ASSERT_EQ(alarms.size(), 1u);
  EXPECT_EQ(CountAll(v1::EventPayload::kAlarmRaised), 1);
  const v1::AlarmRaised& alarm = alarms[0].payload().alarm_raised();
  EXPECT_EQ(alarm.kind(), v1::ALARM_KIND_ESCALATION_STALLED);
  EXPECT_EQ(alarm.escalation_id(), "legacy-1");
  EXPECT_EQ(alarm.line_id(), kLine);
  EXPECT_EQ(alarm.alarm_id(), "escalation-stalled:legacy-1@1");
  EXPECT_THAT(alarm.detail(), HasSubstr("legacy-1"));
  EXPECT_THAT(alarm.detail(), Not(HasSubstr(kCitizenReason)));
  EXPECT_EQ(alarms[0].actor(), "system:escalation-engine");
  EXPECT_EQ(a->stats().alarms + b->stats().alarms, 1u);
}

TEST_F(EscalationEngineTest, FailingCoverageStallsVisiblyThenResumes) {
  server_.clock().Set(Copenhagen(2026, 11, 24, 23, 0));
  StaffLine(/*night=*/true);
  // The emergency service first, then whoever holds the line: the climb
  // needs the lookup.
  ASSERT_TRUE(SetPolicy({Level(v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE,
                               v1::POLICY_TARGET_PARTY, 300, "partner:akut"),
                         Level(v1::ESCALATION_LEVEL_NIGHT_PARTNER,
                               v1::POLICY_TARGET_DUTY, 300)})
                  .ok());
  SwitchableCoverage coverage(server_.store());
  coverage.fail = true;
  auto engine = DeadlineEngine::Start(server_.store(), server_.clock(),
                                      coverage, TestOptions());
  const std::string id = RaiseByPolicy(OpenCall());
  Advance(absl::Minutes(5), {engine.get()});
  // A lookup error is not "nobody": no level is passed because of it.
  EXPECT_TRUE(Timeouts(id).empty());
  for (int i = 0; i < 4; ++i) Advance(absl::Seconds(30), {engine.get()});
  EXPECT_TRUE(Timeouts(id).empty());
  const std::vector<v1::EventEnvelope> alarms = Stream("alarm-ishoj-bos");
  ASSERT_EQ(alarms.size(), 1u);
  EXPECT_EQ(alarms[0].payload().alarm_raised().escalation_id(), id);
  EXPECT_GT(engine->stats().failures, 0u);

  coverage.fail = false;
  Advance(absl::Seconds(5), {engine.get()});
  const std::vector<v1::EscalationTimedOut> timeouts = Timeouts(id);
  ASSERT_EQ(timeouts.size(), 1u);
  EXPECT_EQ(timeouts[0].to_level(), v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  EXPECT_EQ(timeouts[0].to_target().id(), kNightPartner);
}

TEST_F(EscalationEngineTest, AcknowledgementStopsTheClimb) {
  StaffLine(/*night=*/false);
  auto engine = StartEngine();
  const std::string id = RaiseByPolicy(OpenCall());
  Advance(absl::Minutes(10), {engine.get()});
  duty_.Acknowledge(id, kBackup);
  Advance(absl::Hours(2), {engine.get()});
  Advance(absl::Minutes(1), {engine.get()});
  EXPECT_TRUE(Timeouts(id).empty());
  EXPECT_EQ(CountAll(v1::EventPayload::kAlarmRaised), 0);
  EXPECT_EQ(engine->stats().fired, 0u);
}

TEST_F(EscalationEngineTest,
       AcknowledgementTheEngineHasNotReadYetRaisesNoAlarm) {
  StaffLine(/*night=*/false);
  LaggingStore lagging(server_.store());
  auto engine =
      DeadlineEngine::Start(lagging, server_.clock(), coverage_, TestOptions());
  const std::string id = RaiseByPolicy(OpenCall());
  Advance(absl::Minutes(10), {engine.get()});

  // The acknowledgement is in the log; the engine's index still has the
  // escalation awaiting acknowledgement with its deadline at 15 minutes.
  lagging.HoldBackAfter(server_.store().LastPosition());
  duty_.Acknowledge(id, kBackup);
  const DeadlineEngine::Stats before = engine->stats();
  EXPECT_LT(before.position, server_.store().LastPosition());
  // Two hours later by the index, the deadline passed long ago without a
  // timeout: a stall, had the index been the truth.
  server_.clock().Advance(absl::Hours(2));
  ASSERT_TRUE(WaitForStallCheck(*engine, before.stall_checks))
      << "the engine ran no stall check";
  EXPECT_LT(engine->stats().position, server_.store().LastPosition())
      << "the engine read the acknowledgement: the lag was not reproduced";

  lagging.Release();
  Settle({engine.get()});
  Advance(absl::Minutes(1), {engine.get()});
  EXPECT_EQ(CountAll(v1::EventPayload::kAlarmRaised), 0);
  EXPECT_TRUE(Timeouts(id).empty());
  const DeadlineEngine::Stats after = engine->stats();
  EXPECT_EQ(after.stale_stalls, 1u);
  EXPECT_EQ(after.alarms, 0u);
  EXPECT_EQ(after.fired, 0u);
}

}  // namespace
}  // namespace vagt
