// The relationship rules, on top of the rights table (rights.h): the table
// says which roles may call a method at all, these say on what. The one
// place that decides whether a caller may act on a line:
//
//   ASSIGN_OR_RETURN(CommandContext ctx, MakeCommandContext(...));
//   RETURN_IF_ERROR(CheckLine(ctx.caller, request.line_id()));
//
// - The line must be registered in the directory; an unknown line is
//   refused (NOT_FOUND) naming it, so a typo opens nothing.
// - A team role (team worker, team leader, integration) carries its rights
//   on the lines of its own team only.
// - A partner carries its rights on the lines of the teams that work with
//   it (AddTeamPartner); what it may do there is narrowed further by the
//   decisions (only escalations aimed at it, handovers offered to it) and by
//   the citizen's consent.
// - A role of the whole installation (auditor) carries its rights on every
//   line.
// A refusal is PERMISSION_DENIED naming the right and the line, never data
// about citizens; the edge records it in the trail.
#ifndef VAGT_SERVICES_COMMON_SCOPE_H_
#define VAGT_SERVICES_COMMON_SCOPE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/common/gate.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

// Whether the caller may use its method's right on line `line_id`. `field`
// names where the line came from ("line_id", "the call's line").
absl::Status CheckLine(const Caller& caller, const std::string& line_id,
                       absl::string_view field = "line_id");

// Whether `party_id` works on line `line_id`: holds a team role of the
// line's team, or is a partner the team works with. A handover, a backup,
// an escalation that must be answered in vagt and a planned shift (the
// roster) go only to such a party (else nobody could answer it);
// FAILED_PRECONDITION naming `field`.
absl::Status CheckWorksOnLine(const Caller& caller, const std::string& line_id,
                              const std::string& party_id,
                              absl::string_view field);

// For a partner, on a line it may act on: PERMISSION_DENIED naming the right
// unless `concerned` (the thing is aimed at it, offered to it, raised or
// logged by it); `what` names the thing ("the escalation"). Anyone else
// passes.
absl::Status CheckPartnerConcerned(const Caller& caller, bool concerned,
                                   absl::string_view what);

// Both, for something that lives on a line (a call, an escalation): the
// caller may act on its line ("<what>'s line" names it), and a partner only
// when `concerned`.
absl::Status CheckActsOn(const Caller& caller, const std::string& line_id,
                         bool concerned, absl::string_view what);

// Whether the caller holds its method's right on every line: through a role
// of the whole installation (auditor), not one of a team or a partner. Such
// a caller also reads the trail of lines no longer registered.
bool ReadsEveryLine(const Caller& caller);

// For reading the trail: whether the events on `line_id` are the caller's
// to see (ReadsEveryLine, or CheckLine passes); the events about no line
// (`line_id` empty: a citizen's records, the directory) are.
bool SeesLine(const Caller& caller, const std::string& line_id);

// Whether the caller acts as a partner organisation (holds the role PARTNER
// and no team role): then it sees only what is aimed at it.
bool ActsAsPartner(const Caller& caller);

// The kind of consent recipient the directory registers the caller as: what
// a citizen's consent must name for a partner to read (never what the
// request claims). UNSPECIFIED when no consent can name it (a partner of
// kind OTHER_PARTNER, anyone not a partner).
v1::ConsentRecipientKind ConsentRecipientOf(const Caller& caller);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_SCOPE_H_
