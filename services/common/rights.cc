#include "services/common/rights.h"

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"

namespace vagt::services {
namespace {

using v1::Role;

struct Grant {
  Right right;
  absl::string_view name;
  std::vector<Role> roles;
};

// Which roles carry each right. An administrator manages the directory and
// reads no citizen data by that role; an auditor reads the trail and
// commands nothing; a team leader plans and reviews; partners work what is
// aimed at them (the services narrow it to that).
const std::vector<Grant>& Grants() {
  static const auto* grants = new std::vector<Grant>{
      {Right::kLogCalls,
       "log-calls",
       {v1::ROLE_TEAM_WORKER, v1::ROLE_PARTNER, v1::ROLE_INTEGRATION}},
      {Right::kHoldLines,
       "hold-lines",
       {v1::ROLE_TEAM_WORKER, v1::ROLE_PARTNER}},
      {Right::kEscalate, "escalate", {v1::ROLE_TEAM_WORKER, v1::ROLE_PARTNER}},
      {Right::kAnswerEscalations,
       "answer-escalations",
       {v1::ROLE_TEAM_WORKER, v1::ROLE_PARTNER}},
      {Right::kReadBoard,
       "read-board",
       {v1::ROLE_TEAM_WORKER, v1::ROLE_TEAM_LEADER, v1::ROLE_PARTNER}},
      {Right::kReadCrisisPlans,
       "read-crisis-plans",
       {v1::ROLE_TEAM_WORKER, v1::ROLE_TEAM_LEADER, v1::ROLE_PARTNER}},
      {Right::kKeepCrisisPlans,
       "keep-crisis-plans",
       {v1::ROLE_TEAM_WORKER, v1::ROLE_TEAM_LEADER}},
      {Right::kSeePlans,
       "see-plans",
       {v1::ROLE_TEAM_WORKER, v1::ROLE_TEAM_LEADER, v1::ROLE_PARTNER}},
      {Right::kPlanLines, "plan-lines", {v1::ROLE_TEAM_LEADER}},
      {Right::kReadTrail,
       "read-trail",
       {v1::ROLE_TEAM_LEADER, v1::ROLE_AUDITOR}},
      {Right::kSeeDirectory,
       "see-directory",
       {v1::ROLE_ADMINISTRATOR, v1::ROLE_AUDITOR, v1::ROLE_TEAM_LEADER}},
      {Right::kManageDirectory, "manage-directory", {v1::ROLE_ADMINISTRATOR}},
      {Right::kIdentify,
       "identify",
       {v1::ROLE_TEAM_WORKER, v1::ROLE_TEAM_LEADER, v1::ROLE_AUDITOR,
        v1::ROLE_ADMINISTRATOR, v1::ROLE_PARTNER, v1::ROLE_INTEGRATION}},
  };
  return *grants;
}

const Grant& GrantOf(Right right) {
  for (const Grant& g : Grants()) {
    if (g.right == right) return g;
  }
  return Grants().front();  // every Right has a row (rights_test)
}

// (service, method names, right) rows, expanded into full method names.
struct ServiceRows {
  absl::string_view service;
  std::vector<std::pair<absl::string_view, Right>> methods;
};

std::vector<MethodRule> Expand() {
  const std::vector<ServiceRows> rows = {
      {"vagt.v1.CallService",
       {{"ReceiveCall", Right::kLogCalls},
        {"AddNote", Right::kLogCalls},
        {"AssessRisk", Right::kLogCalls},
        {"RecordCrisisPlanConsulted", Right::kLogCalls},
        {"CloseCall", Right::kLogCalls}}},
      {"vagt.v1.LineService",
       {{"TakeLine", Right::kHoldLines},
        {"OfferHandover", Right::kHoldLines},
        {"AcceptHandover", Right::kHoldLines},
        {"DeclineHandover", Right::kHoldLines},
        {"WithdrawHandover", Right::kHoldLines},
        {"PassToNightPartner", Right::kHoldLines},
        {"TakeBack", Right::kHoldLines},
        {"AssignBackup", Right::kHoldLines}}},
      {"vagt.v1.EscalationService",
       {{"RaiseEscalation", Right::kEscalate},
        {"Resolve", Right::kEscalate},
        {"Cancel", Right::kEscalate},
        {"Acknowledge", Right::kAnswerEscalations},
        {"Accept", Right::kAnswerEscalations},
        {"Decline", Right::kAnswerEscalations}}},
      {"vagt.v1.EscalationPolicyService",
       {{"GetPolicy", Right::kSeePlans}, {"SetPolicy", Right::kPlanLines}}},
      {"vagt.v1.CitizenService",
       {{"GetCrisisPlan", Right::kReadCrisisPlans},
        {"UpdateCrisisPlan", Right::kKeepCrisisPlans},
        {"GrantConsent", Right::kKeepCrisisPlans},
        {"WithdrawConsent", Right::kKeepCrisisPlans}}},
      {"vagt.v1.RosterService",
       {{"WhoShouldCover", Right::kSeePlans},
        {"ShowWeek", Right::kSeePlans},
        {"ExportIcs", Right::kSeePlans},
        {"SetRotation", Right::kPlanLines},
        {"AddOverride", Right::kPlanLines},
        {"RemoveOverride", Right::kPlanLines},
        {"ImportOverrides", Right::kPlanLines}}},
      {"vagt.v1.OnCallService",
       {{"GetBoard", Right::kReadBoard}, {"WatchBoard", Right::kReadBoard}}},
      {"vagt.v1.AuditService",
       {{"Timeline", Right::kReadTrail},
        {"BoardAt", Right::kReadTrail},
        {"Verify", Right::kReadTrail},
        {"ExportReview", Right::kReadTrail}}},
      {"vagt.v1.DirectoryService",
       {{"GetDirectory", Right::kSeeDirectory},
        {"WhoAmI", Right::kIdentify},
        {"RegisterPrincipal", Right::kManageDirectory},
        {"GrantRole", Right::kManageDirectory},
        {"RevokeRole", Right::kManageDirectory},
        {"SuspendPrincipal", Right::kManageDirectory},
        {"ReinstatePrincipal", Right::kManageDirectory},
        {"IssueToken", Right::kManageDirectory},
        {"RevokeToken", Right::kManageDirectory},
        {"RegisterTeam", Right::kManageDirectory},
        {"RegisterLine", Right::kManageDirectory},
        {"AddTeamPartner", Right::kManageDirectory}}},
  };
  std::vector<MethodRule> rules;
  for (const ServiceRows& row : rows) {
    for (const auto& [method, right] : row.methods) {
      rules.push_back({.method = absl::StrCat("/", row.service, "/", method),
                       .right = right});
    }
  }
  for (absl::string_view exempt :
       {"/grpc.health.v1.Health/Check", "/grpc.health.v1.Health/Watch",
        "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo"}) {
    rules.push_back({.method = std::string(exempt), .exempt = true});
  }
  return rules;
}

}  // namespace

absl::string_view RightName(Right right) { return GrantOf(right).name; }

const std::vector<MethodRule>& MethodRules() {
  static const auto* rules = new std::vector<MethodRule>(Expand());
  return *rules;
}

const MethodRule* RuleFor(absl::string_view method) {
  static const auto* index = [] {
    auto* out = new absl::flat_hash_map<std::string, const MethodRule*>();
    for (const MethodRule& rule : MethodRules())
      out->emplace(rule.method, &rule);
    return out;
  }();
  auto it = index->find(method);
  return it == index->end() ? nullptr : it->second;
}

bool RoleCarries(v1::Role role, Right right) {
  for (Role r : GrantOf(right).roles) {
    if (r == role) return true;
  }
  return false;
}

std::vector<v1::Role> RolesWith(Right right) { return GrantOf(right).roles; }

}  // namespace vagt::services
