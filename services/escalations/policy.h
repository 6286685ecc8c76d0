// EscalationPolicy: a line's escalation ladder as data. The policy is the
// fold of the line's stream "policy-<line id>" (EscalationPolicySet events,
// events.proto), versioned "policy-<line id>@<stream version>"; a line
// without one follows the built-in ladder (kEscalationPolicyVersion). An
// escalation follows the version it was raised under for its whole life.
//
// The ladder's rules are pure functions of the policy, the escalation's
// position on it, `now` and a CoverageLookup (who is on a BACKUP or DUTY
// level): no clock and no I/O of their own.
//
//   ASSIGN_OR_RETURN(EscalationPolicy policy, LoadCurrentPolicy(store, line));
//   ASSIGN_OR_RETURN(std::optional<LadderStep> first,
//                    FirstApplicableLevel(policy, line, -1, now, coverage));
//
// Rules (also in escalations.proto, EscalationPolicyService):
// - A level applies at an instant when one of its windows contains the
//   instant's local time in the policy's zone (no windows: always), and it
//   has somebody on it: its PARTY, or whoever the lookup says covers BACKUP
//   or DUTY, when that party's kind is the level's (a team worker at BACKUP,
//   the night partner at NIGHT_PARTNER, ...). A level that does not apply is
//   passed at once; it never waits out its timeout.
// - The position of an escalation on the ladder is the index of its current
//   level there (each level appears at most once), or -1 for a level the
//   ladder lacks (an escalation raised explicitly to such a level); its
//   round count is the number of timeouts that did not climb
//   (to-index <= from-index).
// - When a deadline passes, the escalation climbs to the next level after
//   its position that applies. Above the last one that applies, it starts
//   again from the first level that applies while rounds < repeats; after
//   that it stays where it is and its target is alerted again.
#ifndef VAGT_SERVICES_ESCALATIONS_POLICY_H_
#define VAGT_SERVICES_ESCALATIONS_POLICY_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "services/escalations/coverage.h"
#include "vagt/v1/events.pb.h"

namespace vagt::services {

// The built-in policy's version (EscalationRaised.policy_version of an
// escalation on a line without a policy of its own).
inline constexpr char kEscalationPolicyVersion[] = "vagt-escalation-policy-1";

// Input limits of a policy (INVALID_ARGUMENT beyond them).
inline constexpr int kMaxPolicyLevels = 10;
inline constexpr int kMaxPolicyWindows = 14;
inline constexpr uint32_t kMaxPolicyRepeats = 10;
inline constexpr uint32_t kMaxAckTimeoutSeconds = 86'400;

// "policy-<line_id>@<version>".
std::string PolicyVersion(const std::string& line_id, uint64_t version);

// The party kind a level's target has: BACKUP a team worker, NIGHT_PARTNER
// the night partner, and so on; UNSPECIFIED for an unknown level.
v1::PartyKind PartyKindForLevel(v1::EscalationLevel level);

struct EscalationPolicy {
  // "policy-<line>@<n>", or kEscalationPolicyVersion for the built-in one.
  std::string version;
  // line_id, time_zone (as set; empty means Europe/Copenhagen), levels (PARTY
  // parties with their kind filled in) and repeats.
  v1::EscalationPolicySet spec;
  // spec.time_zone, loaded.
  absl::TimeZone zone;

  bool built_in() const { return version == kEscalationPolicyVersion; }
};

// The built-in ladder for `line_id`: BACKUP (the line's backup, 15 minutes)
// → NIGHT_PARTNER (whoever holds the line, 22:00–07:00, 10 minutes) →
// SOCIAL_EMERGENCY_SERVICE (partner:socialt-akuttilbud, 10 minutes); no
// repeats; Europe/Copenhagen.
EscalationPolicy BuiltInPolicy(const std::string& line_id);

// OK for a policy that may be set; otherwise INVALID_ARGUMENT naming the
// field ("levels[1].ack_timeout_seconds: ..."): no levels, a level without
// a known level or target, a level twice, a timeout outside
// 1..kMaxAckTimeoutSeconds, a PARTY level without a party (or a party whose
// kind is not the level's), a party on a BACKUP/DUTY level, a BACKUP target
// below any level but BACKUP, a DUTY target at any level but BACKUP or
// NIGHT_PARTNER, an empty window (start equal to end), a time out of range,
// an unknown weekday or time zone, more than the limits above.
absl::Status ValidatePolicy(const v1::EscalationPolicySet& policy);

// `spec` validated, with PARTY parties' kinds filled in from their level.
absl::StatusOr<v1::EscalationPolicySet> NormalizedPolicy(
    v1::EscalationPolicySet spec);

// The fold of a line's policy stream: the latest EscalationPolicySet.
class PolicyState {
 public:
  void Apply(const v1::EventEnvelope& event);
  // 0 before the first EscalationPolicySet.
  uint64_t version() const { return version_; }
  const v1::EscalationPolicySet& spec() const { return spec_; }

 private:
  uint64_t version_ = 0;
  v1::EscalationPolicySet spec_;
};

// The policy in force for `line_id` now: its latest EscalationPolicySet, or
// the built-in one.
absl::StatusOr<EscalationPolicy> LoadCurrentPolicy(
    const eventstore::EventStore& store, const std::string& line_id);

// The policy named `version` (an escalation's policy_version) for an
// escalation on `line_id`: kEscalationPolicyVersion (or empty, as recorded
// before policies were versioned) is the built-in one; "policy-<line>@<n>"
// is event n of that line's policy stream. FAILED_PRECONDITION for a
// version that names another line or no EscalationPolicySet.
absl::StatusOr<EscalationPolicy> LoadPolicyVersion(
    const eventstore::EventStore& store, const std::string& line_id,
    const std::string& version);

// The policy of a validated `spec` under `version`.
absl::StatusOr<EscalationPolicy> PolicyFromSpec(std::string version,
                                                v1::EscalationPolicySet spec);

// Whether `window` contains `t`'s local time in `zone`.
bool WindowContains(const v1::PolicyWindow& window, const absl::TimeZone& zone,
                    absl::Time t);

// Whether level `index` of `policy` is in force at `t` (one of its windows
// contains t, or it has none). Requires 0 <= index < levels.
bool LevelInForce(const EscalationPolicy& policy, int index, absl::Time t);

// One rung the escalation is (or is to be) addressed to.
struct LadderStep {
  // Index in the policy's levels; -1 for a level the ladder lacks.
  int index = -1;
  v1::EscalationLevel level = v1::ESCALATION_LEVEL_UNSPECIFIED;
  v1::Party target;
  absl::Duration ack_within;
};

// Where an escalation is on its ladder (see the file comment).
struct LadderPosition {
  int index = -1;
  uint32_t rounds = 0;
};

// The index of `level` in the policy's ladder; -1 when it has none.
int LadderIndexOf(const EscalationPolicy& policy, v1::EscalationLevel level);

// The position of an escalation now at `level`, which has timed out with
// the moves `timeouts` (from level, to level), in order.
LadderPosition PositionOf(
    const EscalationPolicy& policy, v1::EscalationLevel level,
    const std::vector<std::pair<v1::EscalationLevel, v1::EscalationLevel>>&
        timeouts);

// Who is on level `index` at `at`: its PARTY, or the lookup's party for
// BACKUP/DUTY; nullopt when nobody is, or the party found is not of the
// level's kind. A lookup error is returned as is.
absl::StatusOr<std::optional<v1::Party>> WhoIsOnLevel(
    const EscalationPolicy& policy, int index, const std::string& line_id,
    absl::Time at, const CoverageLookup& coverage);

// The first level after `after_index` (-1: from the start) in force at
// `now` with somebody on it; nullopt when none is.
absl::StatusOr<std::optional<LadderStep>> FirstApplicableLevel(
    const EscalationPolicy& policy, const std::string& line_id, int after_index,
    absl::Time now, const CoverageLookup& coverage);

// Where an escalation at `position`, now addressed to `current_level` and
// `current_target`, goes when its deadline passes at `now` (see the file
// comment). Staying, its timeout is its level's, or the last level's when
// the ladder lacks its level.
absl::StatusOr<LadderStep> NextLevelAfterTimeout(
    const EscalationPolicy& policy, const std::string& line_id,
    LadderPosition position, v1::EscalationLevel current_level,
    const v1::Party& current_target, absl::Time now,
    const CoverageLookup& coverage);

}  // namespace vagt::services

#endif  // VAGT_SERVICES_ESCALATIONS_POLICY_H_
