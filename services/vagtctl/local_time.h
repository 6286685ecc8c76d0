// Times as a duty worker reads and types them: Europe/Copenhagen local time.
// The services speak UTC instants (google.protobuf.Timestamp); vagtctl turns
// them into local time for people and back.
//
//   absl::StatusOr<absl::Time> due = ParseLocalTime("2026-11-25T10:00", now);
//   std::string shown = FormatLocalTime(*due, now);  // "Wed 25 Nov 10:00"
#ifndef VAGT_SERVICES_VAGTCTL_LOCAL_TIME_H_
#define VAGT_SERVICES_VAGTCTL_LOCAL_TIME_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/timestamps.h"
#include "google/protobuf/timestamp.pb.h"

namespace vagt::vagtctl {

// Europe/Copenhagen, loaded from the system's zoneinfo once. When it cannot
// be loaded, UTC (and FormatLocalTime says "UTC").
const absl::TimeZone& LocalZone();

// Parses a local time typed by a person: "2026-11-25T10:00",
// "2026-11-25 10:00", "10:00" (today) or "tomorrow 10:00". As in the roster: a
// local time the spring change skips means the instant of the change, one the
// autumn change repeats means the earlier instant. INVALID_ARGUMENT naming
// `field` otherwise.
absl::StatusOr<absl::Time> ParseLocalTime(const std::string& text,
                                          absl::Time now,
                                          const std::string& field);

// Like ParseLocalTime, for when something already happened: a bare "23:50"
// typed at 00:05 means last night, not tonight.
absl::StatusOr<absl::Time> ParseRecentLocalTime(const std::string& text,
                                                absl::Time now,
                                                const std::string& field);

// Parses an instant in the past, for the audit trail: RFC 3339
// ("2026-11-24T21:30:00Z", "2026-11-24T22:30:05.250+01:00"), or a local time
// as ParseRecentLocalTime reads it ("2026-11-24 22:30", "22:30").
// INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<absl::Time> ParseInstant(const std::string& text, absl::Time now,
                                        const std::string& field);

// Parses a duration such as "10m", "1h30m" or "90s"; it must be positive.
absl::StatusOr<absl::Duration> ParsePositiveDuration(const std::string& text,
                                                     const std::string& field);

// "21:40" when `t` falls on the same local day as `now`, "Wed 25 Nov 10:00"
// otherwise (with the year when it differs).
std::string FormatLocalTime(absl::Time t, absl::Time now);

// "2026-11-24 22:30:05": local time to the second, for the audit trail.
std::string FormatLocalSeconds(absl::Time t);

}  // namespace vagt::vagtctl

#endif  // VAGT_SERVICES_VAGTCTL_LOCAL_TIME_H_
