// The services vagtd can host, by name: the one place that knows them all.
#ifndef VAGT_SERVICES_REGISTRY_H_
#define VAGT_SERVICES_REGISTRY_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "grpcpp/impl/codegen/service_type.h"
#include "services/common/access_log.h"
#include "services/common/projection_view.h"
#include "services/escalations/coverage.h"

namespace vagt::services {

// What the services run on; everything must outlive them.
struct ServiceEnv {
  // The command services append here; null where the store lives in another
  // process (the queries role), and then only query services can be hosted.
  eventstore::EventStore* store = nullptr;
  const Clock& clock;
  // Where the query services record reads; null when none is hosted.
  AccessSink* access = nullptr;
  // The projections the query services (oncall, audit) read; may be null
  // when none of them is hosted.
  const ProjectionView* projections = nullptr;
  // Who covers a line's BACKUP and DUTY levels for the escalation service
  // (the one lookup its builder also gives the deadline engine); may be null
  // when it is not hosted.
  const CoverageLookup* coverage = nullptr;
};

// The names MakeServices accepts besides "all".
std::vector<std::string> ServiceNames();

// Whether any of the named services reads the projections.
bool NeedProjections(const std::vector<std::string>& names);

// The services named (or all of them for "all"). INVALID_ARGUMENT names an
// unknown service; FAILED_PRECONDITION a query service without projections
// or access sink, a command service without the store, or the escalation
// service without coverage.
absl::StatusOr<std::vector<std::unique_ptr<grpc::Service>>> MakeServices(
    const std::vector<std::string>& names, const ServiceEnv& env);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_REGISTRY_H_
