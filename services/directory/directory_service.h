// DirectoryService: the gRPC face of the directory (proto/vagt/v1/
// directory.proto). Each command folds "directory-main" and runs its
// decision through Execute (services/common/command.h); IssueToken draws the
// token's secret here and hands only its digest to the decision, and the
// token leaves the process only in IssueToken's answer.
//
// Threading: gRPC calls the methods from its thread pool; the service holds
// no state beyond the store and clock, which must outlive it.
#ifndef VAGT_SERVICES_DIRECTORY_DIRECTORY_SERVICE_H_
#define VAGT_SERVICES_DIRECTORY_DIRECTORY_SERVICE_H_

#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "vagt/v1/directory.grpc.pb.h"

namespace vagt::services {

class DirectoryService final : public v1::DirectoryService::Service {
 public:
  DirectoryService(eventstore::EventStore& store, const Clock& clock)
      : store_(store), clock_(clock) {}

  grpc::Status RegisterPrincipal(grpc::ServerContext* context,
                                 const v1::RegisterPrincipalRequest* request,
                                 v1::CommandResult* response) override;
  grpc::Status GrantRole(grpc::ServerContext* context,
                         const v1::GrantRoleRequest* request,
                         v1::CommandResult* response) override;
  grpc::Status RevokeRole(grpc::ServerContext* context,
                          const v1::RevokeRoleRequest* request,
                          v1::CommandResult* response) override;
  grpc::Status SuspendPrincipal(grpc::ServerContext* context,
                                const v1::SuspendPrincipalRequest* request,
                                v1::CommandResult* response) override;
  grpc::Status ReinstatePrincipal(grpc::ServerContext* context,
                                  const v1::ReinstatePrincipalRequest* request,
                                  v1::CommandResult* response) override;
  grpc::Status IssueToken(grpc::ServerContext* context,
                          const v1::IssueTokenRequest* request,
                          v1::IssueTokenResponse* response) override;
  grpc::Status RevokeToken(grpc::ServerContext* context,
                           const v1::RevokeTokenRequest* request,
                           v1::CommandResult* response) override;
  grpc::Status RegisterTeam(grpc::ServerContext* context,
                            const v1::RegisterTeamRequest* request,
                            v1::CommandResult* response) override;
  grpc::Status RegisterLine(grpc::ServerContext* context,
                            const v1::RegisterLineRequest* request,
                            v1::CommandResult* response) override;
  grpc::Status AddTeamPartner(grpc::ServerContext* context,
                              const v1::AddTeamPartnerRequest* request,
                              v1::CommandResult* response) override;
  grpc::Status GetDirectory(grpc::ServerContext* context,
                            const v1::GetDirectoryRequest* request,
                            v1::Directory* response) override;
  grpc::Status WhoAmI(grpc::ServerContext* context,
                      const v1::WhoAmIRequest* request,
                      v1::WhoAmIResponse* response) override;

 private:
  eventstore::EventStore& store_;
  const Clock& clock_;
};

}  // namespace vagt::services

#endif  // VAGT_SERVICES_DIRECTORY_DIRECTORY_SERVICE_H_
