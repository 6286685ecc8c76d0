// CitizenService: the gRPC face of citizens' crisis plans and consents. Each
// method builds a CommandContext (actor, request id, now), runs the
// citizen's decision through Execute on the stream named by `citizen_ref`,
// and maps the outcome to a gRPC status in one place (ToGrpcStatus).
//
// Threading: gRPC calls the methods from its thread pool; the service holds
// no state of its own beyond the store and clock, which must outlive it.
#ifndef VAGT_SERVICES_CITIZENS_CITIZEN_SERVICE_H_
#define VAGT_SERVICES_CITIZENS_CITIZEN_SERVICE_H_

#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "vagt/v1/citizens.grpc.pb.h"

namespace vagt::services {

class CitizenService final : public v1::CitizenService::Service {
 public:
  CitizenService(eventstore::EventStore& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  grpc::Status UpdateCrisisPlan(
      grpc::ServerContext* context, const v1::UpdateCrisisPlanRequest* request,
      v1::UpdateCrisisPlanResponse* response) override;
  grpc::Status GrantConsent(grpc::ServerContext* context,
                            const v1::GrantConsentRequest* request,
                            v1::GrantConsentResponse* response) override;
  grpc::Status WithdrawConsent(grpc::ServerContext* context,
                               const v1::WithdrawConsentRequest* request,
                               v1::CommandResult* response) override;
  grpc::Status GetCrisisPlan(grpc::ServerContext* context,
                             const v1::GetCrisisPlanRequest* request,
                             v1::GetCrisisPlanResponse* response) override;

 private:
  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_CITIZENS_CITIZEN_SERVICE_H_
