// LoginThrottle: failed logins counted per peer address, so that nobody can
// try credentials at the gate's speed. Each address has a bucket of
// `burst` failures that refills by one every `refill`; while it is empty,
// requests from that address are refused before any credential is looked
// at (a correct token too: otherwise the throttle would not slow a guesser).
// A vagt secret has 256 bits, so this is defence in depth; the numbers are
// generous so that a colleague's misconfigured client on the same network
// locks nobody out for long.
//
//   LoginThrottle throttle(clock);
//   if (absl::Status s = throttle.Check(peer, now); !s.ok()) return s;
//   ... on a failed login: bool started = throttle.Failed(peer, now);
//
// Thread-safe. Holds at most `max_peers` addresses (the fullest buckets,
// which carry no information, are dropped first).
#ifndef VAGT_SERVICES_COMMON_LOGIN_THROTTLE_H_
#define VAGT_SERVICES_COMMON_LOGIN_THROTTLE_H_

#include <cstddef>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"

namespace vagt::services {

struct ThrottleOptions {
  int burst = 20;
  absl::Duration refill = absl::Seconds(15);
  size_t max_peers = 10'000;
};

// The address of a gRPC peer without its port: "ipv4:10.0.0.7:53211" is
// "ipv4:10.0.0.7", "ipv6:[::1]:53211" is "ipv6:[::1]"; others unchanged.
std::string PeerAddress(absl::string_view peer);

class LoginThrottle {
 public:
  explicit LoginThrottle(ThrottleOptions options = {}) : options_(options) {}

  // RESOURCE_EXHAUSTED, saying when to try again, while `address` has no
  // failures left.
  absl::Status Check(const std::string& address, absl::Time now) const
      ABSL_LOCKS_EXCLUDED(mu_);
  // Counts a failed login; true when this one emptied the bucket (the
  // throttle starts, worth recording once).
  bool Failed(const std::string& address, absl::Time now)
      ABSL_LOCKS_EXCLUDED(mu_);

 private:
  struct Bucket {
    double tokens = 0;
    absl::Time updated;
  };
  // The bucket brought up to `now` (a new one is full).
  Bucket Refilled(const std::string& address, absl::Time now) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void DropFullBuckets(absl::Time now) ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);

  const ThrottleOptions options_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, Bucket> buckets_ ABSL_GUARDED_BY(mu_);
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_LOGIN_THROTTLE_H_
