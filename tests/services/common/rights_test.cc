// The rights table: every RPC of every service in proto/ has exactly one
// rule (a new RPC without one fails here), no rule names a method that does
// not exist, and the roles carry what DOMAIN.md gives them: an
// administrator no citizen data, an auditor no command.
#include "services/common/rights.h"

#include <filesystem>
#include <set>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "services/registry.h"

namespace vagt::services {
namespace {

constexpr Right kAllRights[] = {
    Right::kLogCalls,          Right::kHoldLines,    Right::kEscalate,
    Right::kAnswerEscalations, Right::kReadBoard,    Right::kReadCrisisPlans,
    Right::kKeepCrisisPlans,   Right::kSeePlans,     Right::kPlanLines,
    Right::kReadTrail,         Right::kSeeDirectory, Right::kManageDirectory,
};

// Every method of every service declared under proto/vagt/v1/.
std::set<std::string> ProtoMethods() {
  // The registry hosts every service; using it links all of their protos.
  EXPECT_FALSE(ServiceNames().empty());
  std::set<std::string> methods;
  const auto* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(VAGT_PROTO_DIR) / "vagt" / "v1")) {
    if (entry.path().extension() != ".proto") continue;
    const std::string name =
        absl::StrCat("vagt/v1/", entry.path().filename().string());
    const google::protobuf::FileDescriptor* file = pool->FindFileByName(name);
    EXPECT_NE(file, nullptr) << name << " is not linked into this test";
    if (file == nullptr) continue;
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        methods.insert(absl::StrCat("/", service->full_name(), "/",
                                    service->method(m)->name()));
      }
    }
  }
  return methods;
}

TEST(RightsTest, EveryRpcHasExactlyOneRule) {
  const std::set<std::string> methods = ProtoMethods();
  ASSERT_GE(methods.size(), 49u);
  for (const std::string& method : methods) {
    const MethodRule* rule = RuleFor(method);
    ASSERT_NE(rule, nullptr) << method << " has no rule in rights.cc";
    EXPECT_FALSE(rule->exempt) << method;
  }
  std::set<std::string> seen;
  for (const MethodRule& rule : MethodRules()) {
    EXPECT_TRUE(seen.insert(rule.method).second) << rule.method << " twice";
    if (rule.exempt) continue;
    EXPECT_TRUE(methods.contains(rule.method))
        << rule.method << " is not an RPC of proto/";
  }
}

TEST(RightsTest, OnlyHealthAndReflectionAreExempt) {
  for (const MethodRule& rule : MethodRules()) {
    if (!rule.exempt) continue;
    EXPECT_TRUE(rule.method.starts_with("/grpc.health.v1.Health/") ||
                rule.method.starts_with("/grpc.reflection."))
        << rule.method;
  }
  EXPECT_EQ(RuleFor("/vagt.v1.CallService/NoSuchMethod"), nullptr);
}

TEST(RightsTest, EveryRightHasANameAndARole) {
  std::set<std::string> names;
  for (Right right : kAllRights) {
    EXPECT_FALSE(RightName(right).empty());
    EXPECT_TRUE(names.insert(std::string(RightName(right))).second);
    EXPECT_FALSE(RolesWith(right).empty()) << RightName(right);
  }
}

TEST(RightsTest, RolesCarryWhatTheDomainGivesThem) {
  // An administrator manages the directory and reads no citizen data.
  for (Right right : kAllRights) {
    const bool directory =
        right == Right::kManageDirectory || right == Right::kSeeDirectory;
    EXPECT_EQ(RoleCarries(v1::ROLE_ADMINISTRATOR, right), directory)
        << RightName(right);
  }
  // An auditor reads the trail (and who had which right) and commands
  // nothing.
  for (Right right : kAllRights) {
    const bool reads =
        right == Right::kReadTrail || right == Right::kSeeDirectory;
    EXPECT_EQ(RoleCarries(v1::ROLE_AUDITOR, right), reads) << RightName(right);
  }
  // A team leader plans the lines; nobody else does.
  for (v1::Role role :
       {v1::ROLE_TEAM_WORKER, v1::ROLE_PARTNER, v1::ROLE_INTEGRATION,
        v1::ROLE_AUDITOR, v1::ROLE_ADMINISTRATOR}) {
    EXPECT_FALSE(RoleCarries(role, Right::kPlanLines)) << role;
  }
  EXPECT_TRUE(RoleCarries(v1::ROLE_TEAM_LEADER, Right::kPlanLines));
  // An integration only logs calls.
  for (Right right : kAllRights) {
    EXPECT_EQ(RoleCarries(v1::ROLE_INTEGRATION, right),
              right == Right::kLogCalls)
        << RightName(right);
  }
}

}  // namespace
}  // namespace vagt::services
