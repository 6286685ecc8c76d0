// The rights table: which right every RPC needs, and which roles carry each
// right. The one place that says who may call what; the gate (issue #13,
// next step) looks a method up here and refuses with PERMISSION_DENIED
// naming the missing right. Relationship rules (a partner only on what is
// aimed at it, a worker only on their team's lines, consent) are checked
// against the request by the services, on top of this table.
//
//   const MethodRule* rule = RuleFor("/vagt.v1.CallService/ReceiveCall");
//   if (rule == nullptr) refuse;               // no rule: nobody may call it
//   if (!rule->exempt && !RoleCarries(role, rule->right)) refuse;
#ifndef VAGT_SERVICES_COMMON_RIGHTS_H_
#define VAGT_SERVICES_COMMON_RIGHTS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

enum class Right {
  kLogCalls,           // CallService
  kHoldLines,          // LineService
  kEscalate,           // raise, resolve, cancel an escalation
  kAnswerEscalations,  // acknowledge, accept, decline
  kReadBoard,          // OnCallService
  kReadCrisisPlans,    // CitizenService.GetCrisisPlan
  kKeepCrisisPlans,    // crisis plans and consents
  kSeePlans,           // the roster and the escalation policy, read
  kPlanLines,          // the roster and the escalation policy, set
  kReadTrail,          // AuditService
  kSeeDirectory,       // DirectoryService.GetDirectory
  kManageDirectory,    // DirectoryService, every command
  kIdentify,           // DirectoryService.WhoAmI: every role
};

// "log-calls", "manage-directory": how a refusal names the right.
absl::string_view RightName(Right right);

struct MethodRule {
  // "/vagt.v1.CallService/ReceiveCall".
  std::string method;
  Right right = Right::kReadBoard;
  // Callable without credentials (health checks, server reflection): they
  // return no data about citizens, lines or people.
  bool exempt = false;
};

// Every rule, by method.
const std::vector<MethodRule>& MethodRules();
// The rule for a full method name; null when there is none (then nobody may
// call it).
const MethodRule* RuleFor(absl::string_view method);

// Whether `role` carries `right`.
bool RoleCarries(v1::Role role, Right right);
// The roles that carry `right`, for the refusal's message.
std::vector<v1::Role> RolesWith(Right right);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_COMMON_RIGHTS_H_
