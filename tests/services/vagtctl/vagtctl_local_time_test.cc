// vagtctl's reading of the local times a duty worker types.
#include "gtest/gtest.h"
#include "services/vagtctl/local_time.h"

namespace vagt::vagtctl {
namespace {

absl::Time Local(int y, int mo, int d, int h, int mi) {
  return absl::FromCivil(absl::CivilMinute(y, mo, d, h, mi), LocalZone());
}

TEST(VagtctlLocalTime, CallTimeTypedAfterMidnightMeansLastNight) {
  const absl::Time now = Local(2026, 11, 25, 0, 5);
  absl::StatusOr<absl::Time> at = ParseRecentLocalTime("23:50", now, "--at");
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_EQ(*at, Local(2026, 11, 24, 23, 50));
}

TEST(VagtctlLocalTime, CallTimeEarlierTodayStaysToday) {
  const absl::Time now = Local(2026, 11, 24, 21, 0);
  absl::StatusOr<absl::Time> at = ParseRecentLocalTime("20:40", now, "--at");
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_EQ(*at, Local(2026, 11, 24, 20, 40));
}

TEST(VagtctlLocalTime, LastNightAcrossTheSpringDaylightSavingChange) {
  // Sunday 29 March 2026 has 23 hours in Copenhagen.
  const absl::Time now = Local(2026, 3, 30, 0, 5);
  absl::StatusOr<absl::Time> at = ParseRecentLocalTime("23:50", now, "--at");
  ASSERT_TRUE(at.ok()) << at.status();
  EXPECT_EQ(*at, Local(2026, 3, 29, 23, 50));
}

TEST(VagtctlLocalTime, SkippedSpringTimeIsTheChangeRepeatedAutumnTimeTheFirst) {
  const absl::Time now = Local(2026, 3, 28, 12, 0);
  // 02:30 does not exist on 29 March 2026: the clocks jump 02:00 -> 03:00.
  absl::StatusOr<absl::Time> skipped =
      ParseLocalTime("2026-03-29 02:30", now, "--from");
  ASSERT_TRUE(skipped.ok()) << skipped.status();
  EXPECT_EQ(*skipped, absl::FromCivil(absl::CivilMinute(2026, 3, 29, 1, 0),
                                      absl::UTCTimeZone()));
  // 02:30 happens twice on 25 October 2026: the first, still summer time.
  absl::StatusOr<absl::Time> repeated =
      ParseLocalTime("2026-10-25 02:30", now, "--from");
  ASSERT_TRUE(repeated.ok()) << repeated.status();
  EXPECT_EQ(*repeated, absl::FromCivil(absl::CivilMinute(2026, 10, 25, 0, 30),
                                       absl::UTCTimeZone()));
}

TEST(VagtctlLocalTime, AuditInstantIsRfc3339OrLocalTime) {
  const absl::Time now = Local(2026, 11, 25, 9, 0);
  absl::StatusOr<absl::Time> utc =
      ParseInstant("2026-11-24T21:30:00Z", now, "--at");
  ASSERT_TRUE(utc.ok()) << utc.status();
  EXPECT_EQ(*utc, Local(2026, 11, 24, 22, 30));
  absl::StatusOr<absl::Time> local =
      ParseInstant("2026-11-24 22:30", now, "--at");
  ASSERT_TRUE(local.ok()) << local.status();
  EXPECT_EQ(*local, Local(2026, 11, 24, 22, 30));
  // A bare clock time is the latest one: 22:30 typed at 09:00 is last night.
  absl::StatusOr<absl::Time> bare = ParseInstant("22:30", now, "--at");
  ASSERT_TRUE(bare.ok()) << bare.status();
  EXPECT_EQ(*bare, Local(2026, 11, 24, 22, 30));
  EXPECT_EQ(FormatLocalSeconds(*utc + absl::Seconds(5)), "2026-11-24 22:30:05");

  absl::StatusOr<absl::Time> bad = ParseInstant("last night", now, "--at");
  EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(bad.status().message().substr(0, 33),
            "--at: 'last night' is not a time ");
}

TEST(VagtctlLocalTime, TimesAreCopenhagenLocal) {
  EXPECT_EQ(LocalZone().name(), "Europe/Copenhagen");
}

}  // namespace
}  // namespace vagt::vagtctl
