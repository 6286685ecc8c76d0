#include "services/vagtd/listen.h"

#include <fstream>
#include <sstream>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "grpcpp/security/server_credentials.h"

namespace vagt::vagtd {
namespace {

absl::StatusOr<std::string> ReadPem(const std::string& path,
                                    const std::string& flag) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  if (!in || text.str().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat(flag, ": cannot read '", path, "'"));
  }
  return text.str();
}

}  // namespace

bool IsLoopback(const std::string& address) {
  absl::string_view host(address);
  host = host.substr(0, host.rfind(':'));
  host = absl::StripPrefix(absl::StripSuffix(host, "]"), "[");
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ListenCredentials(
    const ListenOptions& o) {
  if (o.tls_cert.empty() != o.tls_key.empty()) {
    return absl::InvalidArgumentError(
        "--tls_cert and --tls_key: give both (the certificate and its key)");
  }
  if (o.tls_cert.empty()) {
    if (!o.tls_client_ca.empty()) {
      return absl::InvalidArgumentError(
          "--tls_client_ca: needs --tls_cert and --tls_key (mutual TLS is "
          "TLS)");
    }
    if (!IsLoopback(o.address) && !o.insecure_plaintext_on_network) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--listen=", o.address,
          ": vagtd refuses to listen beyond loopback without TLS (tokens and "
          "citizens' data would cross the network readable); give --tls_cert "
          "and --tls_key, or --insecure_plaintext_on_network if a proxy in "
          "front of vagtd does TLS"));
    }
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions ssl(
      o.tls_client_ca.empty()
          ? GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE
          : GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  auto key = ReadPem(o.tls_key, "--tls_key");
  if (!key.ok()) return key.status();
  auto cert = ReadPem(o.tls_cert, "--tls_cert");
  if (!cert.ok()) return cert.status();
  pair.private_key = *std::move(key);
  pair.cert_chain = *std::move(cert);
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!o.tls_client_ca.empty()) {
    auto ca = ReadPem(o.tls_client_ca, "--tls_client_ca");
    if (!ca.ok()) return ca.status();
    ssl.pem_root_certs = *std::move(ca);
  }
  return grpc::SslServerCredentials(ssl);
}

std::string Describe(const ListenOptions& o) {
  if (o.tls_cert.empty()) return "plaintext";
  return o.tls_client_ca.empty() ? "TLS" : "mutual TLS";
}

}  // namespace vagt::vagtd
