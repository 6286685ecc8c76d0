// EscalationService: the gRPC face of escalations. Each method builds a
// CommandContext (actor, request id, now), runs the escalation's decision
// (escalation_decisions.h) through Execute, and maps the outcome to a gRPC
// status in one place (ToGrpcStatus).
//
// RaiseEscalation reads the call's stream to check that the call is open,
// and the line's policy stream for the policy in force (and, for a request
// that leaves the target to the policy, who covers its levels). Those reads
// and the escalation's append are not one transaction: a call closed at the
// same moment may end with one escalation raised just before its close was
// recorded, which the review sees in order in the log; a policy set at the
// same moment applies from the next escalation.
//
// Threading: gRPC calls the methods from its thread pool; the service holds
// no state of its own beyond the store, clock and coverage lookup, which
// must outlive it.
#ifndef VAGT_SERVICES_ESCALATIONS_ESCALATION_SERVICE_H_
#define VAGT_SERVICES_ESCALATIONS_ESCALATION_SERVICE_H_

#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "services/escalations/coverage.h"
#include "vagt/v1/escalations.grpc.pb.h"

namespace vagt::services {

class EscalationService final : public v1::EscalationService::Service {
 public:
  // `coverage` answers who is on a policy's BACKUP and DUTY levels; its
  // builder decides where that comes from (vagtd: ActualOrPlannedCoverage,
  // the one its deadline engine asks too).
  EscalationService(eventstore::EventStore& store, const Clock& clock,
                    const CoverageLookup& coverage);

  grpc::Status RaiseEscalation(grpc::ServerContext* context,
                               const v1::RaiseEscalationRequest* request,
                               v1::RaiseEscalationResponse* response) override;
  grpc::Status Acknowledge(grpc::ServerContext* context,
                           const v1::AcknowledgeEscalationRequest* request,
                           v1::CommandResult* response) override;
  grpc::Status Accept(grpc::ServerContext* context,
                      const v1::AcceptEscalationRequest* request,
                      v1::CommandResult* response) override;
  grpc::Status Decline(grpc::ServerContext* context,
                       const v1::DeclineEscalationRequest* request,
                       v1::CommandResult* response) override;
  grpc::Status Resolve(grpc::ServerContext* context,
                       const v1::ResolveEscalationRequest* request,
                       v1::CommandResult* response) override;
  grpc::Status Cancel(grpc::ServerContext* context,
                      const v1::CancelEscalationRequest* request,
                      v1::CommandResult* response) override;

 private:
  eventstore::EventStore& store_;
  const Clock& clock_;
  const CoverageLookup& coverage_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ESCALATIONS_ESCALATION_SERVICE_H_
