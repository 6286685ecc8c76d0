#include "services/registry.h"

#include <functional>
#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "services/audit/audit_service.h"
#include "services/calls/call_service.h"
#include "services/citizens/citizen_service.h"
#include "services/directory/directory_service.h"
#include "services/escalations/escalation_service.h"
#include "services/escalations/policy_service.h"
#include "services/lines/line_service.h"
#include "services/oncall/oncall_service.h"
#include "services/roster/roster_service.h"

namespace vagt::services {
namespace {

struct Factory {
  bool reads_projections = false;
  bool needs_coverage = false;
  // Called with env.store set unless reads_projections, with
  // env.projections and env.access set when reads_projections, and with
  // env.coverage set when needs_coverage.
  std::function<std::unique_ptr<grpc::Service>(const ServiceEnv&)> make;
};

template <typename Service>
Factory Command() {
  return {.make = [](const ServiceEnv& env) {
    return std::make_unique<Service>(*env.store, env.clock);
  }};
}

const std::vector<std::pair<std::string, Factory>>& Factories() {
  static const auto* factories =
      new std::vector<std::pair<std::string, Factory>>{
          {"calls", Command<CallService>()},
          {"escalations",
           {.needs_coverage = true,
            .make =
                [](const ServiceEnv& env) {
                  return std::make_unique<EscalationService>(
                      *env.store, env.clock, *env.coverage);
                }}},
          {"policies", Command<EscalationPolicyService>()},
          {"lines", Command<LineService>()},
          {"citizens", Command<CitizenService>()},
          {"roster", Command<RosterService>()},
          {"directory", Command<DirectoryService>()},
          {"oncall",
           {.reads_projections = true,
            .make =
                [](const ServiceEnv& env) {
                  return std::make_unique<OnCallService>(*env.projections,
                                                         env.clock);
                }}},
          {"audit",
           {.reads_projections = true,
            .make =
                [](const ServiceEnv& env) {
                  return std::make_unique<AuditService>(
                      *env.projections, *env.access, env.store, env.clock);
                }}},
      };
  return *factories;
}

}  // namespace

std::vector<std::string> ServiceNames() {
  std::vector<std::string> names;
  for (const auto& [name, factory] : Factories()) names.push_back(name);
  return names;
}

bool NeedProjections(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    for (const auto& [candidate, factory] : Factories()) {
      if ((name == "all" || name == candidate) && factory.reads_projections) {
        return true;
      }
    }
  }
  return false;
}

absl::StatusOr<std::vector<std::unique_ptr<grpc::Service>>> MakeServices(
    const std::vector<std::string>& names, const ServiceEnv& env) {
  std::vector<std::unique_ptr<grpc::Service>> out;
  absl::flat_hash_set<std::string> chosen;  // each service once: "all,calls"
  for (const std::string& name : names) {
    bool known = false;
    for (const auto& [candidate, factory] : Factories()) {
      if (name == "all" || name == candidate) {
        known = true;
        if (!chosen.insert(candidate).second) continue;
        if (factory.reads_projections &&
            (env.projections == nullptr || env.access == nullptr)) {
          return absl::FailedPreconditionError(absl::StrCat(
              "services: '", candidate, "' needs the projections"));
        }
        if (!factory.reads_projections && env.store == nullptr) {
          return absl::FailedPreconditionError(
              absl::StrCat("services: '", candidate,
                           "' needs the event store, which this server does "
                           "not hold (role queries)"));
        }
        if (factory.needs_coverage && env.coverage == nullptr) {
          return absl::FailedPreconditionError(absl::StrCat(
              "services: '", candidate, "' needs a coverage lookup"));
        }
        out.push_back(factory.make(env));
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
