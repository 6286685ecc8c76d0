#include "services/escalations/policy.h"

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "absl/time/civil_time.h"
#include "domain/field_checks.h"
#include "domain/local_time.h"
#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"

namespace vagt::services {
namespace {

constexpr char kBuiltInEmergencyServiceId[] = "partner:socialt-akuttilbud";

absl::Status Invalid(absl::string_view field, absl::string_view rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

int MinuteOfDay(const v1::LocalTime& t) { return t.hour() * 60 + t.minute(); }

bool Lists(const v1::PolicyWindow& window, absl::CivilDay day) {
  if (window.weekdays().empty()) return true;
  const v1::Weekday weekday = WeekdayOf(day);
  for (int w : window.weekdays()) {
    if (w == weekday) return true;
  }
  return false;
}

absl::StatusOr<absl::TimeZone> ZoneOf(const std::string& name,
                                      absl::string_view field) {
  std::optional<absl::TimeZone> zone = NamedTimeZone(name);
  if (!zone.has_value()) {
    return Invalid(field,
                   "not a known IANA time zone (e.g. Europe/Copenhagen)");
  }
  return *zone;
}

absl::Duration AckWithin(const v1::PolicyLevel& level) {
  return absl::Seconds(level.ack_timeout_seconds());
}

absl::Status CheckPolicyLevel(const v1::PolicyLevel& level,
                              const std::string& field) {
  if (level.level() == v1::ESCALATION_LEVEL_UNSPECIFIED ||
      !v1::EscalationLevel_IsValid(level.level())) {
    return Invalid(absl::StrCat(field, ".level"),
                   "required (BACKUP, NIGHT_PARTNER, SOCIAL_EMERGENCY_SERVICE, "
                   "PSYCHIATRIC_EMERGENCY, POLICE)");
  }
  const std::string level_name = v1::EscalationLevel_Name(level.level());
  switch (level.target()) {
    case v1::POLICY_TARGET_PARTY: {
      if (!level.has_party() || level.party().id().empty()) {
        return Invalid(absl::StrCat(field, ".party"),
                       "required for target PARTY (the party escalated to)");
      }
      const v1::PartyKind kind = PartyKindForLevel(level.level());
      if (level.party().kind() != v1::PARTY_KIND_UNSPECIFIED &&
          level.party().kind() != kind) {
        return Invalid(absl::StrCat(field, ".party.kind"),
                       absl::StrCat("must be ", v1::PartyKind_Name(kind),
                                    " (or unspecified) at level ", level_name));
      }
      v1::Party party = level.party();
      party.set_kind(kind);
      RETURN_IF_ERROR(CheckParty(party, absl::StrCat(field, ".party")));
      break;
    }
    case v1::POLICY_TARGET_BACKUP:
    case v1::POLICY_TARGET_DUTY:
      if (level.has_party()) {
        return Invalid(absl::StrCat(field, ".party"),
                       "only for target PARTY (BACKUP and DUTY are looked up "
                       "when the level is reached)");
      }
      if (level.target() == v1::POLICY_TARGET_BACKUP &&
          level.level() != v1::ESCALATION_LEVEL_BACKUP) {
        return Invalid(absl::StrCat(field, ".target"),
                       "BACKUP (the line's backup worker) only at level "
                       "BACKUP");
      }
      if (level.target() == v1::POLICY_TARGET_DUTY &&
          level.level() != v1::ESCALATION_LEVEL_BACKUP &&
          level.level() != v1::ESCALATION_LEVEL_NIGHT_PARTNER) {
        return Invalid(absl::StrCat(field, ".target"),
                       "DUTY (whoever holds the line) only at level "
                       "NIGHT_PARTNER or BACKUP");
      }
      break;
    default:
      return Invalid(absl::StrCat(field, ".target"),
                     "required (PARTY, BACKUP or DUTY)");
  }
  if (level.ack_timeout_seconds() == 0 ||
      level.ack_timeout_seconds() > kMaxAckTimeoutSeconds) {
    return Invalid(absl::StrCat(field, ".ack_timeout_seconds"),
                   absl::StrCat("required, 1..", kMaxAckTimeoutSeconds,
                                " (how long the target has to acknowledge)"));
  }
  if (level.windows_size() > kMaxPolicyWindows) {
    return Invalid(absl::StrCat(field, ".windows"),
                   absl::StrCat("at most ", kMaxPolicyWindows, " windows"));
  }
  for (int j = 0; j < level.windows_size(); ++j) {
    const v1::PolicyWindow& window = level.windows(j);
    const std::string window_field = absl::StrCat(field, ".windows[", j, "]");
    RETURN_IF_ERROR(
        CheckLocalTime(window.start(), absl::StrCat(window_field, ".start")));
    RETURN_IF_ERROR(
        CheckLocalTime(window.end(), absl::StrCat(window_field, ".end")));
    if (MinuteOfDay(window.start()) == MinuteOfDay(window.end())) {
      return Invalid(window_field,
                     "empty: start equals end (an end before start runs "
                     "into the next day; a level without windows always "
                     "applies)");
    }
    for (int k = 0; k < window.weekdays_size(); ++k) {
      const int w = window.weekdays(k);
      if (w == v1::WEEKDAY_UNSPECIFIED || !v1::Weekday_IsValid(w)) {
        return Invalid(absl::StrCat(window_field, ".weekdays[", k, "]"),
                       "not a weekday (MONDAY..SUNDAY)");
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

std::string PolicyVersion(const std::string& line_id, uint64_t version) {
  return absl::StrCat(PolicyStreamId(line_id), "@", version);
}

v1::PartyKind PartyKindForLevel(v1::EscalationLevel level) {
  switch (level) {
    case v1::ESCALATION_LEVEL_BACKUP:
      return v1::PARTY_KIND_TEAM_WORKER;
    case v1::ESCALATION_LEVEL_NIGHT_PARTNER:
      return v1::PARTY_KIND_NIGHT_PARTNER;
    case v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE:
      return v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE;
    case v1::ESCALATION_LEVEL_PSYCHIATRIC_EMERGENCY:
      return v1::PARTY_KIND_PSYCHIATRIC_EMERGENCY;
    case v1::ESCALATION_LEVEL_POLICE:
      return v1::PARTY_KIND_POLICE;
    default:
      return v1::PARTY_KIND_UNSPECIFIED;
  }
}

EscalationPolicy BuiltInPolicy(const std::string& line_id) {
  v1::EscalationPolicySet spec;
  spec.set_line_id(line_id);
  v1::PolicyLevel* backup = spec.add_levels();
  backup->set_level(v1::ESCALATION_LEVEL_BACKUP);
  backup->set_target(v1::POLICY_TARGET_BACKUP);
  backup->set_ack_timeout_seconds(15 * 60);
  v1::PolicyLevel* night = spec.add_levels();
  night->set_level(v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  night->set_target(v1::POLICY_TARGET_DUTY);
  night->set_ack_timeout_seconds(10 * 60);
  v1::PolicyWindow* nights = night->add_windows();
  nights->mutable_start()->set_hour(22);
  nights->mutable_end()->set_hour(7);
  v1::PolicyLevel* emergency = spec.add_levels();
  emergency->set_level(v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  emergency->set_target(v1::POLICY_TARGET_PARTY);
  emergency->mutable_party()->set_kind(v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE);
  emergency->mutable_party()->set_id(kBuiltInEmergencyServiceId);
  emergency->mutable_party()->set_display_name("Socialt akuttilbud");
  emergency->set_ack_timeout_seconds(10 * 60);
  return {.version = kEscalationPolicyVersion,
          .spec = std::move(spec),
          .zone = DutyTimeZone()};
}

absl::Status ValidatePolicy(const v1::EscalationPolicySet& policy) {
  if (policy.levels().empty()) {
    return Invalid("levels",
                   "at least one level (e.g. backup, night partner, social "
                   "emergency service)");
  }
  if (policy.levels_size() > kMaxPolicyLevels) {
    return Invalid("levels", absl::StrCat("at most ", kMaxPolicyLevels));
  }
  RETURN_IF_ERROR(ZoneOf(policy.time_zone(), "time_zone").status());
  if (policy.repeats() > kMaxPolicyRepeats) {
    return Invalid("repeats", absl::StrCat("at most ", kMaxPolicyRepeats));
  }
  for (int i = 0; i < policy.levels_size(); ++i) {
    const std::string field = absl::StrCat("levels[", i, "]");
    RETURN_IF_ERROR(CheckPolicyLevel(policy.levels(i), field));
    for (int j = 0; j < i; ++j) {
      if (policy.levels(j).level() == policy.levels(i).level()) {
        return Invalid(
            absl::StrCat(field, ".level"),
            absl::StrCat(v1::EscalationLevel_Name(policy.levels(i).level()),
                         " is already levels[", j,
                         "] (each level at most once on a ladder)"));
      }
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::EscalationPolicySet> NormalizedPolicy(
    v1::EscalationPolicySet spec) {
  RETURN_IF_ERROR(ValidatePolicy(spec));
  for (v1::PolicyLevel& level : *spec.mutable_levels()) {
    if (level.target() == v1::POLICY_TARGET_PARTY) {
      level.mutable_party()->set_kind(PartyKindForLevel(level.level()));
    }
  }
  return spec;
}

void PolicyState::Apply(const v1::EventEnvelope& event) {
  if (!event.payload().has_escalation_policy_set()) return;
  spec_ = event.payload().escalation_policy_set();
  version_ = event.stream_version();
}

absl::StatusOr<EscalationPolicy> PolicyFromSpec(std::string version,
                                                v1::EscalationPolicySet spec) {
  ASSIGN_OR_RETURN(absl::TimeZone zone, ZoneOf(spec.time_zone(), "time_zone"));
  return EscalationPolicy{
      .version = std::move(version), .spec = std::move(spec), .zone = zone};
}

absl::StatusOr<EscalationPolicy> LoadCurrentPolicy(
    const eventstore::EventStore& store, const std::string& line_id) {
  const std::string stream = PolicyStreamId(line_id);
  ASSIGN_OR_RETURN(uint64_t version, store.StreamVersion(stream));
  // Read backwards from the head: the latest EscalationPolicySet is the one
  // in force (every event of the stream is one, but stay robust).
  for (uint64_t v = version; v >= 1; --v) {
    ASSIGN_OR_RETURN(std::vector<v1::EventEnvelope> events,
                     store.ReadStream(stream, v, 1));
    if (events.size() == 1 && events[0].payload().has_escalation_policy_set()) {
      return PolicyFromSpec(PolicyVersion(line_id, v),
                            events[0].payload().escalation_policy_set());
    }
  }
  return BuiltInPolicy(line_id);
}

absl::StatusOr<EscalationPolicy> LoadPolicyVersion(
    const eventstore::EventStore& store, const std::string& line_id,
    const std::string& version) {
  if (version.empty() || version == kEscalationPolicyVersion) {
    return BuiltInPolicy(line_id);
  }
  absl::string_view rest = version;
  uint64_t n = 0;
  const std::string prefix = absl::StrCat(PolicyStreamId(line_id), "@");
  if (!absl::ConsumePrefix(&rest, prefix) || !absl::SimpleAtoi(rest, &n) ||
      n == 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("policy_version: '", version, "' is not a version of ",
                     PolicyStreamId(line_id)));
  }
  ASSIGN_OR_RETURN(std::vector<v1::EventEnvelope> events,
                   store.ReadStream(PolicyStreamId(line_id), n, 1));
  if (events.size() != 1 || !events[0].payload().has_escalation_policy_set()) {
    return absl::FailedPreconditionError(absl::StrCat(
        "policy_version: ", version, " names no EscalationPolicySet"));
  }
  return PolicyFromSpec(version, events[0].payload().escalation_policy_set());
}

bool WindowContains(const v1::PolicyWindow& window, const absl::TimeZone& zone,
                    absl::Time t) {
  const absl::CivilSecond local = zone.At(t).cs;
  const absl::CivilDay day(local);
  const int minute = local.hour() * 60 + local.minute();
  const int start = MinuteOfDay(window.start());
  const int end = MinuteOfDay(window.end());
  if (start < end) return Lists(window, day) && start <= minute && minute < end;
  // Runs into the next day: the evening part on a listed day, the morning
  // part on the day after one.
  return (Lists(window, day) && minute >= start) ||
         (Lists(window, day - 1) && minute < end);
}

bool LevelInForce(const EscalationPolicy& policy, int index, absl::Time t) {
  const v1::PolicyLevel& level = policy.spec.levels(index);
  if (level.windows().empty()) return true;
  for (const v1::PolicyWindow& window : level.windows()) {
    if (WindowContains(window, policy.zone, t)) return true;
  }
  return false;
}

int LadderIndexOf(const EscalationPolicy& policy, v1::EscalationLevel level) {
  for (int i = 0; i < policy.spec.levels_size(); ++i) {
    if (policy.spec.levels(i).level() == level) return i;
  }
  return -1;
}

LadderPosition PositionOf(
    const EscalationPolicy& policy, v1::EscalationLevel level,
    const std::vector<std::pair<v1::EscalationLevel, v1::EscalationLevel>>&
        timeouts) {
  LadderPosition position{.index = LadderIndexOf(policy, level)};
  for (const auto& [from, to] : timeouts) {
    if (LadderIndexOf(policy, to) <= LadderIndexOf(policy, from)) {
      ++position.rounds;
    }
  }
  return position;
}

absl::StatusOr<std::optional<v1::Party>> WhoIsOnLevel(
    const EscalationPolicy& policy, int index, const std::string& line_id,
    absl::Time at, const CoverageLookup& coverage) {
  const v1::PolicyLevel& level = policy.spec.levels(index);
  const v1::PartyKind kind = PartyKindForLevel(level.level());
  std::optional<v1::Party> party;
  switch (level.target()) {
    case v1::POLICY_TARGET_PARTY:
      party = level.party();
      party->set_kind(kind);
      break;
    case v1::POLICY_TARGET_BACKUP: {
      ASSIGN_OR_RETURN(party,
                       coverage.Covering(line_id, v1::ROSTER_ROLE_BACKUP, at));
      break;
    }
    case v1::POLICY_TARGET_DUTY: {
      ASSIGN_OR_RETURN(party,
                       coverage.Covering(line_id, v1::ROSTER_ROLE_DUTY, at));
      break;
    }
    default:
      break;
  }
  // A team worker still holding the line at 23:00 is not the night partner:
  // the NIGHT_PARTNER level then has nobody on it.
  if (!party.has_value() || party->id().empty() || party->kind() != kind) {
    return std::nullopt;
  }
  return party;
}

absl::StatusOr<std::optional<LadderStep>> FirstApplicableLevel(
    const EscalationPolicy& policy, const std::string& line_id, int after_index,
    absl::Time now, const CoverageLookup& coverage) {
  for (int i = std::max(after_index + 1, 0); i < policy.spec.levels_size();
       ++i) {
    if (!LevelInForce(policy, i, now)) continue;
    ASSIGN_OR_RETURN(std::optional<v1::Party> party,
                     WhoIsOnLevel(policy, i, line_id, now, coverage));
    if (!party.has_value()) continue;
    return LadderStep{.index = i,
                      .level = policy.spec.levels(i).level(),
                      .target = *std::move(party),
                      .ack_within = AckWithin(policy.spec.levels(i))};
  }
  return std::nullopt;
}

absl::StatusOr<LadderStep> NextLevelAfterTimeout(
    const EscalationPolicy& policy, const std::string& line_id,
    LadderPosition position, v1::EscalationLevel current_level,
    const v1::Party& current_target, absl::Time now,
    const CoverageLookup& coverage) {
  ASSIGN_OR_RETURN(
      std::optional<LadderStep> next,
      FirstApplicableLevel(policy, line_id, position.index, now, coverage));
  if (next.has_value()) return *std::move(next);
  if (position.rounds < policy.spec.repeats()) {
    ASSIGN_OR_RETURN(next,
                     FirstApplicableLevel(policy, line_id, -1, now, coverage));
    if (next.has_value()) return *std::move(next);
  }
  const int timeout_of =
      position.index >= 0 ? position.index : policy.spec.levels_size() - 1;
  return LadderStep{.index = position.index,
                    .level = current_level,
                    .target = current_target,
                    .ack_within = AckWithin(policy.spec.levels(timeout_of))};
}

}  // namespace vagt::services
