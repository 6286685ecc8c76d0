// ProjectionReader: the queries over the projection database. Each query
// reads one consistent snapshot of it.
#ifndef VAGT_PROJECTIONS_READER_H_
#define VAGT_PROJECTIONS_READER_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "projections/entities.h"
#include "rocksdb/db.h"
#include "vagt/v1/events.pb.h"
#include "vagt/v1/oncall.pb.h"

namespace vagt::projections {

struct TimelineQuery {
  // The subject; nullopt: every event.
  std::optional<EntityRef> subject;
  // The range of recorded_at: [from, to).
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  // Only events after this global position (paging).
  uint64_t after_position = 0;
  size_t limit = 100;
};

struct TimelinePage {
  std::vector<v1::EventEnvelope> events;
  // The position to continue after; 0 when there is no more.
  uint64_t next_after = 0;
};

struct BoardAtResult {
  v1::Board board;  // unrendered
  // The last global position recorded at or before the instant.
  uint64_t position = 0;
};

class ProjectionReader {
 public:
  // `db` must outlive the reader.
  explicit ProjectionReader(rocksdb::DB& db) : db_(db) {}

  // The current (unrendered) board of a line; NOT_FOUND when no event has
  // named the line.
  absl::StatusOr<v1::Board> Board(std::string_view line_id) const;

  // The board of a line as it was after every event recorded at or before
  // `at`: the newest snapshot at or before that, plus the line's events
  // since. NOT_FOUND when no event has ever named the line.
  absl::StatusOr<BoardAtResult> BoardAt(std::string_view line_id,
                                        absl::Time at) const;

  // Events in global order: about the subject (from its index) or all,
  // within the time range, at most `limit`.
  absl::StatusOr<TimelinePage> Timeline(const TimelineQuery& query) const;

  // The line `event` concerns, as the runner routed it (line_router.h);
  // empty for an event about no line, or a call or escalation whose first
  // event is not applied.
  absl::StatusOr<std::string> LineOf(const v1::EventEnvelope& event) const;

  // The line of a call or escalation, as routed; empty for another kind of
  // subject, or one whose first event is not applied.
  absl::StatusOr<std::string> LineOfSubject(const EntityRef& subject) const;

  // The stored copy of the event at `position`; NOT_FOUND if not applied.
  absl::StatusOr<v1::EventEnvelope> EventAt(uint64_t position) const;

 private:
  // The line a call's or escalation's route (keys::CallRoute,
  // keys::EscalationRoute) names; empty when there is none.
  absl::StatusOr<std::string> RoutedLine(const std::string& route_key) const;

  rocksdb::DB& db_;
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_READER_H_
