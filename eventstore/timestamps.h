// google.protobuf.Timestamp <-> absl::Time: the one conversion, for the
// store's envelopes, command inputs and vagtctl; and the time zone the
// duty is shown and planned in.
//
//   if (!IsValidTimestamp(request.ends_at())) return InvalidArgumentError(...);
//   absl::Time ends = ToTime(request.ends_at());
#ifndef VAGT_EVENTSTORE_TIMESTAMPS_H_
#define VAGT_EVENTSTORE_TIMESTAMPS_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "google/protobuf/timestamp.pb.h"

namespace vagt {

// True for 0001-01-01T00:00:00Z .. 9999-12-31T23:59:59.999999999Z with nanos
// in [0, 1e9): the range protobuf's JSON mapping accepts.
inline bool IsValidTimestamp(const google::protobuf::Timestamp& t) {
  constexpr int64_t kMinSeconds = -62135596800;  // 0001-01-01T00:00:00Z
  constexpr int64_t kMaxSeconds = 253402300799;  // 9999-12-31T23:59:59Z
  return t.seconds() >= kMinSeconds && t.seconds() <= kMaxSeconds &&
         t.nanos() >= 0 && t.nanos() < 1'000'000'000;
}

// Requires IsValidTimestamp(t).
inline absl::Time ToTime(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds()) + absl::Nanoseconds(t.nanos());
}

// Requires a finite `t`.
inline google::protobuf::Timestamp ToTimestamp(absl::Time t) {
  const int64_t seconds = absl::ToUnixSeconds(t);
  google::protobuf::Timestamp out;
  out.set_seconds(seconds);
  out.set_nanos(static_cast<int32_t>((t - absl::FromUnixSeconds(seconds)) /
                                     absl::Nanoseconds(1)));
  return out;
}

// Times are stored in UTC and shown in this zone (DOMAIN.md).
inline constexpr char kDutyTimeZone[] = "Europe/Copenhagen";

// kDutyTimeZone, loaded once; UTC if the zone data is missing (tzdata is a
// dependency, so only a broken install shows UTC).
inline const absl::TimeZone& DutyTimeZone() {
  static const absl::TimeZone* zone = [] {
    auto* z = new absl::TimeZone(absl::UTCTimeZone());
    absl::LoadTimeZone(kDutyTimeZone, z);
    return z;
  }();
  return *zone;
}

// The zone a record names in its `time_zone` field: "" (or kDutyTimeZone)
// is DutyTimeZone(); nullopt when the name is not a known IANA zone.
inline std::optional<absl::TimeZone> NamedTimeZone(const std::string& name) {
  if (name.empty() || name == kDutyTimeZone) return DutyTimeZone();
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(name, &zone)) return std::nullopt;
  return zone;
}

// The instant of local civil time `civil` in `zone`, as vagt reads a local
// time a person gives: one the spring change skips means the instant of the
// change, one the autumn change repeats means the earlier instant.
inline absl::Time ResolveLocal(absl::CivilSecond civil,
                               const absl::TimeZone& zone) {
  const absl::TimeZone::TimeInfo info = zone.At(civil);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

}  // namespace vagt

#endif  // VAGT_EVENTSTORE_TIMESTAMPS_H_
