// The on-call board as a duty worker reads it in a terminal: who is
// responsible for the line and since when, the backup, open calls, running
// escalations, a pending handover and the last handover note, in
// Europe/Copenhagen local time. Used by `vagtctl board` and `vagtctl
// board-at`, so the live and the past board read the same.
//
//   std::printf("%s\n", BoardText(board, absl::Now()).c_str());
#ifndef VAGT_SERVICES_VAGTCTL_BOARD_TEXT_H_
#define VAGT_SERVICES_VAGTCTL_BOARD_TEXT_H_

#include <string>

#include "absl/time/time.h"
#include "vagt/v1/oncall.pb.h"

namespace vagt::vagtctl {

// The board in lines (no trailing newline). When nobody is responsible it
// opens with a banner ("!!! NOBODY IS RESPONSIBLE FOR LINE central !!!");
// every alert follows, then the board. Times are shown relative to `now`'s
// local day (see FormatLocalTime). Holds no free text: the board has none.
std::string BoardText(const v1::Board& board, absl::Time now);

// "12m", "1h05m", "2d03h": how long ago, for open calls.
std::string ShowAge(int64_t seconds);

}  // namespace vagt::vagtctl

#endif  // VAGT_SERVICES_VAGTCTL_BOARD_TEXT_H_
