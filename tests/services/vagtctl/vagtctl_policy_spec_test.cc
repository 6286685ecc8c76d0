// vagtctl's --level syntax (services/vagtctl/policy_spec.h): what each form
// means, that printing and parsing agree, and that bad input is refused with
// a message naming the flag and what is wrong.
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "services/vagtctl/policy_spec.h"

namespace vagt::vagtctl {
namespace {

using ::testing::HasSubstr;

v1::PolicyLevel Parsed(const std::string& text) {
  absl::StatusOr<v1::PolicyLevel> level = ParsePolicyLevel(text, "--level");
  EXPECT_TRUE(level.ok()) << level.status();
  return level.ok() ? *level : v1::PolicyLevel();
}

TEST(VagtctlPolicySpec, BackupLevelDefaultsToTheLinesBackup) {
  const v1::PolicyLevel level = Parsed("backup:15m");
  EXPECT_EQ(level.level(), v1::ESCALATION_LEVEL_BACKUP);
  EXPECT_EQ(level.target(), v1::POLICY_TARGET_BACKUP);
  EXPECT_EQ(level.ack_timeout_seconds(), 900u);
  EXPECT_TRUE(level.windows().empty());
}

TEST(VagtctlPolicySpec, NightPartnerAtNightIsWhoeverHoldsTheLine) {
  const v1::PolicyLevel level = Parsed("night-partner:10m@22:00-07:00");
  EXPECT_EQ(level.level(), v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  EXPECT_EQ(level.target(), v1::POLICY_TARGET_DUTY);
  EXPECT_EQ(level.ack_timeout_seconds(), 600u);
  ASSERT_EQ(level.windows_size(), 1);
  EXPECT_EQ(level.windows(0).start().hour(), 22);
  EXPECT_EQ(level.windows(0).end().hour(), 7);
  EXPECT_TRUE(level.windows(0).weekdays().empty());
}

TEST(VagtctlPolicySpec, FixedPartyWithDaysAndSeveralWindows) {
  const v1::PolicyLevel level = Parsed(
      "police=partner:politi:90s@sat,sun/22:00-07:00@mon-wed/23:30-06:15");
  EXPECT_EQ(level.level(), v1::ESCALATION_LEVEL_POLICE);
  EXPECT_EQ(level.target(), v1::POLICY_TARGET_PARTY);
  EXPECT_EQ(level.party().id(), "partner:politi");
  EXPECT_EQ(level.ack_timeout_seconds(), 90u);
  ASSERT_EQ(level.windows_size(), 2);
  EXPECT_THAT(level.windows(0).weekdays(),
              ::testing::ElementsAre(v1::WEEKDAY_SATURDAY, v1::WEEKDAY_SUNDAY));
  EXPECT_THAT(level.windows(1).weekdays(),
              ::testing::ElementsAre(v1::WEEKDAY_MONDAY, v1::WEEKDAY_TUESDAY,
                                     v1::WEEKDAY_WEDNESDAY));
  EXPECT_EQ(level.windows(1).start().minute(), 30);
  EXPECT_EQ(level.windows(1).end().minute(), 15);
}

TEST(VagtctlPolicySpec, PrintedLevelsParseBackToTheSame) {
  for (const char* text :
       {"backup:15m", "night-partner:10m@22:00-07:00",
        "social-emergency=partner:akut:10m", "backup=duty:1h30m",
        "night-partner=partner:natteravnen:5m@fri,sat/22:00-07:00",
        "police=partner:politi:1m30s@sun/00:05-23:55"}) {
    SCOPED_TRACE(text);
    const v1::PolicyLevel level = Parsed(text);
    EXPECT_EQ(FormatPolicyLevel(level), text);
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
        Parsed(FormatPolicyLevel(level)), level));
  }
}

TEST(VagtctlPolicySpec, BadLevelsAreRefusedSayingWhy) {
  const std::pair<const char*, const char*> cases[] = {
      {"backup", "LEVEL[=TARGET]:TIMEOUT"},
      {"boss:10m", "is not one of"},
      {"social-emergency:10m", "social-emergency=partner:<id>"},
      {"police=the-police:5m", "is not a target"},
      {"backup:ten", "--level"},
      {"backup:0s", "--level"},
      {"backup:25h", "from 1s to 24h"},
      {"backup:1.5s", "whole seconds"},
      {"night-partner:10m@22-07", "is not a window"},
      {"night-partner:10m@22:00-07", "is not a window"},
      {"night-partner:10m@22:00-07:60", "is not a window"},
      {"night-partner:10m@fri-mon/22:00-07:00", "is not a day"},
      {"night-partner:10m@xyz/22:00-07:00", "is not a day"},
  };
  for (const auto& [text, why] : cases) {
    SCOPED_TRACE(text);
    absl::StatusOr<v1::PolicyLevel> level = ParsePolicyLevel(text, "--level");
    ASSERT_FALSE(level.ok());
    EXPECT_EQ(level.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(level.status().message()), HasSubstr("--level"));
    EXPECT_THAT(std::string(level.status().message()), HasSubstr(why));
  }
}

TEST(VagtctlPolicySpec, PolicyFileIsProtobufJson) {
  absl::StatusOr<v1::EscalationPolicySet> policy = ParsePolicyJson(
      R"({"levels": [{"level": "ESCALATION_LEVEL_BACKUP",
                      "target": "POLICY_TARGET_BACKUP",
                      "ackTimeoutSeconds": 900}],
          "repeats": 1})",
      "--file");
  ASSERT_TRUE(policy.ok()) << policy.status();
  ASSERT_EQ(policy->levels_size(), 1);
  EXPECT_EQ(policy->levels(0).ack_timeout_seconds(), 900u);
  EXPECT_EQ(policy->repeats(), 1u);
  absl::StatusOr<v1::EscalationPolicySet> bad =
      ParsePolicyJson(R"({"levels": [{"lvl": 1}]})", "--file");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(bad.status().message()), HasSubstr("--file"));
}

}  // namespace
}  // namespace vagt::vagtctl
