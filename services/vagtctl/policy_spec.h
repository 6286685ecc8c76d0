// An escalation policy's levels as vagtctl types and shows them, one --level
// flag per rung of the ladder:
//
//   LEVEL[=TARGET]:TIMEOUT[@WINDOW]...
//
//   backup:15m                           the line's backup, 15 minutes
//   night-partner:10m@22:00-07:00        whoever holds the line, at night
//   social-emergency=partner:akut:10m    a fixed party
//   police=partner:politi:5m@sat,sun/22:00-07:00
//
// LEVEL is a level word (backup, night-partner, social-emergency,
// psychiatric-emergency, police). TARGET is `backup` (the line's backup),
// `duty` (whoever holds the line) or a party (partner:<id>, worker:<id>);
// left out it is `backup` at backup, `duty` at night-partner, and required
// at every other level. TIMEOUT is how long the target has to acknowledge
// ("10m", "90s", "1h"). Each WINDOW is [DAYS/]HH:MM-HH:MM in the policy's
// local time, DAYS a list of mon..sun or ranges (mon-fri, sat,sun); an end
// before the start runs into the next day.
#ifndef VAGT_SERVICES_VAGTCTL_POLICY_SPEC_H_
#define VAGT_SERVICES_VAGTCTL_POLICY_SPEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "vagt/v1/events.pb.h"

namespace vagt::vagtctl {

// Parses one --level; INVALID_ARGUMENT naming `field` and what is wrong.
absl::StatusOr<v1::PolicyLevel> ParsePolicyLevel(const std::string& text,
                                                 const std::string& field);

// `level` written as ParsePolicyLevel reads it (without display names).
std::string FormatPolicyLevel(const v1::PolicyLevel& level);

// "22:00-07:00", "sat,sun/07:00-22:00".
std::string FormatPolicyWindow(const v1::PolicyWindow& window);

// A policy file: protobuf JSON of an EscalationPolicySet ({"levels": [...],
// "repeats": 1, "timeZone": "Europe/Copenhagen"}), as `vagtctl policy show
// --json` prints under "policy". INVALID_ARGUMENT naming `field` otherwise.
absl::StatusOr<v1::EscalationPolicySet> ParsePolicyJson(
    const std::string& json, const std::string& field);

}  // namespace vagt::vagtctl

#endif  // VAGT_SERVICES_VAGTCTL_POLICY_SPEC_H_
