// CallService through gRPC: the smoke path. (Full state-machine coverage in
// progress.)
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/service_test_server.h"
#include "vagt/v1/calls.grpc.pb.h"

namespace vagt {
namespace {

using ::vagt::testing::ServiceTestServer;

v1::ReceiveCallRequest ACitizenCalls(const std::string& request_id) {
  v1::ReceiveCallRequest r;
  r.set_request_id(request_id);
  r.set_line_id("ishoj-bos");
  r.set_caller_kind(v1::CALLER_KIND_CITIZEN);
  r.set_citizen_ref("citizen-7f3a");
  r.set_channel(v1::CONTACT_CHANNEL_PHONE);
  r.mutable_details()->set_reason("kan ikke sove, urolig");
  return r;
}

TEST(CallService, ReceivedCallCanBeNotedAssessedAndClosedOnce) {
  ServiceTestServer server;
  auto calls = v1::CallService::NewStub(server.channel());
  v1::ReceiveCallResponse received;
  ASSERT_TRUE(calls
                  ->ReceiveCall(ServiceTestServer::As("worker:anna").get(),
                                ACitizenCalls("r1"), &received)
                  .ok());
  EXPECT_EQ(received.result().stream_version(), 1u);

  v1::AssessRiskRequest risk;
  risk.set_request_id("r2");
  risk.set_call_id(received.call_id());
  risk.set_level(v1::RISK_LEVEL_MODERATE);
  risk.set_reason("har ikke sovet i to døgn");
  v1::CommandResult result;
  ASSERT_TRUE(calls
                  ->AssessRisk(ServiceTestServer::As("worker:anna").get(), risk,
                               &result)
                  .ok());
  EXPECT_EQ(result.stream_version(), 2u);

  v1::CloseCallRequest close;
  close.set_request_id("r3");
  close.set_call_id(received.call_id());
  close.set_outcome(v1::CALL_OUTCOME_RESOLVED_ON_CALL);
  ASSERT_TRUE(calls
                  ->CloseCall(ServiceTestServer::As("worker:anna").get(), close,
                              &result)
                  .ok());

  close.set_request_id("r4");
  grpc::Status again = calls->CloseCall(
      ServiceTestServer::As("worker:anna").get(), close, &result);
  EXPECT_EQ(again.error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  // A retry of the first close answers with its first result.
  close.set_request_id("r3");
  ASSERT_TRUE(calls
                  ->CloseCall(ServiceTestServer::As("worker:anna").get(), close,
                              &result)
                  .ok());
  EXPECT_TRUE(result.replayed());
  EXPECT_EQ(result.stream_version(), 3u);
  EXPECT_EQ(server.store().LastPosition(), 3u);
}

TEST(CallService, CommandWithoutActorIsUnauthenticatedAndChangesNothing) {
  ServiceTestServer server;
  auto calls = v1::CallService::NewStub(server.channel());
  v1::ReceiveCallResponse received;
  grpc::Status s = calls->ReceiveCall(ServiceTestServer::As("").get(),
                                      ACitizenCalls("r1"), &received);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_THAT(s.error_message(), ::testing::HasSubstr("x-vagt-actor"));
  EXPECT_EQ(server.store().LastPosition(), 0u);
}

}  // namespace
}  // namespace vagt
