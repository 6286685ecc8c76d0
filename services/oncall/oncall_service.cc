#include "services/oncall/oncall_service.h"

#include <algorithm>

#include "domain/field_checks.h"
#include "eventstore/status_macros.h"
#include "projections/board_fold.h"
#include "services/common/command_context.h"
#include "services/common/edge.h"
#include "services/common/grpc_status.h"

namespace vagt::services {
namespace {

// How often a watch looks whether its client went away.
constexpr absl::Duration kWatchPoll = absl::Milliseconds(250);

absl::StatusOr<projections::BoardReader> ReaderFor(
    const grpc::ServerContext& context, const std::string& line_id) {
  ASSIGN_OR_RETURN(std::string actor, ActorOf(context));
  RETURN_IF_ERROR(CheckId(line_id, "line_id", /*required=*/true));
  return projections::ReaderOf(actor);
}

// Puts the staleness alerts first: a board that is not current must say so
// before anything else.
v1::Board WithStaleness(v1::Board board, std::vector<std::string> stale) {
  if (stale.empty()) return board;
  for (std::string& a : *board.mutable_alerts()) stale.push_back(std::move(a));
  board.clear_alerts();
  for (std::string& a : stale) board.add_alerts(std::move(a));
  return board;
}

}  // namespace

grpc::Status OnCallService::GetBoard(grpc::ServerContext* context,
                                     const v1::GetBoardRequest* request,
                                     v1::Board* response) {
  auto board = [&]() -> absl::StatusOr<v1::Board> {
    ASSIGN_OR_RETURN(projections::BoardReader reader,
                     ReaderFor(*context, request->line_id()));
    const uint64_t applied = view_.CatchUp();
    ASSIGN_OR_RETURN(v1::Board stored,
                     view_.reader().Board(request->line_id()));
    return WithStaleness(projections::RenderBoard(
                             std::move(stored), clock_.Now(), applied, reader),
                         view_.StalenessAlerts(applied, /*check_lag=*/true));
  };
  return Answer(board(), response);
}

grpc::Status OnCallService::WatchBoard(grpc::ServerContext* context,
                                       const v1::WatchBoardRequest* request,
                                       grpc::ServerWriter<v1::Board>* writer) {
  absl::StatusOr<projections::BoardReader> reader =
      ReaderFor(*context, request->line_id());
  if (!reader.ok()) return ToGrpcStatus(reader.status());
  view_.CatchUp();
  bool first = true;
  uint64_t shown = 0;  // last_position of the board last sent
  google::protobuf::RepeatedPtrField<std::string> shown_alerts;
  while (!context->IsCancelled()) {
    // A token revoked (or its principal suspended) ends the watch.
    if (absl::Status admitted = StillAdmitted(*context); !admitted.ok()) {
      return ToGrpcStatus(admitted);
    }
    const uint64_t applied = view_.runner().AppliedPosition();
    absl::StatusOr<v1::Board> stored = view_.reader().Board(request->line_id());
    if (!stored.ok()) return ToGrpcStatus(stored.status());
    const uint64_t as_of_position = std::max(applied, stored->last_position());
    // A watch follows the log, so being a few events behind is normal.
    v1::Board board =
        WithStaleness(projections::RenderBoard(*std::move(stored), clock_.Now(),
                                               as_of_position, *reader),
                      view_.StalenessAlerts(applied, /*check_lag=*/false));
    // Sent when an event changed the board, and when time alone changed
    // what needs attention (a deadline passed, a handover became overdue).
    const bool alerts_changed =
        board.alerts_size() != shown_alerts.size() ||
        !std::equal(board.alerts().begin(), board.alerts().end(),
                    shown_alerts.begin());
    if (first || board.last_position() != shown || alerts_changed) {
      first = false;
      shown = board.last_position();
      shown_alerts = board.alerts();
      if (!writer->Write(board)) break;  // the client went away
    }
    view_.runner().WaitForChange(applied, absl::Now() + kWatchPoll);
  }
  return grpc::Status::OK;
}

}  // namespace vagt::services
