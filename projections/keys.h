// The on-disk layout of the projection database: the one place that knows how
// its keys are built. Everything lives in RocksDB's default column family, so
// that one WriteBatch (state + checkpoint) is atomic even without a synced
// WAL.
//
//   "m/format"           -> decimal format version
//   "m/cursor"           -> the feed's cursor after the last batch
//   "m/position"         -> BE64(last global position applied)
//   "h/" stream          -> BE64(last version applied), dedup
//   "r/c/" call id       -> line id (routing a call's events)
//   "r/e/" escalation id -> line id (routing an escalation's)
//   "b/" line            -> v1::Board (current, unrendered)
//   "s/" line 0x00 BE64(position)
//                        -> v1::Board after that event
//   "e/" BE64(position)  -> v1::EventEnvelope (a copy, with hash)
//   "t/" BE64(recorded_at ns) BE64(position)
//                        -> "" (time index)
//   "x/" kind "/" entity 0x00 BE64(position)
//                        -> "" (entity index)
// Integers in keys are big-endian so that byte order is numeric order
// (eventstore/big_endian.h).
#ifndef VAGT_PROJECTIONS_KEYS_H_
#define VAGT_PROJECTIONS_KEYS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/time/time.h"
#include "eventstore/big_endian.h"

namespace vagt::projections::keys {

// The layout version this build writes. A database of another version is
// rebuilt from the log (projections are derived data).
inline constexpr uint32_t kFormatVersion = 3;

inline constexpr char kFormat[] = "m/format";
inline constexpr char kCursor[] = "m/cursor";
inline constexpr char kPosition[] = "m/position";

// The one big-endian encoding (eventstore/big_endian.h).
using ::vagt::eventstore::DecodeBigEndian64;
using ::vagt::eventstore::EncodeBigEndian64;

std::string StreamHead(std::string_view stream_id);
std::string CallRoute(std::string_view call_id);
std::string EscalationRoute(std::string_view escalation_id);

std::string Board(std::string_view line_id);
std::string BoardSnapshotPrefix(std::string_view line_id);
std::string BoardSnapshot(std::string_view line_id, uint64_t position);

inline constexpr char kEventPrefix[] = "e/";
std::string Event(uint64_t position);

inline constexpr char kTimePrefix[] = "t/";
std::string Time(absl::Time recorded_at, uint64_t position);
// The position in a Time() key; nullopt if `key` is not one.
std::optional<uint64_t> PositionOfTimeKey(std::string_view key);

// What an entity index is keyed by.
enum class Entity { kCitizen, kCall, kEscalation, kWorker, kLine, kDirectory };
std::string_view EntityName(Entity kind);
std::string EntityPrefix(Entity kind, std::string_view id);
std::string EntityKey(Entity kind, std::string_view id, uint64_t position);

// The big-endian position at the end of a snapshot or entity key.
std::optional<uint64_t> TrailingPosition(std::string_view key);

// What consecutive keys of one kind share, for RocksDB's memtable insert
// hints: an entity's or a line's snapshots' prefix (through its 0x00), else
// the two-byte prefix ("e/", "t/", ...). Keys with the same hint prefix are
// written in ascending order (positions grow), so each lands next to the
// previous one.
std::string_view InsertHintPrefix(std::string_view key);

}  // namespace vagt::projections::keys

#endif  // VAGT_PROJECTIONS_KEYS_H_
