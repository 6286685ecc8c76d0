#include "tests/bench/console_visible.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "eventstore/status_macros.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/grpcpp.h"
#include "httplib.h"
#include "services/common/ids.h"
#include "tests/bench/scratch_dir.h"
#include "tests/support/connect_stream.h"
#include "tests/support/test_accounts.h"
#include "tests/support/vagtd_process.h"
#include "vagt/v1/calls.pb.h"
#include "vagt/v1/oncall.grpc.pb.h"

namespace vagt::bench {
namespace {

constexpr char kLine[] = "ishoj-bos";  // a line of the test accounts' team
constexpr char kWorker[] = "worker:anna";
constexpr char kWatch[] = R"({"lineId":"ishoj-bos"})";

// When each call id was first seen on a board, per stream.
class Arrivals {
 public:
  void Saw(const v1::Board& board) {
    const absl::Time now = absl::Now();
    absl::MutexLock lock(&mu_);
    for (const v1::OpenCall& call : board.open_calls()) {
      seen_.try_emplace(call.call_id(), now);
    }
  }
  // When `call_id` arrived, waiting for it until `deadline`.
  std::optional<absl::Time> WaitFor(const std::string& call_id,
                                    absl::Time deadline) {
    absl::MutexLock lock(&mu_);
    const auto arrived = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
      return seen_.contains(call_id);
    };
    if (!mu_.AwaitWithDeadline(absl::Condition(&arrived), deadline)) {
      return std::nullopt;
    }
    return seen_.at(call_id);
  }

 private:
  absl::Mutex mu_;
  std::map<std::string, absl::Time> seen_ ABSL_GUARDED_BY(mu_);
};

// The baseline's board: gRPC's own server stream, read on a thread.
class GrpcBoard {
 public:
  GrpcBoard(const std::string& address, const std::string& token,
            Arrivals& arrivals)
      : stub_(v1::OnCallService::NewStub(
            grpc::CreateChannel(address, grpc::InsecureChannelCredentials()))) {
    context_.AddMetadata("authorization", "Bearer " + token);
    v1::WatchBoardRequest request;
    request.set_line_id(kLine);
    reader_ = stub_->WatchBoard(&context_, request);
    thread_ = std::thread([this, &arrivals] {
      v1::Board board;
      while (reader_->Read(&board)) arrivals.Saw(board);
    });
  }
  ~GrpcBoard() {
    context_.TryCancel();
    thread_.join();
    reader_->Finish().IgnoreError();
  }

 private:
  std::unique_ptr<v1::OnCallService::Stub> stub_;
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<v1::Board>> reader_;
  std::thread thread_;
};

double Percentile(std::vector<double> ms, double p) {
  std::sort(ms.begin(), ms.end());
  const size_t rank =
      static_cast<size_t>(std::ceil(p * static_cast<double>(ms.size())));
  return ms[std::min(ms.size() - 1, rank == 0 ? 0 : rank - 1)];
}

struct ConsoleVisible {
  std::vector<double> console_ms, grpc_ms;
};

// One unary Connect call on the gateway; the response's JSON.
absl::StatusOr<std::string> Post(httplib::Client& client,
                                 const std::string& method,
                                 const std::string& token,
                                 const std::string& json) {
  httplib::Headers headers = {{"Connect-Protocol-Version", "1"},
                              {"Authorization", "Bearer " + token}};
  httplib::Result r = client.Post(("/vagt.v1." + method).c_str(), headers, json,
                                  "application/json");
  if (!r) {
    return absl::UnavailableError(
        absl::StrCat(method, ": ", httplib::to_string(r.error())));
  }
  if (r->status != 200) {
    return absl::InternalError(
        absl::StrCat(method, ": HTTP ", r->status, " ", r->body));
  }
  return r->body;
}

absl::StatusOr<ConsoleVisible> Measure(const std::string& dir,
                                       const ConsoleVisibleOptions& options) {
  const absl::Time start_deadline = absl::Now() + absl::Seconds(60);
  ASSIGN_OR_RETURN(
      testing::RunningVagtd vagtd,
      testing::StartVagtd(
          options.vagtd_path, dir + "/store", start_deadline,
          {"--http_listen=127.0.0.1:0", "--web_dir=" + dir + "/no-console"}));
  ASSIGN_OR_RETURN(int port,
                   testing::GatewayPort(*vagtd.process, start_deadline));
  ASSIGN_OR_RETURN(std::string admin, testing::FirstAdminToken(dir + "/store"));
  testing::TestAccounts accounts(vagtd.address, admin);
  ASSIGN_OR_RETURN(std::string token, accounts.TokenFor(kWorker));

  httplib::Client client("127.0.0.1", port);
  client.set_keep_alive(true);
  client.set_tcp_nodelay(true);  // as browsers do
  RETURN_IF_ERROR(
      Post(client, "LineService/TakeLine", token,
           absl::StrCat(R"({"requestId":")", services::NewUuid(),
                        R"(","lineId":"ishoj-bos",)"
                        R"("reason":"LINE_COVERAGE_TAKE_REASON_LINE_OPENED"})"))
          .status());
  Arrivals console, grpc;
  testing::ConnectStream browser(
      port, "/vagt.v1.OnCallService/WatchBoard", token, kWatch,
      [&console](const std::string& json) {
        v1::Board board;
        if (google::protobuf::util::JsonStringToMessage(json, &board).ok()) {
          console.Saw(board);
        }
      });
  GrpcBoard baseline(vagtd.address, token, grpc);
  // Both streams have sent their first board before the first call.
  if (browser.WaitForMessages(1, start_deadline) < 1) {
    return absl::UnavailableError("the Connect board stream sent nothing");
  }

  ConsoleVisible out;
  v1::ReceiveCallResponse received;
  for (int i = 0; i < options.calls; ++i) {
    const absl::Time before = absl::Now();
    ASSIGN_OR_RETURN(
        std::string json,
        Post(client, "CallService/ReceiveCall", token,
             absl::StrCat(R"({"requestId":")", services::NewUuid(),
                          R"(","lineId":"ishoj-bos",)"
                          R"("callerKind":"CALLER_KIND_ANONYMOUS",)"
                          R"("channel":"CONTACT_CHANNEL_PHONE"})")));
    if (!google::protobuf::util::JsonStringToMessage(json, &received).ok()) {
      return absl::InternalError(absl::StrCat("ReceiveCall answered ", json));
    }
    const absl::Time deadline = absl::Now() + absl::Seconds(30);
    const std::optional<absl::Time> on_console =
        console.WaitFor(received.call_id(), deadline);
    const std::optional<absl::Time> on_grpc =
        grpc.WaitFor(received.call_id(), deadline);
    if (!on_console || !on_grpc) {
      return absl::DeadlineExceededError(absl::StrCat(
          "call ", i, " not on the ", on_console ? "gRPC" : "browser's",
          " board within 30 s"));
    }
    out.console_ms.push_back(absl::ToDoubleMilliseconds(*on_console - before));
    out.grpc_ms.push_back(absl::ToDoubleMilliseconds(*on_grpc - before));
    // Closed, so that the board stays the size of an evening's.
    RETURN_IF_ERROR(
        Post(client, "CallService/CloseCall", token,
             absl::StrCat(R"({"requestId":")", services::NewUuid(),
                          R"(","callId":")", received.call_id(),
                          R"(","outcome":"CALL_OUTCOME_RESOLVED_ON_CALL"})"))
            .status());
  }
  return out;
}

}  // namespace

bool RunConsoleGroup(const std::string& parent,
                     const ConsoleVisibleOptions& options) {
  std::cout << absl::StrFormat(
                   "console: %d calls received through the browser gateway of "
                   "a vagtd process, until on a Connect board stream and on a "
                   "gRPC one",
                   options.calls)
            << std::endl;
  absl::StatusOr<ConsoleVisible> result;
  if (absl::StatusOr<std::unique_ptr<ScratchDir>> dir =
          ScratchDir::Create(parent, "vagt-bench-console");
      dir.ok()) {
    result = Measure((*dir)->path(), options);
  } else {
    result = dir.status();
  }
  if (!result.ok() || result->console_ms.empty()) {
    std::cout << "console error: " << result.status().ToString() << std::endl;
    std::cout << "console_visible_p99_ms=n/a grpc_visible_p99_ms=n/a"
              << std::endl;
    return false;
  }
  const double console_p99 = Percentile(result->console_ms, 0.99);
  const double grpc_p99 = Percentile(result->grpc_ms, 0.99);
  std::cout << absl::StrFormat(
                   "console_visible_p50_ms=%.1f grpc_visible_p50_ms=%.1f",
                   Percentile(result->console_ms, 0.5),
                   Percentile(result->grpc_ms, 0.5))
            << std::endl;
  std::cout << absl::StrFormat(
                   "console_visible_p99_ms=%.1f grpc_visible_p99_ms=%.1f "
                   "console_p99_vs_grpc_p99=%.2f",
                   console_p99, grpc_p99,
                   grpc_p99 > 0 ? console_p99 / grpc_p99 : 0.0)
            << std::endl;
  return true;
}

}  // namespace vagt::bench
