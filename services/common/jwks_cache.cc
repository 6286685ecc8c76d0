#include "services/common/jwks_cache.h"

#include <cstdio>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace vagt::services {
namespace {

void Report(const std::string& line) {
  std::fprintf(stderr, "vagtd: %s\n", line.c_str());
}

}  // namespace

JwksCache::JwksCache(JwksFetch fetch, const Clock& clock,
                     JwksCacheOptions options)
    : fetch_(std::move(fetch)),
      clock_(clock),
      options_(options),
      keys_(std::make_shared<const JwkSet>()) {}

JwksCache::~JwksCache() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (refresher_.joinable()) refresher_.join();
}

absl::Status JwksCache::Refresh() {
  absl::MutexLock fetching(&fetch_mu_);
  return FetchLocked();
}

void JwksCache::Start() {
  absl::MutexLock lock(&mu_);
  if (refresher_.joinable()) return;
  refresher_ = std::thread([this] { RefreshPeriodically(); });
}

absl::Status JwksCache::FetchLocked() {
  std::shared_ptr<const JwkSet> before;
  {
    absl::MutexLock lock(&mu_);
    last_fetch_ = clock_.Now();
    ++fetches_;
    before = keys_;
  }
  absl::StatusOr<std::string> document = fetch_.read();
  absl::StatusOr<JwkSet> parsed =
      document.ok() ? ParseJwks(*document) : document.status();
  if (!parsed.ok()) {
    Report(absl::StrCat(
        "the OpenID Connect keys from ", fetch_.source,
        " were not refreshed: ", parsed.status().message(),
        before->empty() ? "; no keys yet" : "; keeping the last good keys"));
    return parsed.status();
  }
  auto keys = std::make_shared<const JwkSet>(*std::move(parsed));
  if (keys->kids() != before->kids()) {
    Report(absl::StrCat("OpenID Connect keys from ", fetch_.source, ": ",
                        absl::StrJoin(keys->kids(), ", ")));
    for (const std::string& note : keys->skipped()) {
      Report(absl::StrCat("  skipped ", note));
    }
  }
  absl::MutexLock lock(&mu_);
  keys_ = std::move(keys);
  loaded_ = true;
  return absl::OkStatus();
}

std::shared_ptr<const SigningKey> JwksCache::Lookup(
    const std::string& kid) const {
  std::shared_ptr<const JwkSet> keys = Current();
  const SigningKey* key = keys->Find(kid);
  if (key == nullptr) return nullptr;
  // Shares ownership of the set the key lives in.
  return std::shared_ptr<const SigningKey>(std::move(keys), key);
}

absl::StatusOr<std::shared_ptr<const SigningKey>> JwksCache::Find(
    const std::string& kid) {
  if (auto key = Lookup(kid)) return key;
  absl::MutexLock fetching(&fetch_mu_);
  // The fetch this request may have waited for can have brought it.
  if (auto key = Lookup(kid)) return key;
  bool may_fetch;
  {
    absl::MutexLock lock(&mu_);
    may_fetch = clock_.Now() >= last_fetch_ + options_.min_refetch;
  }
  if (may_fetch) {
    (void)FetchLocked();  // Reported there; the old keys stay.
    if (auto key = Lookup(kid)) return key;
  }
  absl::MutexLock lock(&mu_);
  if (!loaded_) {
    return absl::UnavailableError(
        "the identity provider's keys could not be fetched yet");
  }
  return absl::NotFoundError(
      "unknown kid (no key of the identity provider has it)");
}

std::shared_ptr<const JwkSet> JwksCache::Current() const {
  absl::MutexLock lock(&mu_);
  return keys_;
}

int JwksCache::fetches() const {
  absl::MutexLock lock(&mu_);
  return fetches_;
}

void JwksCache::RefreshPeriodically() {
  for (;;) {
    {
      absl::MutexLock lock(&mu_);
      const absl::Time due = last_fetch_ + options_.refresh;
      clock_.AwaitWithDeadline(mu_, absl::Condition(&stopping_), due);
      if (stopping_) return;
      // A fetch for an unknown kid meanwhile moves the next one.
      if (clock_.Now() < last_fetch_ + options_.refresh) continue;
    }
    (void)Refresh();  // Reported there; the old keys stay.
  }
}

}  // namespace vagt::services
