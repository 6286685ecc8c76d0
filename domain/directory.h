// DirectoryState: who may use vagt, folded from the stream "directory-main"
// (events.proto, "Directory"): principals with their roles and credentials,
// teams with their lines and partners. The directory's decisions
// (services/directory/) and the gate that authenticates every request
// (services/common/gate.h) read it; neither keeps a copy of its rules.
//
//   DirectoryState directory;
//   for (const v1::EventEnvelope& e : events) directory.Apply(e);
//   const Principal* anna = directory.principal("worker:anna");
//   if (anna != nullptr && anna->Holds(v1::ROLE_TEAM_WORKER, "ishoj-bos")) ...
#ifndef VAGT_DOMAIN_DIRECTORY_H_
#define VAGT_DOMAIN_DIRECTORY_H_

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "domain/streams.h"
#include "vagt/v1/events.pb.h"

namespace vagt {

// Party ids of principals: "worker:", "partner:" or "system:" and 1-64 of
// [a-z0-9._-]. INVALID_ARGUMENT naming `field` otherwise.
absl::Status CheckPrincipalId(const std::string& party_id,
                              absl::string_view field);
// Team and line ids: 1-64 of [a-z0-9._-].
absl::Status CheckDirectoryName(const std::string& id, absl::string_view field);
// The kind a party id's prefix names (UNSPECIFIED for none).
v1::PrincipalKind KindOfPrincipalId(absl::string_view party_id);
// Whether `role` is held for one team (TEAM_WORKER, TEAM_LEADER,
// INTEGRATION), and which principal kind may hold it.
bool IsTeamRole(v1::Role role);
v1::PrincipalKind KindForRole(v1::Role role);

struct Credential {
  std::string credential_id;
  std::string party_id;
  std::string label;
  std::string secret_sha256;  // 32 bytes
  absl::Time issued_at;
  absl::Time expires_at;
  bool revoked = false;
};

struct Principal {
  std::string party_id;
  v1::PrincipalKind kind = v1::PRINCIPAL_KIND_UNSPECIFIED;
  v1::PartyKind partner_kind = v1::PARTY_KIND_UNSPECIFIED;
  std::string display_name;
  bool suspended = false;
  // (role, team id; "" for a role of the whole installation).
  std::set<std::pair<v1::Role, std::string>> roles;
  // By credential id.
  std::set<std::string> credentials;

  bool Holds(v1::Role role, const std::string& team_id = "") const {
    return roles.contains({role, team_id});
  }
};

struct Team {
  std::string team_id;
  std::string display_name;
  std::set<std::string> line_ids;
  std::set<std::string> partner_ids;
};

class DirectoryState {
 public:
  // Events of other streams are ignored.
  void Apply(const v1::EventEnvelope& event);

  // Null when unknown.
  const Principal* principal(const std::string& party_id) const;
  const Credential* credential(const std::string& credential_id) const;
  const Team* team(const std::string& team_id) const;
  // The team a line belongs to; null for an unregistered line.
  const Team* TeamOfLine(const std::string& line_id) const;

  const std::map<std::string, Principal>& principals() const {
    return principals_;
  }
  const std::map<std::string, Team>& teams() const { return teams_; }
  const std::map<std::string, Credential>& credentials() const {
    return credentials_;
  }
  // The stream version folded so far.
  uint64_t version() const { return version_; }

 private:
  std::map<std::string, Principal> principals_;
  std::map<std::string, Credential> credentials_;
  std::map<std::string, Team> teams_;
  std::map<std::string, std::string> team_of_line_;
  uint64_t version_ = 0;
};

}  // namespace vagt

#endif  // VAGT_DOMAIN_DIRECTORY_H_
