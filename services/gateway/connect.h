// The Connect protocol's wire pieces (https://connectrpc.com/docs/protocol),
// JSON codec only: the error body of a unary call, the envelopes of a
// server stream and the end-of-stream message, the HTTP status a gRPC code
// maps to, and the Connect-Timeout-Ms header. No I/O here.
#ifndef VAGT_SERVICES_GATEWAY_CONNECT_H_
#define VAGT_SERVICES_GATEWAY_CONNECT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "grpcpp/support/status.h"

namespace vagt::gateway {

inline constexpr char kUnaryJson[] = "application/json";
inline constexpr char kStreamJson[] = "application/connect+json";

// Envelope flags of a streamed message.
inline constexpr uint8_t kEndStreamFlag = 0x02;
inline constexpr uint8_t kCompressedFlag = 0x01;

// "permission_denied", ..., as Connect names the gRPC codes.
absl::string_view CodeName(grpc::StatusCode code);

// The HTTP status of a unary call that ended with `code` (Connect's table:
// 400, 401, 403, 404, 409, 429, 499, 500, 501, 503, 504).
int HttpStatusOf(grpc::StatusCode code);

// {"code":"...","message":"..."}: the body of a failed unary call.
std::string ErrorJson(const grpc::Status& status);

// The end of a stream: {} after success, {"error":{...}} after a failure.
std::string EndStreamJson(const grpc::Status& status);

// One envelope: the flags byte, the payload's length (4 bytes, big-endian),
// the payload.
std::string Envelope(uint8_t flags, absl::string_view payload);

// The one message of a server-streaming request body: exactly one
// uncompressed envelope; INVALID_ARGUMENT naming what is wrong otherwise.
absl::StatusOr<std::string> SingleEnvelope(absl::string_view body);

// Connect-Timeout-Ms: at most 10 positive decimal digits;
// INVALID_ARGUMENT otherwise.
absl::StatusOr<absl::Duration> ParseTimeout(absl::string_view header);

}  // namespace vagt::gateway

#endif  // VAGT_SERVICES_GATEWAY_CONNECT_H_
