// google.protobuf.Timestamp <-> absl::Time: the one conversion, for the
// store's envelopes, command inputs and vagtctl. Local time (the zone the
// duty is shown and planned in) is domain/local_time.h.
//
//   if (!IsValidTimestamp(request.ends_at())) return InvalidArgumentError(...);
//   absl::Time ends = ToTime(request.ends_at());
#ifndef VAGT_EVENTSTORE_TIMESTAMPS_H_
#define VAGT_EVENTSTORE_TIMESTAMPS_H_

#include <cstdint>

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

}  // namespace vagt

#endif  // VAGT_EVENTSTORE_TIMESTAMPS_H_
