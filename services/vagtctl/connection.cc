#include "services/vagtctl/connection.h"

#include <uuid/uuid.h>

#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "vagt/v1/directory.grpc.pb.h"

namespace vagt::vagtctl {
namespace {

// The pause before the second attempt; it doubles for each further one.
constexpr absl::Duration kFirstRetryPause = absl::Milliseconds(200);

}  // namespace

std::string NewRequestId() {
  uuid_t uuid;
  uuid_generate_random(uuid);
  char text[37];
  uuid_unparse_lower(uuid, text);
  return std::string(text, 36);
}

bool IsRetryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE ||
         code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

namespace {

std::shared_ptr<grpc::ChannelCredentials> CredentialsFor(
    const ConnectionOptions& o) {
  if (o.tls_ca.empty() && o.tls_cert.empty()) {
    return grpc::InsecureChannelCredentials();
  }
  grpc::SslCredentialsOptions ssl;
  ssl.pem_root_certs = o.tls_ca;
  ssl.pem_cert_chain = o.tls_cert;
  ssl.pem_private_key = o.tls_key;
  return grpc::SslCredentials(ssl);
}

}  // namespace

Connection::Connection(ConnectionOptions options)
    : options_(std::move(options)),
      channel_(grpc::CreateChannel(options_.server, CredentialsFor(options_))) {
}

grpc::Status Connection::Invoke(
    absl::FunctionRef<grpc::Status(grpc::ClientContext&)> rpc) const {
  absl::Duration pause = kFirstRetryPause;
  grpc::Status status;
  for (int attempt = 1;; ++attempt) {
    grpc::ClientContext context;
    AddToken(context);
    context.set_deadline(
        absl::ToChronoTime(absl::Now() + options_.rpc_deadline));
    status = rpc(context);
    if (status.ok() || !IsRetryable(status.error_code()) ||
        attempt >= options_.attempts) {
      return status;
    }
    absl::SleepFor(pause);
    pause *= 2;
  }
}

void Connection::AddToken(grpc::ClientContext& context) const {
  context.AddMetadata("authorization", "Bearer " + options_.token);
}

grpc::Status Connection::WhoAmI(v1::WhoAmIResponse* who) const {
  auto stub = v1::DirectoryService::NewStub(channel_);
  return Invoke([&](grpc::ClientContext& context) {
    return stub->WhoAmI(&context, v1::WhoAmIRequest(), who);
  });
}

const std::string& Connection::Me() const {
  if (!me_.empty()) return me_;
  v1::WhoAmIResponse response;
  me_ = WhoAmI(&response).ok() ? response.principal().party_id() : "you";
  return me_;
}

}  // namespace vagt::vagtctl
