// The report's records about its citizens: crisis plan revisions, consents,
// and every read of their sensitive data.
#include "services/audit/review_report_builder.h"

namespace vagt::services::internal {

void ReportBuilder::AddCitizenEvent(const v1::EventEnvelope& e) {
  const v1::EventPayload& p = e.payload();
  if (p.has_citizen_crisis_plan_updated()) {
    const v1::CitizenCrisisPlanUpdated& r = p.citizen_crisis_plan_updated();
    v1::ReviewCrisisPlanRevision& out = *report_.add_crisis_plan_revisions();
    *out.mutable_event() = Ref(e);
    out.set_revision(r.revision());
    out.set_agreed_with_citizen(r.agreed_with_citizen());
    if (r.has_next_review_at()) {
      *out.mutable_next_review_at() = r.next_review_at();
    }
    *out.mutable_plan() = r.sensitive();
  } else if (p.has_citizen_consent_granted()) {
    const v1::CitizenConsentGranted& r = p.citizen_consent_granted();
    v1::ReviewConsent& out = *report_.add_consents();
    *out.mutable_event() = Ref(e);
    out.set_consent_id(r.consent_id());
    *out.mutable_scopes() = r.scopes();
    if (r.has_valid_from()) *out.mutable_valid_from() = r.valid_from();
    if (r.has_expires_at()) *out.mutable_expires_at() = r.expires_at();
    out.set_form(r.form());
    out.set_text(r.sensitive().conditions());
  } else if (p.has_citizen_consent_withdrawn()) {
    const v1::CitizenConsentWithdrawn& r = p.citizen_consent_withdrawn();
    v1::ReviewConsent& out = *report_.add_consents();
    *out.mutable_event() = Ref(e);
    out.set_consent_id(r.consent_id());
    out.set_withdrawn(true);
    out.set_text(r.sensitive().note());
  }
}

void ReportBuilder::AddAccess(const v1::EventEnvelope& e) {
  const v1::SensitiveDataAccessed& r = e.payload().sensitive_data_accessed();
  v1::ReviewAccess& out = *report_.add_accesses();
  *out.mutable_event() = Ref(e);
  out.set_kind(r.kind());
  out.set_purpose(r.purpose());
  out.set_reason(r.sensitive().reason());
  out.set_query(r.query());
  out.set_event_count(r.event_count());
}

}  // namespace vagt::services::internal
