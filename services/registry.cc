#include "services/registry.h"

#include <functional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/calls/call_service.h"
#include "services/citizens/citizen_service.h"
#include "services/escalations/escalation_service.h"
#include "services/lines/line_service.h"

namespace vagt::services {
namespace {

using Factory = std::function<std::unique_ptr<grpc::Service>(
    eventstore::EventStore&, const Clock&)>;

template <typename Service>
Factory Make() {
  return [](eventstore::EventStore& store, const Clock& clock) {
    return std::make_unique<Service>(store, clock);
  };
}

const std::vector<std::pair<std::string, Factory>>& Factories() {
  static const auto* factories =
      new std::vector<std::pair<std::string, Factory>>{
          {"calls", Make<CallService>()},
          {"escalations", Make<EscalationService>()},
          {"lines", Make<LineService>()},
          {"citizens", Make<CitizenService>()},
      };
  return *factories;
}

}  // namespace

std::vector<std::string> ServiceNames() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : Factories()) names.push_back(name);
  return names;
}

absl::StatusOr<std::vector<std::unique_ptr<grpc::Service>>> MakeServices(
    const std::vector<std::string>& names, eventstore::EventStore& store,
    const Clock& clock) {
  std::vector<std::unique_ptr<grpc::Service>> out;
  absl::flat_hash_set<std::string> chosen;  // each service once: "all,calls"
  for (const std::string& name : names) {
    bool known = false;
    for (const auto& [candidate, factory] : Factories()) {
      if (name == "all" || name == candidate) {
        known = true;
        if (chosen.insert(candidate).second) {
          out.push_back(factory(store, clock));
        }
      }
    }
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat("services: unknown service '", name, "' (known: all, ",
                       absl::StrJoin(ServiceNames(), ", "), ")"));
    }
  }
  return out;
}

}  // namespace vagt::services
