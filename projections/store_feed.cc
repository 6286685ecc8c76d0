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

std::optional<std::vector<v1::EventEnvelope>> StoreFeed::TakeReadAhead(
    uint64_t after, size_t max_events) {
  if (!ahead_.has_value()) return std::nullopt;
  const bool matches =
      ahead_->after == after && ahead_->max_events == max_events;
  absl::StatusOr<std::vector<v1::EventEnvelope>> events = ahead_->events.get();
  ahead_.reset();
  // A failed or empty read-ahead is read again, now.
  if (!matches || !events.ok() || events->empty()) return std::nullopt;
  return *std::move(events);
}

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
  if (std::optional<std::vector<v1::EventEnvelope>> ahead =
          TakeReadAhead(after, max_events)) {
    batch.events = *std::move(ahead);
  } else {
    while (store_.LastPosition() <= after) {
      const absl::Time now = absl::Now();
      if (interrupted_.exchange(false) || now >= deadline) return batch;
      store_.WaitForAppend(after, std::min(deadline, now + kWaitSlice));
    }
    ASSIGN_OR_RETURN(batch.events, store_.ReadAll(after + 1, max_events));
  }
  if (batch.events.empty()) return batch;
  const uint64_t last = batch.events.back().global_position();
  batch.cursor = CursorAt(last);
  if (batch.events.size() == max_events) {
    ahead_ = ReadAhead{
        .after = last,
        .max_events = max_events,
        .events = std::async(std::launch::async, [this, last, max_events] {
          return store_.ReadAll(last + 1, max_events);
        })};
  }
  return batch;
}

}  // namespace vagt::projections
