// The browser gateway of a real vagtd (--http_listen), spoken to over HTTP
// by cpp-httplib's client: Connect unary calls and server streams with the
// JSON codec, the edge's refusals as Connect errors, the limits, the
// console's files and its config, and a clean stop with streams open.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/support/connect_stream.h"
#include "tests/support/vagtd_fixture.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using testing::ConnectStream;

class GatewayTest : public testing::VagtdFixture {
 protected:
  GatewayTest()
      : VagtdFixture(VAGTD_PATH, VAGTCTL_PATH, "worker:anna",
                     {"--http_listen=127.0.0.1:0", "--web_dir=" GATEWAY_WEB_DIR,
                      "--http_max_connections=80", "--http_max_streams=60"}) {}

  void SetUp() override {
    VagtdFixture::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<int> port = testing::GatewayPort(*vagtd_, Deadline());
    ASSERT_TRUE(port.ok()) << port.status();
    port_ = *port;
    // With a built console in --web_dir, vagtd says where to log in.
    ASSERT_THAT(vagtd_->transcript(),
                HasSubstr(absl::StrCat("console at http://127.0.0.1:", port_,
                                       "/ (log in with a vagt token)")));
    // Anna holds the line, so it has a board to watch.
    httplib::Result taken = Post(
        "/vagt.v1.LineService/TakeLine",
        absl::StrCat(R"({"requestId":")", RequestId(),
                     R"(","lineId":"ishoj-bos",)"
                     R"("reason":"LINE_COVERAGE_TAKE_REASON_LINE_OPENED"})"),
        TokenFor("worker:anna"));
    ASSERT_TRUE(taken);
    ASSERT_EQ(taken->status, 200) << taken->body;
    taken_ = taken->body;
  }

  httplib::Result Post(const std::string& path, const std::string& json,
                       const std::string& token,
                       const std::string& type = "application/json") {
    httplib::Client client("127.0.0.1", port_);
    client.set_read_timeout(30, 0);
    httplib::Headers headers = {{"Connect-Protocol-Version", "1"}};
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return client.Post(path.c_str(), headers, json, type.c_str());
  }

  // A fresh request id for a command, as the console gives each.
  std::string RequestId() { return absl::StrCat("gateway-test-", ++commands_); }

  std::string ReceiveCall(const std::string& token) {
    httplib::Result r =
        Post("/vagt.v1.CallService/ReceiveCall",
             absl::StrCat(R"({"requestId":")", RequestId(),
                          R"(","lineId":"ishoj-bos",)"
                          R"("callerKind":"CALLER_KIND_ANONYMOUS",)"
                          R"("channel":"CONTACT_CHANNEL_PHONE"})"),
             token);
    EXPECT_TRUE(r) << httplib::to_string(r.error());
    if (!r) return "";
    EXPECT_EQ(r->status, 200) << r->body;
    return r->body;
  }

  int port_ = 0;
  int commands_ = 0;
  std::string taken_;  // TakeLine's answer
};

TEST_F(GatewayTest, UnaryCallsAreTheServicesOwnInJson) {
  httplib::Result me =
      Post("/vagt.v1.DirectoryService/WhoAmI", "{}", TokenFor("worker:anna"));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(me->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(me->get_header_value("Cache-Control"), "no-store");
  EXPECT_THAT(me->body, HasSubstr(R"("partyId":"worker:anna")"));

  EXPECT_THAT(taken_, HasSubstr(R"("streamId":"line-ishoj-bos")"));
  EXPECT_THAT(ReceiveCall(TokenFor("worker:anna")), HasSubstr(R"("callId":)"));
  // The same call as gRPC sees it: on the board, from vagtctl.
  EXPECT_THAT(Ctl({"board", "--line", "ishoj-bos"}).output,
              HasSubstr("worker:anna"));
}

TEST_F(GatewayTest, RefusalsAreConnectErrorsWithTheEdgesReason) {
  httplib::Result none = Post("/vagt.v1.CallService/ReceiveCall", "{}", "");
  ASSERT_TRUE(none);
  EXPECT_EQ(none->status, 401);
  EXPECT_THAT(none->body, HasSubstr(R"("code":"unauthenticated")"));

  httplib::Result auditor =
      Post("/vagt.v1.CallService/ReceiveCall", R"({"lineId":"ishoj-bos"})",
           TokenFor("worker:tilsyn"));
  ASSERT_TRUE(auditor);
  EXPECT_EQ(auditor->status, 403);
  EXPECT_THAT(auditor->body, HasSubstr(R"("code":"permission_denied")"));
  EXPECT_THAT(auditor->body, HasSubstr("log-calls"));

  // A service's own refusal keeps its code and reason too.
  httplib::Result closed =
      Post("/vagt.v1.CallService/CloseCall", R"({"callId":"no-such-call"})",
           TokenFor("worker:anna"));
  ASSERT_TRUE(closed);
  EXPECT_GE(closed->status, 400);
  EXPECT_THAT(closed->body, HasSubstr(R"("message":)"));
}

TEST_F(GatewayTest, BadRequestsAreNamedAndChangeNothing) {
  const std::string anna = TokenFor("worker:anna");
  const std::string before = Ctl({"board", "--line", "ishoj-bos"}).output;
  struct Case {
    std::string path, body, type;
    int status;
    std::string says;
  };
  const std::vector<Case> cases = {
      {"/vagt.v1.CallService/ReceiveCall", R"({"lineid":"ishoj-bos"})",
       "application/json", 400, "not a vagt.v1.ReceiveCallRequest in JSON"},
      {"/vagt.v1.CallService/ReceiveCall", "{", "application/json", 400,
       "invalid_argument"},
      {"/vagt.v1.CallService/ReceiveCall", "{}", "application/proto", 415,
       "takes application/json"},
      {"/vagt.v1.CallService/NoSuchMethod", "{}", "application/json", 404,
       "no method vagt.v1.CallService/NoSuchMethod"},
      {"/grpc.health.v1.Health/Check", "{}", "application/json", 404,
       "no method at this path"},
      {"/vagt.v1.CallService/ReceiveCall", std::string(2 << 20, ' '),
       "application/json", 413, "too large"},
  };
  for (const Case& c : cases) {
    httplib::Result r = Post(c.path, c.body, anna, c.type);
    ASSERT_TRUE(r) << c.path;
    EXPECT_EQ(r->status, c.status) << c.path << " " << c.body.substr(0, 40);
    EXPECT_THAT(r->body, HasSubstr(c.says)) << c.path;
  }
  EXPECT_EQ(Ctl({"board", "--line", "ishoj-bos"}).output, before);
}

TEST_F(GatewayTest, TheBoardStreamsAsConnectMessages) {
  const std::string anna = TokenFor("worker:anna");
  ConnectStream board(port_, "/vagt.v1.OnCallService/WatchBoard", anna,
                      R"({"lineId":"ishoj-bos"})");
  ASSERT_EQ(board.WaitForMessages(1, Deadline()), 1u);
  EXPECT_THAT(board.messages()[0], HasSubstr(R"("lineId":"ishoj-bos")"));
  ReceiveCall(anna);
  ASSERT_GE(board.WaitForMessages(2, Deadline()), 2u);
  EXPECT_THAT(board.messages().back(), HasSubstr(R"("openCalls":)"));
  EXPECT_EQ(board.status(), 0);  // still open
}

TEST_F(GatewayTest, AStreamsRefusalIsItsEndMessage) {
  ConnectStream board(port_, "/vagt.v1.OnCallService/WatchBoard", "",
                      R"({"lineId":"ishoj-bos"})");
  const std::string end = board.WaitForEnd(Deadline());
  EXPECT_THAT(end, HasSubstr(R"("code":"unauthenticated")"));
  EXPECT_TRUE(board.messages().empty());
}

TEST_F(GatewayTest, FiftyOpenStreamsDoNotStarveOrdinaryRequests) {
  const std::string anna = TokenFor("worker:anna");
  std::vector<std::unique_ptr<ConnectStream>> boards;
  for (int i = 0; i < 50; ++i) {
    boards.push_back(std::make_unique<ConnectStream>(
        port_, "/vagt.v1.OnCallService/WatchBoard", anna,
        R"({"lineId":"ishoj-bos"})"));
  }
  for (auto& b : boards) {
    ASSERT_EQ(b->WaitForMessages(1, Deadline()), 1u)
        << "HTTP " << b->status() << " " << b->error() << ", end "
        << b->WaitForEnd(Deadline());
  }
  // Each of these would wait behind the streams for good if they held every
  // connection the gateway serves.
  for (int i = 0; i < 20; ++i) {
    httplib::Result me = Post("/vagt.v1.DirectoryService/WhoAmI", "{}", anna);
    ASSERT_TRUE(me) << i << ": " << httplib::to_string(me.error());
    EXPECT_EQ(me->status, 200);
  }
  // Past --http_max_streams (60), a stream is refused and says why.
  std::vector<std::unique_ptr<ConnectStream>> more;
  for (int i = 0; i < 11; ++i) {
    more.push_back(std::make_unique<ConnectStream>(
        port_, "/vagt.v1.OnCallService/WatchBoard", anna,
        R"({"lineId":"ishoj-bos"})"));
  }
  int refused = 0;
  for (auto& b : more) {
    if (b->WaitForMessages(1, Deadline()) == 0) {
      EXPECT_THAT(b->WaitForEnd(Deadline()),
                  HasSubstr(R"("code":"resource_exhausted")"));
      ++refused;
    }
  }
  EXPECT_EQ(refused, 1);
  // And the board still reaches every stream.
  ReceiveCall(anna);
  for (auto& b : boards) EXPECT_GE(b->WaitForMessages(2, Deadline()), 2u);
}

// A client that sends half a request and stalls (a slow or malicious one)
// holds a connection only until the read timeout (10 s), and meanwhile
// ordinary requests are served.
TEST_F(GatewayTest, SlowClientsAreDroppedAndDoNotStarveOthers) {
  std::vector<int> slow;
  for (int i = 0; i < 10; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(static_cast<uint16_t>(port_));
    to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&to), sizeof(to)), 0);
    const std::string half =
        "POST /vagt.v1.DirectoryService/WhoAmI HTTP/1.1\r\nHo";
    ASSERT_EQ(::send(fd, half.data(), half.size(), 0),
              static_cast<ssize_t>(half.size()));
    slow.push_back(fd);
  }
  httplib::Result me =
      Post("/vagt.v1.DirectoryService/WhoAmI", "{}", TokenFor("worker:anna"));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  // Each stalled connection is answered with an HTTP error and closed by the
  // server after its read timeout, well before this test's own deadline.
  for (int fd : slow) {
    std::string answer;
    for (;;) {
      pollfd p{.fd = fd, .events = POLLIN, .revents = 0};
      ASSERT_EQ(::poll(&p, 1, 60'000), 1) << "still open after 60 s";
      char buffer[512];
      const ssize_t n = ::recv(fd, buffer, sizeof(buffer), 0);
      if (n <= 0) break;
      answer.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    EXPECT_THAT(answer, ::testing::StartsWith("HTTP/1.1 4")) << answer;
  }
}

TEST_F(GatewayTest, ServesTheConsoleAndItsRoutes) {
  httplib::Client client("127.0.0.1", port_);
  httplib::Result index = client.Get("/");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->status, 200);
  EXPECT_THAT(index->body, HasSubstr("Vagttelefonen"));
  EXPECT_THAT(index->get_header_value("Content-Security-Policy"),
              HasSubstr("default-src 'self'"));
  httplib::Result script = client.Get("/app.js");
  ASSERT_TRUE(script);
  EXPECT_THAT(script->body, HasSubstr("document.title"));
  // A route of the console's own is its index, so a reload works.
  httplib::Result route = client.Get("/board/ishoj-bos");
  ASSERT_TRUE(route);
  EXPECT_THAT(route->body, HasSubstr("Vagttelefonen"));
  httplib::Result get_call = client.Get("/vagt.v1.CallService/ReceiveCall");
  ASSERT_TRUE(get_call);
  EXPECT_EQ(get_call->status, 405);
}

TEST_F(GatewayTest, TheConsoleConfigOffersNoIdentityProviderWithoutOne) {
  httplib::Client client("127.0.0.1", port_);
  httplib::Result config = client.Get("/console-config.json");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->status, 200);
  EXPECT_EQ(config->body, "{}");
  EXPECT_EQ(config->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(config->get_header_value("Cache-Control"), "no-store");
  httplib::Result index = client.Get("/");
  ASSERT_TRUE(index);
  EXPECT_THAT(index->get_header_value("Content-Security-Policy"),
              HasSubstr("connect-src 'self';"));
}

TEST_F(GatewayTest, SigtermEndsOpenStreamsAndStopsCleanly) {
  ConnectStream board(port_, "/vagt.v1.OnCallService/WatchBoard",
                      TokenFor("worker:anna"), R"({"lineId":"ishoj-bos"})");
  ASSERT_EQ(board.WaitForMessages(1, Deadline()), 1u);
  vagtd_->Signal(SIGTERM);
  EXPECT_THAT(board.WaitForEnd(Deadline()),
              HasSubstr(R"("code":"unavailable")"));
  ASSERT_TRUE(vagtd_->ReadUntil("stopped cleanly", Deadline()).ok())
      << vagtd_->transcript();
  absl::StatusOr<int> status = vagtd_->Wait(Deadline());
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << vagtd_->transcript();
  EXPECT_THAT(vagtd_->transcript(), Not(HasSubstr("Bearer")));
}

// vagtd trusting an identity provider: the console is told to sign in
// with it, as the client --oidc_console_client_id (default: the audience).
class GatewayOidcTest : public testing::VagtdFixture {
 protected:
  explicit GatewayOidcTest(std::vector<std::string> more = {})
      : VagtdFixture(VAGTD_PATH, VAGTCTL_PATH, "worker:anna",
                     Flags(std::move(more))) {}

  static std::vector<std::string> Flags(std::vector<std::string> more) {
    std::vector<std::string> flags = {
        "--http_listen=127.0.0.1:0", "--web_dir=" GATEWAY_WEB_DIR,
        "--oidc_issuer=https://sso.ishoj.dk/realms/ishoj",
        "--oidc_audience=vagt", "--oidc_jwks_file=" GATEWAY_OIDC_JWKS};
    flags.insert(flags.end(), more.begin(), more.end());
    return flags;
  }

  void SetUp() override {
    VagtdFixture::SetUp();
    if (HasFatalFailure()) return;
    absl::StatusOr<int> port = testing::GatewayPort(*vagtd_, Deadline());
    ASSERT_TRUE(port.ok()) << port.status();
    port_ = *port;
  }

  int port_ = 0;
};

class GatewayOidcConsoleClientTest : public GatewayOidcTest {
 protected:
  GatewayOidcConsoleClientTest()
      : GatewayOidcTest({"--oidc_console_client_id=vagt-console",
                         "--oidc_console_scope=openid profile vagt"}) {}
};

TEST_F(GatewayOidcTest, TheConsoleConfigNamesTheProviderAndTheAudience) {
  httplib::Client client("127.0.0.1", port_);
  httplib::Result config = client.Get("/console-config.json");
  ASSERT_TRUE(config);
  EXPECT_EQ(config->status, 200);
  google::protobuf::Struct json;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(config->body, &json).ok())
      << config->body;
  ASSERT_EQ(json.fields().size(), 1u) << config->body;
  const auto& oidc = json.fields().at("oidc").struct_value().fields();
  EXPECT_EQ(oidc.size(), 3u) << config->body;
  EXPECT_EQ(oidc.at("issuer").string_value(),
            "https://sso.ishoj.dk/realms/ishoj");
  EXPECT_EQ(oidc.at("clientId").string_value(), "vagt");
  EXPECT_EQ(oidc.at("scope").string_value(), "openid profile");
  EXPECT_EQ(config->get_header_value("Cache-Control"), "no-store");
  // The console may fetch the provider's discovery and token endpoints.
  httplib::Result index = client.Get("/");
  ASSERT_TRUE(index);
  EXPECT_THAT(index->get_header_value("Content-Security-Policy"),
              HasSubstr("connect-src 'self' https://sso.ishoj.dk;"));
}

TEST_F(GatewayOidcConsoleClientTest, TheConsoleConfigNamesItsOwnClient) {
  httplib::Client client("127.0.0.1", port_);
  httplib::Result config = client.Get("/console-config.json");
  ASSERT_TRUE(config);
  EXPECT_THAT(config->body, HasSubstr(R"("clientId":"vagt-console")"));
  EXPECT_THAT(config->body, HasSubstr(R"("scope":"openid profile vagt")"));
}

}  // namespace
}  // namespace vagt
