// Edge: the one place where every request's caller is decided, for every
// service a server hosts (a gRPC server interceptor, installed by
// InstallEdge). Before a handler runs, the edge admits the request (gate.h:
// the bearer token against the directory, the method against the rights
// table), throttles failed logins per peer address (login_throttle.h) and
// records every refusal in the trail (AccessRefused, through the AccessSink,
// so durably in both the store's process and the queries role).
//
// A handler's first step asks for the verdict; nothing else in a service
// looks at credentials or metadata:
//
//   ASSIGN_OR_RETURN(Caller caller, CallerOf(*context));   // or
//   ASSIGN_OR_RETURN(CommandContext ctx, MakeCommandContext(*context, ...));
//
// A refused request is answered with its refusal whatever the handler
// returns; a handler that ran for a refused request without asking is a bug,
// answered INTERNAL (the authorisation matrix test calls every method with
// every role, so it cannot go unnoticed).
#ifndef VAGT_SERVICES_COMMON_EDGE_H_
#define VAGT_SERVICES_COMMON_EDGE_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "eventstore/clock.h"
#include "grpcpp/server_builder.h"
#include "grpcpp/server_context.h"
#include "services/common/access_log.h"
#include "services/common/gate.h"
#include "services/common/login_throttle.h"

namespace vagt::services {

// The metadata through which a forwarder in this process (the browser
// gateway) names its client's address ("ipv4:10.0.0.5:53211"), and the
// proof that it is one: ForwarderProof(), a secret drawn from OpenSSL's
// CSPRNG when the process starts, which no outside client can know. The
// edge believes the address only with the proof (compared in constant
// time); otherwise the transport's peer counts.
inline constexpr std::string_view kForwardedPeerKey = "x-vagt-forwarded-peer";
inline constexpr std::string_view kForwarderProofKey = "x-vagt-forwarder-proof";
const std::string& ForwarderProof();

struct EdgeOptions {
  // Everything must outlive the server.
  const DirectorySource* directory = nullptr;
  const Clock* clock = nullptr;
  // Where refusals are recorded.
  AccessSink* refusals = nullptr;
  ThrottleOptions throttle;
  // Verifies OpenID Connect tokens (oidc.h); null: only vagt access tokens.
  const OidcVerifier* oidc = nullptr;
  // For vagt-bench alone, to measure what authentication costs: every
  // request is admitted as this principal of the directory, its credentials
  // never looked at. vagtd has no way to set it.
  std::string bench_admit_everyone_as;
};

// Puts the edge in front of every service `builder` will serve.
void InstallEdge(grpc::ServerBuilder& builder, EdgeOptions options);

// The caller of the request `call` is handling, as the edge admitted it;
// the refusal when it did not; INTERNAL when no edge is installed (fail
// closed).
absl::StatusOr<Caller> CallerOf(const grpc::ServerContextBase& call);

// For a call that lasts (a board watch): admits its credentials again
// against the directory as it is now, so that a token revoked, expired or
// suspended meanwhile ends the stream with its refusal; the caller as the
// directory now has it, for the relationship rules (scope.h).
absl::StatusOr<Caller> StillAdmitted(const grpc::ServerContextBase& call);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_EDGE_H_
