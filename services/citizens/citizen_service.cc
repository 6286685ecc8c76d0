#include "services/citizens/citizen_service.h"

#include <string>
#include <utility>

#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "services/citizens/citizen_decisions.h"
#include "services/common/command.h"
#include "services/common/grpc_status.h"
#include "services/common/ids.h"
#include "services/common/recorded_event.h"

namespace vagt::services {
namespace {

// Runs `decide` against the citizen's stream. A replayed result is checked
// to be this request's, recording an event of kind `recorded`.
absl::StatusOr<eventstore::AppendResult> OnCitizen(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context, const std::string& request_id,
    const std::string& citizen_ref, v1::EventPayload::EventCase recorded,
    absl::FunctionRef<Decision(const CitizenState&, const CommandContext&)>
        decide) {
  ASSIGN_OR_RETURN(CommandContext ctx,
                   MakeCommandContext(context, request_id, clock));
  RETURN_IF_ERROR(ValidateCitizenRef(citizen_ref));
  ASSIGN_OR_RETURN(eventstore::AppendResult result,
                   Execute<CitizenState>(store, ctx, citizen_ref, recorded,
                                         [&](const CitizenState& citizen) {
                                           return decide(citizen, ctx);
                                         }));
  return result;
}

absl::StatusOr<v1::UpdateCrisisPlanResponse> UpdatePlan(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context,
    const v1::UpdateCrisisPlanRequest& request) {
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      OnCitizen(store, clock, context, request.request_id(),
                request.citizen_ref(),
                v1::EventPayload::kCitizenCrisisPlanUpdated,
                [&](const CitizenState& citizen, const CommandContext&) {
                  return DecideUpdateCrisisPlan(citizen, request);
                }));
  // The revision is the recorded one, also on a replay after later updates.
  ASSIGN_OR_RETURN(v1::EventEnvelope recorded,
                   RecordedEvent(store, request.citizen_ref(),
                                 result.stream_version, request.request_id(),
                                 v1::EventPayload::kCitizenCrisisPlanUpdated));
  v1::UpdateCrisisPlanResponse response;
  response.set_revision(
      recorded.payload().citizen_crisis_plan_updated().revision());
  *response.mutable_result() = ToCommandResult(request.citizen_ref(), result);
  return response;
}

absl::StatusOr<v1::GrantConsentResponse> Grant(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context,
    const v1::GrantConsentRequest& request) {
  const std::string consent_id = IdFromRequest("consent", request.request_id());
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      OnCitizen(store, clock, context, request.request_id(),
                request.citizen_ref(), v1::EventPayload::kCitizenConsentGranted,
                [&](const CitizenState& citizen, const CommandContext& ctx) {
                  return DecideGrantConsent(citizen, consent_id, request,
                                            ctx.now);
                }));
  v1::GrantConsentResponse response;
  response.set_consent_id(consent_id);
  *response.mutable_result() = ToCommandResult(request.citizen_ref(), result);
  return response;
}

}  // namespace

grpc::Status CitizenService::UpdateCrisisPlan(
    grpc::ServerContext* context, const v1::UpdateCrisisPlanRequest* request,
    v1::UpdateCrisisPlanResponse* response) {
  return Answer(UpdatePlan(store_, clock_, *context, *request), response);
}

grpc::Status CitizenService::GrantConsent(
    grpc::ServerContext* context, const v1::GrantConsentRequest* request,
    v1::GrantConsentResponse* response) {
  return Answer(Grant(store_, clock_, *context, *request), response);
}

grpc::Status CitizenService::WithdrawConsent(
    grpc::ServerContext* context, const v1::WithdrawConsentRequest* request,
    v1::CommandResult* response) {
  absl::StatusOr<eventstore::AppendResult> result = OnCitizen(
      store_, clock_, *context, request->request_id(), request->citizen_ref(),
      v1::EventPayload::kCitizenConsentWithdrawn,
      [&](const CitizenState& citizen, const CommandContext&) {
        return DecideWithdrawConsent(citizen, *request);
      });
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = ToCommandResult(request->citizen_ref(), *result);
  return grpc::Status::OK;
}

}  // namespace vagt::services
