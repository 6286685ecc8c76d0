#include "services/lines/line_service.h"

#include <optional>
#include <string>
#include <utility>

#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/validation.h"
#include "services/calls/call_state.h"
#include "services/citizens/citizen_state.h"
#include "services/common/command.h"
#include "services/common/grpc_status.h"
#include "services/common/ids.h"
#include "services/common/scope.h"
#include "services/escalations/escalation_state.h"
#include "services/lines/line_decisions.h"

namespace vagt::services {
namespace {

using LineDecide =
    absl::FunctionRef<Decision(const LineState&, const CommandContext&)>;

// Runs `decide` against the line's stream. A replayed result is checked to
// be this request's, recording an event of kind `recorded`.
absl::StatusOr<v1::CommandResult> OnLine(eventstore::EventStore& store,
                                         const Clock& clock,
                                         const grpc::ServerContext& context,
                                         const std::string& request_id,
                                         const std::string& line_id,
                                         v1::EventPayload::EventCase recorded,
                                         LineDecide decide) {
  ASSIGN_OR_RETURN(CommandContext ctx,
                   MakeCommandContext(context, request_id, clock));
  ASSIGN_OR_RETURN(const std::string stream,
                   StreamOf(kLineKind, line_id, "line_id"));
  RETURN_IF_ERROR(CheckLine(ctx.caller, line_id));
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      Execute<LineState>(
          store, ctx, stream, recorded, [&](const LineState& line) -> Decision {
            RETURN_IF_ERROR(
                CheckPartnerConcerned(ctx.caller,
                                      line.offered_to().id() == ctx.actor ||
                                          line.holder().id() == ctx.actor,
                                      "the line"));
            return decide(line, ctx);
          }));
  return ToCommandResult(stream, result);
}

// The consent that lets `night_partner` see handover notes about
// `citizen_ref` now. A citizen_ref that names no citizen stream has none.
absl::StatusOr<std::optional<std::string>> NightPartnerConsent(
    const eventstore::EventStore& store, const std::string& citizen_ref,
    const v1::Party& night_partner, absl::Time now) {
  if (!ValidateCitizenRef(citizen_ref).ok()) return std::nullopt;
  uint64_t version = 0;
  ASSIGN_OR_RETURN(CitizenState citizen,
                   LoadAggregate<CitizenState>(store, citizen_ref, &version));
  return citizen.ConsentCovering(v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER,
                                 night_partner.id(),
                                 v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES, now);
}

// The citizen the call or escalation a handover item cites records (see
// CitedCitizenLookup). An id that cannot name a stream names no call or
// escalation.
absl::StatusOr<std::optional<std::string>> CitedCitizen(
    const eventstore::EventStore& store, Citation citation,
    const std::string& id) {
  const std::string stream =
      citation == Citation::kCall ? CallStreamId(id) : EscalationStreamId(id);
  if (!eventstore::ValidateStreamId(stream, "id").ok()) return std::nullopt;
  uint64_t version = 0;
  if (citation == Citation::kCall) {
    ASSIGN_OR_RETURN(CallState call,
                     LoadAggregate<CallState>(store, stream, &version));
    if (call.phase() == CallState::Phase::kNone) return std::nullopt;
    return call.citizen_ref();
  }
  ASSIGN_OR_RETURN(EscalationState escalation,
                   LoadAggregate<EscalationState>(store, stream, &version));
  if (escalation.phase() == EscalationState::Phase::kNone) return std::nullopt;
  return escalation.citizen_ref();
}

// A command that starts a handover, whose id derives from the request id.
absl::StatusOr<v1::LineHandoverResponse> StartHandover(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context, const std::string& request_id,
    const std::string& line_id, v1::EventPayload::EventCase recorded,
    absl::FunctionRef<Decision(const LineState&, const CommandContext&,
                               const std::string& handover_id)>
        decide) {
  const std::string handover_id = IdFromRequest("handover", request_id);
  ASSIGN_OR_RETURN(
      v1::CommandResult result,
      OnLine(store, clock, context, request_id, line_id, recorded,
             [&](const LineState& line, const CommandContext& ctx) {
               return decide(line, ctx, handover_id);
             }));
  v1::LineHandoverResponse response;
  response.set_handover_id(handover_id);
  *response.mutable_result() = std::move(result);
  return response;
}

}  // namespace

grpc::Status LineService::TakeLine(grpc::ServerContext* context,
                                   const v1::TakeLineRequest* request,
                                   v1::CommandResult* response) {
  return Answer(OnLine(store_, clock_, *context, request->request_id(),
                       request->line_id(), v1::EventPayload::kLineCoverageTaken,
                       [&](const LineState& line, const CommandContext& ctx) {
                         return DecideTakeLine(line, *request, ctx.actor);
                       }),
                response);
}

grpc::Status LineService::OfferHandover(grpc::ServerContext* context,
                                        const v1::OfferHandoverRequest* request,
                                        v1::LineHandoverResponse* response) {
  return Answer(
      StartHandover(store_, clock_, *context, request->request_id(),
                    request->line_id(), v1::EventPayload::kLineHandoverOffered,
                    [&](const LineState& line, const CommandContext& ctx,
                        const std::string& handover_id) -> Decision {
                      RETURN_IF_ERROR(CheckWorksOnLine(
                          ctx.caller, request->line_id(),
                          request->offered_to().id(), "offered_to"));
                      return DecideOfferHandover(
                          line, *request, ctx.actor, handover_id, ctx.now,
                          [&](Citation citation, const std::string& id) {
                            return CitedCitizen(store_, citation, id);
                          },
                          [&](const std::string& citizen_ref) {
                            return NightPartnerConsent(store_, citizen_ref,
                                                       request->offered_to(),
                                                       ctx.now);
                          });
                    }),
      response);
}

grpc::Status LineService::AcceptHandover(
    grpc::ServerContext* context, const v1::AcceptHandoverRequest* request,
    v1::CommandResult* response) {
  return Answer(
      OnLine(store_, clock_, *context, request->request_id(),
             request->line_id(), v1::EventPayload::kLineHandoverAccepted,
             [&](const LineState& line, const CommandContext& ctx) {
               return DecideAcceptHandover(line, *request, ctx.actor);
             }),
      response);
}

grpc::Status LineService::DeclineHandover(
    grpc::ServerContext* context, const v1::DeclineHandoverRequest* request,
    v1::CommandResult* response) {
  return Answer(
      OnLine(store_, clock_, *context, request->request_id(),
             request->line_id(), v1::EventPayload::kLineHandoverDeclined,
             [&](const LineState& line, const CommandContext& ctx) {
               return DecideDeclineHandover(line, *request, ctx.actor);
             }),
      response);
}

grpc::Status LineService::WithdrawHandover(
    grpc::ServerContext* context, const v1::WithdrawHandoverRequest* request,
    v1::CommandResult* response) {
  return Answer(
      OnLine(store_, clock_, *context, request->request_id(),
             request->line_id(), v1::EventPayload::kLineHandoverWithdrawn,
             [&](const LineState& line, const CommandContext& ctx) {
               return DecideWithdrawHandover(line, *request, ctx.actor);
             }),
      response);
}

grpc::Status LineService::PassToNightPartner(
    grpc::ServerContext* context, const v1::PassToNightPartnerRequest* request,
    v1::LineHandoverResponse* response) {
  return Answer(
      StartHandover(
          store_, clock_, *context, request->request_id(), request->line_id(),
          v1::EventPayload::kLineCoveragePassedToNightPartner,
          [&](const LineState& line, const CommandContext& ctx,
              const std::string& handover_id) -> Decision {
            RETURN_IF_ERROR(CheckWorksOnLine(ctx.caller, request->line_id(),
                                             request->night_partner().id(),
                                             "night_partner"));
            return DecidePassToNightPartner(
                line, *request, ctx.actor, handover_id,
                [&](Citation citation, const std::string& id) {
                  return CitedCitizen(store_, citation, id);
                },
                [&](const std::string& citizen_ref) {
                  return NightPartnerConsent(store_, citizen_ref,
                                             request->night_partner(), ctx.now);
                });
          }),
      response);
}

grpc::Status LineService::TakeBack(grpc::ServerContext* context,
                                   const v1::TakeBackRequest* request,
                                   v1::LineHandoverResponse* response) {
  return Answer(
      StartHandover(store_, clock_, *context, request->request_id(),
                    request->line_id(),
                    v1::EventPayload::kLineCoverageTakenBack,
                    [&](const LineState& line, const CommandContext& ctx,
                        const std::string& handover_id) {
                      return DecideTakeBack(
                          line, *request, ctx.actor, handover_id,
                          [&](Citation citation, const std::string& id) {
                            return CitedCitizen(store_, citation, id);
                          });
                    }),
      response);
}

grpc::Status LineService::AssignBackup(grpc::ServerContext* context,
                                       const v1::AssignBackupRequest* request,
                                       v1::CommandResult* response) {
  return Answer(
      OnLine(store_, clock_, *context, request->request_id(),
             request->line_id(), v1::EventPayload::kLineBackupAssigned,
             [&](const LineState& line, const CommandContext& ctx) -> Decision {
               RETURN_IF_ERROR(CheckWorksOnLine(ctx.caller, request->line_id(),
                                                request->backup().id(),
                                                "backup"));
               return DecideAssignBackup(line, *request);
             }),
      response);
}

}  // namespace vagt::services
