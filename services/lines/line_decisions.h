// The decisions of LineService's commands (the state machine documented in
// proto/vagt/v1/lines.proto): pure functions of the folded LineState and the
// request, returning the events to append or why not. No clock (`now` is
// passed in) and no I/O beyond the lookups the caller gives.
#ifndef VAGT_SERVICES_LINES_LINE_DECISIONS_H_
#define VAGT_SERVICES_LINES_LINE_DECISIONS_H_

#include <optional>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "domain/decision.h"
#include "services/lines/line_state.h"
#include "vagt/v1/lines.pb.h"

namespace vagt::services {

// The id of a consent in force now that lets the recipient of a handover
// note see the items about `citizen_ref`; nullopt when there is none. Called
// for a handover to any recipient that is not a team worker (the night
// partner), once per citizen the note's items are about.
using ConsentLookup =
    absl::FunctionRef<absl::StatusOr<std::optional<std::string>>(
        const std::string& citizen_ref)>;

// What a handover item cites besides a citizen: a call (`call_id`) or an
// escalation (`escalation_id`).
enum class Citation { kCall, kEscalation };

// The citizen_ref the stream of the cited call or escalation `id` records
// ("" when it is about no citizen, e.g. an anonymous caller); nullopt when
// there is no such call or escalation. Called once per citation in a note, for
// every recipient. A call's or escalation's citizen never changes once
// recorded, so the read needs no version check.
using CitedCitizenLookup =
    absl::FunctionRef<absl::StatusOr<std::optional<std::string>>(
        Citation citation, const std::string& id)>;

// `actor` is the authenticated caller; `handover_id` the id derived from the
// request id; `line_id` of the request is validated by the caller.
//
// Every Party in a request passes CheckParty (field_checks.h): its id is
// "worker:<id>" exactly when its kind is TEAM_WORKER, "partner:<id>" for the
// partner kinds. TakeLine and TakeBack without `holder` make the caller the
// holder, so the caller must then be a team worker (FAILED_PRECONDITION
// naming the caller otherwise).
//
// A handover note is recorded with every item that cites a call or an
// escalation about the citizen that stream records: a citizen_ref the client
// sent must match it (else INVALID_ARGUMENT "items[i].citizen_ref"), an item
// without one is given it, and a cited call or escalation that does not exist
// is NOT_FOUND ("items[i].call_id" / "items[i].escalation_id"). Only then does
// consent decide what the night partner sees.
Decision DecideTakeLine(const LineState& line,
                        const v1::TakeLineRequest& request,
                        const std::string& actor);
Decision DecideOfferHandover(const LineState& line,
                             const v1::OfferHandoverRequest& request,
                             const std::string& actor,
                             const std::string& handover_id, absl::Time now,
                             CitedCitizenLookup cited, ConsentLookup consent);
Decision DecideAcceptHandover(const LineState& line,
                              const v1::AcceptHandoverRequest& request,
                              const std::string& actor);
Decision DecideDeclineHandover(const LineState& line,
                               const v1::DeclineHandoverRequest& request,
                               const std::string& actor);
Decision DecideWithdrawHandover(const LineState& line,
                                const v1::WithdrawHandoverRequest& request,
                                const std::string& actor);
Decision DecidePassToNightPartner(const LineState& line,
                                  const v1::PassToNightPartnerRequest& request,
                                  const std::string& actor,
                                  const std::string& handover_id,
                                  CitedCitizenLookup cited,
                                  ConsentLookup consent);
Decision DecideTakeBack(const LineState& line,
                        const v1::TakeBackRequest& request,
                        const std::string& actor,
                        const std::string& handover_id,
                        CitedCitizenLookup cited);
Decision DecideAssignBackup(const LineState& line,
                            const v1::AssignBackupRequest& request);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_LINES_LINE_DECISIONS_H_
