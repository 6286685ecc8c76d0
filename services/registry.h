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

namespace vagt::services {

// The names MakeServices accepts besides "all".
std::vector<std::string> ServiceNames();

// The services named (or all of them for "all"), over `store` and `clock`,
// which must outlive them. INVALID_ARGUMENT names an unknown service.
absl::StatusOr<std::vector<std::unique_ptr<grpc::Service>>> MakeServices(
    const std::vector<std::string>& names, eventstore::EventStore& store,
    const Clock& clock);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_REGISTRY_H_
