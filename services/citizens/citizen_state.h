// CitizenState: a citizen's crisis-plan revision and consents, folded from
// the citizen's stream, its citizen_ref "citizen-<id>" (the state machines
// documented in proto/vagt/v1/citizens.proto). The decisions of
// CitizenService's commands are citizen_decisions.h.
//
// Other services ask ConsentCovering() whether a citizen's consent lets a
// partner see a category of data: the one place that rule lives.
#ifndef VAGT_SERVICES_CITIZENS_CITIZEN_STATE_H_
#define VAGT_SERVICES_CITIZENS_CITIZEN_STATE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

class CitizenState {
 public:
  struct Consent {
    std::string consent_id;
    std::vector<v1::ConsentScope> scopes;
    // In force from valid_from (inclusive) to expires_at (exclusive).
    absl::Time valid_from = absl::InfinitePast();
    absl::Time expires_at = absl::InfiniteFuture();
    bool withdrawn = false;
  };

  void Apply(const v1::EventEnvelope& event);

  // 0 before the first crisis plan.
  uint32_t plan_revision() const { return plan_revision_; }
  // The event of the plan in force (the latest revision); null before any.
  const v1::EventEnvelope* plan_event() const {
    return plan_event_.has_value() ? &*plan_event_ : nullptr;
  }
  // Consents in the order they were granted.
  const std::vector<Consent>& consents() const { return consents_; }
  // Null when the citizen never granted `consent_id`.
  const Consent* FindConsent(const std::string& consent_id) const;

  // The id of the earliest-granted consent that is in force at `at` (granted,
  // not withdrawn, valid_from <= at < expires_at) and has a scope letting
  // the recipient of `kind` with id `recipient_id` see `category`: a scope of
  // that kind naming that id or no id. nullopt when there is none.
  std::optional<std::string> ConsentCovering(v1::ConsentRecipientKind kind,
                                             const std::string& recipient_id,
                                             v1::ConsentDataCategory category,
                                             absl::Time at) const;

 private:
  uint32_t plan_revision_ = 0;
  std::optional<v1::EventEnvelope> plan_event_;
  std::vector<Consent> consents_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_CITIZENS_CITIZEN_STATE_H_
