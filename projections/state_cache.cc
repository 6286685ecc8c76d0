#include "projections/state_cache.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace vagt::projections {

absl::StatusOr<std::optional<std::string>> StateCache::Get(
    const std::string& key) {
  if (auto it = pending_.find(key); it != pending_.end()) return it->second;
  if (auto it = clean_.find(key); it != clean_.end()) return it->second;
  std::string value;
  rocksdb::Status s = db_->Get(rocksdb::ReadOptions(), key, &value);
  std::optional<std::string> found;
  if (s.ok()) {
    found = std::move(value);
  } else if (!s.IsNotFound()) {
    return absl::UnavailableError(
        absl::StrCat("projection state: read failed: ", s.ToString()));
  }
  if (clean_.size() >= max_clean_) clean_.clear();
  clean_.emplace(key, found);
  return found;
}

void StateCache::Put(const std::string& key, std::string value) {
  auto [it, added] = pending_.try_emplace(key);
  if (added) pending_bytes_ += key.size();
  pending_bytes_ += value.size();
  pending_bytes_ -= it->second.size();
  it->second = std::move(value);
}

void StateCache::Flush(rocksdb::WriteBatch& batch) {
  if (clean_.size() + pending_.size() > max_clean_) clean_.clear();
  for (auto& [key, value] : pending_) {
    batch.Put(key, value).PermitUncheckedError();
    clean_[key] = std::move(value);
  }
  pending_.clear();
  pending_bytes_ = 0;
}

void StateCache::Discard() {
  pending_.clear();
  pending_bytes_ = 0;
  clean_.clear();
}

}  // namespace vagt::projections
