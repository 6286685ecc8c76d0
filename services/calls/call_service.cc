#include "services/calls/call_service.h"

#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "eventstore/validation.h"
#include "services/calls/call_decisions.h"
#include "services/common/command.h"
#include "services/common/grpc_status.h"
#include "services/common/ids.h"
#include "services/common/scope.h"

namespace vagt::services {
namespace {

// A call's commands are for those who may act on its line (scope.h), a
// partner only on the calls it logged; a call that does not exist is the
// decision's to refuse.
absl::Status OnItsLine(const CommandContext& ctx, const CallState& call) {
  if (call.phase() == CallState::Phase::kNone) return absl::OkStatus();
  return CheckActsOn(ctx.caller, call.line_id(),
                     call.received_by() == ctx.actor, "the call");
}

// A command on an existing call: context, stream, decision, append, result.
template <typename Request>
absl::StatusOr<v1::CommandResult> OnCall(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context, const Request& request,
    v1::EventPayload::EventCase recorded,
    Decision (*decide)(const CallState&, const Request&)) {
  ASSIGN_OR_RETURN(CommandContext ctx,
                   MakeCommandContext(context, request.request_id(), clock));
  ASSIGN_OR_RETURN(std::string stream,
                   StreamOf(kCallKind, request.call_id(), "call_id"));
  ASSIGN_OR_RETURN(eventstore::AppendResult result,
                   Execute<CallState>(store, ctx, stream, recorded,
                                      [&](const CallState& call) -> Decision {
                                        RETURN_IF_ERROR(OnItsLine(ctx, call));
                                        return decide(call, request);
                                      }));
  return ToCommandResult(stream, result);
}

// A call is logged while or soon after it comes in: a time far from now is a
// typing error (a day off, a wrong clock), refused before it misleads a review.
constexpr absl::Duration kMaxReceivedAhead = absl::Minutes(5);
constexpr absl::Duration kMaxReceivedBehind = absl::Hours(7 * 24);

absl::Status CheckReceivedAt(const google::protobuf::Timestamp& received_at,
                             absl::Time now) {
  if (!IsValidTimestamp(received_at)) {
    return absl::InvalidArgumentError("received_at: not a valid time");
  }
  const absl::Time at = ToTime(received_at);
  if (at > now + kMaxReceivedAhead) {
    return absl::InvalidArgumentError(
        "received_at: in the future (more than 5 minutes from now)");
  }
  if (at < now - kMaxReceivedBehind) {
    return absl::InvalidArgumentError("received_at: more than 7 days ago");
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ReceiveCallResponse> Receive(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context, const v1::ReceiveCallRequest& request) {
  ASSIGN_OR_RETURN(CommandContext ctx,
                   MakeCommandContext(context, request.request_id(), clock));
  if (request.has_received_at()) {
    RETURN_IF_ERROR(CheckReceivedAt(request.received_at(), ctx.now));
    ctx.now = ToTime(request.received_at());
  }
  RETURN_IF_ERROR(CheckLine(ctx.caller, request.line_id()));
  const std::string call_id = IdFromRequest("call", ctx.request_id);
  const std::string stream = CallStreamId(call_id);
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      Execute<CallState>(store, ctx, stream, v1::EventPayload::kCallReceived,
                         [&](const CallState& call) {
                           return DecideReceive(call, call_id, request,
                                                ctx.actor);
                         }));
  v1::ReceiveCallResponse response;
  response.set_call_id(call_id);
  *response.mutable_result() = ToCommandResult(stream, result);
  return response;
}

}  // namespace

grpc::Status CallService::ReceiveCall(grpc::ServerContext* context,
                                      const v1::ReceiveCallRequest* request,
                                      v1::ReceiveCallResponse* response) {
  return Answer(Receive(store_, clock_, *context, *request), response);
}

grpc::Status CallService::AddNote(grpc::ServerContext* context,
                                  const v1::AddCallNoteRequest* request,
                                  v1::CommandResult* response) {
  return Answer(OnCall(store_, clock_, *context, *request,
                       v1::EventPayload::kCallNoteAdded, &DecideAddNote),
                response);
}

grpc::Status CallService::AssessRisk(grpc::ServerContext* context,
                                     const v1::AssessRiskRequest* request,
                                     v1::CommandResult* response) {
  return Answer(OnCall(store_, clock_, *context, *request,
                       v1::EventPayload::kCallRiskAssessed, &DecideAssessRisk),
                response);
}

grpc::Status CallService::RecordCrisisPlanConsulted(
    grpc::ServerContext* context,
    const v1::RecordCrisisPlanConsultedRequest* request,
    v1::CommandResult* response) {
  return Answer(OnCall(store_, clock_, *context, *request,
                       v1::EventPayload::kCallCrisisPlanConsulted,
                       &DecideCrisisPlanConsulted),
                response);
}

grpc::Status CallService::CloseCall(grpc::ServerContext* context,
                                    const v1::CloseCallRequest* request,
                                    v1::CommandResult* response) {
  return Answer(OnCall(store_, clock_, *context, *request,
                       v1::EventPayload::kCallClosed, &DecideClose),
                response);
}

}  // namespace vagt::services
