// The words of the review report: labels for enum values and parties, and
// the one-line description of each event in the report's timeline. Shared
// by the report builder (entries, holdings) and the HTML renderer (labels).
//
//   Label(v1::RISK_LEVEL_HIGH)            -> "high"
//   Label(v1::ESCALATION_LEVEL_POLICE)    -> "police"
//   PartyText(anna)                       -> "Anna Jensen (worker:anna)"
#ifndef VAGT_SERVICES_AUDIT_REVIEW_WORDING_H_
#define VAGT_SERVICES_AUDIT_REVIEW_WORDING_H_

#include <functional>
#include <string>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

// The value's name without its enum's prefix, lower case, words separated by
// spaces ("RISK_LEVEL_HIGH" -> "high"); "unspecified" for 0 and the number
// for a value this build does not know.
std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int value);

template <typename Enum>
std::string Label(Enum value) {
  return EnumLabel(google::protobuf::GetEnumDescriptor<Enum>(),
                   static_cast<int>(value));
}

// "Display Name (id)", or the id alone when there is no display name; "-"
// for an empty party.
std::string PartyText(const v1::Party& party);

// Whether a handover item belongs in the report (it cites one of the
// report's calls, escalations or citizens).
using ItemFilter = std::function<bool(const v1::HandoverItem&)>;

// One line saying what an event records (who recorded it is the
// envelope's actor, shown beside it). Texts of handover items are never
// included, only counts (items, and how many are `about_report`); the other
// texts an event holds about its citizen are.
std::string DescribePayload(const v1::EventPayload& payload,
                            const ItemFilter& about_report);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_AUDIT_REVIEW_WORDING_H_
