// The parties of the service tests (who holds a line, who is escalated to),
// and the escalation policy levels that name them.
#ifndef VAGT_TESTS_SERVICES_PARTIES_H_
#define VAGT_TESTS_SERVICES_PARTIES_H_

#include <cstdint>
#include <string>

#include "vagt/v1/events.pb.h"

namespace vagt::testing {

// A team worker by id ("worker:anna").
inline v1::Party TeamWorker(const std::string& id) {
  v1::Party p;
  p.set_kind(v1::PARTY_KIND_TEAM_WORKER);
  p.set_id(id);
  return p;
}

// The team worker "worker:<name>".
inline v1::Party Worker(const std::string& name) {
  return TeamWorker("worker:" + name);
}

// A night partner by id.
inline v1::Party NightPartner(const std::string& id = "partner:natpartner") {
  v1::Party p;
  p.set_kind(v1::PARTY_KIND_NIGHT_PARTNER);
  p.set_id(id);
  return p;
}

// A policy level: escalate to `target` (a fixed `party` for
// POLICY_TARGET_PARTY), acknowledged within `seconds`.
inline v1::PolicyLevel Level(v1::EscalationLevel level, v1::PolicyTarget target,
                             uint32_t seconds, const std::string& party = "") {
  v1::PolicyLevel l;
  l.set_level(level);
  l.set_target(target);
  if (!party.empty()) l.mutable_party()->set_id(party);
  l.set_ack_timeout_seconds(seconds);
  return l;
}

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SERVICES_PARTIES_H_
