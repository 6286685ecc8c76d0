// LineRouter: which line's board an event changes. The events of a line's
// own streams ("line-", "roster-" and "alarm-<line id>") change that line; a
// call's events the line the call came in on; an escalation's events the
// line of the call it was raised from. Calls and escalations name their line
// only in their first event, so the router remembers it (state committed
// with the runner's batch).
#ifndef VAGT_PROJECTIONS_LINE_ROUTER_H_
#define VAGT_PROJECTIONS_LINE_ROUTER_H_

#include <string>

#include "absl/status/statusor.h"
#include "projections/state_cache.h"
#include "vagt/v1/events.pb.h"

namespace vagt::projections {

// Where the line of `event` is found: `line` when the event names it (its
// stream, or the first event of a call or escalation); otherwise
// `route_key`, the key of the route that call's or escalation's first event
// left in the projection database; neither for events about no line.
struct LineSource {
  std::string line;
  std::string route_key;
};
LineSource LineSourceOf(const v1::EventEnvelope& event);

class LineRouter {
 public:
  explicit LineRouter(rocksdb::DB* db) : routes_(db) {}

  // The line `event` concerns; empty for events about no line (citizens,
  // access records) and for a call or escalation whose first event is
  // unknown.
  absl::StatusOr<std::string> LineOf(const v1::EventEnvelope& event);

  void Flush(rocksdb::WriteBatch& batch) { routes_.Flush(batch); }
  size_t pending_bytes() const { return routes_.pending_bytes(); }
  void Discard() { routes_.Discard(); }

 private:
  StateCache routes_;
};

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_LINE_ROUTER_H_
