// RocksEventStore::Append: validation against stream heads, group commit and
// the hash chain. See rocks_event_store.h for the protocol.
#include <uuid/uuid.h>

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "eventstore/chain.h"
#include "eventstore/rocks_event_store.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "eventstore/validation.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"

namespace vagt::eventstore {
namespace {

// A group holds at most this many appends; the rest wait for the next one.
constexpr size_t kMaxGroupWriters = 512;
// The head cache is a cache: dropped wholesale when it grows past this.
constexpr size_t kMaxCachedHeads = 100'000;

std::string NewEventId() {
  uuid_t uuid;
  uuid_generate_random(uuid);
  char text[37];
  uuid_unparse_lower(uuid, text);
  return std::string(text, 36);
}

// The canonical bytes: deterministic serialization of the envelope with an
// empty `hash`.
std::string Canonical(const v1::EventEnvelope& envelope) {
  std::string out;
  google::protobuf::io::StringOutputStream stream(&out);
  google::protobuf::io::CodedOutputStream coded(&stream);
  coded.SetSerializationDeterministic(true);
  envelope.SerializeToCodedStream(&coded);
  coded.Trim();
  return out;
}

// Identifies what a request id was used for: the stream and the event types.
// Not the payload bytes: a retried command may carry a fresh occurred_at.
keys::Hash Fingerprint(const AppendRequest& request) {
  std::string types = request.stream_id;
  for (const NewEvent& e : request.events) {
    absl::StrAppend(&types, "\n", static_cast<int>(e.payload.event_case()));
  }
  return chain::Sha256({types});
}

AppendResult ToResult(const keys::AppendReceipt& r, bool replayed) {
  return {.first_position = r.first_position,
          .last_position = r.last_position,
          .stream_version = r.stream_version,
          .replayed = replayed};
}

}  // namespace

struct RocksEventStore::Writer {
  explicit Writer(AppendRequest* r) : request(r) {}
  AppendRequest* request;
  absl::StatusOr<AppendResult> result = absl::UnknownError("not committed");
  bool done = false;
  absl::CondVar cv;
};

absl::StatusOr<AppendResult> RocksEventStore::Append(AppendRequest request) {
  RETURN_IF_ERROR(ValidateAppend(request));
  Writer w(&request);
  absl::MutexLock lock(&write_mu_);
  if (!append_block_.ok()) return append_block_;
  writers_.push_back(&w);
  while (!w.done && &w != writers_.front()) w.cv.Wait(&write_mu_);
  if (w.done) return std::move(w.result);

  // This thread leads a group of everything queued so far.
  std::vector<Writer*> group;
  for (Writer* queued : writers_) {
    if (group.size() == kMaxGroupWriters) break;
    group.push_back(queued);
  }
  if (append_block_.ok()) {
    write_mu_.Unlock();
    absl::Status written = CommitGroup(group);
    write_mu_.Lock();
    if (!written.ok()) {
      append_block_ = written;
      if (on_appends_refused_) on_appends_refused_(written);
    }
  } else {
    for (Writer* member : group) member->result = append_block_;
  }

  for (Writer* member : group) {
    writers_.pop_front();
    if (member != &w) {
      member->done = true;
      member->cv.Signal();
    }
  }
  if (!writers_.empty()) writers_.front()->cv.Signal();
  return std::move(w.result);
}

absl::StatusOr<uint64_t> RocksEventStore::LoadHead(
    const std::string& stream_id) {
  if (auto it = head_cache_.find(stream_id); it != head_cache_.end()) {
    return it->second;
  }
  ASSIGN_OR_RETURN(const uint64_t version,
                   ReadNumber(cf_.stream_heads, stream_id, "a stream head"));
  if (head_cache_.size() >= kMaxCachedHeads) head_cache_.clear();
  head_cache_[stream_id] = version;
  return version;
}

absl::StatusOr<std::optional<keys::AppendReceipt>> RocksEventStore::LoadReceipt(
    const std::string& request_id) const {
  std::string value;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), cf_.requests, request_id, &value);
  if (s.IsNotFound()) return std::nullopt;
  if (!s.ok()) return FromRocks(s, "reading request ids failed");
  std::optional<keys::AppendReceipt> receipt = keys::DecodeReceipt(value);
  if (!receipt.has_value()) {
    return absl::DataLossError("a request id record is damaged");
  }
  return receipt;
}

absl::StatusOr<std::optional<AppendResult>> RocksEventStore::FindRequest(
    const std::string& request_id) const {
  if (request_id.empty()) return std::nullopt;
  ASSIGN_OR_RETURN(std::optional<keys::AppendReceipt> receipt,
                   LoadReceipt(request_id));
  if (!receipt.has_value()) return std::nullopt;
  return ToResult(*receipt, /*replayed=*/true);
}

absl::Status RocksEventStore::CommitGroup(const std::vector<Writer*>& group) {
  const absl::Time now = std::max(clock_->Now(), last_recorded_at_);
  rocksdb::WriteBatch batch;
  uint64_t position = next_position_;
  keys::Hash hash = last_hash_;
  // Effects of earlier members of this group, not yet in RocksDB.
  absl::flat_hash_map<std::string, uint64_t> heads;
  absl::flat_hash_map<std::string, keys::AppendReceipt> receipts;
  // Members whose result depends on this group's write: the appended ones
  // and retries answered from an appended member's receipt.
  std::vector<Writer*> appended;

  for (Writer* w : group) {
    AppendRequest& req = *w->request;
    const keys::Hash fingerprint = Fingerprint(req);

    if (!req.request_id.empty()) {
      std::optional<keys::AppendReceipt> earlier;
      if (auto it = receipts.find(req.request_id); it != receipts.end()) {
        earlier = it->second;
        appended.push_back(w);
      } else {
        absl::StatusOr<std::optional<keys::AppendReceipt>> stored =
            LoadReceipt(req.request_id);
        if (!stored.ok()) {
          w->result = stored.status();
          continue;
        }
        earlier = *stored;
      }
      if (earlier.has_value()) {
        w->result = earlier->fingerprint == fingerprint
                        ? absl::StatusOr<AppendResult>(ToResult(*earlier, true))
                        : absl::AlreadyExistsError(
                              "request_id: already used for a different "
                              "append (another stream or other event types)");
        continue;
      }
    }

    uint64_t version;
    if (auto it = heads.find(req.stream_id); it != heads.end()) {
      version = it->second;
    } else {
      absl::StatusOr<uint64_t> head = LoadHead(req.stream_id);
      if (!head.ok()) {
        w->result = head.status();
        continue;
      }
      version = *head;
    }
    if (!req.expected.is_any() && req.expected.version() != version) {
      w->result = absl::AbortedError(
          absl::StrCat("stream_id: expected the stream at version ",
                       req.expected.version(), " but it is at version ",
                       version, " (changed concurrently; reload and retry)"));
      continue;
    }

    keys::AppendReceipt receipt{.first_position = position,
                                .fingerprint = fingerprint};
    for (NewEvent& e : req.events) {
      v1::EventEnvelope envelope;
      envelope.set_event_id(NewEventId());
      envelope.set_stream_id(req.stream_id);
      envelope.set_stream_version(++version);
      envelope.set_global_position(position);
      envelope.set_type(EventTypeName(e.payload));
      *envelope.mutable_occurred_at() = ToTimestamp(
          e.occurred_at == absl::InfinitePast() ? now : e.occurred_at);
      *envelope.mutable_recorded_at() = ToTimestamp(now);
      envelope.set_actor(std::move(e.actor));
      envelope.set_correlation_id(std::move(e.correlation_id));
      envelope.set_causation_id(std::move(e.causation_id));
      envelope.set_prev_hash(hash.data(), hash.size());
      *envelope.mutable_payload() = std::move(e.payload);

      const std::string canonical = Canonical(envelope);
      hash = chain::Link(hash, canonical);
      batch.Put(cf_.events, keys::EventKey(position),
                keys::EncodeEventValue(hash, canonical));
      batch.Put(cf_.stream_index, keys::StreamIndexKey(req.stream_id, version),
                keys::EncodeBigEndian64(position));
      ++position;
    }
    receipt.last_position = position - 1;
    receipt.stream_version = version;
    batch.Put(cf_.stream_heads, req.stream_id,
              keys::EncodeBigEndian64(version));
    if (!req.request_id.empty()) {
      batch.Put(cf_.requests, req.request_id, keys::EncodeReceipt(receipt));
      receipts[req.request_id] = receipt;
    }
    heads[req.stream_id] = version;
    w->result = ToResult(receipt, false);
    appended.push_back(w);
  }
  if (position == next_position_) return absl::OkStatus();  // Nothing new.

  const uint64_t last = position - 1;
  batch.Put(cf_.meta, keys::kChainHeadKey,
            keys::EncodeChainHead({.position = last, .hash = hash}));

  rocksdb::WriteOptions wo;
  wo.sync = true;  // Acknowledged means fsync'd.
  rocksdb::Status s = db_->Write(wo, &batch);
  if (!s.ok()) {
    // The batch may or may not have reached the WAL. Stop appending (RocksDB
    // itself turns read-only on most write errors); after a restart, a retry
    // with the same request id finds out which, and never appends twice.
    const absl::Status failed = FromRocks(
        s,
        "storage write failed; the store refuses appends until vagtd is "
        "restarted, then retry with the same request_id");
    for (Writer* w : appended) w->result = failed;
    return failed;
  }
  next_position_ = position;
  last_hash_ = hash;
  last_recorded_at_ = now;
  for (const auto& [stream, version] : heads) {
    if (head_cache_.size() >= kMaxCachedHeads) head_cache_.clear();
    head_cache_[stream] = version;
  }
  absl::MutexLock lock(&published_mu_);
  published_position_ = last;
  return absl::OkStatus();
}

}  // namespace vagt::eventstore
