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
#include "services/common/projection_view.h"

namespace vagt::services {

// What the services run on; everything must outlive them.
struct ServiceEnv {
  eventstore::EventStore& store;
  const Clock& clock;
  // The projections the query services (oncall, audit) read; may be null
  // when none of them is hosted.
  const ProjectionView* projections = nullptr;
};

// The names MakeServices accepts besides "all".
std::vector<std::string> ServiceNames();

// Whether any of the named services reads the projections.
bool NeedProjections(const std::vector<std::string>& names);

// The services named (or all of them for "all"). INVALID_ARGUMENT names an
// unknown service; FAILED_PRECONDITION a query service without projections.
absl::StatusOr<std::vector<std::unique_ptr<grpc::Service>>> MakeServices(
    const std::vector<std::string>& names, const ServiceEnv& env);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_REGISTRY_H_
