// The JSON side of the gateway: a method named by its HTTP path
// ("/vagt.v1.CallService/ReceiveCall") found among the services compiled
// into this binary, and its messages converted between protobuf's canonical
// JSON mapping (what @bufbuild/protobuf and connect-web speak) and the
// binary form the in-process gRPC channel carries. No per-method code: the
// descriptors say everything.
#ifndef VAGT_SERVICES_GATEWAY_JSON_CODEC_H_
#define VAGT_SERVICES_GATEWAY_JSON_CODEC_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"

namespace vagt::gateway {

class MethodCodec {
 public:
  // NOT_FOUND for a path that names no method of a vagt.v1 service here;
  // UNIMPLEMENTED for a client- or bidi-streaming method (Connect over
  // HTTP/1.1 serves unary and server-streaming calls only).
  static absl::StatusOr<MethodCodec> ForPath(absl::string_view path);

  // "/vagt.v1.CallService/ReceiveCall", as gRPC names it.
  const std::string& grpc_method() const { return grpc_method_; }
  bool server_streaming() const { return method_->server_streaming(); }

  // The request in JSON to its binary form; INVALID_ARGUMENT naming the
  // message type and what protobuf's parser found wrong (an unknown field,
  // a value of the wrong type).
  absl::StatusOr<std::string> RequestToBinary(absl::string_view json) const;
  // A response in binary to JSON (lowerCamelCase names, enums by name,
  // 64-bit integers as strings); INTERNAL if the bytes do not parse.
  absl::StatusOr<std::string> ResponseToJson(absl::string_view binary) const;

 private:
  explicit MethodCodec(const google::protobuf::MethodDescriptor* method);

  const google::protobuf::MethodDescriptor* method_;
  std::string grpc_method_;
};

}  // namespace vagt::gateway

#endif  // VAGT_SERVICES_GATEWAY_JSON_CODEC_H_
