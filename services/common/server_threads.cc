#include "services/common/server_threads.h"

namespace vagt::services {

void KeepHandlerThreads(grpc::ServerBuilder& builder) {
  using Option = grpc::ServerBuilder::SyncServerOption;
  builder.SetSyncServerOption(Option::MIN_POLLERS, kMinIdleHandlerThreads);
  builder.SetSyncServerOption(Option::MAX_POLLERS, kMaxIdleHandlerThreads);
}

}  // namespace vagt::services
