// The authorization matrix against a real vagtd: every method of every
// service it serves, found through server reflection (so that a new RPC
// without a rule in the rights table fails here), called with an empty
// request by one principal of each role and by nobody. The rights table
// (services/common/rights.h) says which are admitted; the rules DOMAIN.md
// states are checked on their own, so that a wrong table fails too.
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "gmock/gmock.h"
#include "google/protobuf/descriptor.pb.h"
#include "grpc/reflection/v1alpha/reflection.grpc.pb.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "services/common/rights.h"
#include "tests/support/test_roles.h"
#include "tests/support/vagtd_fixture.h"

namespace vagt {
namespace {

using ::grpc::reflection::v1alpha::ServerReflection;
using ::grpc::reflection::v1alpha::ServerReflectionRequest;
using ::grpc::reflection::v1alpha::ServerReflectionResponse;
using services::MethodRule;
using services::RoleCarries;
using services::RuleFor;

// One principal holding each role, and nothing else.
const std::map<v1::Role, std::string>& PrincipalOfEachRole() {
  static const auto* principals = new std::map<v1::Role, std::string>{
      {v1::ROLE_TEAM_WORKER, testing::kOnlyTeamWorker},
      {v1::ROLE_TEAM_LEADER, testing::kOnlyTeamLeader},
      {v1::ROLE_AUDITOR, "worker:tilsyn"},
      {v1::ROLE_ADMINISTRATOR, "worker:admin"},
      {v1::ROLE_PARTNER, "partner:natpartner"},
      {v1::ROLE_INTEGRATION, "system:a"},
  };
  return *principals;
}

struct Method {
  std::string full_name;  // "/vagt.v1.CallService/ReceiveCall"
  std::string service;    // "vagt.v1.CallService"
};

// Every method of every service the server lists, through reflection.
std::vector<Method> ReflectedMethods(
    const std::shared_ptr<grpc::Channel>& channel) {
  auto stub = ServerReflection::NewStub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  auto stream = stub->ServerReflectionInfo(&context);
  auto ask = [&](const ServerReflectionRequest& request) {
    ServerReflectionResponse response;
    EXPECT_TRUE(stream->Write(request));
    EXPECT_TRUE(stream->Read(&response));
    return response;
  };
  ServerReflectionRequest list;
  list.set_list_services("");
  std::vector<std::string> services;
  const ServerReflectionResponse listed = ask(list);
  for (const auto& s : listed.list_services_response().service()) {
    services.push_back(s.name());
  }
  std::vector<Method> methods;
  std::set<std::string> seen_files;
  for (const std::string& service : services) {
    if (service == "grpc.health.v1.Health") {
      // gRPC's own health service is served without a descriptor to
      // reflect; its two methods are fixed by the health checking protocol.
      for (const char* m : {"Check", "Watch"}) {
        methods.push_back({absl::StrCat("/", service, "/", m), service});
      }
      continue;
    }
    ServerReflectionRequest file;
    file.set_file_containing_symbol(service);
    const ServerReflectionResponse response = ask(file);
    EXPECT_TRUE(response.has_file_descriptor_response()) << service;
    for (const std::string& bytes :
         response.file_descriptor_response().file_descriptor_proto()) {
      google::protobuf::FileDescriptorProto proto;
      EXPECT_TRUE(proto.ParseFromString(bytes));
      for (const auto& s : proto.service()) {
        const std::string name = absl::StrCat(proto.package(), ".", s.name());
        if (name != service) continue;
        for (const auto& m : s.method()) {
          methods.push_back({absl::StrCat("/", name, "/", m.name()), name});
        }
      }
    }
  }
  stream->WritesDone();
  EXPECT_TRUE(stream->Finish().ok());
  return methods;
}

// Calls `method` with one empty message, as `token` ("" for none), and
// returns how the call ended. A call that streams back is admitted; it is
// cancelled after its first message.
grpc::Status CallEmpty(const std::shared_ptr<grpc::Channel>& channel,
                       const std::string& method, const std::string& token) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + absl::Seconds(60)));
  if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&context, method, &cq);
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](intptr_t id) {
    return cq.Next(&tag, &ok) && tag == reinterpret_cast<void*>(id);
  };
  call->StartCall(reinterpret_cast<void*>(1));
  step(1);
  grpc::Slice empty;
  grpc::ByteBuffer request(&empty, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  step(2);
  call->WritesDone(reinterpret_cast<void*>(3));
  step(3);
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(4));
  if (step(4) && ok) context.TryCancel();  // admitted, and answering
  grpc::Status status;
  call->Finish(&status, reinterpret_cast<void*>(5));
  step(5);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  return status;
}

// Whether the edge let the call through to its handler.
bool Admitted(const grpc::Status& s) {
  return s.error_code() != grpc::StatusCode::UNAUTHENTICATED &&
         !(s.error_code() == grpc::StatusCode::PERMISSION_DENIED &&
           absl::StrContains(s.error_message(), "needs the right")) &&
         s.error_code() != grpc::StatusCode::UNIMPLEMENTED;
}

class AuthorizationMatrix : public testing::VagtdFixture {
 protected:
  // Every anonymous call is a failed login: the throttle would end the
  // sweep long before its end.
  AuthorizationMatrix()
      : VagtdFixture(VAGTD_PATH, VAGTCTL_PATH, "worker:admin",
                     {"--failed_logins_per_peer=100000"}) {}
};

TEST_F(AuthorizationMatrix, EveryMethodAgainstEveryRoleAsTheTableSays) {
  auto channel =
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
  const std::vector<Method> methods = ReflectedMethods(channel);
  // Each of vagt's services, and the health check and reflection.
  std::set<std::string> services;
  for (const Method& m : methods) services.insert(m.service);
  EXPECT_GE(services.size(), 11u);
  EXPECT_TRUE(services.contains("vagt.v1.CallService"));
  EXPECT_TRUE(services.contains("grpc.health.v1.Health"));

  std::map<v1::Role, std::string> tokens;
  for (const auto& [role, party] : PrincipalOfEachRole()) {
    tokens[role] = TokenFor(party);
  }
  int checked = 0;
  for (const Method& method : methods) {
    SCOPED_TRACE(method.full_name);
    const MethodRule* rule = RuleFor(method.full_name);
    ASSERT_NE(rule, nullptr) << "no rule in the rights table";
    const grpc::Status anonymous = CallEmpty(channel, method.full_name, "");
    if (rule->exempt) {
      EXPECT_TRUE(Admitted(anonymous)) << anonymous.error_message();
    } else {
      EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << anonymous.error_message();
    }
    for (const auto& [role, token] : tokens) {
      SCOPED_TRACE(v1::Role_Name(role));
      const grpc::Status s = CallEmpty(channel, method.full_name, token);
      // A handler that ran without asking the gate is answered INTERNAL.
      EXPECT_NE(s.error_code(), grpc::StatusCode::INTERNAL)
          << s.error_message();
      const bool allowed = rule->exempt || RoleCarries(role, rule->right);
      EXPECT_EQ(Admitted(s), allowed) << s.error_message();
      if (!allowed) {
        EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
        EXPECT_THAT(s.error_message(),
                    ::testing::HasSubstr(absl::StrCat(
                        "needs the right '", RightName(rule->right), "'")));
      }
      ++checked;
    }
  }
  EXPECT_GT(checked, 6 * 50);
}

// DOMAIN.md's rules, checked against what vagtd admits rather than against
// the table itself.
TEST_F(AuthorizationMatrix, DomainRulesHoldOverTheWire) {
  auto channel =
      grpc::CreateChannel(address_, grpc::InsecureChannelCredentials());
  const std::vector<Method> methods = ReflectedMethods(channel);
  const std::string auditor = TokenFor("worker:tilsyn");
  const std::string admin = TokenFor("worker:admin");
  const std::string leader = TokenFor(testing::kOnlyTeamLeader);
  const std::string worker = TokenFor(testing::kOnlyTeamWorker);
  const std::string partner = TokenFor("partner:natpartner");
  // Methods that only read.
  auto reads = [](const std::string& name) {
    for (const char* verb :
         {"/Get", "/Watch", "/Who", "/Show", "/Export", "/Timeline", "/BoardAt",
          "/Verify", "/ServerReflectionInfo", "/Check"}) {
      if (absl::StrContains(name, verb)) return true;
    }
    return false;
  };
  auto citizen_data = [](const Method& m) {
    return m.service == "vagt.v1.CallService" ||
           m.service == "vagt.v1.CitizenService" ||
           m.service == "vagt.v1.OnCallService" ||
           m.service == "vagt.v1.AuditService" ||
           m.service == "vagt.v1.EscalationService";
  };
  for (const Method& m : methods) {
    SCOPED_TRACE(m.full_name);
    // An auditor reads the trail and commands nothing.
    if (!reads(m.full_name)) {
      EXPECT_FALSE(Admitted(CallEmpty(channel, m.full_name, auditor)));
    }
    // An administrator manages principals but reads no citizen data.
    if (citizen_data(m)) {
      EXPECT_FALSE(Admitted(CallEmpty(channel, m.full_name, admin)));
    }
    // Rosters and policies are set by a team leader only.
    if (m.full_name == "/vagt.v1.RosterService/SetRotation" ||
        m.full_name == "/vagt.v1.EscalationPolicyService/SetPolicy") {
      EXPECT_TRUE(Admitted(CallEmpty(channel, m.full_name, leader)));
      EXPECT_FALSE(Admitted(CallEmpty(channel, m.full_name, worker)));
      EXPECT_FALSE(Admitted(CallEmpty(channel, m.full_name, partner)));
    }
    // Only an administrator changes the directory.
    if (m.service == "vagt.v1.DirectoryService" && !reads(m.full_name)) {
      EXPECT_TRUE(Admitted(CallEmpty(channel, m.full_name, admin)));
      for (const std::string* other : {&auditor, &leader, &worker, &partner}) {
        EXPECT_FALSE(Admitted(CallEmpty(channel, m.full_name, *other)));
      }
    }
  }
}

}  // namespace
}  // namespace vagt
