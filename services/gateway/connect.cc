#include "services/gateway/connect.h"

#include <algorithm>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"

namespace vagt::gateway {
namespace {

using grpc::StatusCode;

google::protobuf::Struct ErrorStruct(const grpc::Status& status) {
  google::protobuf::Struct error;
  auto& fields = *error.mutable_fields();
  fields["code"].set_string_value(std::string(CodeName(status.error_code())));
  if (!status.error_message().empty()) {
    fields["message"].set_string_value(status.error_message());
  }
  return error;
}

std::string ToJson(const google::protobuf::Struct& message) {
  std::string json;
  // A Struct of strings always converts.
  (void)google::protobuf::util::MessageToJsonString(message, &json);
  return json;
}

}  // namespace

absl::string_view CodeName(StatusCode code) {
  switch (code) {
    case StatusCode::OK:
      return "ok";
    case StatusCode::CANCELLED:
      return "canceled";
    case StatusCode::UNKNOWN:
      return "unknown";
    case StatusCode::INVALID_ARGUMENT:
      return "invalid_argument";
    case StatusCode::DEADLINE_EXCEEDED:
      return "deadline_exceeded";
    case StatusCode::NOT_FOUND:
      return "not_found";
    case StatusCode::ALREADY_EXISTS:
      return "already_exists";
    case StatusCode::PERMISSION_DENIED:
      return "permission_denied";
    case StatusCode::RESOURCE_EXHAUSTED:
      return "resource_exhausted";
    case StatusCode::FAILED_PRECONDITION:
      return "failed_precondition";
    case StatusCode::ABORTED:
      return "aborted";
    case StatusCode::OUT_OF_RANGE:
      return "out_of_range";
    case StatusCode::UNIMPLEMENTED:
      return "unimplemented";
    case StatusCode::INTERNAL:
      return "internal";
    case StatusCode::UNAVAILABLE:
      return "unavailable";
    case StatusCode::DATA_LOSS:
      return "data_loss";
    case StatusCode::UNAUTHENTICATED:
      return "unauthenticated";
    default:
      return "unknown";
  }
}

int HttpStatusOf(StatusCode code) {
  switch (code) {
    case StatusCode::OK:
      return 200;
    case StatusCode::CANCELLED:
      return 499;
    case StatusCode::INVALID_ARGUMENT:
    case StatusCode::FAILED_PRECONDITION:
    case StatusCode::OUT_OF_RANGE:
      return 400;
    case StatusCode::DEADLINE_EXCEEDED:
      return 504;
    case StatusCode::NOT_FOUND:
      return 404;
    case StatusCode::ALREADY_EXISTS:
    case StatusCode::ABORTED:
      return 409;
    case StatusCode::PERMISSION_DENIED:
      return 403;
    case StatusCode::RESOURCE_EXHAUSTED:
      return 429;
    case StatusCode::UNIMPLEMENTED:
      return 501;
    case StatusCode::UNAVAILABLE:
      return 503;
    case StatusCode::UNAUTHENTICATED:
      return 401;
    default:  // UNKNOWN, INTERNAL, DATA_LOSS
      return 500;
  }
}

std::string ErrorJson(const grpc::Status& status) {
  return ToJson(ErrorStruct(status));
}

std::string EndStreamJson(const grpc::Status& status) {
  google::protobuf::Struct end;
  if (!status.ok()) {
    *(*end.mutable_fields())["error"].mutable_struct_value() =
        ErrorStruct(status);
  }
  return ToJson(end);
}

std::string Envelope(uint8_t flags, absl::string_view payload) {
  const auto size = static_cast<uint32_t>(payload.size());
  std::string out;
  out.reserve(5 + payload.size());
  out.push_back(static_cast<char>(flags));
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((size >> shift) & 0xff));
  }
  out.append(payload.data(), payload.size());
  return out;
}

absl::StatusOr<std::string> SingleEnvelope(absl::string_view body) {
  if (body.size() < 5) {
    return absl::InvalidArgumentError(
        "the request body is not a Connect envelope: fewer than 5 bytes");
  }
  const auto flags = static_cast<uint8_t>(body[0]);
  if (flags & kCompressedFlag) {
    return absl::InvalidArgumentError(
        "the request message is compressed; send it uncompressed");
  }
  if (flags != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("the request envelope has flags ", flags,
                     "; a request message has none"));
  }
  uint32_t size = 0;
  for (int i = 1; i <= 4; ++i) {
    size = (size << 8) | static_cast<uint8_t>(body[static_cast<size_t>(i)]);
  }
  if (body.size() - 5 != size) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the request envelope says ", size, " bytes but ", body.size() - 5,
        " follow; a server stream takes exactly one request message"));
  }
  return std::string(body.substr(5));
}

absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view header) {
  int64_t ms = 0;
  if (header.empty() || header.size() > 10 ||
      !std::all_of(header.begin(), header.end(), absl::ascii_isdigit) ||
      !absl::SimpleAtoi(header, &ms) || ms <= 0) {
    return absl::InvalidArgumentError(
        "Connect-Timeout-Ms: 1 to 10 decimal digits, a positive number of "
        "milliseconds");
  }
  return absl::Milliseconds(ms);
}

}  // namespace vagt::gateway
