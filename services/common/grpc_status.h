// The one place where absl::Status becomes grpc::Status (the service edge).
// absl's codes mirror gRPC's, so the mapping keeps the code and the message.
#ifndef VAGT_SERVICES_COMMON_GRPC_STATUS_H_
#define VAGT_SERVICES_COMMON_GRPC_STATUS_H_

#include "absl/status/status.h"
#include "grpcpp/support/status.h"

namespace vagt::services {

grpc::Status ToGrpcStatus(const absl::Status& status);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_GRPC_STATUS_H_
