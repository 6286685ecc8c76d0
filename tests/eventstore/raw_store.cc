#include "tests/eventstore/raw_store.h"

#include <openssl/evp.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace vagt::eventstore::testing {
namespace {

absl::Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return absl::OkStatus();
  if (s.IsNotFound())
    return absl::NotFoundError(absl::StrCat(std::string(what), ": not found"));
  return absl::InternalError(
      absl::StrCat(std::string(what), ": ", s.ToString()));
}

}  // namespace

absl::StatusOr<std::unique_ptr<RawStore>> RawStore::Open(
    const std::string& path) {
  rocksdb::DBOptions options;
  options.create_if_missing = false;
  std::vector<std::string> names;
  absl::Status listed =
      FromRocks(rocksdb::DB::ListColumnFamilies(options, path, &names),
                "ListColumnFamilies");
  if (!listed.ok()) return listed;

  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    descriptors.emplace_back(name, rocksdb::ColumnFamilyOptions());
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* db = nullptr;
  absl::Status opened = FromRocks(
      rocksdb::DB::Open(options, path, descriptors, &handles, &db), "Open");
  if (!opened.ok()) return opened;

  std::unique_ptr<RawStore> raw(new RawStore());
  raw->db_.reset(db);
  for (size_t i = 0; i < names.size(); ++i) {
    raw->families_[names[i]] = handles[i];
  }
  return raw;
}

RawStore::~RawStore() {
  for (auto& [name, handle] : families_) {
    db_->DestroyColumnFamilyHandle(handle);
  }
  db_->Close().PermitUncheckedError();
}

std::vector<std::string> RawStore::FamilyNames() const {
  std::vector<std::string> names;
  for (const auto& [name, handle] : families_) names.push_back(name);
  return names;
}

absl::StatusOr<rocksdb::ColumnFamilyHandle*> RawStore::Family(
    std::string_view name) const {
  auto it = families_.find(name);
  if (it == families_.end()) {
    return absl::NotFoundError(
        absl::StrCat("no column family ", std::string(name)));
  }
  return it->second;
}

absl::StatusOr<std::string> RawStore::Get(std::string_view family,
                                          std::string_view key) const {
  absl::StatusOr<rocksdb::ColumnFamilyHandle*> handle = Family(family);
  if (!handle.ok()) return handle.status();
  std::string value;
  absl::Status s =
      FromRocks(db_->Get(rocksdb::ReadOptions(), *handle,
                         rocksdb::Slice(key.data(), key.size()), &value),
                absl::StrCat("Get ", std::string(family)));
  if (!s.ok()) return s;
  return value;
}

absl::Status RawStore::Put(std::string_view family, std::string_view key,
                           std::string_view value) {
  absl::StatusOr<rocksdb::ColumnFamilyHandle*> handle = Family(family);
  if (!handle.ok()) return handle.status();
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocks(
      db_->Put(sync, *handle, rocksdb::Slice(key.data(), key.size()),
               rocksdb::Slice(value.data(), value.size())),
      absl::StrCat("Put ", std::string(family)));
}

absl::Status RawStore::Delete(std::string_view family, std::string_view key) {
  absl::StatusOr<rocksdb::ColumnFamilyHandle*> handle = Family(family);
  if (!handle.ok()) return handle.status();
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocks(
      db_->Delete(sync, *handle, rocksdb::Slice(key.data(), key.size())),
      absl::StrCat("Delete ", std::string(family)));
}

keys::Hash ChainHash(const keys::Hash& prev, std::string_view canonical) {
  keys::Hash out{};
  unsigned int length = 0;
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  EVP_DigestUpdate(ctx, prev.data(), prev.size());
  EVP_DigestUpdate(ctx, canonical.data(), canonical.size());
  EVP_DigestFinal_ex(ctx, out.data(), &length);
  EVP_MD_CTX_free(ctx);
  return out;
}

}  // namespace vagt::eventstore::testing
