#include "services/citizens/citizen_state.h"

#include "eventstore/timestamps.h"

namespace vagt::services {
namespace {

bool ScopeCovers(const v1::ConsentScope& scope, v1::ConsentRecipientKind kind,
                 const std::string& recipient_id,
                 v1::ConsentDataCategory category) {
  if (scope.recipient_kind() != kind) return false;
  if (!scope.recipient_id().empty() && scope.recipient_id() != recipient_id) {
    return false;
  }
  for (int c : scope.categories()) {
    if (c == category) return true;
  }
  return false;
}

}  // namespace

void CitizenState::Apply(const v1::EventEnvelope& event) {
  const v1::EventPayload& p = event.payload();
  switch (p.event_case()) {
    case v1::EventPayload::kCitizenCrisisPlanUpdated:
      plan_revision_ = p.citizen_crisis_plan_updated().revision();
      plan_event_ = event;
      break;
    case v1::EventPayload::kCitizenConsentGranted: {
      const v1::CitizenConsentGranted& e = p.citizen_consent_granted();
      Consent consent;
      consent.consent_id = e.consent_id();
      consent.scopes.assign(e.scopes().begin(), e.scopes().end());
      consent.valid_from =
          ToTime(e.has_valid_from() ? e.valid_from() : event.occurred_at());
      if (e.has_expires_at()) consent.expires_at = ToTime(e.expires_at());
      consents_.push_back(std::move(consent));
      break;
    }
    case v1::EventPayload::kCitizenConsentWithdrawn:
      for (Consent& consent : consents_) {
        if (consent.consent_id == p.citizen_consent_withdrawn().consent_id()) {
          consent.withdrawn = true;
        }
      }
      break;
    default:
      break;
  }
}

const CitizenState::Consent* CitizenState::FindConsent(
    const std::string& consent_id) const {
  for (const Consent& consent : consents_) {
    if (consent.consent_id == consent_id) return &consent;
  }
  return nullptr;
}

std::optional<std::string> CitizenState::ConsentCovering(
    v1::ConsentRecipientKind kind, const std::string& recipient_id,
    v1::ConsentDataCategory category, absl::Time at) const {
  for (const Consent& consent : consents_) {
    if (consent.withdrawn || at < consent.valid_from ||
        at >= consent.expires_at) {
      continue;
    }
    for (const v1::ConsentScope& scope : consent.scopes) {
      if (ScopeCovers(scope, kind, recipient_id, category)) {
        return consent.consent_id;
      }
    }
  }
  return std::nullopt;
}

}  // namespace vagt::services
