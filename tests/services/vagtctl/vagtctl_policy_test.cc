// vagtctl policy show|set and escalate without a level, as a user runs them:
// separate vagtctl processes against a real vagtd process on a fresh data
// directory. The built-in ladder shown, a policy set from flags and from a
// file (what show --json printed), usage errors and the server's refusal with
// their exit codes, an escalation that follows the line's policy, and vagtd's
// deadline engine climbing it when nobody acknowledges.
#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/vagtctl_process.h"
#include "tests/support/vagtd_fixture.h"
#include "tests/support/vagtd_process.h"
#include "vagt/v1/escalations.pb.h"
#include "vagt/v1/oncall.pb.h"

namespace vagt {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::vagt::testing::WordAfter;

using Outcome = testing::VagtctlOutcome;

class VagtctlPolicyTest : public testing::VagtdFixture {
 protected:
  VagtctlPolicyTest()
      : VagtdFixture(VAGTD_PATH, VAGTCTL_PATH, "worker:leder") {}

  Outcome CtlJson(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    return RunAs(actor_, args, /*stdout_only=*/true);
  }

  // Stops vagtd and reads one stream of the store it leaves.
  std::vector<v1::EventEnvelope> StopAndRead(const std::string& stream) {
    vagtd_->Signal(SIGTERM);
    EXPECT_TRUE(vagtd_->Wait(Deadline()).ok());
    auto store = eventstore::EventStore::Open(
        {.path = dir_ + "/store", .create_if_missing = false});
    EXPECT_TRUE(store.ok()) << store.status();
    if (!store.ok()) return {};
    auto events = (*store)->ReadStream(stream, 1, 100);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::EventEnvelope>{};
  }
};

TEST_F(VagtctlPolicyTest, ShowsTheBuiltInLadderThenSetsANewVersion) {
  const Outcome built_in = Ctl({"policy", "show", "--line", "ishoj-bos"});
  ASSERT_EQ(built_in.exit_code, 0) << built_in.output;
  EXPECT_THAT(
      built_in.output,
      AllOf(HasSubstr("has no escalation policy of its own"),
            HasSubstr("vagt-escalation-policy-1"),
            HasSubstr("1. backup: the line's backup; acknowledge within 15m; "
                      "always"),
            HasSubstr("2. night-partner: whoever holds the line; acknowledge "
                      "within 10m; 22:00-07:00"),
            HasSubstr("As flags: --level backup:15m --level "
                      "night-partner:10m@22:00-07:00 --level "
                      "social-emergency=partner:socialt-akuttilbud:10m")));

  const Outcome set =
      Ctl({"policy", "set", "--line", "ishoj-bos", "--level", "backup:10m",
           "--level", "night-partner:5m@fri,sat/22:00-07:00", "--level",
           "social-emergency=partner:akut:10m", "--repeats", "1"});
  ASSERT_EQ(set.exit_code, 0) << set.output;
  EXPECT_EQ(set.output,
            "Escalation policy of line ishoj-bos set: policy-ishoj-bos@1, 3 "
            "levels, the ladder starts again 1 time. It applies to "
            "escalations raised from now on.\n");

  const Outcome shown = Ctl({"policy", "show", "--line", "ishoj-bos"});
  ASSERT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_THAT(shown.output,
              AllOf(HasSubstr("Escalation policy of line ishoj-bos: "
                              "policy-ishoj-bos@1 (Europe/Copenhagen, the "
                              "ladder starts again 1 time)"),
                    HasSubstr("2. night-partner: whoever holds the line; "
                              "acknowledge within 5m; fri,sat/22:00-07:00"),
                    HasSubstr("3. social-emergency: partner:akut; acknowledge "
                              "within 10m; always")));
}

TEST_F(VagtctlPolicyTest, PolicyFileIsWhatShowJsonPrints) {
  ASSERT_EQ(Ctl({"policy", "set", "--line", "ishoj-bos", "--level",
                 "backup:10m", "--level", "police=partner:politi:5m"})
                .exit_code,
            0);
  const Outcome json = CtlJson({"policy", "show", "--line", "ishoj-bos"});
  ASSERT_EQ(json.exit_code, 0) << json.output;
  v1::GetPolicyResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json.output, &response).ok())
      << json.output;
  EXPECT_EQ(response.policy_version(), "policy-ishoj-bos@1");
  std::string policy_json;
  ASSERT_TRUE(google::protobuf::util::MessageToJsonString(response.policy(),
                                                          &policy_json)
                  .ok());
  const std::string file = dir_ + "/policy.json";
  std::ofstream(file) << policy_json;

  const Outcome set =
      Ctl({"policy", "set", "--line", "ishoj-bos", "--file", file});
  ASSERT_EQ(set.exit_code, 0) << set.output;
  EXPECT_THAT(set.output, HasSubstr("policy-ishoj-bos@2, 2 levels"));
  // Another line's policy file is refused before anything is sent.
  const Outcome other =
      Ctl({"policy", "set", "--line", "allerod-24-7", "--file", file});
  EXPECT_EQ(other.exit_code, 2);
  EXPECT_THAT(other.output, HasSubstr("for line 'ishoj-bos'"));
}

TEST_F(VagtctlPolicyTest, BadPoliciesAreUsageErrorsOrRefusedByTheServer) {
  const Outcome no_timeout =
      Ctl({"policy", "set", "--line", "ishoj-bos", "--level", "backup"});
  EXPECT_EQ(no_timeout.exit_code, 2);
  EXPECT_THAT(no_timeout.output, HasSubstr("--level #1: 'backup'"));
  const Outcome no_levels = Ctl({"policy", "set", "--line", "ishoj-bos"});
  EXPECT_EQ(no_levels.exit_code, 2);
  EXPECT_THAT(no_levels.output, HasSubstr("one --level per rung"));
  const Outcome twice = Ctl({"policy", "set", "--line", "ishoj-bos", "--level",
                             "backup:10m", "--level", "backup=duty:5m"});
  EXPECT_EQ(twice.exit_code, 3);
  EXPECT_THAT(twice.output,
              AllOf(HasSubstr("INVALID_ARGUMENT"),
                    HasSubstr("levels[1].level: ESCALATION_LEVEL_BACKUP is "
                              "already levels[0]")));
  const Outcome empty_window =
      Ctl({"policy", "set", "--line", "ishoj-bos", "--level",
           "night-partner:10m@22:00-22:00"});
  EXPECT_EQ(empty_window.exit_code, 3);
  EXPECT_THAT(empty_window.output, HasSubstr("levels[0].windows[0]: empty"));
  EXPECT_TRUE(StopAndRead("policy-ishoj-bos").empty());
}

TEST_F(VagtctlPolicyTest, EscalateWithoutLevelFollowsTheLinesPolicy) {
  ASSERT_EQ(Ctl({"line", "take", "ishoj-bos"}).exit_code, 0);
  const Outcome call = Ctl({"call", "receive", "--line", "ishoj-bos", "--from",
                            "citizen", "--citizen", "citizen-7f3a"});
  ASSERT_EQ(call.exit_code, 0) << call.output;
  const std::string call_id = WordAfter(call.output, "Call ");
  // Nobody is the line's backup: the policy starts at the emergency service
  // whatever the time of day.
  ASSERT_EQ(Ctl({"policy", "set", "--line", "ishoj-bos", "--level",
                 "backup:10m", "--level", "social-emergency=partner:akut:5m"})
                .exit_code,
            0);
  const Outcome half = Ctl({"escalate", call_id, "backup", "--reason", "x"});
  EXPECT_EQ(half.exit_code, 2);
  EXPECT_THAT(half.output, HasSubstr("give LEVEL and --to together"));

  const Outcome raised =
      Ctl({"escalate", call_id, "--reason", "Cannot be alone tonight"});
  ASSERT_EQ(raised.exit_code, 0) << raised.output;
  EXPECT_THAT(raised.output,
              HasSubstr("to the first level of the line's escalation policy "
                        "(urgent)."));
  const std::string id = WordAfter(raised.output, "Escalation ");
  const std::vector<v1::EventEnvelope> events =
      StopAndRead(absl::StrCat("escalation-", id));
  ASSERT_EQ(events.size(), 1u);
  const v1::EscalationRaised& e = events[0].payload().escalation_raised();
  EXPECT_EQ(e.level(), v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(e.target().id(), "partner:akut");
  EXPECT_EQ(e.policy_version(), "policy-ishoj-bos@1");
}

TEST_F(VagtctlPolicyTest, VagtdClimbsAnUnacknowledgedEscalation) {
  ASSERT_EQ(Ctl({"line", "take", "ishoj-bos"}).exit_code, 0);
  const Outcome call = Ctl({"call", "receive", "--line", "ishoj-bos", "--from",
                            "citizen", "--citizen", "citizen-7f3a"});
  const std::string call_id = WordAfter(call.output, "Call ");
  // One second for the emergency service, then the police.
  ASSERT_EQ(Ctl({"policy", "set", "--line", "ishoj-bos", "--level",
                 "social-emergency=partner:akut:1s", "--level",
                 "police=partner:politi:1h"})
                .exit_code,
            0);
  const Outcome raised = Ctl({"escalate", call_id, "--reason", "Alone"});
  ASSERT_EQ(raised.exit_code, 0) << raised.output;
  const std::string id = WordAfter(raised.output, "Escalation ");

  // The board at every change, until the engine has moved the escalation.
  absl::StatusOr<std::unique_ptr<testing::ChildProcess>> watch =
      testing::ChildProcess::Start(testing::VagtctlArgv(
          VAGTCTL_PATH, TokenFor("worker:anna"), address_,
          {"--json", "board", "--line", "ishoj-bos", "--watch"},
          /*stdout_only=*/true));
  ASSERT_TRUE(watch.ok()) << watch.status();
  const absl::Time deadline = Deadline();
  v1::RunningEscalation seen;
  while (seen.level() != v1::ESCALATION_LEVEL_POLICE) {
    absl::StatusOr<std::string> line = (*watch)->ReadLine(deadline);
    ASSERT_TRUE(line.ok()) << line.status() << "; last seen at "
                           << v1::EscalationLevel_Name(seen.level());
    v1::Board board;
    ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(*line, &board).ok())
        << *line;
    ASSERT_EQ(board.running_escalations_size(), 1);
    seen = board.running_escalations(0);
  }
  EXPECT_EQ(seen.escalation_id(), id);
  EXPECT_EQ(seen.target().id(), "partner:politi");
  (*watch)->Signal(SIGTERM);

  const std::vector<v1::EventEnvelope> events =
      StopAndRead(absl::StrCat("escalation-", id));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].actor(), "system:escalation-engine");
  const v1::EscalationTimedOut& timeout =
      events[1].payload().escalation_timed_out();
  EXPECT_EQ(timeout.from_level(),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(timeout.to_level(), v1::ESCALATION_LEVEL_POLICE);
  EXPECT_EQ(timeout.policy_version(), "policy-ishoj-bos@1");
}

}  // namespace
}  // namespace vagt
