// A call forwarded over the in-process gRPC channel, as raw bytes: the
// server's interceptors (the edge: authentication, the rights table, the
// recording of refusals) and its handlers treat it exactly as a call from
// any gRPC client, because it is one.
#ifndef VAGT_SERVICES_GATEWAY_FORWARD_H_
#define VAGT_SERVICES_GATEWAY_FORWARD_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"

namespace vagt::gateway {

// What the browser's request carries over to gRPC.
struct Forwarded {
  std::string method;         // "/vagt.v1.CallService/ReceiveCall"
  std::string request;        // the request message, binary
  std::string authorization;  // the Authorization header, as sent
  std::string client_peer;    // "ipv4:10.0.0.5:53211", for the edge
  std::optional<absl::Duration> timeout;
};

struct UnaryResult {
  grpc::Status status;
  std::string response;  // binary; empty unless status is OK
};

UnaryResult ForwardUnary(const std::shared_ptr<grpc::Channel>& channel,
                         const Forwarded& call);

// Calls a server-streaming method and hands each response message to
// `deliver` as it arrives; when nothing arrived for `idle_every`, calls
// `idle`. Either returning false cancels the call (the browser went away).
// `context` is the call's, made by the caller so that it can cancel it from
// another thread (TryCancel) on shutdown. Returns how the call ended.
grpc::Status ForwardServerStream(
    const std::shared_ptr<grpc::Channel>& channel, const Forwarded& call,
    grpc::ClientContext& context, absl::Duration idle_every,
    const std::function<bool(const std::string&)>& deliver,
    const std::function<bool()>& idle);

// Sets the metadata and deadline of `call` on a new context.
void Prepare(const Forwarded& call, grpc::ClientContext& context);

}  // namespace vagt::gateway

#endif  // VAGT_SERVICES_GATEWAY_FORWARD_H_
