#include "services/citizens/citizen_decisions.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"

namespace vagt::services {
namespace {

// A whole crisis plan, serialized: ample for any plan, and well below the
// store's payload limit.
constexpr size_t kMaxPlanBytes = 32 * 1024;
// Related calls or escalations of one revision.
constexpr int kMaxRelatedIds = 100;
// Scopes of one consent, and categories of one scope.
constexpr int kMaxScopes = 20;
// Party ids follow the actor rule of the store.
constexpr size_t kMaxPartyIdBytes = 256;

absl::Status CheckRelatedIds(
    const google::protobuf::RepeatedPtrField<std::string>& ids,
    absl::string_view field) {
  if (ids.size() > kMaxRelatedIds) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": at most ", kMaxRelatedIds, " ids"));
  }
  for (int i = 0; i < ids.size(); ++i) {
    RETURN_IF_ERROR(CheckId(ids[i], absl::StrCat(field, "[", i, "]"),
                            /*required=*/true));
  }
  return absl::OkStatus();
}

absl::Status CheckScope(const v1::ConsentScope& scope, int index) {
  const std::string field = absl::StrCat("scopes[", index, "]");
  if (scope.recipient_kind() == v1::CONSENT_RECIPIENT_KIND_UNSPECIFIED ||
      !v1::ConsentRecipientKind_IsValid(scope.recipient_kind())) {
    return absl::InvalidArgumentError(
        absl::StrCat(field,
                     ".recipient_kind: required (night_partner, "
                     "social_emergency_service, psychiatric_emergency, police, "
                     "general_practitioner, municipal_authority, network)"));
  }
  RETURN_IF_ERROR(CheckId(scope.recipient_id(),
                          absl::StrCat(field, ".recipient_id"),
                          /*required=*/false, kMaxPartyIdBytes));
  if (scope.recipient_kind() == v1::CONSENT_RECIPIENT_KIND_NETWORK &&
      !scope.recipient_id().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field,
        ".recipient_id: must be empty for NETWORK (name the persons in "
        "conditions)"));
  }
  if (scope.categories().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".categories: required (at least one)"));
  }
  if (scope.categories().size() > kMaxScopes) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".categories: at most ", kMaxScopes, " categories"));
  }
  for (int j = 0; j < scope.categories().size(); ++j) {
    const int category = scope.categories(j);
    if (category == v1::CONSENT_DATA_CATEGORY_UNSPECIFIED ||
        !v1::ConsentDataCategory_IsValid(category)) {
      return absl::InvalidArgumentError(absl::StrCat(
          field, ".categories[", j,
          "]: must be a data category (contact_details, crisis_plan, "
          "call_notes, risk_assessments, handover_notes, escalations)"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

Decision DecideUpdateCrisisPlan(const CitizenState& citizen,
                                const v1::UpdateCrisisPlanRequest& request) {
  const size_t plan_bytes = request.plan().ByteSizeLong();
  if (plan_bytes == 0) {
    return absl::InvalidArgumentError(
        "plan: required (the whole plan, at least one part filled in)");
  }
  if (plan_bytes > kMaxPlanBytes) {
    return absl::InvalidArgumentError(absl::StrCat(
        "plan: ", plan_bytes, " bytes exceed the limit of ", kMaxPlanBytes));
  }
  if (request.has_next_review_at() &&
      !IsValidTimestamp(request.next_review_at())) {
    return absl::InvalidArgumentError(
        "next_review_at: not a valid timestamp (years 1..9999)");
  }
  RETURN_IF_ERROR(
      CheckRelatedIds(request.related_call_ids(), "related_call_ids"));
  RETURN_IF_ERROR(CheckRelatedIds(request.related_escalation_ids(),
                                  "related_escalation_ids"));
  v1::EventPayload payload;
  v1::CitizenCrisisPlanUpdated* e =
      payload.mutable_citizen_crisis_plan_updated();
  e->set_citizen_ref(request.citizen_ref());
  e->set_revision(citizen.plan_revision() + 1);
  e->set_agreed_with_citizen(request.agreed_with_citizen());
  if (request.has_next_review_at()) {
    *e->mutable_next_review_at() = request.next_review_at();
  }
  *e->mutable_related_call_ids() = request.related_call_ids();
  *e->mutable_related_escalation_ids() = request.related_escalation_ids();
  *e->mutable_sensitive() = request.plan();
  return One(std::move(payload));
}

Decision DecideGrantConsent(const CitizenState& citizen,
                            const std::string& consent_id,
                            const v1::GrantConsentRequest& request,
                            absl::Time now) {
  if (request.scopes().empty()) {
    return absl::InvalidArgumentError(
        "scopes: required (which kinds of partner may see which data)");
  }
  if (request.scopes().size() > kMaxScopes) {
    return absl::InvalidArgumentError(
        absl::StrCat("scopes: at most ", kMaxScopes, " scopes"));
  }
  for (int i = 0; i < request.scopes().size(); ++i) {
    RETURN_IF_ERROR(CheckScope(request.scopes(i), i));
  }
  if (request.form() == v1::CONSENT_FORM_UNSPECIFIED ||
      !v1::ConsentForm_IsValid(request.form())) {
    return absl::InvalidArgumentError(
        "form: required (written, digital, oral)");
  }
  absl::Time valid_from = now;
  if (request.has_valid_from()) {
    if (!IsValidTimestamp(request.valid_from())) {
      return absl::InvalidArgumentError(
          "valid_from: not a valid timestamp (years 1..9999)");
    }
    valid_from = ToTime(request.valid_from());
  }
  if (request.has_expires_at()) {
    if (!IsValidTimestamp(request.expires_at())) {
      return absl::InvalidArgumentError(
          "expires_at: not a valid timestamp (years 1..9999)");
    }
    const absl::Time expires_at = ToTime(request.expires_at());
    if (expires_at <= now || expires_at <= valid_from) {
      return absl::InvalidArgumentError(
          "expires_at: must be in the future and after valid_from");
    }
  }
  RETURN_IF_ERROR(
      CheckText(request.conditions(), "conditions", /*required=*/false));
  // The id comes from the request id, and a repeated request id is answered
  // before deciding; so this only fires for a broken derivation.
  if (citizen.FindConsent(consent_id) != nullptr) {
    return absl::AlreadyExistsError("consent_id: already granted");
  }
  v1::EventPayload payload;
  v1::CitizenConsentGranted* e = payload.mutable_citizen_consent_granted();
  e->set_citizen_ref(request.citizen_ref());
  e->set_consent_id(consent_id);
  *e->mutable_scopes() = request.scopes();
  if (request.has_valid_from()) *e->mutable_valid_from() = request.valid_from();
  if (request.has_expires_at()) *e->mutable_expires_at() = request.expires_at();
  e->set_form(request.form());
  e->mutable_sensitive()->set_conditions(request.conditions());
  return One(std::move(payload));
}

Decision DecideWithdrawConsent(const CitizenState& citizen,
                               const v1::WithdrawConsentRequest& request) {
  RETURN_IF_ERROR(
      CheckId(request.consent_id(), "consent_id", /*required=*/true));
  RETURN_IF_ERROR(CheckText(request.note(), "note", /*required=*/false));
  const CitizenState::Consent* consent =
      citizen.FindConsent(request.consent_id());
  if (consent == nullptr) {
    return absl::NotFoundError("consent_id: no such consent of this citizen");
  }
  if (consent->withdrawn) {
    return absl::FailedPreconditionError(
        "consent_id: the consent is already withdrawn");
  }
  v1::EventPayload payload;
  v1::CitizenConsentWithdrawn* e = payload.mutable_citizen_consent_withdrawn();
  e->set_citizen_ref(request.citizen_ref());
  e->set_consent_id(request.consent_id());
  e->mutable_sensitive()->set_note(request.note());
  return One(std::move(payload));
}

}  // namespace vagt::services
