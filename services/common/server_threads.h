// How many threads a vagtd server keeps for its handlers (gRPC's sync
// server). Handlers block until their append is fsync'd, so many run at once
// and finish together (one group commit wakes them all). With gRPC's default
// (at most 2 idle threads polling) every thread beyond that exits when its
// handler returns and a new one is started for the next request: at 16
// concurrent commands that churn cost 40% of the throughput
// (vagt-bench commands). vagtd and the benchmark both call this.
#ifndef VAGT_SERVICES_COMMON_SERVER_THREADS_H_
#define VAGT_SERVICES_COMMON_SERVER_THREADS_H_

#include "grpcpp/server_builder.h"

namespace vagt::services {

// Idle handler threads a server keeps instead of ending them.
inline constexpr int kMinIdleHandlerThreads = 4;
inline constexpr int kMaxIdleHandlerThreads = 32;

// Sets those limits on `builder`.
void KeepHandlerThreads(grpc::ServerBuilder& builder);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_SERVER_THREADS_H_
