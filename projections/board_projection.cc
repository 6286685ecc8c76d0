#include "projections/board_projection.h"

#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"
#include "projections/board_fold.h"
#include "projections/keys.h"

namespace vagt::projections {

absl::StatusOr<v1::Board*> BoardProjection::Load(std::string_view line_id) {
  std::string key(line_id);
  if (auto it = boards_.find(key); it != boards_.end()) return &it->second;
  std::string bytes;
  rocksdb::Status s =
      db_->Get(rocksdb::ReadOptions(), keys::Board(line_id), &bytes);
  v1::Board board = EmptyBoard(line_id);
  if (s.ok()) {
    if (!board.ParseFromString(bytes)) {
      return absl::DataLossError(
          absl::StrCat("board projection: stored board of line ",
                       std::string(line_id), " does not parse"));
    }
  } else if (!s.IsNotFound()) {
    return absl::UnavailableError(
        absl::StrCat("board projection: read failed: ", s.ToString()));
  }
  return &boards_.emplace(std::move(key), std::move(board)).first->second;
}

absl::Status BoardProjection::Apply(const v1::EventEnvelope& event,
                                    std::string_view line_id,
                                    rocksdb::WriteBatch& batch) {
  if (line_id.empty()) return absl::OkStatus();
  ASSIGN_OR_RETURN(v1::Board * board, Load(line_id));
  ApplyToBoard(event, *board);
  dirty_.insert(std::string(line_id));
  if (board->event_count() % kSnapshotEvery == 0) {
    batch
        .Put(keys::BoardSnapshot(line_id, event.global_position()),
             board->SerializeAsString())
        .PermitUncheckedError();
  }
  return absl::OkStatus();
}

void BoardProjection::Flush(rocksdb::WriteBatch& batch) {
  for (const std::string& line : dirty_) {
    batch.Put(keys::Board(line), boards_.at(line).SerializeAsString())
        .PermitUncheckedError();
  }
  dirty_.clear();
}

void BoardProjection::Discard() {
  boards_.clear();
  dirty_.clear();
}

}  // namespace vagt::projections
