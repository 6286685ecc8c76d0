// Connection: how vagtctl talks to a vagt server. One per run of vagtctl,
// used by one thread.
//
// Every RPC carries the user's vagt access token ("authorization: Bearer
// ...") and a deadline.
// A command has one request id for its whole run; when the server cannot be
// reached or does not answer in time (UNAVAILABLE, DEADLINE_EXCEEDED), the
// RPC is sent again with the SAME request id. That is safe: the server answers
// a repeated request id with the first result and appends nothing.
//
//   Connection connection({.server = "127.0.0.1:50051",
//                          .token = *StoredToken(server),
//                          .request_id = NewRequestId(), ...});
//   auto stub = v1::CallService::NewStub(connection.channel());
//   grpc::Status status = connection.Invoke([&](grpc::ClientContext& ctx) {
//     return stub->AddNote(&ctx, request, &response);
//   });
#ifndef VAGT_SERVICES_VAGTCTL_CONNECTION_H_
#define VAGT_SERVICES_VAGTCTL_CONNECTION_H_

#include <memory>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/support/status.h"
#include "vagt/v1/directory.pb.h"

namespace vagt::vagtctl {

struct ConnectionOptions {
  // "host:port" of vagtd.
  std::string server;
  // The vagt access token (credentials.h); never printed.
  std::string token;
  // TLS: the CA (PEM text) that signed the server's certificate; with a
  // client certificate and key (PEM text) for mutual TLS. All empty:
  // plaintext (vagtd allows that on loopback only).
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;
  // The idempotency key of this run's command.
  std::string request_id;
  // How long one attempt of an RPC may take.
  absl::Duration rpc_deadline;
  // How many times an RPC is sent at most (1: no retries).
  int attempts;
};

// A fresh random request id (a lower-case UUID).
std::string NewRequestId();

// Whether vagtctl sends an RPC that failed with `code` again.
bool IsRetryable(grpc::StatusCode code);

class Connection {
 public:
  explicit Connection(ConnectionOptions options);

  const ConnectionOptions& options() const { return options_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

  // Runs `rpc` with a fresh ClientContext for each attempt (token,
  // deadline) and returns the last status. Retries a retryable failure up to
  // `attempts` times in all, with a short growing pause between attempts.
  grpc::Status Invoke(
      absl::FunctionRef<grpc::Status(grpc::ClientContext&)> rpc) const;

  // Adds the token to `context`, for a call made without Invoke: a stream
  // that lasts until the user stops it (no deadline, no retries).
  void AddToken(grpc::ClientContext& context) const;

  // DirectoryService.WhoAmI through Invoke: whom the token names.
  grpc::Status WhoAmI(v1::WhoAmIResponse* who) const;

  // Who the token names ("worker:anna"), asked of the server once; "you"
  // when it cannot say.
  const std::string& Me() const;

 private:
  ConnectionOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  mutable std::string me_;
};

}  // namespace vagt::vagtctl

#endif  // VAGT_SERVICES_VAGTCTL_CONNECTION_H_
