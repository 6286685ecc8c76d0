// The browser gateway of a real vagtd (--http_listen), spoken to over HTTP
// by cpp-httplib's client: Connect unary calls and server streams with the
// JSON codec, the edge's refusals as Connect errors, the limits, the
// console's files, and a clean stop with streams open.
#include <signal.h>
#include <sys/wait.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "httplib.h"
#include "tests/support/vagtd_fixture.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A server stream read as it arrives: the messages' JSON, and the end.
class ConnectStream {
 public:
  ConnectStream(int port, const std::string& path, const std::string& token,
                const std::string& json)
      : client_("127.0.0.1", port) {
    client_.set_read_timeout(120, 0);
    thread_ = std::thread([this, path, token, json] {
      httplib::Request request;
      request.method = "POST";
      request.path = path;
      request.headers = {{"Content-Type", "application/connect+json"},
                         {"Connect-Protocol-Version", "1"}};
      if (!token.empty()) {
        request.headers.emplace("Authorization", "Bearer " + token);
      }
      const auto size = static_cast<uint32_t>(json.size());
      request.body = std::string(1, '\0');
      for (int shift = 24; shift >= 0; shift -= 8) {
        request.body.push_back(static_cast<char>((size >> shift) & 0xff));
      }
      request.body += json;
      request.content_receiver = [this](const char* data, size_t n, uint64_t,
                                        uint64_t) {
        Received(std::string_view(data, n));
        return true;
      };
      httplib::Response response;
      httplib::Error error;
      client_.send(request, response, error);
      absl::MutexLock lock(&mu_);
      status_ = response.status;
      closed_ = true;
    });
  }
  ~ConnectStream() {
    client_.stop();
    thread_.join();
  }

  // Waits until `n` messages arrived (or the stream ended); how many did.
  size_t WaitForMessages(size_t n, absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    const auto arrived = [this, n]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return messages_.size() >= n || closed_;
    };
    mu_.AwaitWithDeadline(absl::Condition(&arrived), deadline);
    return messages_.size();
  }
  // Waits for the end-of-stream message; empty if none came by `deadline`.
  std::string WaitForEnd(absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    mu_.AwaitWithDeadline(absl::Condition(this, &ConnectStream::Ended),
                          deadline);
    return end_;
  }
  std::vector<std::string> messages() {
    absl::MutexLock lock(&mu_);
    return messages_;
  }
  int status() {
    absl::MutexLock lock(&mu_);
    return status_;
  }

 private:
  bool Ended() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    return !end_.empty() || closed_;
  }
  void Received(std::string_view bytes) {
    absl::MutexLock lock(&mu_);
    buffer_.append(bytes);
    while (buffer_.size() >= 5) {
      uint32_t size = 0;
      for (int i = 1; i <= 4; ++i) {
        size = (size << 8) | static_cast<uint8_t>(buffer_[i]);
      }
      if (buffer_.size() < 5 + size) break;
      std::string payload = buffer_.substr(5, size);
      if (buffer_[0] & 0x02) {
        end_ = payload;
      } else {
        messages_.push_back(payload);
      }
      buffer_.erase(0, 5 + size);
    }
  }

  httplib::Client client_;
  std::thread thread_;
  absl::Mutex mu_;
  std::string buffer_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> messages_ ABSL_GUARDED_BY(mu_);
  std::string end_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  int status_ ABSL_GUARDED_BY(mu_) = 0;
};

class GatewayTest : public testing::VagtdFixture {
 protected:
  GatewayTest()
      : VagtdFixture(VAGTD_PATH, VAGTCTL_PATH, "worker:anna",
                     {"--http_listen=127.0.0.1:0", "--web_dir=" GATEWAY_WEB_DIR,
                      "--http_max_connections=80", "--http_max_streams=60"}) {}

  void SetUp() override {
    VagtdFixture::SetUp();
    if (HasFatalFailure()) return;
    constexpr char kConsole[] = "console at http://127.0.0.1:";
    absl::StatusOr<std::string> line = vagtd_->ReadUntil(kConsole, Deadline());
    ASSERT_TRUE(line.ok()) << vagtd_->transcript();
    const std::string rest =
        line->substr(line->find(kConsole) + sizeof(kConsole) - 1);
    ASSERT_TRUE(absl::SimpleAtoi(rest.substr(0, rest.find('/')), &port_))
        << *line;
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

  std::string ReceiveCall(const std::string& token) {
    httplib::Result r =
        Post("/vagt.v1.CallService/ReceiveCall",
             R"({"lineId":"ishoj-bos","callerKind":"CALLER_KIND_ANONYMOUS",)"
             R"("channel":"CONTACT_CHANNEL_PHONE"})",
             token);
    EXPECT_TRUE(r) << httplib::to_string(r.error());
    if (!r) return "";
    EXPECT_EQ(r->status, 200) << r->body;
    return r->body;
  }

  int port_ = 0;
};

TEST_F(GatewayTest, UnaryCallsAreTheServicesOwnInJson) {
  httplib::Result me =
      Post("/vagt.v1.DirectoryService/WhoAmI", "{}", TokenFor("worker:anna"));
  ASSERT_TRUE(me);
  EXPECT_EQ(me->status, 200);
  EXPECT_EQ(me->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(me->get_header_value("Cache-Control"), "no-store");
  EXPECT_THAT(me->body, HasSubstr(R"("partyId":"worker:anna")"));

  const std::string taken =
      Post("/vagt.v1.LineService/TakeLine", R"({"lineId":"ishoj-bos"})",
           TokenFor("worker:anna"))
          ->body;
  EXPECT_THAT(taken, HasSubstr("streamId"));
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
  for (auto& b : boards) ASSERT_EQ(b->WaitForMessages(1, Deadline()), 1u);
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

TEST_F(GatewayTest, SigtermEndsOpenStreamsAndStopsCleanly) {
  ConnectStream board(port_, "/vagt.v1.OnCallService/WatchBoard",
                      TokenFor("worker:anna"), R"({"lineId":"ishoj-bos"})");
  ASSERT_EQ(board.WaitForMessages(1, Deadline()), 1u);
  vagtd_->Signal(SIGTERM);
  EXPECT_THAT(board.WaitForEnd(Deadline()),
              HasSubstr(R"("code":"unavailable")"));
  absl::StatusOr<int> status = vagtd_->Wait(Deadline());
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0)
      << vagtd_->transcript();
  EXPECT_THAT(vagtd_->transcript(), HasSubstr("stopped cleanly"));
  EXPECT_THAT(vagtd_->transcript(), Not(HasSubstr("Bearer")));
}

}  // namespace
}  // namespace vagt
