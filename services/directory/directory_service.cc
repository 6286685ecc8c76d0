#include "services/directory/directory_service.h"

#include <string>

#include "domain/access_token.h"
#include "domain/directory.h"
#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "services/common/command.h"
#include "services/common/edge.h"
#include "services/common/grpc_status.h"
#include "services/common/ids.h"
#include "services/directory/directory_decisions.h"

namespace vagt::services {
namespace {

// One directory command: context, fold, decision, append, result.
template <typename Request>
absl::StatusOr<v1::CommandResult> Run(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context, const Request& request,
    v1::EventPayload::EventCase recorded,
    Decision (*decide)(const DirectoryState&, const Request&)) {
  ASSIGN_OR_RETURN(CommandContext ctx,
                   MakeCommandContext(context, request.request_id(), clock));
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      Execute<DirectoryState>(store, ctx, kDirectoryStream, recorded,
                              [&](const DirectoryState& directory) {
                                return decide(directory, request);
                              }));
  return ToCommandResult(kDirectoryStream, result);
}

absl::StatusOr<v1::IssueTokenResponse> Issue(
    eventstore::EventStore& store, const Clock& clock,
    const grpc::ServerContext& context, const v1::IssueTokenRequest& request) {
  ASSIGN_OR_RETURN(CommandContext ctx,
                   MakeCommandContext(context, request.request_id(), clock));
  AccessToken token =
      NewAccessToken(IdFromRequest("credential", ctx.request_id));
  const std::string digest = SecretDigest(token.secret);
  ASSIGN_OR_RETURN(
      eventstore::AppendResult result,
      Execute<DirectoryState>(
          store, ctx, kDirectoryStream, v1::EventPayload::kCredentialIssued,
          [&](const DirectoryState& directory) {
            return DecideIssueToken(directory, request, token.credential_id,
                                    digest, ctx.now);
          }));
  v1::IssueTokenResponse response;
  response.set_credential_id(token.credential_id);
  if (!result.replayed) response.set_token(token.text());
  // The expiry as stored (a replay answers the first issue's).
  uint64_t version = 0;
  ASSIGN_OR_RETURN(
      DirectoryState directory,
      LoadAggregate<DirectoryState>(store, kDirectoryStream, &version));
  if (const Credential* c = directory.credential(token.credential_id);
      c != nullptr) {
    *response.mutable_expires_at() = ToTimestamp(c->expires_at);
  }
  *response.mutable_result() = ToCommandResult(kDirectoryStream, result);
  return response;
}

void DescribePrincipal(const DirectoryState& directory,
                       const Principal& principal, v1::PrincipalInfo& p) {
  p.set_party_id(principal.party_id);
  p.set_kind(principal.kind);
  p.set_partner_kind(principal.partner_kind);
  p.set_display_name(principal.display_name);
  p.set_suspended(principal.suspended);
  for (const auto& [role, team] : principal.roles) {
    v1::RoleGrant& g = *p.add_roles();
    g.set_role(role);
    g.set_team_id(team);
  }
  for (const std::string& credential_id : principal.credentials) {
    const Credential& c = *directory.credential(credential_id);
    v1::CredentialInfo& info = *p.add_credentials();
    info.set_credential_id(credential_id);
    info.set_label(c.label);
    *info.mutable_issued_at() = ToTimestamp(c.issued_at);
    *info.mutable_expires_at() = ToTimestamp(c.expires_at);
    info.set_revoked(c.revoked);
  }
}

v1::Directory Describe(const DirectoryState& directory) {
  v1::Directory out;
  out.set_version(directory.version());
  for (const auto& [id, principal] : directory.principals()) {
    DescribePrincipal(directory, principal, *out.add_principals());
  }
  for (const auto& [id, team] : directory.teams()) {
    v1::TeamInfo& t = *out.add_teams();
    t.set_team_id(id);
    t.set_display_name(team.display_name);
    for (const std::string& line : team.line_ids) t.add_line_ids(line);
    for (const std::string& partner : team.partner_ids) {
      t.add_partner_ids(partner);
    }
  }
  return out;
}

absl::StatusOr<v1::Directory> Read(const eventstore::EventStore& store,
                                   const grpc::ServerContext& context) {
  RETURN_IF_ERROR(ActorOf(context).status());
  uint64_t version = 0;
  ASSIGN_OR_RETURN(
      DirectoryState directory,
      LoadAggregate<DirectoryState>(store, kDirectoryStream, &version));
  return Describe(directory);
}

absl::StatusOr<v1::WhoAmIResponse> Identify(
    const eventstore::EventStore& store, const grpc::ServerContext& context) {
  ASSIGN_OR_RETURN(Caller caller, CallerOf(context));
  uint64_t version = 0;
  ASSIGN_OR_RETURN(
      DirectoryState directory,
      LoadAggregate<DirectoryState>(store, kDirectoryStream, &version));
  const Principal* principal = directory.principal(caller.party_id);
  if (principal == nullptr) {
    return absl::UnauthenticatedError(
        "authorization: not a token this server issued");
  }
  v1::WhoAmIResponse out;
  DescribePrincipal(directory, *principal, *out.mutable_principal());
  out.set_credential_id(caller.credential_id);
  return out;
}

}  // namespace

grpc::Status DirectoryService::RegisterPrincipal(
    grpc::ServerContext* context, const v1::RegisterPrincipalRequest* request,
    v1::CommandResult* response) {
  return Answer(
      Run(store_, clock_, *context, *request,
          v1::EventPayload::kPrincipalRegistered, &DecideRegisterPrincipal),
      response);
}

grpc::Status DirectoryService::GrantRole(grpc::ServerContext* context,
                                         const v1::GrantRoleRequest* request,
                                         v1::CommandResult* response) {
  return Answer(Run(store_, clock_, *context, *request,
                    v1::EventPayload::kPrincipalRoleGranted, &DecideGrantRole),
                response);
}

grpc::Status DirectoryService::RevokeRole(grpc::ServerContext* context,
                                          const v1::RevokeRoleRequest* request,
                                          v1::CommandResult* response) {
  return Answer(Run(store_, clock_, *context, *request,
                    v1::EventPayload::kPrincipalRoleRevoked, &DecideRevokeRole),
                response);
}

grpc::Status DirectoryService::SuspendPrincipal(
    grpc::ServerContext* context, const v1::SuspendPrincipalRequest* request,
    v1::CommandResult* response) {
  return Answer(Run(store_, clock_, *context, *request,
                    v1::EventPayload::kPrincipalSuspended, &DecideSuspend),
                response);
}

grpc::Status DirectoryService::ReinstatePrincipal(
    grpc::ServerContext* context, const v1::ReinstatePrincipalRequest* request,
    v1::CommandResult* response) {
  return Answer(Run(store_, clock_, *context, *request,
                    v1::EventPayload::kPrincipalReinstated, &DecideReinstate),
                response);
}

grpc::Status DirectoryService::IssueToken(grpc::ServerContext* context,
                                          const v1::IssueTokenRequest* request,
                                          v1::IssueTokenResponse* response) {
  return Answer(Issue(store_, clock_, *context, *request), response);
}

grpc::Status DirectoryService::RevokeToken(
    grpc::ServerContext* context, const v1::RevokeTokenRequest* request,
    v1::CommandResult* response) {
  return Answer(Run(store_, clock_, *context, *request,
                    v1::EventPayload::kCredentialRevoked, &DecideRevokeToken),
                response);
}

grpc::Status DirectoryService::RegisterTeam(
    grpc::ServerContext* context, const v1::RegisterTeamRequest* request,
    v1::CommandResult* response) {
  return Answer(Run(store_, clock_, *context, *request,
                    v1::EventPayload::kTeamRegistered, &DecideRegisterTeam),
                response);
}

grpc::Status DirectoryService::RegisterLine(
    grpc::ServerContext* context, const v1::RegisterLineRequest* request,
    v1::CommandResult* response) {
  return Answer(Run(store_, clock_, *context, *request,
                    v1::EventPayload::kTeamLineRegistered, &DecideRegisterLine),
                response);
}

grpc::Status DirectoryService::AddTeamPartner(
    grpc::ServerContext* context, const v1::AddTeamPartnerRequest* request,
    v1::CommandResult* response) {
  return Answer(Run(store_, clock_, *context, *request,
                    v1::EventPayload::kTeamPartnerAdded, &DecideAddTeamPartner),
                response);
}

grpc::Status DirectoryService::GetDirectory(
    grpc::ServerContext* context, const v1::GetDirectoryRequest* /*request*/,
    v1::Directory* response) {
  return Answer(Read(store_, *context), response);
}

grpc::Status DirectoryService::WhoAmI(grpc::ServerContext* context,
                                      const v1::WhoAmIRequest* /*request*/,
                                      v1::WhoAmIResponse* response) {
  return Answer(Identify(store_, *context), response);
}

}  // namespace vagt::services
