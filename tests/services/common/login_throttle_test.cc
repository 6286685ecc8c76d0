// LoginThrottle: a burst of failures per address, refilled over time, others
// untouched; PeerAddress drops the port.
#include "services/common/login_throttle.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vagt::services {
namespace {

using ::testing::HasSubstr;

const absl::Time kStart = absl::FromUnixSeconds(1'800'000'000);

TEST(LoginThrottleTest, BurstThenRefusedUntilRefilledPerAddress) {
  LoginThrottle throttle({.burst = 3, .refill = absl::Seconds(10)});
  const std::string a = "ipv4:10.0.0.7";
  EXPECT_FALSE(throttle.Failed(a, kStart));
  EXPECT_FALSE(throttle.Failed(a, kStart));
  EXPECT_TRUE(throttle.Check(a, kStart).ok());
  EXPECT_TRUE(throttle.Failed(a, kStart));  // the third empties it
  const absl::Status refused = throttle.Check(a, kStart);
  EXPECT_TRUE(absl::IsResourceExhausted(refused));
  EXPECT_THAT(refused.message(), HasSubstr("try again in 10 s"));
  EXPECT_FALSE(throttle.Failed(a, kStart));  // already throttled: no restart

  // Another address is not affected; the first one gets a try back later.
  EXPECT_TRUE(throttle.Check("ipv4:10.0.0.8", kStart).ok());
  EXPECT_FALSE(throttle.Check(a, kStart + absl::Seconds(9)).ok());
  EXPECT_TRUE(throttle.Check(a, kStart + absl::Seconds(10)).ok());
}

TEST(LoginThrottleTest, FullTableDropsTheAddressesWithNothingToRemember) {
  LoginThrottle throttle(
      {.burst = 2, .refill = absl::Seconds(10), .max_peers = 2});
  throttle.Failed("ipv4:1.1.1.1", kStart);
  throttle.Failed("ipv4:2.2.2.2", kStart);
  throttle.Failed("ipv4:2.2.2.2", kStart);
  // Later 1.1.1.1 is refilled (nothing to remember) and makes room.
  const absl::Time later = kStart + absl::Seconds(10);
  throttle.Failed("ipv4:3.3.3.3", later);
  throttle.Failed("ipv4:3.3.3.3", later);
  EXPECT_FALSE(throttle.Check("ipv4:3.3.3.3", later).ok());
  EXPECT_TRUE(throttle.Check("ipv4:1.1.1.1", later).ok());
}

TEST(PeerAddressTest, DropsThePort) {
  EXPECT_EQ(PeerAddress("ipv4:10.0.0.7:53211"), "ipv4:10.0.0.7");
  EXPECT_EQ(PeerAddress("ipv6:[::1]:53211"), "ipv6:[::1]");
  EXPECT_EQ(PeerAddress("ipv6:[::1]"), "ipv6:[::1]");
  EXPECT_EQ(PeerAddress("unix:/run/vagt.sock"), "unix:/run/vagt.sock");
  EXPECT_EQ(PeerAddress("inproc"), "inproc");
}

}  // namespace
}  // namespace vagt::services
