// How vagtd listens: TLS (with --tls_cert and --tls_key), mutual TLS (with
// --tls_client_ca too: a client without a certificate that CA signed is
// refused in the handshake), or plaintext, which only a loopback address
// gets unless the operator says --insecure_plaintext_on_network in so many
// words (tokens would cross the network readable).
#ifndef VAGT_SERVICES_VAGTD_LISTEN_H_
#define VAGT_SERVICES_VAGTD_LISTEN_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "grpcpp/security/server_credentials.h"

namespace vagt::vagtd {

struct ListenOptions {
  std::string address;   // "host:port"
  std::string tls_cert;  // PEM files; empty: no TLS
  std::string tls_key;
  std::string tls_client_ca;
  bool insecure_plaintext_on_network = false;
};

// Whether `address`'s host is a loopback one (127.0.0.0/8, ::1, localhost).
bool IsLoopback(const std::string& address);

// INVALID_ARGUMENT naming the flag for a half-given TLS setup, an unreadable
// file, or plaintext on a non-loopback address.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ListenCredentials(
    const ListenOptions& options);

// "TLS", "mutual TLS" or "plaintext", for the start-up line.
std::string Describe(const ListenOptions& options);

}  // namespace vagt::vagtd

#endif  // VAGT_SERVICES_VAGTD_LISTEN_H_
