#include "projections/line_router.h"

#include <string_view>

#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "projections/keys.h"

namespace vagt::projections {

absl::StatusOr<std::string> LineRouter::LineOf(const v1::EventEnvelope& event) {
  const v1::EventPayload& p = event.payload();
  const std::string_view stream = event.stream_id();
  if (std::string_view line = IdInStream(stream, kLineKind); !line.empty()) {
    return std::string(line);
  }
  if (std::string_view line = IdInStream(stream, kRosterKind); !line.empty()) {
    return std::string(line);
  }
  if (std::string_view line = IdInStream(stream, kAlarmKind); !line.empty()) {
    return std::string(line);
  }
  if (p.has_call_received()) {
    routes_.Put(keys::CallRoute(p.call_received().call_id()),
                p.call_received().line_id());
    return p.call_received().line_id();
  }
  if (p.has_escalation_raised()) {
    routes_.Put(keys::EscalationRoute(p.escalation_raised().escalation_id()),
                p.escalation_raised().line_id());
    return p.escalation_raised().line_id();
  }
  std::string route;
  if (std::string_view call = IdInStream(stream, kCallKind); !call.empty()) {
    route = keys::CallRoute(call);
  } else if (std::string_view esc = IdInStream(stream, kEscalationKind);
             !esc.empty()) {
    route = keys::EscalationRoute(esc);
  } else {
    return std::string();
  }
  ASSIGN_OR_RETURN(std::optional<std::string> line, routes_.Get(route));
  return line.value_or("");
}

}  // namespace vagt::projections
