// Stream ids name what a stream is about: "<kind>-<id>" ("call-7f3a",
// "line-ishoj-bos", "roster-ishoj-bos"). The store does not read them; the
// projections and services that write and route events by their stream do,
// and every kind and every such name is built here.
//
//   const std::string stream = LineStreamId("ishoj-bos");  // "line-ishoj-bos"
//   std::string_view line = IdInStream(stream, kLineKind);  // "ishoj-bos"
#ifndef VAGT_DOMAIN_STREAMS_H_
#define VAGT_DOMAIN_STREAMS_H_

#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace vagt {

// The kinds of stream vagt writes.
inline constexpr char kCallKind[] = "call";
inline constexpr char kLineKind[] = "line";
inline constexpr char kEscalationKind[] = "escalation";
inline constexpr char kCitizenKind[] = "citizen";
inline constexpr char kRosterKind[] = "roster";
inline constexpr char kPolicyKind[] = "policy";
inline constexpr char kAlarmKind[] = "alarm";
inline constexpr char kAccessKind[] = "access";
inline constexpr char kDirectoryKind[] = "directory";

// The one directory of an installation: principals, roles, credentials,
// teams and their lines (domain/directory.h).
inline constexpr char kDirectoryStream[] = "directory-main";

// "<kind>-<id>".
inline std::string StreamId(std::string_view kind, std::string_view id) {
  std::string out;
  out.reserve(kind.size() + 1 + id.size());
  out.append(kind).append("-").append(id);
  return out;
}

inline std::string CallStreamId(std::string_view call_id) {
  return StreamId(kCallKind, call_id);
}
inline std::string LineStreamId(std::string_view line_id) {
  return StreamId(kLineKind, line_id);
}
inline std::string EscalationStreamId(std::string_view escalation_id) {
  return StreamId(kEscalationKind, escalation_id);
}
// The line's roster: its rotations and overrides.
inline std::string RosterStreamId(std::string_view line_id) {
  return StreamId(kRosterKind, line_id);
}
// The line's escalation policy: its versions.
inline std::string PolicyStreamId(std::string_view line_id) {
  return StreamId(kPolicyKind, line_id);
}
// The alarms about a line.
inline std::string AlarmStreamId(std::string_view line_id) {
  return StreamId(kAlarmKind, line_id);
}
// One recorded read of citizens' data.
inline std::string AccessStreamId(std::string_view access_id) {
  return StreamId(kAccessKind, access_id);
}

// The stream of kind `kind` that an id a request gives in `field` names:
// INVALID_ARGUMENT "<field>: required" when `id` is empty, or naming `field`
// when "<kind>-<id>" is not a valid stream id.
absl::StatusOr<std::string> StreamOf(std::string_view kind,
                                     const std::string& id,
                                     absl::string_view field);

// Whether `stream_id` starts with "<kind>-".
inline bool HasKind(std::string_view stream_id, std::string_view kind) {
  return stream_id.size() > kind.size() &&
         stream_id.substr(0, kind.size()) == kind &&
         stream_id[kind.size()] == '-';
}

// The id after "<kind>-" when `stream_id` is a stream of that kind; empty
// otherwise (and for "<kind>-" with nothing after it).
inline std::string_view IdInStream(std::string_view stream_id,
                                   std::string_view kind) {
  if (!HasKind(stream_id, kind) || stream_id.size() == kind.size() + 1) {
    return {};
  }
  return stream_id.substr(kind.size() + 1);
}

// A citizen is named everywhere by the id of its stream, its citizen_ref
// ("citizen-<pseudonymous id>"). OK when `citizen_ref` is one: "citizen-"
// followed by at least one character, all of it a valid stream id.
// INVALID_ARGUMENT names `field` and never repeats the value.
absl::Status ValidateCitizenRef(const std::string& citizen_ref,
                                absl::string_view field = "citizen_ref");

}  // namespace vagt

#endif  // VAGT_DOMAIN_STREAMS_H_
