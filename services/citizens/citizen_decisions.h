// The decisions of CitizenService's commands (the state machines documented
// in proto/vagt/v1/citizens.proto): pure functions of the folded
// CitizenState and the request, returning the events to append or why not.
// No I/O, no clock (`now` is passed in).
#ifndef VAGT_SERVICES_CITIZENS_CITIZEN_DECISIONS_H_
#define VAGT_SERVICES_CITIZENS_CITIZEN_DECISIONS_H_

#include <string>

#include "absl/time/time.h"
#include "domain/decision.h"
#include "services/citizens/citizen_state.h"
#include "vagt/v1/citizens.pb.h"

namespace vagt::services {

// `citizen_ref` is already validated by the caller (it names the stream).
Decision DecideUpdateCrisisPlan(const CitizenState& citizen,
                                const v1::UpdateCrisisPlanRequest& request);
// `consent_id` is the id derived from the request id.
Decision DecideGrantConsent(const CitizenState& citizen,
                            const std::string& consent_id,
                            const v1::GrantConsentRequest& request,
                            absl::Time now);
Decision DecideWithdrawConsent(const CitizenState& citizen,
                               const v1::WithdrawConsentRequest& request);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_CITIZENS_CITIZEN_DECISIONS_H_
