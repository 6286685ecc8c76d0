// The one place where absl::Status becomes grpc::Status (the service edge).
// absl's codes mirror gRPC's, so the mapping keeps the code and the message.
#ifndef VAGT_SERVICES_COMMON_GRPC_STATUS_H_
#define VAGT_SERVICES_COMMON_GRPC_STATUS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "grpcpp/support/status.h"

namespace vagt::services {

grpc::Status ToGrpcStatus(const absl::Status& status);

// A service method's ending: the response on success, else the mapped error.
template <typename Response>
grpc::Status Answer(absl::StatusOr<Response> result, Response* response) {
  if (!result.ok()) return ToGrpcStatus(result.status());
  *response = std::move(*result);
  return grpc::Status::OK;
}

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_GRPC_STATUS_H_
