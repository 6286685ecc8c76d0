#include "eventstore/chain.h"

#include <openssl/evp.h>

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "rocksdb/snapshot.h"

namespace vagt::eventstore::chain {
namespace {

VerifyReport Bad(uint64_t checked, uint64_t position, std::string problem) {
  return {.ok = false,
          .events_checked = checked,
          .first_bad_position = position,
          .problem = std::move(problem)};
}

}  // namespace

keys::Hash ZeroHash() { return keys::Hash{}; }

keys::Hash Sha256(std::initializer_list<std::string_view> parts) {
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(),
                                                              &EVP_MD_CTX_free);
  keys::Hash out{};
  unsigned int len = 0;
  // EVP calls fail only on allocation failure; a zero hash would then fail
  // verification loudly rather than pass silently.
  if (ctx == nullptr ||
      EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1)
    return out;
  for (std::string_view p : parts)
    EVP_DigestUpdate(ctx.get(), p.data(), p.size());
  EVP_DigestFinal_ex(ctx.get(), out.data(), &len);
  return out;
}

keys::Hash Link(const keys::Hash& prev, std::string_view canonical) {
  return Sha256({keys::HashBytes(prev), canonical});
}

absl::StatusOr<VerifyReport> Verify(rocksdb::DB* db,
                                    rocksdb::ColumnFamilyHandle* events,
                                    rocksdb::ColumnFamilyHandle* meta) {
  // One snapshot for the walk and the chain head, so that appends running
  // meanwhile are either wholly in the view or wholly out of it.
  rocksdb::ManagedSnapshot snapshot(db);
  rocksdb::ReadOptions ro;
  ro.fill_cache = false;
  ro.snapshot = snapshot.snapshot();
  std::unique_ptr<rocksdb::Iterator> it(db->NewIterator(ro, events));
  keys::Hash prev = ZeroHash();
  uint64_t expected = 1;
  v1::EventEnvelope envelope;
  for (it->SeekToFirst(); it->Valid(); it->Next(), ++expected) {
    const uint64_t checked = expected - 1;
    std::optional<uint64_t> pos =
        keys::DecodeBigEndian64(it->key().ToStringView());
    if (!pos.has_value()) {
      return Bad(checked, expected, "a key in the event log is not a position");
    }
    if (*pos != expected) {
      return Bad(
          checked, expected,
          absl::StrCat("event ", expected, " is missing (next is ", *pos, ")"));
    }
    std::optional<keys::EventValue> value =
        keys::DecodeEventValue(it->value().ToStringView());
    if (!value.has_value()) {
      return Bad(checked, expected, "stored value is shorter than a hash");
    }
    if (Link(prev, value->canonical) != value->hash) {
      return Bad(checked, expected,
                 "stored hash does not match the event's stored bytes");
    }
    if (!envelope.ParseFromArray(value->canonical.data(),
                                 static_cast<int>(value->canonical.size()))) {
      return Bad(checked, expected, "stored bytes do not decode as an event");
    }
    if (envelope.prev_hash() != keys::HashBytes(prev)) {
      return Bad(
          checked, expected,
          absl::StrCat("does not link to event ", expected - 1, ": event ",
                       expected - 1, " or ", expected, " was changed"));
    }
    if (envelope.global_position() != expected) {
      return Bad(checked, expected, "position field differs from its key");
    }
    prev = value->hash;
  }
  if (!it->status().ok()) {
    return absl::UnavailableError(absl::StrCat("reading the event log failed: ",
                                               it->status().ToString()));
  }
  const uint64_t last = expected - 1;

  std::string head;
  rocksdb::Status s = db->Get(ro, meta, keys::kChainHeadKey, &head);
  if (s.IsNotFound()) {
    if (last == 0) return VerifyReport{};
    return Bad(last, last, "chain head record is missing");
  }
  if (!s.ok()) {
    return absl::UnavailableError(
        absl::StrCat("reading the chain head failed: ", s.ToString()));
  }
  std::optional<keys::ChainHead> recorded = keys::DecodeChainHead(head);
  if (!recorded.has_value()) {
    return Bad(last, last + 1, "chain head record is damaged");
  }
  if (recorded->position != last) {
    const uint64_t bad = std::min(recorded->position, last + 1);
    return Bad(last, bad,
               absl::StrCat("chain head records event ", recorded->position,
                            " but the log ends at ", last));
  }
  if (recorded->hash != prev) {
    return Bad(last, last,
               "chain head hash differs from the last event's hash");
  }
  VerifyReport report;
  report.events_checked = last;
  return report;
}

}  // namespace vagt::eventstore::chain
