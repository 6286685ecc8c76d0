#include "services/oncall/oncall_service.h"

#include <algorithm>

#include "domain/field_checks.h"
#include "eventstore/status_macros.h"
#include "projections/board_fold.h"
#include "services/common/command_context.h"
#include "services/common/edge.h"
#include "services/common/grpc_status.h"
#include "services/common/scope.h"

namespace vagt::services {
namespace {

// How often a watch looks whether its client went away.
constexpr absl::Duration kWatchPoll = absl::Milliseconds(250);

// Who looks at a board, once admitted to its line (scope.h).
struct Viewer {
  projections::BoardReader reader = projections::BoardReader::kTeamWorker;
  // A partner's party id; empty for the team.
  std::string partner;
};

absl::StatusOr<Viewer> ViewerFor(const grpc::ServerContext& context,
                                 const std::string& line_id) {
  ASSIGN_OR_RETURN(Caller caller, AuthenticatedCaller(context));
  RETURN_IF_ERROR(CheckLine(caller, line_id));
  if (!ActsAsPartner(caller)) return Viewer{};
  return Viewer{.reader = projections::BoardReader::kPartner,
                .partner = caller.party_id};
}

template <typename T, typename Keep>
void KeepOnly(google::protobuf::RepeatedPtrField<T>* items, Keep keep) {
  items->erase(std::remove_if(items->begin(), items->end(),
                              [&](const T& item) { return !keep(item); }),
               items->end());
}

// The stored board as `viewer` sees it. A partner sees the calls it logged,
// the escalations aimed at it and a handover offered to it, nothing else
// that is running on the line.
v1::Board Shown(v1::Board stored, const Viewer& viewer, absl::Time now,
                uint64_t as_of_position) {
  v1::Board board = projections::RenderBoard(std::move(stored), now,
                                             as_of_position, viewer.reader);
  if (viewer.partner.empty()) return board;
  KeepOnly(board.mutable_open_calls(), [&](const v1::OpenCall& c) {
    return c.answered_by().id() == viewer.partner;
  });
  KeepOnly(board.mutable_running_escalations(),
           [&](const v1::RunningEscalation& e) {
             return e.target().id() == viewer.partner;
           });
  if (board.pending_handover().offered_to().id() != viewer.partner) {
    board.clear_pending_handover();
  }
  return board;
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

// The line's board as the projection keeps it. A line the directory
// registered (the caller's scope was checked) that nothing has happened on
// yet has the board of a new line: uncovered, nobody responsible.
absl::StatusOr<v1::Board> OnCallService::StoredBoard(
    const std::string& line_id) const {
  absl::StatusOr<v1::Board> stored = view_.reader().Board(line_id);
  if (absl::IsNotFound(stored.status()))
    return projections::EmptyBoard(line_id);
  return stored;
}

grpc::Status OnCallService::GetBoard(grpc::ServerContext* context,
                                     const v1::GetBoardRequest* request,
                                     v1::Board* response) {
  auto board = [&]() -> absl::StatusOr<v1::Board> {
    ASSIGN_OR_RETURN(Viewer viewer, ViewerFor(*context, request->line_id()));
    const uint64_t applied = view_.CatchUp();
    ASSIGN_OR_RETURN(v1::Board stored, StoredBoard(request->line_id()));
    return WithStaleness(
        Shown(std::move(stored), viewer, clock_.Now(), applied),
        view_.StalenessAlerts(applied, /*check_lag=*/true));
  };
  return Answer(board(), response);
}

grpc::Status OnCallService::WatchBoard(grpc::ServerContext* context,
                                       const v1::WatchBoardRequest* request,
                                       grpc::ServerWriter<v1::Board>* writer) {
  absl::StatusOr<Viewer> viewer = ViewerFor(*context, request->line_id());
  if (!viewer.ok()) return ToGrpcStatus(viewer.status());
  view_.CatchUp();
  bool first = true;
  uint64_t shown = 0;  // last_position of the board last sent
  google::protobuf::RepeatedPtrField<std::string> shown_alerts;
  while (!context->IsCancelled()) {
    // A token revoked (or its principal suspended) ends the watch.
    // So does a line the caller may no longer act on (its team role
    // revoked).
    absl::StatusOr<Caller> admitted = StillAdmitted(*context);
    if (!admitted.ok()) return ToGrpcStatus(admitted.status());
    if (absl::Status s = CheckLine(*admitted, request->line_id()); !s.ok()) {
      return ToGrpcStatus(s);
    }
    const uint64_t applied = view_.runner().AppliedPosition();
    absl::StatusOr<v1::Board> stored = StoredBoard(request->line_id());
    if (!stored.ok()) return ToGrpcStatus(stored.status());
    const uint64_t as_of_position = std::max(applied, stored->last_position());
    // A watch follows the log, so being a few events behind is normal.
    v1::Board board = WithStaleness(
        Shown(*std::move(stored), *viewer, clock_.Now(), as_of_position),
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
