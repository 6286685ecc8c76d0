// CallService: the gRPC face of calls. Each method builds a CommandContext
// (actor, request id, now), runs the call's decision through Execute, and maps
// the outcome to a gRPC status in one place (ToGrpcStatus).
//
// Threading: gRPC calls the methods from its thread pool; the service holds
// no state of its own beyond the store and clock, which must outlive it.
#ifndef VAGT_SERVICES_CALLS_CALL_SERVICE_H_
#define VAGT_SERVICES_CALLS_CALL_SERVICE_H_

#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "vagt/v1/calls.grpc.pb.h"

namespace vagt::services {

class CallService final : public v1::CallService::Service {
 public:
  CallService(eventstore::EventStore& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  grpc::Status ReceiveCall(grpc::ServerContext* context,
                           const v1::ReceiveCallRequest* request,
                           v1::ReceiveCallResponse* response) override;
  grpc::Status AddNote(grpc::ServerContext* context,
                       const v1::AddCallNoteRequest* request,
                       v1::CommandResult* response) override;
  grpc::Status AssessRisk(grpc::ServerContext* context,
                          const v1::AssessRiskRequest* request,
                          v1::CommandResult* response) override;
  grpc::Status RecordCrisisPlanConsulted(
      grpc::ServerContext* context,
      const v1::RecordCrisisPlanConsultedRequest* request,
      v1::CommandResult* response) override;
  grpc::Status CloseCall(grpc::ServerContext* context,
                         const v1::CloseCallRequest* request,
                         v1::CommandResult* response) override;

 private:
  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_CALLS_CALL_SERVICE_H_
