#include "services/common/login_throttle.h"

#include <algorithm>
#include <cmath>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace vagt::services {

std::string PeerAddress(absl::string_view peer) {
  if (!absl::StartsWith(peer, "ipv4:") && !absl::StartsWith(peer, "ipv6:")) {
    return std::string(peer);
  }
  const size_t colon = peer.rfind(':');
  const size_t bracket = peer.rfind(']');
  if (colon == absl::string_view::npos || colon < 5 ||
      (bracket != absl::string_view::npos && colon < bracket)) {
    return std::string(peer);
  }
  return std::string(peer.substr(0, colon));
}

LoginThrottle::Bucket LoginThrottle::Refilled(const std::string& address,
                                              absl::Time now) const {
  auto it = buckets_.find(address);
  if (it == buckets_.end())
    return {.tokens = double(options_.burst), .updated = now};
  Bucket b = it->second;
  if (now > b.updated) {
    b.tokens = std::min<double>(
        options_.burst,
        b.tokens + absl::FDivDuration(now - b.updated, options_.refill));
    b.updated = now;
  }
  return b;
}

absl::Status LoginThrottle::Check(const std::string& address,
                                  absl::Time now) const {
  absl::MutexLock lock(&mu_);
  const Bucket b = Refilled(address, now);
  if (b.tokens >= 1) return absl::OkStatus();
  const absl::Duration wait = options_.refill * (1 - b.tokens);
  return absl::ResourceExhaustedError(
      absl::StrCat("too many failed logins from this address: try again in ",
                   std::ceil(absl::ToDoubleSeconds(wait)), " s"));
}

bool LoginThrottle::Failed(const std::string& address, absl::Time now) {
  absl::MutexLock lock(&mu_);
  Bucket b = Refilled(address, now);
  const bool had = b.tokens >= 1;
  b.tokens = std::max(0.0, b.tokens - 1);
  if (buckets_.size() >= options_.max_peers && !buckets_.contains(address)) {
    DropFullBuckets(now);
  }
  if (buckets_.size() < options_.max_peers || buckets_.contains(address)) {
    buckets_[address] = b;
  }
  return had && b.tokens < 1;
}

void LoginThrottle::DropFullBuckets(absl::Time now) {
  absl::erase_if(buckets_, [&](const auto& entry) {
    return Refilled(entry.first, now).tokens >= options_.burst;
  });
}

}  // namespace vagt::services
