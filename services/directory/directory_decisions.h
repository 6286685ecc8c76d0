// The decisions of the directory's commands: pure functions of the folded
// DirectoryState (domain/directory.h) and the request, returning the events
// to append to "directory-main" or why not. No I/O, no clock, no randomness:
// IssueToken's service draws the secret and passes its digest in.
#ifndef VAGT_SERVICES_DIRECTORY_DIRECTORY_DECISIONS_H_
#define VAGT_SERVICES_DIRECTORY_DIRECTORY_DECISIONS_H_

#include <string>

#include "absl/time/time.h"
#include "domain/decision.h"
#include "domain/directory.h"
#include "vagt/v1/directory.pb.h"

namespace vagt::services {

Decision DecideRegisterPrincipal(const DirectoryState& directory,
                                 const v1::RegisterPrincipalRequest& request);
Decision DecideGrantRole(const DirectoryState& directory,
                         const v1::GrantRoleRequest& request);
Decision DecideRevokeRole(const DirectoryState& directory,
                          const v1::RevokeRoleRequest& request);
Decision DecideSuspend(const DirectoryState& directory,
                       const v1::SuspendPrincipalRequest& request);
Decision DecideReinstate(const DirectoryState& directory,
                         const v1::ReinstatePrincipalRequest& request);

// The token's validity: `valid_for` unset means kDefaultTokenLifetime.
inline constexpr absl::Duration kDefaultTokenLifetime = absl::Hours(90 * 24);
inline constexpr absl::Duration kMaxTokenLifetime = absl::Hours(400 * 24);

// `credential_id` is new; `secret_sha256` the digest of the token's secret;
// `now` the moment of issue.
Decision DecideIssueToken(const DirectoryState& directory,
                          const v1::IssueTokenRequest& request,
                          const std::string& credential_id,
                          const std::string& secret_sha256, absl::Time now);
Decision DecideRevokeToken(const DirectoryState& directory,
                           const v1::RevokeTokenRequest& request);
Decision DecideRegisterTeam(const DirectoryState& directory,
                            const v1::RegisterTeamRequest& request);
Decision DecideRegisterLine(const DirectoryState& directory,
                            const v1::RegisterLineRequest& request);
Decision DecideAddTeamPartner(const DirectoryState& directory,
                              const v1::AddTeamPartnerRequest& request);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_DIRECTORY_DIRECTORY_DECISIONS_H_
