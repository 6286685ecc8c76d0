// JwksCache over a fetch the test controls and a FakeClock: an unknown kid
// fetches again, at most once per min_refetch; a failing fetch keeps the
// last good keys; the keys are fetched again every `refresh` on the cache's
// own thread.
#include "services/common/jwks_cache.h"

#include <string>

#include "absl/synchronization/mutex.h"
#include "eventstore/clock.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/common/test_identity_provider.h"

namespace vagt::services {
namespace {

using ::testing::HasSubstr;

const absl::Time kStart = absl::FromUnixSeconds(1'795'000'000);

// The provider's side: what it publishes now, and how often it was asked.
class Provider {
 public:
  JwksFetch Fetch() {
    return {.read = [this]() -> absl::StatusOr<std::string> {
              absl::MutexLock lock(&mu_);
              ++reads_;
              if (down_) return absl::UnavailableError("provider is down");
              return document_;
            },
            .source = "test provider"};
  }
  void Publish(std::string document) {
    absl::MutexLock lock(&mu_);
    document_ = std::move(document);
  }
  void SetDown(bool down) {
    absl::MutexLock lock(&mu_);
    down_ = down;
  }
  int reads() {
    absl::MutexLock lock(&mu_);
    return reads_;
  }
  // Waits (in real time, up to a minute) until it has been read `n` times.
  bool AwaitReads(int n) {
    absl::MutexLock lock(&mu_);
    auto done = [this, n]()
                    ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return reads_ >= n; };
    return mu_.AwaitWithTimeout(absl::Condition(&done), absl::Minutes(1));
  }

 private:
  absl::Mutex mu_;
  std::string document_ ABSL_GUARDED_BY(mu_);
  bool down_ ABSL_GUARDED_BY(mu_) = false;
  int reads_ ABSL_GUARDED_BY(mu_) = 0;
};

std::string OneKey(const TestIdentityProvider& idp, const std::string& kid) {
  return R"({"keys":[)" + idp.RsaJwk(kid) + "]}";
}

class JwksCacheTest : public ::testing::Test {
 protected:
  JwksCacheTest() { provider_.Publish(OneKey(idp_, "k1")); }

  FakeClock clock_{kStart};
  TestIdentityProvider idp_;
  Provider provider_;
};

TEST_F(JwksCacheTest, UnknownKidFetchesAgainAtMostOncePerInterval) {
  JwksCache keys(provider_.Fetch(), clock_,
                 {.refresh = absl::Hours(1), .min_refetch = absl::Minutes(1)});
  ASSERT_TRUE(keys.Refresh().ok());
  ASSERT_TRUE(keys.Find("k1").ok());
  EXPECT_EQ(provider_.reads(), 1);

  // The provider rotates; a token with the new kid arrives at once.
  provider_.Publish(OneKey(idp_, "k2"));
  EXPECT_EQ(keys.Find("k2").status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(provider_.reads(), 1);  // The start's fetch was too recent.
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(keys.Find("k2").ok());
  EXPECT_EQ(provider_.reads(), 2);

  // Invented kids cost one fetch per interval, however many arrive.
  for (int i = 0; i < 50; ++i) {
    EXPECT_THAT(std::string(keys.Find("invented").status().message()),
                HasSubstr("unknown kid"));
  }
  EXPECT_EQ(provider_.reads(), 2);
  clock_.Advance(absl::Minutes(1));
  EXPECT_FALSE(keys.Find("invented").ok());
  EXPECT_EQ(provider_.reads(), 3);
  // The withdrawn key is gone with the fetch that dropped it.
  EXPECT_FALSE(keys.Find("k1").ok());
}

TEST_F(JwksCacheTest, FailingFetchKeepsTheLastGoodKeys) {
  JwksCache keys(provider_.Fetch(), clock_, {.min_refetch = absl::Seconds(0)});
  ASSERT_TRUE(keys.Refresh().ok());
  provider_.SetDown(true);
  EXPECT_EQ(keys.Refresh().code(), absl::StatusCode::kUnavailable);
  EXPECT_TRUE(keys.Find("k1").ok());
  provider_.SetDown(false);
  provider_.Publish(R"({"keys":[{"kty":"oct","kid":"h","k":"c2VjcmV0"}]})");
  EXPECT_EQ(keys.Refresh().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_TRUE(keys.Find("k1").ok());
  provider_.Publish("not json");
  EXPECT_FALSE(keys.Refresh().ok());
  EXPECT_TRUE(keys.Find("k1").ok());
}

TEST_F(JwksCacheTest, NoKeysBeforeTheFirstGoodFetch) {
  provider_.SetDown(true);
  JwksCache keys(provider_.Fetch(), clock_, {.min_refetch = absl::Minutes(1)});
  EXPECT_FALSE(keys.Refresh().ok());
  absl::StatusOr<std::shared_ptr<const SigningKey>> key = keys.Find("k1");
  EXPECT_EQ(key.status().code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(std::string(key.status().message()),
              HasSubstr("could not be fetched yet"));
  // The provider is back: the next token after the interval fetches.
  provider_.SetDown(false);
  clock_.Advance(absl::Minutes(1));
  EXPECT_TRUE(keys.Find("k1").ok());
}

TEST_F(JwksCacheTest, KeysAreFetchedAgainEveryRefreshOnTheirOwnThread) {
  JwksCache keys(provider_.Fetch(), clock_, {.refresh = absl::Hours(1)});
  ASSERT_TRUE(keys.Refresh().ok());
  keys.Start();
  provider_.Publish(OneKey(idp_, "k2"));
  clock_.Advance(absl::Minutes(59));
  EXPECT_EQ(provider_.reads(), 1);
  clock_.Advance(absl::Minutes(1));
  ASSERT_TRUE(provider_.AwaitReads(2));
  // Find waits for the fetch in progress, which brings k2.
  EXPECT_TRUE(keys.Find("k2").ok());
  EXPECT_EQ(provider_.reads(), 2);
  EXPECT_EQ(keys.Current()->Find("k1"), nullptr);
  clock_.Advance(absl::Hours(1));
  EXPECT_TRUE(provider_.AwaitReads(3));
}

}  // namespace
}  // namespace vagt::services
