// The entities an event is about, for the audit trail's indexes: the one
// place that decides which timelines an event appears in.
//
//   citizen     every `citizen_ref`/`citizen_refs` in the payload, and the
//               citizen of a "citizen-..." stream;
//   call        every `call_id`/`related_call_ids`, and a "call-..." stream;
//   escalation  every `escalation_id`/`escalation_ids`/
//               `related_escalation_ids`, and an "escalation-..." stream;
//   worker      the envelope's actor and every Party named in the payload
//               (team workers and partners alike);
//   directory   the directory stream's events ("directory-main" is the
//               directory "main"), so that a process without the store
//               (the queries role) folds the directory from its index;
//   line        the line LineRouter routes the event to (its line and roster
//               streams, its calls and their escalations): exactly the
//               events the line's board is folded from, which is what lets
//               BoardAt replay the line's timeline.
// The payload is walked by reflection, so a new event type is indexed by
// the same field names without code here.
#ifndef VAGT_PROJECTIONS_ENTITIES_H_
#define VAGT_PROJECTIONS_ENTITIES_H_

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "projections/keys.h"
#include "vagt/v1/events.pb.h"

namespace vagt::projections {

using EntityRef = std::pair<keys::Entity, std::string>;

// Each entity once.
std::vector<EntityRef> EntitiesOf(const v1::EventEnvelope& event,
                                  std::string_view routed_line_id);

}  // namespace vagt::projections

#endif  // VAGT_PROJECTIONS_ENTITIES_H_
