// RosterService: the gRPC face of a line's roster (proto/vagt/v1/
// roster.proto). The commands (SetRotation, AddOverride, RemoveOverride,
// ImportOverrides) build a CommandContext, run their decision
// (roster_decisions.h) through Execute on "roster-<line_id>" and map the
// outcome in one place (ToGrpcStatus); the reads (WhoShouldCover, ShowWeek,
// ExportIcs) fold the roster stream from the store and ask RosterState.
//
// Threading: gRPC calls the methods from its thread pool; the service holds
// no state of its own beyond the store and clock, which must outlive it.
#ifndef VAGT_SERVICES_ROSTER_ROSTER_SERVICE_H_
#define VAGT_SERVICES_ROSTER_ROSTER_SERVICE_H_

#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "vagt/v1/roster.grpc.pb.h"

namespace vagt::services {

class RosterService final : public v1::RosterService::Service {
 public:
  RosterService(eventstore::EventStore& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  grpc::Status SetRotation(grpc::ServerContext* context,
                           const v1::SetRotationRequest* request,
                           v1::CommandResult* response) override;
  grpc::Status AddOverride(grpc::ServerContext* context,
                           const v1::AddOverrideRequest* request,
                           v1::AddOverrideResponse* response) override;
  grpc::Status RemoveOverride(grpc::ServerContext* context,
                              const v1::RemoveOverrideRequest* request,
                              v1::CommandResult* response) override;
  grpc::Status WhoShouldCover(grpc::ServerContext* context,
                              const v1::WhoShouldCoverRequest* request,
                              v1::WhoShouldCoverResponse* response) override;
  grpc::Status ShowWeek(grpc::ServerContext* context,
                        const v1::ShowWeekRequest* request,
                        v1::ShowWeekResponse* response) override;
  grpc::Status ExportIcs(grpc::ServerContext* context,
                         const v1::ExportIcsRequest* request,
                         v1::ExportIcsResponse* response) override;
  grpc::Status ImportOverrides(grpc::ServerContext* context,
                               const v1::ImportOverridesRequest* request,
                               v1::ImportOverridesResponse* response) override;

 private:
  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ROSTER_ROSTER_SERVICE_H_
