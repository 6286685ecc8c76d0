// The Connect protocol's wire pieces and the JSON codec, without a server.
#include "services/gateway/connect.h"

#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/gateway/json_codec.h"
#include "vagt/v1/calls.pb.h"

namespace vagt::gateway {
namespace {

using ::testing::HasSubstr;

TEST(ConnectTest, CodesMapToConnectsNamesAndHttpStatuses) {
  EXPECT_EQ(CodeName(grpc::StatusCode::PERMISSION_DENIED), "permission_denied");
  EXPECT_EQ(CodeName(grpc::StatusCode::CANCELLED), "canceled");
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAUTHENTICATED), 401);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::PERMISSION_DENIED), 403);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::FAILED_PRECONDITION), 400);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::ALREADY_EXISTS), 409);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::RESOURCE_EXHAUSTED), 429);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::UNAVAILABLE), 503);
  EXPECT_EQ(HttpStatusOf(grpc::StatusCode::DATA_LOSS), 500);
}

// `json` parsed, as a client would (the order of its keys is free).
google::protobuf::Struct Parsed(const std::string& json) {
  google::protobuf::Struct out;
  EXPECT_TRUE(google::protobuf::util::JsonStringToMessage(json, &out).ok())
      << json;
  return out;
}

TEST(ConnectTest, ErrorsAndTheEndOfAStreamAreJson) {
  const google::protobuf::Struct error =
      Parsed(ErrorJson(grpc::Status(grpc::StatusCode::NOT_FOUND, "no \"x\"")));
  ASSERT_EQ(error.fields_size(), 2);
  EXPECT_EQ(error.fields().at("code").string_value(), "not_found");
  EXPECT_EQ(error.fields().at("message").string_value(), "no \"x\"");
  EXPECT_EQ(EndStreamJson(grpc::Status::OK), "{}");
  const google::protobuf::Struct end =
      Parsed(EndStreamJson(grpc::Status(grpc::StatusCode::UNAVAILABLE, "bye")));
  ASSERT_EQ(end.fields_size(), 1);
  const auto& inner = end.fields().at("error").struct_value().fields();
  EXPECT_EQ(inner.at("code").string_value(), "unavailable");
  EXPECT_EQ(inner.at("message").string_value(), "bye");
}

TEST(ConnectTest, OneEnvelopeRoundTripsAndAnythingElseIsNamed) {
  const std::string envelope = Envelope(0, R"({"lineId":"l"})");
  ASSERT_EQ(envelope.size(), 5u + 14u);
  EXPECT_EQ(envelope.substr(0, 5), std::string("\0\0\0\0\x0e", 5));
  EXPECT_EQ(SingleEnvelope(envelope).value(), R"({"lineId":"l"})");
  EXPECT_EQ(static_cast<uint8_t>(Envelope(kEndStreamFlag, "{}")[0]), 2);

  EXPECT_THAT(SingleEnvelope("abc").status().message(),
              HasSubstr("fewer than 5 bytes"));
  EXPECT_THAT(SingleEnvelope(envelope + envelope).status().message(),
              HasSubstr("exactly one request message"));
  std::string compressed = envelope;
  compressed[0] = 1;
  EXPECT_THAT(SingleEnvelope(compressed).status().message(),
              HasSubstr("compressed"));
}

TEST(ConnectTest, TimeoutsArePositiveMilliseconds) {
  EXPECT_EQ(ParseTimeout("2500").value(), absl::Milliseconds(2500));
  for (const char* bad : {"", "0", "-5", "1.5", "12345678901", "10s"}) {
    EXPECT_FALSE(ParseTimeout(bad).ok()) << bad;
  }
}

TEST(JsonCodecTest, AMethodIsFoundByItsPathAndItsMessagesConvert) {
  absl::StatusOr<MethodCodec> codec =
      MethodCodec::ForPath("/vagt.v1.CallService/ReceiveCall");
  ASSERT_TRUE(codec.ok()) << codec.status();
  EXPECT_EQ(codec->grpc_method(), "/vagt.v1.CallService/ReceiveCall");
  EXPECT_FALSE(codec->server_streaming());
  absl::StatusOr<std::string> binary = codec->RequestToBinary(
      R"({"lineId":"ishoj-bos","callerKind":"CALLER_KIND_ANONYMOUS"})");
  ASSERT_TRUE(binary.ok()) << binary.status();
  v1::ReceiveCallRequest request;
  ASSERT_TRUE(request.ParseFromString(*binary));
  EXPECT_EQ(request.line_id(), "ishoj-bos");
  EXPECT_EQ(request.caller_kind(), v1::CALLER_KIND_ANONYMOUS);

  v1::ReceiveCallResponse response;
  response.set_call_id("c-1");
  EXPECT_EQ(codec->ResponseToJson(response.SerializeAsString()).value(),
            R"({"callId":"c-1"})");

  EXPECT_TRUE(MethodCodec::ForPath("/vagt.v1.OnCallService/WatchBoard")
                  ->server_streaming());
}

TEST(JsonCodecTest, BadRequestsAndPathsAreNamed) {
  auto codec = MethodCodec::ForPath("/vagt.v1.CallService/ReceiveCall");
  ASSERT_TRUE(codec.ok());
  const absl::Status bad_field =
      codec->RequestToBinary(R"({"lineid":"x"})").status();
  EXPECT_EQ(bad_field.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(bad_field.message(),
              HasSubstr("not a vagt.v1.ReceiveCallRequest in JSON"));
  EXPECT_FALSE(codec->RequestToBinary("{").ok());
  EXPECT_FALSE(codec->RequestToBinary(R"({"callerKind":"NO_SUCH"})").ok());

  EXPECT_EQ(MethodCodec::ForPath("/vagt.v1.CallService/Nope").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(
      MethodCodec::ForPath("/grpc.health.v1.Health/Check").status().code(),
      absl::StatusCode::kNotFound);
  EXPECT_EQ(MethodCodec::ForPath("/").status().code(),
            absl::StatusCode::kNotFound);
  EXPECT_EQ(MethodCodec::ForPath("vagt.v1.CallService").status().code(),
            absl::StatusCode::kNotFound);
}

}  // namespace
}  // namespace vagt::gateway
