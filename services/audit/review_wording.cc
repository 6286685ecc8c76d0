#include "services/audit/review_wording.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/string_view.h"

namespace vagt::services {
namespace {

// ": text", or nothing for an empty text.
std::string Colon(const std::string& text) {
  return text.empty() ? "" : absl::StrCat(": ", text);
}

std::string Note(
    const google::protobuf::RepeatedPtrField<v1::HandoverItem>& items,
    const ItemFilter& about_report) {
  int about = 0;
  for (const v1::HandoverItem& item : items) {
    if (about_report(item)) ++about;
  }
  return absl::StrCat("a note of ", items.size(),
                      items.size() == 1 ? " item" : " items", " (", about,
                      " about this review)");
}

std::string Line(const std::string& line_id) {
  return absl::StrCat("line ", line_id);
}

std::string DescribeLine(const v1::EventPayload& p, const ItemFilter& about) {
  switch (p.event_case()) {
    case v1::EventPayload::kLineCoverageTaken: {
      const auto& e = p.line_coverage_taken();
      return absl::StrCat(PartyText(e.holder()), " took ", Line(e.line_id()),
                          " (", Label(e.reason()), ")");
    }
    case v1::EventPayload::kLineHandoverOffered: {
      const auto& e = p.line_handover_offered();
      return absl::StrCat(PartyText(e.holder()), " offered ", Line(e.line_id()),
                          " to ", PartyText(e.offered_to()), " with ",
                          Note(e.items(), about));
    }
    case v1::EventPayload::kLineHandoverAccepted: {
      const auto& e = p.line_handover_accepted();
      return absl::StrCat(PartyText(e.accepted_by()), " accepted ",
                          Line(e.line_id()), " from ",
                          PartyText(e.previous_holder()));
    }
    case v1::EventPayload::kLineHandoverDeclined: {
      const auto& e = p.line_handover_declined();
      return absl::StrCat(PartyText(e.declined_by()), " declined ",
                          Line(e.line_id()), " (", Label(e.reason()), ")");
    }
    case v1::EventPayload::kLineHandoverWithdrawn: {
      const auto& e = p.line_handover_withdrawn();
      return absl::StrCat(PartyText(e.holder()),
                          " withdrew the handover offer of ",
                          Line(e.line_id()));
    }
    case v1::EventPayload::kLineCoveragePassedToNightPartner: {
      const auto& e = p.line_coverage_passed_to_night_partner();
      return absl::StrCat(PartyText(e.previous_holder()), " passed ",
                          Line(e.line_id()), " to the night partner ",
                          PartyText(e.night_partner()), " with ",
                          Note(e.items(), about));
    }
    case v1::EventPayload::kLineCoverageTakenBack: {
      const auto& e = p.line_coverage_taken_back();
      return absl::StrCat(PartyText(e.holder()), " took ", Line(e.line_id()),
                          " back from ", PartyText(e.night_partner()), " with ",
                          Note(e.items(), about));
    }
    case v1::EventPayload::kLineBackupAssigned: {
      const auto& e = p.line_backup_assigned();
      return absl::StrCat(PartyText(e.backup()), " assigned as backup on ",
                          Line(e.line_id()));
    }
    default:
      return "";
  }
}

std::string DescribeCall(const v1::EventPayload& p) {
  switch (p.event_case()) {
    case v1::EventPayload::kCallReceived: {
      const auto& e = p.call_received();
      return absl::StrCat(
          "Call ", e.call_id(), " received on ", Line(e.line_id()), " (",
          Label(e.channel()), ") from ", Label(e.caller_kind()),
          e.citizen_ref().empty() ? "" : absl::StrCat(", ", e.citizen_ref()),
          ", answered by ", PartyText(e.answered_by()),
          Colon(e.sensitive().reason()));
    }
    case v1::EventPayload::kCallNoteAdded: {
      const auto& e = p.call_note_added();
      return absl::StrCat("Note on call ", e.call_id(),
                          Colon(e.sensitive().text()));
    }
    case v1::EventPayload::kCallRiskAssessed: {
      const auto& e = p.call_risk_assessed();
      return absl::StrCat("Risk on call ", e.call_id(), " assessed ",
                          Label(e.level()), Colon(e.sensitive().reason()));
    }
    case v1::EventPayload::kCallCrisisPlanConsulted: {
      const auto& e = p.call_crisis_plan_consulted();
      return absl::StrCat(
          "Crisis plan looked up on call ", e.call_id(), ": ",
          Label(e.result()),
          e.crisis_plan_revision() == 0
              ? ""
              : absl::StrCat(" (revision ", e.crisis_plan_revision(), ")"),
          Colon(e.sensitive().note()));
    }
    case v1::EventPayload::kCallClosed: {
      const auto& e = p.call_closed();
      return absl::StrCat("Call ", e.call_id(), " closed: ", Label(e.outcome()),
                          e.follow_up().needed()
                              ? absl::StrCat(", follow-up by ",
                                             PartyText(e.follow_up().owner()))
                              : "",
                          Colon(e.sensitive().summary()));
    }
    default:
      return "";
  }
}

std::string DescribeEscalation(const v1::EventPayload& p) {
  switch (p.event_case()) {
    case v1::EventPayload::kEscalationRaised: {
      const auto& e = p.escalation_raised();
      return absl::StrCat(
          "Escalation ", e.escalation_id(), " raised from call ", e.call_id(),
          " to ", Label(e.level()), " ", PartyText(e.target()), " (",
          Label(e.urgency()), ")", Colon(e.sensitive().reason()));
    }
    case v1::EventPayload::kEscalationAcknowledged: {
      const auto& e = p.escalation_acknowledged();
      return absl::StrCat(PartyText(e.acknowledged_by()),
                          " acknowledged escalation ", e.escalation_id(), " (",
                          Label(e.level()), ")");
    }
    case v1::EventPayload::kEscalationAccepted: {
      const auto& e = p.escalation_accepted();
      return absl::StrCat(PartyText(e.accepted_by()), " accepted escalation ",
                          e.escalation_id(), " (", Label(e.level()), ")",
                          Colon(e.sensitive().note()));
    }
    case v1::EventPayload::kEscalationDeclined: {
      const auto& e = p.escalation_declined();
      return absl::StrCat(PartyText(e.declined_by()), " declined escalation ",
                          e.escalation_id(), " (", Label(e.reason()),
                          "); it climbed to ", Label(e.to_level()), " ",
                          PartyText(e.to_target()),
                          Colon(e.sensitive().reason()));
    }
    case v1::EventPayload::kEscalationTimedOut: {
      const auto& e = p.escalation_timed_out();
      return absl::StrCat("Escalation ", e.escalation_id(), ": ",
                          PartyText(e.from_target()), " (",
                          Label(e.from_level()),
                          ") did not acknowledge in time; it climbed to ",
                          Label(e.to_level()), " ", PartyText(e.to_target()));
    }
    case v1::EventPayload::kEscalationResolved: {
      const auto& e = p.escalation_resolved();
      return absl::StrCat("Escalation ", e.escalation_id(), " resolved by ",
                          PartyText(e.resolved_by()), " (", Label(e.level()),
                          ")", Colon(e.sensitive().outcome()));
    }
    case v1::EventPayload::kEscalationCancelled: {
      const auto& e = p.escalation_cancelled();
      return absl::StrCat("Escalation ", e.escalation_id(), " cancelled (",
                          Label(e.level()), ")", Colon(e.sensitive().reason()));
    }
    default:
      return "";
  }
}

std::string Scopes(const v1::CitizenConsentGranted& e) {
  std::vector<std::string> scopes;
  for (const v1::ConsentScope& scope : e.scopes()) {
    std::vector<std::string> categories;
    for (int c : scope.categories()) {
      categories.push_back(EnumLabel(v1::ConsentDataCategory_descriptor(), c));
    }
    scopes.push_back(absl::StrCat(Label(scope.recipient_kind()),
                                  scope.recipient_id().empty()
                                      ? ""
                                      : absl::StrCat(" ", scope.recipient_id()),
                                  " (", absl::StrJoin(categories, ", "), ")"));
  }
  return absl::StrJoin(scopes, "; ");
}

std::string DescribeOther(const v1::EventPayload& p, const ItemFilter& about) {
  switch (p.event_case()) {
    case v1::EventPayload::kCitizenCrisisPlanUpdated: {
      const auto& e = p.citizen_crisis_plan_updated();
      return absl::StrCat("Crisis plan of ", e.citizen_ref(),
                          " revised (revision ", e.revision(),
                          e.agreed_with_citizen()
                              ? ", agreed with the citizen)"
                              : ", not agreed with the citizen)");
    }
    case v1::EventPayload::kCitizenConsentGranted: {
      const auto& e = p.citizen_consent_granted();
      return absl::StrCat(e.citizen_ref(), " consented (", Label(e.form()),
                          ") to sharing with ", Scopes(e),
                          Colon(e.sensitive().conditions()));
    }
    case v1::EventPayload::kCitizenConsentWithdrawn: {
      const auto& e = p.citizen_consent_withdrawn();
      return absl::StrCat(e.citizen_ref(), " withdrew consent ", e.consent_id(),
                          Colon(e.sensitive().note()));
    }
    case v1::EventPayload::kRosterRotationSet:
      return absl::StrCat("Rotation of ",
                          Line(p.roster_rotation_set().line_id()), " set");
    case v1::EventPayload::kRosterOverrideAdded:
      return absl::StrCat("Roster override added on ",
                          Line(p.roster_override_added().line_id()));
    case v1::EventPayload::kRosterOverrideRemoved:
      return absl::StrCat("Roster override removed on ",
                          Line(p.roster_override_removed().line_id()));
    case v1::EventPayload::kEscalationPolicySet:
      return absl::StrCat("Escalation policy of ",
                          Line(p.escalation_policy_set().line_id()), " set (",
                          p.escalation_policy_set().levels_size(), " levels)");
    case v1::EventPayload::kAlarmRaised: {
      const auto& e = p.alarm_raised();
      return absl::StrCat("ALARM on ", Line(e.line_id()), ": ", Label(e.kind()),
                          Colon(e.detail()));
    }
    case v1::EventPayload::kCorrectionRecorded: {
      const auto& e = p.correction_recorded();
      std::string out = absl::StrCat(
          "Correction (", Label(e.kind()), ") of event #",
          e.corrected_global_position(), Colon(e.sensitive().reason()));
      if (e.has_replacement()) {
        absl::StrAppend(
            &out, "; now reads: ", DescribePayload(e.replacement(), about));
      }
      return out;
    }
    case v1::EventPayload::kSensitiveDataAccessed: {
      const auto& e = p.sensitive_data_accessed();
      return absl::StrCat("Read citizens' data: ", Label(e.kind()), " of ",
                          e.event_count(), " events for ", Label(e.purpose()),
                          " (", e.query(), ")");
    }
    default:
      return "";
  }
}

}  // namespace

std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int value) {
  const google::protobuf::EnumValueDescriptor* v =
      type->FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat(value);
  // Every enum of vagt starts with <PREFIX>_UNSPECIFIED = 0.
  absl::string_view prefix = type->value(0)->name();
  if (absl::EndsWith(prefix, "UNSPECIFIED")) {
    prefix.remove_suffix(absl::string_view("UNSPECIFIED").size());
  } else {
    prefix = {};
  }
  absl::string_view name = v->name();
  if (absl::StartsWith(name, prefix)) name.remove_prefix(prefix.size());
  return absl::StrReplaceAll(absl::AsciiStrToLower(std::string(name)),
                             {{"_", " "}});
}

std::string PartyText(const v1::Party& party) {
  if (party.id().empty())
    return party.display_name().empty() ? "-" : party.display_name();
  if (party.display_name().empty()) return party.id();
  return absl::StrCat(party.display_name(), " (", party.id(), ")");
}

std::string DescribePayload(const v1::EventPayload& payload,
                            const ItemFilter& about_report) {
  for (const std::string& text :
       {DescribeLine(payload, about_report), DescribeCall(payload),
        DescribeEscalation(payload), DescribeOther(payload, about_report)}) {
    if (!text.empty()) return text;
  }
  return "An event this build does not know";
}

}  // namespace vagt::services
