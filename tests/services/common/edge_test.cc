// The edge in front of a real gRPC server on a loopback port: handlers learn
// the caller from it; a handler that runs for a refused request without
// asking is answered INTERNAL; failed logins are throttled per address and
// every refusal is in the log, without the secret.
#include "services/common/edge.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/streams.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "services/common/command_context.h"
#include "services/common/grpc_status.h"
#include "services/common/live_directory.h"
#include "tests/eventstore/test_store.h"
#include "tests/services/test_principals.h"
#include "vagt/v1/calls.grpc.pb.h"

namespace vagt::services {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// AddNote asks the edge who called and answers with it; ReceiveCall never
// asks (the bug the edge must catch).
class ProbeCallService final : public v1::CallService::Service {
 public:
  grpc::Status AddNote(grpc::ServerContext* context,
                       const v1::AddCallNoteRequest*,
                       v1::CommandResult* response) override {
    absl::StatusOr<std::string> actor = ActorOf(*context);
    if (!actor.ok()) return ToGrpcStatus(actor.status());
    response->set_stream_id(*actor);
    return grpc::Status::OK;
  }
  grpc::Status ReceiveCall(grpc::ServerContext*, const v1::ReceiveCallRequest*,
                           v1::ReceiveCallResponse*) override {
    return grpc::Status::OK;
  }
};

class EdgeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = eventstore::testing::OpenStoreAt(dir_.Child("store"));
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    ASSERT_TRUE(
        store_
            ->Append({.stream_id = kDirectoryStream,
                      .expected = eventstore::ExpectedVersion::Any(),
                      .request_id = "directory",
                      .events = testing::TestDirectoryEvents(clock_.Now())})
            .ok());
    seeded_ = store_->LastPosition();
    directory_ = std::make_unique<LiveDirectory>(*store_);
    sink_ = std::make_unique<StoreAccessSink>(*store_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(&service_);
    InstallEdge(builder,
                {.directory = directory_.get(),
                 .clock = &clock_,
                 .refusals = sink_.get(),
                 .throttle = {.burst = 3, .refill = absl::Seconds(10)}});
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = v1::CallService::NewStub(grpc::CreateChannel(
        absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }
  void TearDown() override { server_->Shutdown(); }

  grpc::Status Note(const std::string& token, v1::CommandResult* out) {
    grpc::ClientContext context;
    if (!token.empty()) context.AddMetadata("authorization", "Bearer " + token);
    return stub_->AddNote(&context, v1::AddCallNoteRequest(), out);
  }
  std::vector<v1::AccessRefused> Refusals() {
    std::vector<v1::AccessRefused> out;
    for (const v1::EventEnvelope& e : RefusalEvents()) {
      out.push_back(e.payload().access_refused());
    }
    return out;
  }
  std::vector<v1::EventEnvelope> RefusalEvents() {
    std::vector<v1::EventEnvelope> out;
    auto events = store_->ReadAll(seeded_ + 1, 1000);
    EXPECT_TRUE(events.ok());
    for (const auto& e : *events) {
      if (e.payload().has_access_refused()) out.push_back(e);
    }
    return out;
  }
  std::string AllBytes() {
    std::string all;
    auto events = store_->ReadAll(1, 10'000);
    for (const auto& e : *events) all += e.SerializeAsString();
    return all;
  }

  eventstore::testing::ScratchDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'800'000'000)};
  std::unique_ptr<eventstore::EventStore> store_;
  uint64_t seeded_ = 0;
  std::unique_ptr<LiveDirectory> directory_;
  std::unique_ptr<StoreAccessSink> sink_;
  ProbeCallService service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<v1::CallService::Stub> stub_;
};

TEST_F(EdgeTest, TheHandlerLearnsTheCallerFromTheToken) {
  v1::CommandResult out;
  ASSERT_TRUE(Note(testing::TestToken("worker:anna"), &out).ok());
  EXPECT_EQ(out.stream_id(), "worker:anna");
  EXPECT_TRUE(Refusals().empty());
}

TEST_F(EdgeTest, AHandlerThatRanWithoutAskingIsAnsweredInternal) {
  grpc::ClientContext allowed;
  allowed.AddMetadata("authorization",
                      "Bearer " + testing::TestToken("worker:anna"));
  v1::ReceiveCallResponse response;
  EXPECT_TRUE(stub_->ReceiveCall(&allowed, {}, &response).ok());

  // An auditor may not log calls; the handler did not ask, so the refusal
  // is not silently turned into a success.
  grpc::ClientContext refused;
  refused.AddMetadata("authorization",
                      "Bearer " + testing::TestToken("worker:tilsyn"));
  const grpc::Status s = stub_->ReceiveCall(&refused, {}, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_THAT(s.error_message(), HasSubstr("ran without asking the gate"));
}

TEST_F(EdgeTest, PermissionDeniedNamesTheRightAndIsRecorded) {
  v1::CommandResult out;
  const grpc::Status s = Note(testing::TestToken("worker:tilsyn"), &out);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("needs the right 'log-calls'"));
  const auto refusals = Refusals();
  ASSERT_EQ(refusals.size(), 1u);
  EXPECT_EQ(refusals[0].kind(), v1::REFUSAL_KIND_PERMISSION_DENIED);
  EXPECT_EQ(refusals[0].right(), "log-calls");
  EXPECT_EQ(refusals[0].method(), "/vagt.v1.CallService/AddNote");
  EXPECT_EQ(refusals[0].peer(), "ipv4:127.0.0.1");
  EXPECT_FALSE(refusals[0].credential_id().empty());
  EXPECT_EQ(RefusalEvents()[0].actor(), "worker:tilsyn");
}

TEST_F(EdgeTest, AForwardedPeerCountsOnlyWithTheForwardersProof) {
  const auto note_as_forwarded = [this](const std::string& proof) {
    grpc::ClientContext context;
    context.AddMetadata(std::string(kForwardedPeerKey), "ipv4:10.9.9.9:4711");
    if (!proof.empty()) {
      context.AddMetadata(std::string(kForwarderProofKey), proof);
    }
    v1::CommandResult out;
    return stub_->AddNote(&context, v1::AddCallNoteRequest(), &out);
  };
  // Whatever the metadata claims, the transport's peer counts without the
  // proof, or with a guess at it.
  EXPECT_EQ(note_as_forwarded("").error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(note_as_forwarded(std::string(64, '0')).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // A forwarder in the process (the browser gateway) knows it.
  EXPECT_EQ(note_as_forwarded(ForwarderProof()).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  const auto refusals = Refusals();
  ASSERT_EQ(refusals.size(), 3u);
  EXPECT_EQ(refusals[0].peer(), "ipv4:127.0.0.1");
  EXPECT_EQ(refusals[1].peer(), "ipv4:127.0.0.1");
  EXPECT_EQ(refusals[2].peer(), "ipv4:10.9.9.9");
}

TEST_F(EdgeTest, FailedLoginsAreThrottledPerAddressAndRecorded) {
  const std::string anna = testing::TestToken("worker:anna");
  // A guess at Anna's secret: her credential id with another secret.
  const std::string guess =
      anna.substr(0, anna.rfind('.') + 1) + std::string(64, 'f');
  v1::CommandResult out;
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(Note(guess, &out).error_code(),
              grpc::StatusCode::UNAUTHENTICATED);
  }
  // The bucket is empty: even the right token waits.
  const grpc::Status throttled = Note(anna, &out);
  EXPECT_EQ(throttled.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(throttled.error_message(), HasSubstr("too many failed logins"));

  const auto refusals = Refusals();
  ASSERT_EQ(refusals.size(), 4u);  // three failures, the throttle's start
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(refusals[i].kind(), v1::REFUSAL_KIND_UNAUTHENTICATED);
    EXPECT_EQ(refusals[i].peer(), "ipv4:127.0.0.1");
    EXPECT_THAT(refusals[i].reason(), HasSubstr("not a token"));
  }
  EXPECT_EQ(refusals[3].kind(), v1::REFUSAL_KIND_THROTTLED);
  EXPECT_THAT(AllBytes(), Not(HasSubstr(std::string(64, 'f'))));

  clock_.Advance(absl::Seconds(10));
  ASSERT_TRUE(Note(anna, &out).ok());
  EXPECT_EQ(out.stream_id(), "worker:anna");
}

TEST_F(EdgeTest, NoEdgeMeansNobodyIsAdmitted) {
  // A context the edge never saw (a service served without it).
  grpc::ServerContext context;
  const absl::StatusOr<Caller> caller = CallerOf(context);
  EXPECT_TRUE(absl::IsInternal(caller.status()));
}

}  // namespace
}  // namespace vagt::services
