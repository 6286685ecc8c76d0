#include "services/gateway/gateway.h"

#include <sys/socket.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "httplib.h"
#include "services/gateway/connect.h"
#include "services/gateway/connection_threads.h"
#include "services/gateway/forward.h"
#include "services/gateway/json_codec.h"

namespace vagt::gateway {
namespace {

// What every answer says about itself: nothing is cached, nothing sniffed.
const httplib::Headers& ApiHeaders() {
  static const httplib::Headers headers = {
      {"Cache-Control", "no-store"}, {"X-Content-Type-Options", "nosniff"}};
  return headers;
}

// The console's files: its own scripts and styles only, never framed; it
// connects to its own origin and to the identity provider it signs in with.
httplib::Headers ConsoleHeaders(const ConsoleOidc& oidc) {
  const std::string provider = IssuerOrigin(oidc);
  return {{"Content-Security-Policy",
           absl::StrCat("default-src 'self'; connect-src 'self'",
                        provider.empty() ? "" : " ", provider,
                        "; style-src 'self' 'unsafe-inline'; img-src 'self' "
                        "data:; frame-src 'self' blob: data:; "
                        "frame-ancestors 'none'; base-uri 'none'; "
                        "form-action 'self'")},
          {"X-Content-Type-Options", "nosniff"},
          {"Referrer-Policy", "no-referrer"}};
}

time_t Seconds(absl::Duration d) {
  return static_cast<time_t>(absl::ToInt64Seconds(d));
}

// The browser's address in gRPC's peer form, for the edge's throttle and
// the records of refusals.
std::string PeerOf(const httplib::Request& request) {
  const bool v6 = absl::StrContains(request.remote_addr, ':');
  return v6 ? absl::StrCat("ipv6:[", request.remote_addr,
                           "]:", request.remote_port)
            : absl::StrCat("ipv4:", request.remote_addr, ":",
                           request.remote_port);
}

bool SplitAddress(const std::string& address, std::string* host, int* port) {
  const size_t colon = address.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  *host = address.substr(0, colon);
  if (host->size() > 2 && host->front() == '[' && host->back() == ']') {
    *host = host->substr(1, host->size() - 2);
  }
  return absl::SimpleAtoi(address.substr(colon + 1), port) && *port >= 0 &&
         *port <= 65535;
}

void AnswerError(httplib::Response& response, const grpc::Status& status) {
  response.status = HttpStatusOf(status.error_code());
  response.set_content(ErrorJson(status), std::string(kUnaryJson));
}

grpc::Status FromAbsl(const absl::Status& status) {
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      std::string(status.message()));
}

}  // namespace

class BrowserGateway::Impl {
 public:
  Impl(GatewayOptions options, std::shared_ptr<grpc::Channel> channel)
      : options_(std::move(options)), channel_(std::move(channel)) {}

  absl::Status Listen();
  void Stop();
  int port() const { return port_; }
  bool serves_console() const { return serves_console_; }

 private:
  void Route();
  void Call(const httplib::Request& request, httplib::Response& response);
  void Unary(const MethodCodec& codec, const Forwarded& call,
             httplib::Response& response);
  void Stream(const MethodCodec& codec, Forwarded call,
              httplib::Response& response);
  // Runs one stream to its end on the connection's thread.
  bool RunStream(const MethodCodec& codec, const Forwarded& call,
                 httplib::DataSink& sink);

  const GatewayOptions options_;
  const std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<httplib::Server> server_;
  std::thread listening_;
  int port_ = 0;
  bool serves_console_ = false;
  std::atomic<int> streams_{0};
  std::mutex mutex_;
  bool stopping_ = false;
  std::set<grpc::ClientContext*> open_;  // streams, to cancel on Stop
};

absl::Status BrowserGateway::Impl::Listen() {
  std::string host;
  int port = 0;
  if (!SplitAddress(options_.address, &host, &port)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "--http_listen: '", options_.address, "' is not host:port"));
  }
  if (options_.tls_cert.empty()) {
    server_ = std::make_unique<httplib::Server>();
  } else {
    server_ = std::make_unique<httplib::SSLServer>(
        options_.tls_cert.c_str(), options_.tls_key.c_str(),
        options_.tls_client_ca.empty() ? nullptr
                                       : options_.tls_client_ca.c_str());
    if (!server_->is_valid()) {
      return absl::InvalidArgumentError(
          "--http_listen: the TLS certificate, key or client CA cannot be "
          "loaded");
    }
  }
  const int max_connections = options_.max_connections;
  server_->new_task_queue = [max_connections] {
    return new ConnectionThreads(max_connections);
  };
  server_->set_payload_max_length(options_.max_body_bytes);
  server_->set_read_timeout(Seconds(options_.read_timeout));
  server_->set_write_timeout(Seconds(options_.write_timeout));
  server_->set_keep_alive_timeout(Seconds(options_.keep_alive));
  server_->set_tcp_nodelay(true);
  // cpp-httplib listens with a backlog of 5, so a burst of connections
  // (every console reconnecting after a restart) has some reset. Its
  // listening socket is the one socket these options are set on: noted
  // here, it listens again below with the system's backlog. SO_REUSEADDR
  // as cpp-httplib's default, without its SO_REUSEPORT (which would let a
  // second vagtd share the port).
  int listening_socket = -1;
  server_->set_socket_options([&listening_socket](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listening_socket = sock;
  });
  Route();
  port_ = port == 0 ? server_->bind_to_any_port(host)
                    : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ <= 0 || listening_socket < 0 ||
      ::listen(listening_socket, SOMAXCONN) != 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("--http_listen: cannot listen on ", options_.address));
  }
  listening_ = std::thread([this] { server_->listen_after_bind(); });
  return absl::OkStatus();
}

void BrowserGateway::Impl::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return;
    stopping_ = true;
    for (grpc::ClientContext* context : open_) context->TryCancel();
  }
  if (server_ != nullptr) server_->stop();
  if (listening_.joinable()) listening_.join();
}

void BrowserGateway::Impl::Route() {
  httplib::Server& s = *server_;
  s.Post(R"(/.*)", [this](const httplib::Request& q, httplib::Response& r) {
    Call(q, r);
  });
  // Connect's GET form is not served: every call is a POST.
  s.Get(R"(/vagt\.v1\..*)", [](const httplib::Request&, httplib::Response& r) {
    r.set_header("Allow", "POST");
    AnswerError(r, grpc::Status(grpc::StatusCode::UNIMPLEMENTED,
                                "calls are POST requests"));
    r.status = 405;
  });
  // Public settings for the console, before its catch-all route below.
  s.Get("/console-config.json",
        [json = ConsoleConfigJson(options_.console_oidc)](
            const httplib::Request&, httplib::Response& r) {
          for (const auto& [name, value] : ApiHeaders()) {
            r.set_header(name, value);
          }
          r.set_content(json, std::string(kUnaryJson));
        });
  std::error_code error;
  const std::filesystem::path index =
      std::filesystem::path(options_.web_dir) / "index.html";
  serves_console_ = !options_.web_dir.empty() &&
                    std::filesystem::is_regular_file(index, error);
  if (serves_console_) {
    const httplib::Headers headers = ConsoleHeaders(options_.console_oidc);
    s.set_mount_point("/", options_.web_dir, headers);
    // The console routes in the browser: any other page is its index.
    s.Get(R"(/.*)",
          [index, headers](const httplib::Request&, httplib::Response& r) {
            std::ifstream in(index);
            std::stringstream html;
            html << in.rdbuf();
            r.set_content(html.str(), "text/html; charset=utf-8");
            for (const auto& [name, value] : headers) r.set_header(name, value);
          });
  }
  s.set_error_handler([](const httplib::Request&, httplib::Response& r) {
    if (!r.body.empty()) return;
    if (r.status == 413) {
      AnswerError(r, grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                  "the request body is too large"));
      r.status = 413;
    }
  });
}

void BrowserGateway::Impl::Call(const httplib::Request& request,
                                httplib::Response& response) {
  for (const auto& [name, value] : ApiHeaders()) {
    response.set_header(name, value);
  }
  absl::StatusOr<MethodCodec> codec = MethodCodec::ForPath(request.path);
  if (!codec.ok()) return AnswerError(response, FromAbsl(codec.status()));
  if (auto version = request.get_header_value("Connect-Protocol-Version");
      !version.empty() && version != "1") {
    return AnswerError(response,
                       grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                                    "Connect-Protocol-Version: only 1"));
  }
  Forwarded call{.method = codec->grpc_method(),
                 .authorization = request.get_header_value("Authorization"),
                 .client_peer = PeerOf(request)};
  if (request.has_header("Connect-Timeout-Ms")) {
    absl::StatusOr<absl::Duration> timeout =
        ParseTimeout(request.get_header_value("Connect-Timeout-Ms"));
    if (!timeout.ok()) return AnswerError(response, FromAbsl(timeout.status()));
    call.timeout = *timeout;
  }
  const std::string type = request.get_header_value("Content-Type");
  const std::string wanted =
      codec->server_streaming() ? kStreamJson : kUnaryJson;
  if (type != wanted && !absl::StartsWith(type, absl::StrCat(wanted, ";"))) {
    AnswerError(response,
                grpc::Status(grpc::StatusCode::INVALID_ARGUMENT,
                             absl::StrCat(codec->grpc_method(), " takes ",
                                          wanted, "; this request is ",
                                          type.empty() ? "untyped" : type)));
    response.set_header("Accept-Post", wanted);
    response.status = 415;
    return;
  }
  absl::StatusOr<std::string> json =
      codec->server_streaming() ? SingleEnvelope(request.body)
                                : absl::StatusOr<std::string>(request.body);
  absl::StatusOr<std::string> binary =
      json.ok() ? codec->RequestToBinary(*json) : json;
  if (!binary.ok()) return AnswerError(response, FromAbsl(binary.status()));
  call.request = *std::move(binary);
  if (codec->server_streaming()) {
    return Stream(*codec, std::move(call), response);
  }
  Unary(*codec, call, response);
}

void BrowserGateway::Impl::Unary(const MethodCodec& codec,
                                 const Forwarded& call,
                                 httplib::Response& response) {
  UnaryResult result = ForwardUnary(channel_, call);
  if (!result.status.ok()) return AnswerError(response, result.status);
  absl::StatusOr<std::string> json = codec.ResponseToJson(result.response);
  if (!json.ok()) return AnswerError(response, FromAbsl(json.status()));
  response.set_content(*std::move(json), std::string(kUnaryJson));
}

void BrowserGateway::Impl::Stream(const MethodCodec& codec, Forwarded call,
                                  httplib::Response& response) {
  // Errors of a stream travel in its end message, after a 200.
  if (streams_.fetch_add(1) >= options_.max_streams) {
    streams_.fetch_sub(1);
    response.set_content(
        Envelope(kEndStreamFlag,
                 EndStreamJson(grpc::Status(
                     grpc::StatusCode::RESOURCE_EXHAUSTED,
                     absl::StrCat("the gateway has ", options_.max_streams,
                                  " streams open, as many as it takes; "
                                  "retry later")))),
        std::string(kStreamJson));
    return;
  }
  response.set_chunked_content_provider(
      std::string(kStreamJson),
      [this, codec, call = std::move(call)](size_t, httplib::DataSink& sink) {
        return RunStream(codec, call, sink);
      },
      [this](bool) { streams_.fetch_sub(1); });
}

bool BrowserGateway::Impl::RunStream(const MethodCodec& codec,
                                     const Forwarded& call,
                                     httplib::DataSink& sink) {
  grpc::ClientContext context;
  Prepare(call, context);
  {
    std::lock_guard lock(mutex_);
    if (stopping_) context.TryCancel();
    open_.insert(&context);
  }
  std::string last;  // the last envelope sent, sent again when idle
  bool written = true;
  const auto write = [&](const std::string& envelope) {
    written = written && sink.write(envelope.data(), envelope.size());
    return written;
  };
  absl::Time quiet_since = absl::Now();
  grpc::Status status = ForwardServerStream(
      channel_, call, context, absl::Seconds(1),
      [&](const std::string& message) {
        absl::StatusOr<std::string> json = codec.ResponseToJson(message);
        if (!json.ok()) return false;
        last = Envelope(0, *json);
        quiet_since = absl::Now();
        return write(last);
      },
      [&] {
        if (last.empty() ||
            absl::Now() - quiet_since < options_.stream_keepalive) {
          return sink.is_writable();
        }
        quiet_since = absl::Now();
        return write(last);
      });
  {
    std::lock_guard lock(mutex_);
    open_.erase(&context);
    if (stopping_ && status.error_code() == grpc::StatusCode::CANCELLED) {
      status = grpc::Status(grpc::StatusCode::UNAVAILABLE,
                            "the server is stopping; connect again");
    }
  }
  if (!written) return false;
  write(Envelope(kEndStreamFlag, EndStreamJson(status)));
  sink.done();
  return written;
}

BrowserGateway::BrowserGateway(std::unique_ptr<Impl> impl)
    : impl_(std::move(impl)) {}

BrowserGateway::~BrowserGateway() { Stop(); }

absl::StatusOr<std::unique_ptr<BrowserGateway>> BrowserGateway::Start(
    GatewayOptions options, std::shared_ptr<grpc::Channel> channel) {
  auto impl = std::make_unique<Impl>(std::move(options), std::move(channel));
  if (absl::Status s = impl->Listen(); !s.ok()) return s;
  return std::unique_ptr<BrowserGateway>(new BrowserGateway(std::move(impl)));
}

int BrowserGateway::port() const { return impl_->port(); }
bool BrowserGateway::serves_console() const { return impl_->serves_console(); }
void BrowserGateway::Stop() { impl_->Stop(); }

}  // namespace vagt::gateway
