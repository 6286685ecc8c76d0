// EscalationPolicyService: a line's escalation policy, read and set
// (proto/vagt/v1/escalations.proto). SetPolicy runs through Execute
// (services/common/command.h): the policy stream "policy-<line id>" is
// folded, the request validated (policy.h, ValidatePolicy), and one
// EscalationPolicySet appended with the stream's exact version.
//
// Threading: gRPC calls the methods from its thread pool; the service holds
// no state of its own beyond the store and clock, which must outlive it.
#ifndef VAGT_SERVICES_ESCALATIONS_POLICY_SERVICE_H_
#define VAGT_SERVICES_ESCALATIONS_POLICY_SERVICE_H_

#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "vagt/v1/escalations.grpc.pb.h"

namespace vagt::services {

class EscalationPolicyService final
    : public v1::EscalationPolicyService::Service {
 public:
  EscalationPolicyService(eventstore::EventStore& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  grpc::Status GetPolicy(grpc::ServerContext* context,
                         const v1::GetPolicyRequest* request,
                         v1::GetPolicyResponse* response) override;
  grpc::Status SetPolicy(grpc::ServerContext* context,
                         const v1::SetPolicyRequest* request,
                         v1::SetPolicyResponse* response) override;

 private:
  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ESCALATIONS_POLICY_SERVICE_H_
