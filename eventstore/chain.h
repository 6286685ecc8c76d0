// The hash chain over the global order of events, and its verifier.
//
// hash(p) = SHA-256(hash(p-1) ‖ canonical bytes of event p), with hash(0) =
// 32 zero bytes. The canonical bytes are exactly what the store keeps, so the
// chain verifies without re-serializing anything, and survives the later
// erasure of a citizen's data only if erasure keeps the stored bytes
// (DESIGN.md: per-citizen keys).
#ifndef VAGT_EVENTSTORE_CHAIN_H_
#define VAGT_EVENTSTORE_CHAIN_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "eventstore/event_store.h"
#include "eventstore/keys.h"
#include "rocksdb/db.h"

namespace vagt::eventstore::chain {

keys::Hash ZeroHash();
keys::Hash Link(const keys::Hash& prev, std::string_view canonical);
// SHA-256 over the concatenation of `parts`.
keys::Hash Sha256(std::initializer_list<std::string_view> parts);

// Walks `events` from position 1 and checks, for each event: positions are
// contiguous, the stored hash matches Link(previous hash, stored bytes), the
// bytes decode, the event's prev_hash and global_position fields agree, and
// finally that the chain head recorded in `meta` is the last event.
absl::StatusOr<VerifyReport> Verify(rocksdb::DB* db,
                                    rocksdb::ColumnFamilyHandle* events,
                                    rocksdb::ColumnFamilyHandle* meta);

}  // namespace vagt::eventstore::chain

#endif  // VAGT_EVENTSTORE_CHAIN_H_
