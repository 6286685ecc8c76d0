// The on-disk layout of the event store: column families and key encodings.
// This is the one place that knows how keys are built; tests that tamper with
// the store on purpose use it too.
//
// Column families (all in one RocksDB database):
//   "events"       BE64(global position)          -> hash[32] ‖ canonical bytes
//   "stream_index" stream id ‖ 0x00 ‖ BE64(version) -> BE64(global position)
//   "stream_heads" stream id                       -> BE64(current version)
//   "requests"     request id                      -> AppendReceipt (below)
//   "checkpoints"  name                            -> BE64(position)
//   "meta"         "format_version"                -> decimal text
//                  "chain_head"                    -> BE64(position) ‖ hash[32]
// Integers in keys are big-endian so that byte order is numeric order
// (big_endian.h).
#ifndef VAGT_EVENTSTORE_KEYS_H_
#define VAGT_EVENTSTORE_KEYS_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "eventstore/big_endian.h"

namespace vagt::eventstore::keys {

inline constexpr char kEventsFamily[] = "events";
inline constexpr char kStreamIndexFamily[] = "stream_index";
inline constexpr char kStreamHeadsFamily[] = "stream_heads";
inline constexpr char kRequestsFamily[] = "requests";
inline constexpr char kCheckpointsFamily[] = "checkpoints";
inline constexpr char kMetaFamily[] = "meta";

inline constexpr char kFormatVersionKey[] = "format_version";
inline constexpr char kChainHeadKey[] = "chain_head";

inline constexpr size_t kHashBytes = 32;
using Hash = std::array<unsigned char, kHashBytes>;

// The hash's 32 bytes as a string_view (valid while `hash` lives).
inline std::string_view HashBytes(const Hash& hash) {
  return {reinterpret_cast<const char*>(hash.data()), hash.size()};
}

using ::vagt::eventstore::DecodeBigEndian64;
using ::vagt::eventstore::EncodeBigEndian64;

inline std::string EventKey(uint64_t position) {
  return EncodeBigEndian64(position);
}
std::string StreamIndexKey(std::string_view stream_id, uint64_t version);
// The prefix shared by every StreamIndexKey of `stream_id`.
std::string StreamIndexPrefix(std::string_view stream_id);

// What a request id maps to: enough to answer a retry with the first result
// and to notice a request id reused for a different append.
struct AppendReceipt {
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  uint64_t stream_version = 0;
  Hash fingerprint{};  // over the stream id and the event types
};
std::string EncodeReceipt(const AppendReceipt& r);
std::optional<AppendReceipt> DecodeReceipt(std::string_view bytes);

// The value stored under EventKey: the event's hash, then its canonical bytes.
std::string EncodeEventValue(const Hash& hash, std::string_view canonical);
// Splits a stored event value; nullopt when it is shorter than a hash.
struct EventValue {
  Hash hash{};
  std::string_view canonical;
};
std::optional<EventValue> DecodeEventValue(std::string_view bytes);

// The value under kChainHeadKey: the last event's position and hash.
struct ChainHead {
  uint64_t position = 0;
  Hash hash{};
  bool operator==(const ChainHead&) const = default;
};
std::string EncodeChainHead(const ChainHead& head);
std::optional<ChainHead> DecodeChainHead(std::string_view bytes);

}  // namespace vagt::eventstore::keys

#endif  // VAGT_EVENTSTORE_KEYS_H_
