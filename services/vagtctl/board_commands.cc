// vagtctl board: the live on-call board of a line, once or as it changes
// (OnCallService).
#include <cstdio>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "services/vagtctl/board_text.h"
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/commands.h"
#include "services/vagtctl/local_time.h"
#include "vagt/v1/oncall.grpc.pb.h"

namespace vagt::vagtctl {
namespace {

using Stub = v1::OnCallService::Stub;

struct BoardOptions {
  std::string line;
  bool watch = false;
};

int Show(const BoardOptions& o, Session& s) {
  v1::GetBoardRequest request;
  request.set_line_id(o.line);
  v1::Board board;
  auto stub = v1::OnCallService::NewStub(s.connection.channel());
  return s.output.ReportRead(Send(s, *stub, &Stub::GetBoard, request, &board),
                             board, [&] { return BoardText(board, s.now); });
}

// Prints each board the server sends until the stream ends or the user
// stops vagtctl (Ctrl-C). No deadline and no retries: it runs for as long
// as the user watches.
int Watch(const BoardOptions& o, Session& s) {
  v1::WatchBoardRequest request;
  request.set_line_id(o.line);
  grpc::ClientContext context;
  s.connection.AddToken(context);
  auto stub = v1::OnCallService::NewStub(s.connection.channel());
  std::unique_ptr<grpc::ClientReader<v1::Board>> stream =
      stub->WatchBoard(&context, request);
  v1::Board board;
  while (stream->Read(&board)) {
    if (s.output.json()) {
      std::printf("%s\n", ToJson(board).c_str());
    } else {
      const absl::Time as_of = ToTime(board.as_of());
      std::printf("=== line %s at %s ===\n%s\n\n", board.line_id().c_str(),
                  FormatLocalSeconds(as_of).c_str(),
                  BoardText(board, as_of).c_str());
    }
    std::fflush(stdout);  // a pipe is block-buffered; the reader waits
  }
  const grpc::Status status = stream->Finish();
  if (!status.ok()) return s.output.Failure(status, /*read=*/true);
  return kExitOk;
}

}  // namespace

void AddBoardCommands(CommandLine& cli) {
  auto o = std::make_shared<BoardOptions>();
  CLI::App* cmd = cli.AddCommand(
      cli.root(), "board",
      "The on-call board of a line: who is responsible, open calls, running "
      "escalations, handovers",
      R"(  vagtctl board --line ishoj-bos
  vagtctl board --line ishoj-bos --watch      (a new board at every change;
                                              Ctrl-C stops)
  vagtctl board --line ishoj-bos --json       (the Board message as JSON;
                                              with --watch one per line)

A line nobody is responsible for opens with
  !!! NOBODY IS RESPONSIBLE FOR LINE ishoj-bos !!!
and every alert (overdue handover, escalation deadline passed) follows.
Times are Copenhagen local time. The board holds no notes or reasons: read
them with vagtctl timeline.)",
      [o](Session& s) { return o->watch ? Watch(*o, s) : Show(*o, s); });
  cmd->add_option("--line", o->line, "The line, e.g. ishoj-bos")->required();
  cmd->add_flag("--watch", o->watch,
                "Keep printing the board each time it changes, until Ctrl-C");
}

}  // namespace vagt::vagtctl
