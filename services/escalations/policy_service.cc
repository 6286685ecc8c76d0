#include "services/escalations/policy_service.h"

#include <string>
#include <vector>

#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "services/common/command.h"
#include "services/common/grpc_status.h"
#include "services/common/scope.h"
#include "services/escalations/policy.h"

namespace vagt::services {
namespace {

absl::StatusOr<v1::GetPolicyResponse> Get(const eventstore::EventStore& store,
                                          const grpc::ServerContext& context,
                                          const v1::GetPolicyRequest& request) {
  ASSIGN_OR_RETURN(Caller caller, AuthenticatedCaller(context));
  RETURN_IF_ERROR(StreamOf(kPolicyKind, request.line_id(), "line_id").status());
  RETURN_IF_ERROR(CheckLine(caller, request.line_id()));
  ASSIGN_OR_RETURN(EscalationPolicy policy,
                   LoadCurrentPolicy(store, request.line_id()));
  v1::GetPolicyResponse response;
  response.set_policy_version(policy.version);
  response.set_built_in(policy.built_in());
  *response.mutable_policy() = std::move(policy.spec);
  return response;
}

absl::StatusOr<v1::SetPolicyResponse> Set(eventstore::EventStore& store,
                                          const Clock& clock,
                                          const grpc::ServerContext& context,
                                          const v1::SetPolicyRequest& request) {
  ASSIGN_OR_RETURN(CommandContext ctx,
                   MakeCommandContext(context, request.request_id(), clock));
  ASSIGN_OR_RETURN(std::string stream,
                   StreamOf(kPolicyKind, request.line_id(), "line_id"));
  RETURN_IF_ERROR(CheckLine(ctx.caller, request.line_id()));
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      Execute<PolicyState>(
          store, ctx, stream, v1::EventPayload::kEscalationPolicySet,
          [&](const PolicyState&)
              -> absl::StatusOr<std::vector<v1::EventPayload>> {
            v1::EscalationPolicySet spec;
            spec.set_line_id(request.line_id());
            spec.set_time_zone(request.time_zone());
            *spec.mutable_levels() = request.levels();
            spec.set_repeats(request.repeats());
            ASSIGN_OR_RETURN(spec, NormalizedPolicy(std::move(spec)));
            std::vector<v1::EventPayload> out(1);
            *out[0].mutable_escalation_policy_set() = std::move(spec);
            return out;
          }));
  v1::SetPolicyResponse response;
  response.set_policy_version(
      PolicyVersion(request.line_id(), result.stream_version));
  *response.mutable_result() = ToCommandResult(stream, result);
  return response;
}

}  // namespace

grpc::Status EscalationPolicyService::GetPolicy(
    grpc::ServerContext* context, const v1::GetPolicyRequest* request,
    v1::GetPolicyResponse* response) {
  return Answer(Get(store_, *context, *request), response);
}

grpc::Status EscalationPolicyService::SetPolicy(
    grpc::ServerContext* context, const v1::SetPolicyRequest* request,
    v1::SetPolicyResponse* response) {
  return Answer(Set(store_, clock_, *context, *request), response);
}

}  // namespace vagt::services
