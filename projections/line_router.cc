#include "projections/line_router.h"

#include <string_view>

#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "projections/keys.h"

namespace vagt::projections {

LineSource LineSourceOf(const v1::EventEnvelope& event) {
  const v1::EventPayload& p = event.payload();
  const std::string_view stream = event.stream_id();
  for (std::string_view kind : {kLineKind, kRosterKind, kAlarmKind}) {
    if (std::string_view line = IdInStream(stream, kind); !line.empty()) {
      return {.line = std::string(line)};
    }
  }
  if (p.has_call_received()) return {.line = p.call_received().line_id()};
  if (p.has_escalation_raised()) {
    return {.line = p.escalation_raised().line_id()};
  }
  if (std::string_view call = IdInStream(stream, kCallKind); !call.empty()) {
    return {.route_key = keys::CallRoute(call)};
  }
  if (std::string_view esc = IdInStream(stream, kEscalationKind);
      !esc.empty()) {
    return {.route_key = keys::EscalationRoute(esc)};
  }
  return {};
}

absl::StatusOr<std::string> LineRouter::LineOf(const v1::EventEnvelope& event) {
  const v1::EventPayload& p = event.payload();
  LineSource source = LineSourceOf(event);
  if (p.has_call_received()) {
    routes_.Put(keys::CallRoute(p.call_received().call_id()), source.line);
  } else if (p.has_escalation_raised()) {
    routes_.Put(keys::EscalationRoute(p.escalation_raised().escalation_id()),
                source.line);
  }
  if (source.route_key.empty()) return std::move(source.line);
  ASSIGN_OR_RETURN(std::optional<std::string> line,
                   routes_.Get(source.route_key));
  return line.value_or("");
}

}  // namespace vagt::projections
