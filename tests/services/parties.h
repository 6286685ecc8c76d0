// The parties of the service tests (who holds a line, who is escalated to).
#ifndef VAGT_TESTS_SERVICES_PARTIES_H_
#define VAGT_TESTS_SERVICES_PARTIES_H_

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

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SERVICES_PARTIES_H_
