// CitizenService.GetCrisisPlan: reading the plan in force, recorded as a read.
#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "services/citizens/citizen_service.h"
#include "services/citizens/citizen_state.h"
#include "services/common/access_log.h"
#include "services/common/command.h"
#include "services/common/command_context.h"
#include "services/common/grpc_status.h"
#include "services/common/scope.h"

namespace vagt::services {
namespace {

absl::StatusOr<v1::GetCrisisPlanResponse> ReadCrisisPlan(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context,
    const v1::GetCrisisPlanRequest& request) {
  ASSIGN_OR_RETURN(Caller caller, AuthenticatedCaller(context));
  const std::string& actor = caller.party_id;
  const bool partner = ActsAsPartner(caller);
  RETURN_IF_ERROR(ValidateCitizenRef(request.citizen_ref()));
  RETURN_IF_ERROR(CheckAccessReason(request.access(), "access"));
  if (!v1::ConsentRecipientKind_IsValid(request.reader_kind())) {
    return absl::InvalidArgumentError(
        "reader_kind: not a known kind of consent recipient");
  }
  // A partner reads as what the directory registers it as, whatever the
  // request says; a claim of another kind is refused.
  const v1::ConsentRecipientKind reader_kind = ConsentRecipientOf(caller);
  if (partner &&
      request.reader_kind() != v1::CONSENT_RECIPIENT_KIND_UNSPECIFIED &&
      request.reader_kind() != reader_kind) {
    return absl::PermissionDeniedError(
        absl::StrCat("needs the right 'read-crisis-plans' as ",
                     v1::ConsentRecipientKind_Name(request.reader_kind()),
                     " (the caller is registered as ",
                     v1::ConsentRecipientKind_Name(reader_kind), ")"));
  }
  uint64_t version = 0;
  ASSIGN_OR_RETURN(
      CitizenState citizen,
      LoadAggregate<CitizenState>(store, request.citizen_ref(), &version));
  v1::GetCrisisPlanResponse out;
  const v1::EventEnvelope* plan = citizen.plan_event();
  if (plan == nullptr) {
    out.set_result(v1::CRISIS_PLAN_LOOKUP_RESULT_NO_PLAN);
    return out;
  }
  if (partner) {
    std::optional<std::string> consent = citizen.ConsentCovering(
        reader_kind, actor, v1::CONSENT_DATA_CATEGORY_CRISIS_PLAN, clock.Now());
    if (!consent.has_value()) {
      out.set_result(v1::CRISIS_PLAN_LOOKUP_RESULT_NOT_PERMITTED);
      return out;
    }
    out.set_consent_id(*consent);
  }
  StoreAccessSink sink(store);
  RETURN_IF_ERROR(RecordAccess(
      sink, actor,
      {.kind = v1::ACCESS_KIND_CRISIS_PLAN,
       .query = absl::StrCat("citizen_ref=", request.citizen_ref()),
       .citizen_refs = {request.citizen_ref()},
       .event_count = 1,
       .access = request.access()}));
  const v1::CitizenCrisisPlanUpdated& e =
      plan->payload().citizen_crisis_plan_updated();
  out.set_result(v1::CRISIS_PLAN_LOOKUP_RESULT_CONSULTED);
  out.set_revision(e.revision());
  out.set_event_id(plan->event_id());
  *out.mutable_updated_at() = plan->recorded_at();
  out.set_agreed_with_citizen(e.agreed_with_citizen());
  if (e.has_next_review_at())
    *out.mutable_next_review_at() = e.next_review_at();
  *out.mutable_plan() = e.sensitive();
  return out;
}

}  // namespace

grpc::Status CitizenService::GetCrisisPlan(
    grpc::ServerContext* context, const v1::GetCrisisPlanRequest* request,
    v1::GetCrisisPlanResponse* response) {
  return Answer(ReadCrisisPlan(store_, clock_, *context, *request), response);
}

}  // namespace vagt::services
