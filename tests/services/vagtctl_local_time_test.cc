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

TEST(VagtctlLocalTime, TimesAreCopenhagenLocal) {
  EXPECT_EQ(LocalZone().name(), "Europe/Copenhagen");
}

}  // namespace
}  // namespace vagt::vagtctl
