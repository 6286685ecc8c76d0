// The browser gateway: HTTP/1.1 on its own port (vagtd --http_listen),
// speaking the Connect protocol with the JSON codec for every unary and
// server-streaming method of the vagt.v1 services, and serving the
// console's built files (web/dist).
//
// It holds no per-method code and no rule of its own: a request becomes a
// gRPC call over the server's in-process channel, carrying the browser's
// Authorization header and address, so the edge authenticates, authorises
// and records it, and the services answer it, as for any gRPC client. The
// answer's status maps to Connect's codes and HTTP statuses in one place
// (connect.h).
//
// Limits: a request body of at most `max_body_bytes` (413 otherwise);
// `max_connections` connections served at once (each on its own thread;
// more wait to be accepted); at most `max_streams` of them open streams, so
// that streams can never take every connection and ordinary requests always
// find one; a client that sends or reads slower than the timeouts is
// dropped. An open stream with nothing new re-sends its last message every
// `stream_keepalive`, which finds browsers that went away.
//
// GET /console-config.json (no token needed) tells the console how it may
// sign workers in (console_config.h).
#ifndef VAGT_SERVICES_GATEWAY_GATEWAY_H_
#define VAGT_SERVICES_GATEWAY_GATEWAY_H_

#include <cstddef>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "services/gateway/console_config.h"

namespace vagt::gateway {

struct GatewayOptions {
  std::string address;  // "host:port"; port 0 picks a free one
  // PEM files; empty: plaintext. With a client CA, browsers must present a
  // certificate it signed (the same settings as the gRPC port).
  std::string tls_cert;
  std::string tls_key;
  std::string tls_client_ca;
  // The console's built files; empty or missing: none are served.
  std::string web_dir;
  // Served to the console as /console-config.json; with an issuer, the
  // console's Content-Security-Policy also lets it connect to the issuer.
  ConsoleOidc console_oidc;
  size_t max_body_bytes = 1 << 20;
  int max_connections = 256;
  int max_streams = 128;
  absl::Duration read_timeout = absl::Seconds(10);
  absl::Duration write_timeout = absl::Seconds(10);
  // An idle keep-alive connection closes after this. cpp-httplib sees a
  // Stop only once each connection's wait ends, so it also bounds how long
  // a stop takes.
  absl::Duration keep_alive = absl::Seconds(2);
  absl::Duration stream_keepalive = absl::Seconds(15);
};

class BrowserGateway {
 public:
  // Listens on options.address and serves until Stop; INVALID_ARGUMENT
  // naming the problem when it cannot (a bad address, an unreadable
  // certificate, a port taken). `channel` is the server's in-process
  // channel; the gateway must stop before the server shuts down.
  static absl::StatusOr<std::unique_ptr<BrowserGateway>> Start(
      GatewayOptions options, std::shared_ptr<grpc::Channel> channel);

  ~BrowserGateway();  // Stops.
  BrowserGateway(const BrowserGateway&) = delete;
  BrowserGateway& operator=(const BrowserGateway&) = delete;

  int port() const;
  bool serves_console() const;
  // Ends every open stream (UNAVAILABLE: the server is stopping), stops
  // accepting, and waits for the connections' threads.
  void Stop();

  class Impl;

 private:
  explicit BrowserGateway(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vagt::gateway

#endif  // VAGT_SERVICES_GATEWAY_GATEWAY_H_
