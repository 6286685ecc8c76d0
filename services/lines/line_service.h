// LineService: the gRPC face of the on-call line. Each method builds a
// CommandContext (actor, request id, now), runs the line's decision through
// Execute on "line-<line_id>", and maps the outcome to a gRPC status in one
// place (ToGrpcStatus). A handover note also reads the calls and escalations
// its items cite, for the citizen each is about (CallState, EscalationState),
// and a handover to the night partner the consents of those citizens
// (CitizenState::ConsentCovering). None of these reads writes.
//
// Threading: gRPC calls the methods from its thread pool; the service holds
// no state of its own beyond the store and clock, which must outlive it.
#ifndef VAGT_SERVICES_LINES_LINE_SERVICE_H_
#define VAGT_SERVICES_LINES_LINE_SERVICE_H_

#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "vagt/v1/lines.grpc.pb.h"

namespace vagt::services {

class LineService final : public v1::LineService::Service {
 public:
  LineService(eventstore::EventStore& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  grpc::Status TakeLine(grpc::ServerContext* context,
                        const v1::TakeLineRequest* request,
                        v1::CommandResult* response) override;
  grpc::Status OfferHandover(grpc::ServerContext* context,
                             const v1::OfferHandoverRequest* request,
                             v1::LineHandoverResponse* response) override;
  grpc::Status AcceptHandover(grpc::ServerContext* context,
                              const v1::AcceptHandoverRequest* request,
                              v1::CommandResult* response) override;
  grpc::Status DeclineHandover(grpc::ServerContext* context,
                               const v1::DeclineHandoverRequest* request,
                               v1::CommandResult* response) override;
  grpc::Status WithdrawHandover(grpc::ServerContext* context,
                                const v1::WithdrawHandoverRequest* request,
                                v1::CommandResult* response) override;
  grpc::Status PassToNightPartner(grpc::ServerContext* context,
                                  const v1::PassToNightPartnerRequest* request,
                                  v1::LineHandoverResponse* response) override;
  grpc::Status TakeBack(grpc::ServerContext* context,
                        const v1::TakeBackRequest* request,
                        v1::LineHandoverResponse* response) override;
  grpc::Status AssignBackup(grpc::ServerContext* context,
                            const v1::AssignBackupRequest* request,
                            v1::CommandResult* response) override;

 private:
  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_LINES_LINE_SERVICE_H_
