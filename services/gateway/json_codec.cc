#include "services/gateway/json_codec.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"
#include "vagt/v1/audit.pb.h"
#include "vagt/v1/calls.pb.h"
#include "vagt/v1/citizens.pb.h"
#include "vagt/v1/directory.pb.h"
#include "vagt/v1/escalations.pb.h"
#include "vagt/v1/lines.pb.h"
#include "vagt/v1/oncall.pb.h"
#include "vagt/v1/roster.pb.h"

namespace vagt::gateway {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::DescriptorPool;
using google::protobuf::Message;
using google::protobuf::MessageFactory;
using google::protobuf::MethodDescriptor;

// Only the project's own API is reachable through the gateway (not, say,
// reflection or health, which are served to gRPC clients only).
constexpr absl::string_view kPackage = "vagt.v1.";

// Every vagt.v1 file with a service, in the pool whatever else the binary
// links: a descriptor of each file's makes the linker keep the file.
const DescriptorPool& Pool() {
  static const Descriptor* const kOnePerFile[] = {
      v1::TimelineRequest::descriptor(),
      v1::ReceiveCallRequest::descriptor(),
      v1::GetCrisisPlanRequest::descriptor(),
      v1::WhoAmIRequest::descriptor(),
      v1::RaiseEscalationRequest::descriptor(),
      v1::TakeLineRequest::descriptor(),
      v1::WatchBoardRequest::descriptor(),
      v1::ShowWeekRequest::descriptor()};
  (void)kOnePerFile;
  return *DescriptorPool::generated_pool();
}

std::unique_ptr<Message> NewMessage(const Descriptor* type) {
  return std::unique_ptr<Message>(
      MessageFactory::generated_factory()->GetPrototype(type)->New());
}

}  // namespace

MethodCodec::MethodCodec(const MethodDescriptor* method)
    : method_(method),
      grpc_method_(absl::StrCat("/", method->service()->full_name(), "/",
                                method->name())) {}

absl::StatusOr<MethodCodec> MethodCodec::ForPath(absl::string_view path) {
  absl::string_view rest = path;
  const size_t slash = rest.rfind('/');
  if (!absl::ConsumePrefix(&rest, "/") || slash == 0 ||
      slash == absl::string_view::npos || !absl::StartsWith(rest, kPackage)) {
    return absl::NotFoundError(
        absl::StrCat("no method at this path; methods are at /", kPackage,
                     "<Service>/<Method>"));
  }
  const std::string service_name(path.substr(1, slash - 1));
  const std::string method_name(path.substr(slash + 1));
  const auto* service = Pool().FindServiceByName(service_name);
  const MethodDescriptor* method =
      service == nullptr ? nullptr : service->FindMethodByName(method_name);
  if (method == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("no method ", service_name, "/", method_name, " here"));
  }
  if (method->client_streaming()) {
    return absl::UnimplementedError(
        absl::StrCat(service_name, "/", method_name,
                     " streams from the client; the browser gateway serves "
                     "unary and server-streaming methods"));
  }
  return MethodCodec(method);
}

absl::StatusOr<std::string> MethodCodec::RequestToBinary(
    absl::string_view json) const {
  std::unique_ptr<Message> request = NewMessage(method_->input_type());
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  if (auto parsed = google::protobuf::util::JsonStringToMessage(
          google::protobuf::StringPiece(json.data(), json.size()),
          request.get(), options);
      !parsed.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "the request is not a ", method_->input_type()->full_name(),
        " in JSON: ", std::string(parsed.message())));
  }
  return request->SerializeAsString();
}

absl::StatusOr<std::string> MethodCodec::ResponseToJson(
    absl::string_view binary) const {
  std::unique_ptr<Message> response = NewMessage(method_->output_type());
  if (!response->ParseFromArray(binary.data(),
                                static_cast<int>(binary.size()))) {
    return absl::InternalError(absl::StrCat(
        "the service's answer is not a ", method_->output_type()->full_name()));
  }
  std::string json;
  if (auto printed =
          google::protobuf::util::MessageToJsonString(*response, &json);
      !printed.ok()) {
    return absl::InternalError(
        absl::StrCat("the service's answer cannot be written as JSON: ",
                     std::string(printed.message())));
  }
  return json;
}

}  // namespace vagt::gateway
