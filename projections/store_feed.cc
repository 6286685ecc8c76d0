#include "projections/store_feed.h"

#include <algorithm>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"

namespace vagt::projections {
namespace {

// WaitForAppend wakes on appends only; wait in short slices so that
// Interrupt() is seen promptly.
constexpr absl::Duration kWaitSlice = absl::Milliseconds(50);

}  // namespace

std::string StoreFeed::CursorAt(uint64_t position) {
  return absl::StrCat(position);
}

absl::StatusOr<FeedBatch> StoreFeed::Next(const std::string& cursor,
                                          size_t max_events,
                                          absl::Time deadline) {
  uint64_t after = 0;
  if (!cursor.empty() && !absl::SimpleAtoi(cursor, &after)) {
    return absl::InvalidArgumentError(
        absl::StrCat("store feed: cursor '", cursor, "' is not a position"));
  }
  FeedBatch batch;
  batch.cursor = cursor.empty() ? CursorAt(0) : cursor;
  while (store_.LastPosition() <= after) {
    const absl::Time now = absl::Now();
    if (interrupted_.exchange(false) || now >= deadline) return batch;
    store_.WaitForAppend(after, std::min(deadline, now + kWaitSlice));
  }
  ASSIGN_OR_RETURN(batch.events, store_.ReadAll(after + 1, max_events));
  if (!batch.events.empty()) {
    batch.cursor = CursorAt(batch.events.back().global_position());
  }
  return batch;
}

}  // namespace vagt::projections
