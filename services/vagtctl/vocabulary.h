// The words a duty worker types for vagt's enums ("high", "phone",
// "social-emergency"), in one place: parsed from the command line and printed
// back in human output, so the two never diverge.
//
//   absl::StatusOr<int> level = ParseWord(kRiskLevels, "high", "LEVEL");
//   std::string word = WordFor(kRiskLevels, v1::RISK_LEVEL_HIGH);  // "high"
#ifndef VAGT_SERVICES_VAGTCTL_VOCABULARY_H_
#define VAGT_SERVICES_VAGTCTL_VOCABULARY_H_

#include <span>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "vagt/v1/audit.pb.h"
#include "vagt/v1/events.pb.h"
#include "vagt/v1/oncall.pb.h"

namespace vagt::vagtctl {

// One word and the enum value it stands for.
struct Word {
  std::string_view word;
  int value;
};
// The words of one enum, in the order help lists them.
using Vocabulary = std::span<const Word>;

inline constexpr Word kCallerKinds[] = {
    {"citizen", v1::CALLER_KIND_CITIZEN},
    {"relative", v1::CALLER_KIND_RELATIVE},
    {"partner", v1::CALLER_KIND_PARTNER},
    {"anonymous", v1::CALLER_KIND_ANONYMOUS},
    {"other", v1::CALLER_KIND_OTHER},
};

inline constexpr Word kChannels[] = {
    {"phone", v1::CONTACT_CHANNEL_PHONE},
    {"sms", v1::CONTACT_CHANNEL_SMS},
    {"voicemail", v1::CONTACT_CHANNEL_VOICEMAIL},
    {"message", v1::CONTACT_CHANNEL_SECURE_MESSAGE},
    {"video", v1::CONTACT_CHANNEL_VIDEO},
    {"in-person", v1::CONTACT_CHANNEL_IN_PERSON},
};

inline constexpr Word kRiskLevels[] = {
    {"none", v1::RISK_LEVEL_NONE},         {"low", v1::RISK_LEVEL_LOW},
    {"moderate", v1::RISK_LEVEL_MODERATE}, {"high", v1::RISK_LEVEL_HIGH},
    {"acute", v1::RISK_LEVEL_ACUTE},
};

inline constexpr Word kCrisisPlanLookups[] = {
    {"consulted", v1::CRISIS_PLAN_LOOKUP_RESULT_CONSULTED},
    {"no-plan", v1::CRISIS_PLAN_LOOKUP_RESULT_NO_PLAN},
    {"not-permitted", v1::CRISIS_PLAN_LOOKUP_RESULT_NOT_PERMITTED},
};

inline constexpr Word kCallOutcomes[] = {
    {"resolved", v1::CALL_OUTCOME_RESOLVED_ON_CALL},
    {"visit", v1::CALL_OUTCOME_VISIT_ARRANGED},
    {"referred", v1::CALL_OUTCOME_REFERRED},
    {"escalated", v1::CALL_OUTCOME_ESCALATED},
    {"unreachable", v1::CALL_OUTCOME_CALLER_UNREACHABLE},
    {"not-relevant", v1::CALL_OUTCOME_NOT_RELEVANT},
};

inline constexpr Word kEscalationLevels[] = {
    {"backup", v1::ESCALATION_LEVEL_BACKUP},
    {"night-partner", v1::ESCALATION_LEVEL_NIGHT_PARTNER},
    {"social-emergency", v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE},
    {"psychiatric-emergency", v1::ESCALATION_LEVEL_PSYCHIATRIC_EMERGENCY},
    {"police", v1::ESCALATION_LEVEL_POLICE},
};

inline constexpr Word kUrgencies[] = {
    {"routine", v1::ESCALATION_URGENCY_ROUTINE},
    {"urgent", v1::ESCALATION_URGENCY_URGENT},
    {"immediate", v1::ESCALATION_URGENCY_IMMEDIATE},
};

inline constexpr Word kEscalationDeclineReasons[] = {
    {"no-capacity", v1::ESCALATION_DECLINE_REASON_NO_CAPACITY},
    {"outside-mandate", v1::ESCALATION_DECLINE_REASON_OUTSIDE_MANDATE},
    {"needs-higher-level", v1::ESCALATION_DECLINE_REASON_NEEDS_HIGHER_LEVEL},
    {"other", v1::ESCALATION_DECLINE_REASON_OTHER},
};

inline constexpr Word kLineTakeReasons[] = {
    {"line-opened", v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED},
    {"holder-unreachable", v1::LINE_COVERAGE_TAKE_REASON_HOLDER_UNREACHABLE},
    {"reassigned", v1::LINE_COVERAGE_TAKE_REASON_REASSIGNED_BY_LEADER},
};

inline constexpr Word kHandoverDeclineReasons[] = {
    {"not-on-duty", v1::LINE_HANDOVER_DECLINE_REASON_NOT_ON_DUTY},
    {"unavailable", v1::LINE_HANDOVER_DECLINE_REASON_UNAVAILABLE},
    {"note-incomplete", v1::LINE_HANDOVER_DECLINE_REASON_NOTE_INCOMPLETE},
    {"other", v1::LINE_HANDOVER_DECLINE_REASON_OTHER},
};

inline constexpr Word kConsentRecipients[] = {
    {"night-partner", v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER},
    {"social-emergency", v1::CONSENT_RECIPIENT_KIND_SOCIAL_EMERGENCY_SERVICE},
    {"psychiatric-emergency", v1::CONSENT_RECIPIENT_KIND_PSYCHIATRIC_EMERGENCY},
    {"police", v1::CONSENT_RECIPIENT_KIND_POLICE},
    {"doctor", v1::CONSENT_RECIPIENT_KIND_GENERAL_PRACTITIONER},
    {"municipality", v1::CONSENT_RECIPIENT_KIND_MUNICIPAL_AUTHORITY},
    {"network", v1::CONSENT_RECIPIENT_KIND_NETWORK},
};

inline constexpr Word kConsentCategories[] = {
    {"contact", v1::CONSENT_DATA_CATEGORY_CONTACT_DETAILS},
    {"crisis-plan", v1::CONSENT_DATA_CATEGORY_CRISIS_PLAN},
    {"calls", v1::CONSENT_DATA_CATEGORY_CALL_NOTES},
    {"risk", v1::CONSENT_DATA_CATEGORY_RISK_ASSESSMENTS},
    {"handover", v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES},
    {"escalations", v1::CONSENT_DATA_CATEGORY_ESCALATIONS},
};

inline constexpr Word kConsentForms[] = {
    {"written", v1::CONSENT_FORM_WRITTEN},
    {"digital", v1::CONSENT_FORM_DIGITAL},
    {"oral", v1::CONSENT_FORM_ORAL},
};

// Why an audit read is made (recorded with it).
inline constexpr Word kAccessPurposes[] = {
    {"ongoing-call", v1::ACCESS_PURPOSE_ONGOING_CALL},
    {"handover", v1::ACCESS_PURPOSE_HANDOVER},
    {"crisis-review", v1::ACCESS_PURPOSE_CRISIS_REVIEW},
    {"supervision", v1::ACCESS_PURPOSE_SUPERVISION},
    {"audit", v1::ACCESS_PURPOSE_AUDIT},
    {"citizen-request", v1::ACCESS_PURPOSE_CITIZEN_REQUEST},
    {"other", v1::ACCESS_PURPOSE_OTHER},
};

inline constexpr Word kReviewFormats[] = {
    {"html", v1::REVIEW_FORMAT_HTML},
    {"json", v1::REVIEW_FORMAT_JSON},
};

inline constexpr Word kRosterRoles[] = {
    {"duty", v1::ROSTER_ROLE_DUTY},
    {"backup", v1::ROSTER_ROLE_BACKUP},
};

inline constexpr Word kOverrideReasons[] = {
    {"absence", v1::ROSTER_OVERRIDE_REASON_ABSENCE},
    {"swap", v1::ROSTER_OVERRIDE_REASON_SWAP},
    {"extra-cover", v1::ROSTER_OVERRIDE_REASON_EXTRA_COVER},
    {"other", v1::ROSTER_OVERRIDE_REASON_OTHER},
};

// Printed on the board only.
inline constexpr Word kLineStates[] = {
    {"uncovered", v1::LINE_STATE_UNCOVERED},
    {"held", v1::LINE_STATE_HELD},
    {"handover pending", v1::LINE_STATE_HANDOVER_PENDING},
    {"held by the night partner", v1::LINE_STATE_HELD_BY_NIGHT},
};

inline constexpr Word kEscalationStatuses[] = {
    {"awaiting ack", v1::ESCALATION_STATUS_AWAITING_ACK},
    {"acknowledged", v1::ESCALATION_STATUS_ACKNOWLEDGED},
    {"accepted", v1::ESCALATION_STATUS_ACCEPTED},
};

inline constexpr Word kHandoverItemKinds[] = {
    {"open call", v1::HANDOVER_ITEM_KIND_OPEN_CALL},
    {"citizen to watch", v1::HANDOVER_ITEM_KIND_CITIZEN_TO_WATCH},
    {"running escalation", v1::HANDOVER_ITEM_KIND_RUNNING_ESCALATION},
    {"remark", v1::HANDOVER_ITEM_KIND_REMARK},
};

inline constexpr Word kHandoverKinds[] = {
    {"accepted", v1::HANDOVER_KIND_ACCEPTED},
    {"passed to the night partner", v1::HANDOVER_KIND_PASSED_TO_NIGHT_PARTNER},
    {"taken back", v1::HANDOVER_KIND_TAKEN_BACK},
};

inline constexpr Word kRoles[] = {
    {"team-worker", v1::ROLE_TEAM_WORKER},
    {"team-leader", v1::ROLE_TEAM_LEADER},
    {"auditor", v1::ROLE_AUDITOR},
    {"administrator", v1::ROLE_ADMINISTRATOR},
    {"partner", v1::ROLE_PARTNER},
    {"integration", v1::ROLE_INTEGRATION},
};

inline constexpr Word kPartnerKinds[] = {
    {"night-partner", v1::PARTY_KIND_NIGHT_PARTNER},
    {"social-emergency", v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE},
    {"psychiatric-emergency", v1::PARTY_KIND_PSYCHIATRIC_EMERGENCY},
    {"police", v1::PARTY_KIND_POLICE},
};

// The value of `word` (case-insensitive). INVALID_ARGUMENT naming `what` and
// listing the words otherwise.
absl::StatusOr<int> ParseWord(Vocabulary words, std::string_view word,
                              std::string_view what);

// The word for `value`, or its number when it has none.
std::string WordFor(Vocabulary words, int value);

// "phone|sms|voicemail|...": the words, for help texts.
std::string Choices(Vocabulary words);

}  // namespace vagt::vagtctl

#endif  // VAGT_SERVICES_VAGTCTL_VOCABULARY_H_
