// The board of one line as a pure fold over the events LineRouter routes to
// it, and its rendering for a reader at an instant. The live board
// projection and BoardAt (the board at a past instant) both use exactly
// these functions, so they cannot disagree.
#ifndef VAGT_PROJECTIONS_BOARD_FOLD_H_
#define VAGT_PROJECTIONS_BOARD_FOLD_H_

#include <string_view>

#include "absl/time/time.h"
#include "vagt/v1/events.pb.h"
#include "vagt/v1/oncall.pb.h"

namespace vagt::projections {

// A board for a line no event has touched: UNCOVERED.
v1::Board EmptyBoard(std::string_view line_id);

// Folds `event` (routed to board.line_id()) into `board`. Events that do
// not change a board (notes, corrections, ...) still count in
// event_count and last_position.
void ApplyToBoard(const v1::EventEnvelope& event, v1::Board& board);

// Who reads the board: team workers (and auditors, who read the whole trail
// anyway) see every handover item; anyone else only the items shared with
// them.
enum class BoardReader { kTeamWorker, kPartner };

// The stored board as `reader` sees it at `as_of`: ages, overdue flags, the
// current backup and the alerts filled in; sensitive texts removed.
v1::Board RenderBoard(v1::Board board, absl::Time as_of,
                      uint64_t as_of_position, BoardReader reader);

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_BOARD_FOLD_H_
