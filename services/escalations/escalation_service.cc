#include "services/escalations/escalation_service.h"

#include "absl/functional/function_ref.h"
#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/validation.h"
#include "services/calls/call_state.h"
#include "services/common/command.h"
#include "services/common/grpc_status.h"
#include "services/common/ids.h"
#include "services/common/scope.h"
#include "services/escalations/escalation_decisions.h"
#include "services/escalations/policy.h"

namespace vagt::services {
namespace {

using EventCase = v1::EventPayload::EventCase;

// An escalation's commands are for those who may act on its line
// (scope.h), a partner only on the escalations aimed at it or raised by it;
// one that does not exist is the decision's to refuse.
absl::Status OnItsLine(const CommandContext& ctx,
                       const EscalationState& escalation) {
  if (escalation.phase() == EscalationState::Phase::kNone) {
    return absl::OkStatus();
  }
  return CheckActsOn(ctx.caller, escalation.line_id(),
                     escalation.target().id() == ctx.actor ||
                         escalation.raised_by() == ctx.actor,
                     "the escalation");
}

// A target named for `level` works on the line when the level is answered
// in vagt (a backup worker, the night partner, the social emergency
// service); the police and psychiatric emergency are often answered by
// phone and recorded on their behalf.
absl::Status CheckTargetWorksOnLine(const CommandContext& ctx,
                                    const std::string& line_id,
                                    v1::EscalationLevel level,
                                    const v1::Party& target,
                                    absl::string_view field) {
  if (level != v1::ESCALATION_LEVEL_BACKUP &&
      level != v1::ESCALATION_LEVEL_NIGHT_PARTNER &&
      level != v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE) {
    return absl::OkStatus();
  }
  return CheckWorksOnLine(ctx.caller, line_id, target.id(), field);
}

// A command on an existing escalation that appends one event of kind
// `recorded`: context, stream, decision, append, result.
template <typename Request>
absl::StatusOr<v1::CommandResult> OnEscalation(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context, const Request& request,
    EventCase recorded,
    absl::FunctionRef<Decision(const EscalationState&, const CommandContext&)>
        decide) {
  ASSIGN_OR_RETURN(CommandContext ctx,
                   MakeCommandContext(context, request.request_id(), clock));
  ASSIGN_OR_RETURN(
      std::string stream,
      StreamOf(kEscalationKind, request.escalation_id(), "escalation_id"));
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      Execute<EscalationState>(store, ctx, stream, recorded,
                               [&](const EscalationState& state) -> Decision {
                                 RETURN_IF_ERROR(OnItsLine(ctx, state));
                                 return decide(state, ctx);
                               }));
  return ToCommandResult(stream, result);
}

// Writes `result` into `response` or returns its error, mapped.
absl::StatusOr<v1::RaiseEscalationResponse> Raise(
    eventstore::EventStore& store, const Clock& clock,
    const CoverageLookup& coverage, const grpc::ServerContext& context,
    const v1::RaiseEscalationRequest& request) {
  ASSIGN_OR_RETURN(CommandContext ctx,
                   MakeCommandContext(context, request.request_id(), clock));
  ASSIGN_OR_RETURN(std::string call_stream,
                   StreamOf(kCallKind, request.call_id(), "call_id"));
  const std::string escalation_id = IdFromRequest("escalation", ctx.request_id);
  const std::string stream = EscalationStreamId(escalation_id);
  // The call is read inside the decision, after Execute's request-id check,
  // so that a retry is answered even when the call has been closed since.
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      Execute<EscalationState>(
          store, ctx, stream, v1::EventPayload::kEscalationRaised,
          [&](const EscalationState& escalation) -> Decision {
            uint64_t call_version = 0;
            ASSIGN_OR_RETURN(
                CallState call,
                LoadAggregate<CallState>(store, call_stream, &call_version));
            EscalationPolicy policy = BuiltInPolicy(call.line_id());
            if (call.phase() != CallState::Phase::kNone) {
              RETURN_IF_ERROR(CheckActsOn(ctx.caller, call.line_id(),
                                          call.received_by() == ctx.actor,
                                          "the call"));
              if (request.has_target()) {
                RETURN_IF_ERROR(
                    CheckTargetWorksOnLine(ctx, call.line_id(), request.level(),
                                           request.target(), "target"));
              }
              ASSIGN_OR_RETURN(policy,
                               LoadCurrentPolicy(store, call.line_id()));
            }
            return DecideRaise(escalation, call, escalation_id, request,
                               ctx.now, policy, coverage);
          }));
  v1::RaiseEscalationResponse response;
  response.set_escalation_id(escalation_id);
  *response.mutable_result() = ToCommandResult(stream, result);
  return response;
}

}  // namespace

EscalationService::EscalationService(eventstore::EventStore& store,
                                     const Clock& clock,
                                     const CoverageLookup& coverage)
    : store_(store), clock_(clock), coverage_(coverage) {}

grpc::Status EscalationService::RaiseEscalation(
    grpc::ServerContext* context, const v1::RaiseEscalationRequest* request,
    v1::RaiseEscalationResponse* response) {
  return Answer(Raise(store_, clock_, coverage_, *context, *request), response);
}

grpc::Status EscalationService::Acknowledge(
    grpc::ServerContext* context,
    const v1::AcknowledgeEscalationRequest* request,
    v1::CommandResult* response) {
  return Answer(
      OnEscalation(
          store_, clock_, *context, *request,
          v1::EventPayload::kEscalationAcknowledged,
          [&](const EscalationState& escalation, const CommandContext& ctx) {
            return DecideAcknowledge(escalation, *request, ctx.actor);
          }),
      response);
}

grpc::Status EscalationService::Accept(
    grpc::ServerContext* context, const v1::AcceptEscalationRequest* request,
    v1::CommandResult* response) {
  return Answer(
      OnEscalation(
          store_, clock_, *context, *request,
          v1::EventPayload::kEscalationAccepted,
          [&](const EscalationState& escalation, const CommandContext& ctx) {
            return DecideAccept(escalation, *request, ctx.actor);
          }),
      response);
}

grpc::Status EscalationService::Decline(
    grpc::ServerContext* context, const v1::DeclineEscalationRequest* request,
    v1::CommandResult* response) {
  return Answer(
      OnEscalation(store_, clock_, *context, *request,
                   v1::EventPayload::kEscalationDeclined,
                   [&](const EscalationState& escalation,
                       const CommandContext& ctx) -> Decision {
                     // One that does not exist is the decision's to refuse.
                     if (escalation.phase() != EscalationState::Phase::kNone &&
                         request->has_next_target()) {
                       RETURN_IF_ERROR(CheckTargetWorksOnLine(
                           ctx, escalation.line_id(), request->next_level(),
                           request->next_target(), "next_target"));
                     }
                     return DecideDecline(escalation, *request, ctx.actor,
                                          ctx.now);
                   }),
      response);
}

grpc::Status EscalationService::Resolve(
    grpc::ServerContext* context, const v1::ResolveEscalationRequest* request,
    v1::CommandResult* response) {
  return Answer(
      OnEscalation(
          store_, clock_, *context, *request,
          v1::EventPayload::kEscalationResolved,
          [&](const EscalationState& escalation, const CommandContext& ctx) {
            return DecideResolve(escalation, *request, ctx.actor);
          }),
      response);
}

grpc::Status EscalationService::Cancel(
    grpc::ServerContext* context, const v1::CancelEscalationRequest* request,
    v1::CommandResult* response) {
  return Answer(
      OnEscalation(
          store_, clock_, *context, *request,
          v1::EventPayload::kEscalationCancelled,
          [&](const EscalationState& escalation, const CommandContext& ctx) {
            return DecideCancel(escalation, *request, ctx.actor);
          }),
      response);
}

}  // namespace vagt::services
