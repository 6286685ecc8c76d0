// JwksCache: the identity provider's signing keys as last fetched, kept
// fresh. Its fetch reads a JWKS document from a file or a URL
// (jwks_fetch.h); the cache fetches it
//   - when told (Refresh(), vagtd's start),
//   - every `refresh` on its own thread (Start()), so a key the provider
//     withdrew stops verifying, and
//   - when a token names a kid it does not know (a provider that rotated its
//     keys), at most once every `min_refetch`, so tokens with invented kids
//     cannot make it hammer the provider.
// A fetch that fails, or brings a document without a usable key, keeps the
// last good keys; it is reported on stderr (which never sees a token).
//
//   JwksCache keys(JwksFromUrl(url), SystemClock(), {});
//   if (absl::Status s = keys.Refresh(); !s.ok()) ...;   // served anyway
//   keys.Start();
//   ASSIGN_OR_RETURN(std::shared_ptr<const SigningKey> key, keys.Find(kid));
//
// Thread-safe: Find() is called by every request thread; a caller of Find()
// may wait for a fetch in progress (bounded by the fetch's own timeout).
// Times come from `clock`, which, with the fetch, must outlive the cache.
// Destroying the cache stops its thread.
#ifndef VAGT_SERVICES_COMMON_JWKS_CACHE_H_
#define VAGT_SERVICES_COMMON_JWKS_CACHE_H_

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "absl/base/thread_annotations.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "eventstore/clock.h"
#include "services/common/jwks.h"

namespace vagt::services {

// A JWKS document, read anew on each call; its error names the source.
struct JwksFetch {
  std::function<absl::StatusOr<std::string>()> read;
  // Where it reads, for messages ("https://idp.example/keys").
  std::string source;
};

struct JwksCacheOptions {
  absl::Duration refresh = absl::Hours(1);
  absl::Duration min_refetch = absl::Minutes(1);
};

class JwksCache {
 public:
  JwksCache(JwksFetch fetch, const Clock& clock, JwksCacheOptions options);
  ~JwksCache();
  JwksCache(const JwksCache&) = delete;
  JwksCache& operator=(const JwksCache&) = delete;

  // Fetches now; the fetch's or the document's error when it fails (the
  // last good keys stay).
  absl::Status Refresh() ABSL_LOCKS_EXCLUDED(fetch_mu_, mu_);
  // Starts the periodic refresh. At most once.
  void Start() ABSL_LOCKS_EXCLUDED(mu_);

  // The key `kid` names, fetching again (rate-limited) when it is unknown.
  // NOT_FOUND "unknown kid" when it stays unknown; UNAVAILABLE when no fetch
  // has succeeded yet.
  absl::StatusOr<std::shared_ptr<const SigningKey>> Find(const std::string& kid)
      ABSL_LOCKS_EXCLUDED(fetch_mu_, mu_);

  // The keys as last fetched; empty before the first good fetch.
  std::shared_ptr<const JwkSet> Current() const ABSL_LOCKS_EXCLUDED(mu_);
  // How many fetches were attempted (tests).
  int fetches() const ABSL_LOCKS_EXCLUDED(mu_);

 private:
  absl::Status FetchLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(fetch_mu_)
      ABSL_LOCKS_EXCLUDED(mu_);
  // Null when the current keys have no `kid`.
  std::shared_ptr<const SigningKey> Lookup(const std::string& kid) const
      ABSL_LOCKS_EXCLUDED(mu_);
  void RefreshPeriodically() ABSL_LOCKS_EXCLUDED(mu_);

  const JwksFetch fetch_;
  const Clock& clock_;
  const JwksCacheOptions options_;

  // Held for the whole of a fetch, so that fetches never overlap and a
  // request that misses a kid waits for the fetch in progress. Taken before
  // mu_.
  absl::Mutex fetch_mu_ ABSL_ACQUIRED_BEFORE(mu_);
  mutable absl::Mutex mu_;
  std::shared_ptr<const JwkSet> keys_ ABSL_GUARDED_BY(mu_);
  bool loaded_ ABSL_GUARDED_BY(mu_) = false;
  absl::Time last_fetch_ ABSL_GUARDED_BY(mu_) = absl::InfinitePast();
  int fetches_ ABSL_GUARDED_BY(mu_) = 0;
  bool stopping_ ABSL_GUARDED_BY(mu_) = false;
  std::thread refresher_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_JWKS_CACHE_H_
