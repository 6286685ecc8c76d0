// Decision: what a command decides, the events to append (in order) or why
// not. Every aggregate's decisions (services/*/..._decisions.h) return one,
// and services/common/command.h appends it.
//
//   Decision DecideClose(const CallState& call, const v1::CloseCallRequest& r)
//   {
//     if (!call.open()) return absl::FailedPreconditionError("call: closed");
//     v1::EventPayload payload;
//     ...
//     return One(std::move(payload));
//   }
#ifndef VAGT_DOMAIN_DECISION_H_
#define VAGT_DOMAIN_DECISION_H_

#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "vagt/v1/events.pb.h"

namespace vagt {

using Decision = absl::StatusOr<std::vector<v1::EventPayload>>;

// The decision to append exactly `payload`.
inline Decision One(v1::EventPayload payload) {
  std::vector<v1::EventPayload> out;
  out.push_back(std::move(payload));
  return out;
}

}  // namespace vagt

#endif  // VAGT_DOMAIN_DECISION_H_
