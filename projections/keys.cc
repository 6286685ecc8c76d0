#include "projections/keys.h"

#include <algorithm>
#include <initializer_list>

namespace vagt::projections::keys {
namespace {

// Concatenates std::string_views (absl::StrCat takes absl::string_view,
// which is not std::string_view in this Abseil).
std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

// Nanoseconds since the epoch with the sign bit flipped, so that byte order
// is time order (instants beyond int64 nanoseconds saturate).
uint64_t OrderedNanos(absl::Time t) {
  return static_cast<uint64_t>(absl::ToUnixNanos(t)) ^ (uint64_t{1} << 63);
}

}  // namespace

std::string StreamHead(std::string_view stream_id) {
  return Cat({"h/", stream_id});
}
std::string CallRoute(std::string_view call_id) {
  return Cat({"r/c/", call_id});
}
std::string EscalationRoute(std::string_view escalation_id) {
  return Cat({"r/e/", escalation_id});
}

std::string Board(std::string_view line_id) { return Cat({"b/", line_id}); }
std::string BoardSnapshotPrefix(std::string_view line_id) {
  return Cat({"s/", line_id, std::string_view("\0", 1)});
}
std::string BoardSnapshot(std::string_view line_id, uint64_t position) {
  return Cat({BoardSnapshotPrefix(line_id), EncodeBigEndian64(position)});
}

std::string Event(uint64_t position) {
  return Cat({kEventPrefix, EncodeBigEndian64(position)});
}

std::string Time(absl::Time recorded_at, uint64_t position) {
  return Cat({kTimePrefix, EncodeBigEndian64(OrderedNanos(recorded_at)),
              EncodeBigEndian64(position)});
}

std::optional<uint64_t> PositionOfTimeKey(std::string_view key) {
  if (key.size() != 2 + 16 || key.substr(0, 2) != kTimePrefix) {
    return std::nullopt;
  }
  return DecodeBigEndian64(key.substr(10));
}

std::string_view EntityName(Entity kind) {
  switch (kind) {
    case Entity::kCitizen:
      return "citizen";
    case Entity::kCall:
      return "call";
    case Entity::kEscalation:
      return "escalation";
    case Entity::kWorker:
      return "worker";
    case Entity::kLine:
      return "line";
    case Entity::kDirectory:
      return "directory";
  }
  return "unknown";
}

std::string EntityPrefix(Entity kind, std::string_view id) {
  return Cat({"x/", EntityName(kind), "/", id, std::string_view("\0", 1)});
}

std::string EntityKey(Entity kind, std::string_view id, uint64_t position) {
  return Cat({EntityPrefix(kind, id), EncodeBigEndian64(position)});
}

std::optional<uint64_t> TrailingPosition(std::string_view key) {
  if (key.size() < 8) return std::nullopt;
  return DecodeBigEndian64(key.substr(key.size() - 8));
}

std::string_view InsertHintPrefix(std::string_view key) {
  if (key.size() > 2 &&
      (key.substr(0, 2) == "x/" || key.substr(0, 2) == "s/")) {
    if (const size_t end = key.find('\0', 2); end != std::string_view::npos) {
      return key.substr(0, end + 1);
    }
  }
  return key.substr(0, std::min<size_t>(key.size(), 2));
}

}  // namespace vagt::projections::keys
