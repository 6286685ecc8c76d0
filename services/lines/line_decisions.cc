#include "services/lines/line_decisions.h"

#include <initializer_list>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"

namespace vagt::services {
namespace {

// Items of one handover note: a long evening has tens.
constexpr int kMaxNoteItems = 200;

using Note = google::protobuf::RepeatedPtrField<v1::HandoverItem>;

// `party` is one of `kinds` (spelled out in `kinds_text` for the message),
// and passes the shared party rule (CheckParty: its id agrees with its kind).
absl::Status CheckPartyOf(const v1::Party& party, absl::string_view field,
                          std::initializer_list<v1::PartyKind> kinds,
                          absl::string_view kinds_text) {
  bool allowed = false;
  for (v1::PartyKind kind : kinds) allowed = allowed || party.kind() == kind;
  if (!allowed) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ".kind: must be ", kinds_text));
  }
  return CheckParty(party, field);
}

// `request_holder` when set (a team worker), else the caller, who must then
// be a team worker ("worker:<id>"): a partner never holds the line as one.
absl::StatusOr<v1::Party> HolderOf(bool has_holder,
                                   const v1::Party& request_holder,
                                   const std::string& actor,
                                   absl::string_view command) {
  if (has_holder) {
    RETURN_IF_ERROR(CheckPartyOf(request_holder, "holder",
                                 {v1::PARTY_KIND_TEAM_WORKER}, "TEAM_WORKER"));
    return request_holder;
  }
  if (!IsWorkerId(actor)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the caller: only a team worker (\"worker:<id>\") holds the line; ",
        command, " by anyone else must name the team worker in holder"));
  }
  v1::Party party;
  party.set_kind(v1::PARTY_KIND_TEAM_WORKER);
  party.set_id(actor);
  return party;
}

absl::Status CheckNote(const Note& items) {
  if (items.size() > kMaxNoteItems) {
    return absl::InvalidArgumentError(
        absl::StrCat("items: at most ", kMaxNoteItems, " items"));
  }
  for (int i = 0; i < items.size(); ++i) {
    const v1::HandoverItem& item = items[i];
    const std::string field = absl::StrCat("items[", i, "]");
    RETURN_IF_ERROR(
        CheckId(item.call_id(), absl::StrCat(field, ".call_id"),
                /*required=*/item.kind() == v1::HANDOVER_ITEM_KIND_OPEN_CALL));
    RETURN_IF_ERROR(CheckId(
        item.escalation_id(), absl::StrCat(field, ".escalation_id"),
        /*required=*/item.kind() == v1::HANDOVER_ITEM_KIND_RUNNING_ESCALATION));
    RETURN_IF_ERROR(CheckId(
        item.citizen_ref(), absl::StrCat(field, ".citizen_ref"),
        /*required=*/item.kind() == v1::HANDOVER_ITEM_KIND_CITIZEN_TO_WATCH));
    RETURN_IF_ERROR(CheckText(
        item.sensitive().text(), absl::StrCat(field, ".sensitive.text"),
        /*required=*/item.kind() == v1::HANDOVER_ITEM_KIND_REMARK));
    switch (item.kind()) {
      case v1::HANDOVER_ITEM_KIND_OPEN_CALL:
      case v1::HANDOVER_ITEM_KIND_CITIZEN_TO_WATCH:
      case v1::HANDOVER_ITEM_KIND_RUNNING_ESCALATION:
        break;
      case v1::HANDOVER_ITEM_KIND_REMARK: {
        // A remark is about no citizen: it names none, and cites no call or
        // escalation (which would make it about theirs, ResolveCitations).
        const char* about = !item.citizen_ref().empty()     ? "citizen_ref"
                            : !item.call_id().empty()       ? "call_id"
                            : !item.escalation_id().empty() ? "escalation_id"
                                                            : nullptr;
        if (about != nullptr) {
          return absl::InvalidArgumentError(
              absl::StrCat(field, ".", about,
                           ": must be empty for a REMARK (a remark is "
                           "about no citizen)"));
        }
        break;
      }
      default:
        return absl::InvalidArgumentError(
            absl::StrCat(field,
                         ".kind: required (open_call, citizen_to_watch, "
                         "running_escalation, remark)"));
    }
    if (!v1::RiskLevel_IsValid(item.risk_level())) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ".risk_level: not a risk level"));
    }
  }
  return absl::OkStatus();
}

// The one rule for whom an item is about: an item citing a call or an
// escalation is about the citizen that stream records, whatever the client
// says. A citizen_ref the client sent must be that citizen (a different one
// would be checked for the wrong consent); an item without one is given it.
// Errors name the field, never a value. Requires CheckNote(items).
absl::Status ResolveCitations(Note& items, CitedCitizenLookup cited) {
  for (int i = 0; i < items.size(); ++i) {
    v1::HandoverItem& item = items[i];
    const std::string field = absl::StrCat("items[", i, "]");
    struct Cites {
      Citation citation;
      const std::string& id;
      const char* id_field;
      const char* noun;
    };
    // The citizen the first cited stream records; later ones must agree.
    std::optional<std::string> recorded;
    for (const Cites& cites :
         {Cites{Citation::kCall, item.call_id(), "call_id", "call"},
          Cites{Citation::kEscalation, item.escalation_id(), "escalation_id",
                "escalation"}}) {
      if (cites.id.empty()) continue;
      ASSIGN_OR_RETURN(std::optional<std::string> citizen,
                       cited(cites.citation, cites.id));
      if (!citizen.has_value()) {
        return absl::NotFoundError(
            absl::StrCat(field, ".", cites.id_field, ": no such ", cites.noun));
      }
      if (!item.citizen_ref().empty() && *citizen != item.citizen_ref()) {
        return absl::InvalidArgumentError(absl::StrCat(
            field, ".citizen_ref: does not match the cited ", cites.noun));
      }
      if (recorded.has_value() && *citizen != *recorded) {
        return absl::InvalidArgumentError(
            absl::StrCat(field, ".", cites.id_field,
                         ": the cited call and escalation are about "
                         "different citizens"));
      }
      recorded = std::move(citizen);
    }
    if (recorded.has_value()) item.set_citizen_ref(*recorded);
  }
  return absl::OkStatus();
}

// The note as recorded for a team worker, who sees every item. Requires
// CheckNote(items).
absl::StatusOr<Note> NoteForTeamWorker(const Note& items,
                                       CitedCitizenLookup cited) {
  Note note = items;
  RETURN_IF_ERROR(ResolveCitations(note, cited));
  for (v1::HandoverItem& item : note) {
    item.clear_consent_id();
    item.set_shared_with_recipient(true);
  }
  return note;
}

// The note as recorded for any recipient that is not a team worker (the
// night partner), who sees an item about a citizen only under a consent
// (whose id is recorded), and every item about no citizen. Requires
// CheckNote(items).
absl::StatusOr<Note> NoteUnderConsent(const Note& items,
                                      CitedCitizenLookup cited,
                                      ConsentLookup consent) {
  ASSIGN_OR_RETURN(Note note, NoteForTeamWorker(items, cited));
  absl::flat_hash_map<std::string, std::optional<std::string>> by_citizen;
  for (v1::HandoverItem& item : note) {
    if (item.citizen_ref().empty()) continue;
    auto it = by_citizen.find(item.citizen_ref());
    if (it == by_citizen.end()) {
      ASSIGN_OR_RETURN(std::optional<std::string> consent_id,
                       consent(item.citizen_ref()));
      it = by_citizen.emplace(item.citizen_ref(), std::move(consent_id)).first;
    }
    item.set_shared_with_recipient(it->second.has_value());
    if (it->second.has_value()) item.set_consent_id(*it->second);
  }
  return note;
}

// The line is held by a team worker, and the caller is that worker.
absl::Status RequireHeldBy(const LineState& line, const std::string& actor,
                           absl::string_view command) {
  switch (line.phase()) {
    case LineState::Phase::kUncovered:
      return absl::FailedPreconditionError(absl::StrCat(
          "the line is not covered; ", command,
          " needs a team worker holding it (take the line first)"));
    case LineState::Phase::kHandoverPending:
      return absl::FailedPreconditionError(
          absl::StrCat("a handover of the line is pending; ", command,
                       " needs it answered or withdrawn first"));
    case LineState::Phase::kHeldByNight:
      return absl::FailedPreconditionError(
          absl::StrCat("the night partner holds the line; ", command,
                       " needs a team worker holding it (take it back first)"));
    case LineState::Phase::kHeld:
      break;
  }
  if (line.holder().id() != actor) {
    return absl::FailedPreconditionError(
        absl::StrCat("only the holder of the line may do ", command,
                     " (the caller is not the holder)"));
  }
  return absl::OkStatus();
}

// `handover_id` is the pending handover of the line.
absl::Status RequirePending(const LineState& line,
                            const std::string& handover_id) {
  if (line.phase() != LineState::Phase::kHandoverPending) {
    return absl::FailedPreconditionError("no handover of the line is pending");
  }
  if (line.pending_handover_id() != handover_id) {
    if (line.KnowsHandover(handover_id)) {
      return absl::FailedPreconditionError(
          "handover_id: that handover is no longer pending");
    }
    return absl::NotFoundError("handover_id: no such handover of this line");
  }
  return absl::OkStatus();
}

absl::Status RequireOfferedTo(const LineState& line, const std::string& actor,
                              absl::string_view command) {
  if (line.offered_to().id() != actor) {
    return absl::FailedPreconditionError(
        absl::StrCat("only the party the handover is offered to may ", command,
                     " it (the caller is not offered_to)"));
  }
  return absl::OkStatus();
}

}  // namespace

Decision DecideTakeLine(const LineState& line,
                        const v1::TakeLineRequest& request,
                        const std::string& actor) {
  if (request.reason() == v1::LINE_COVERAGE_TAKE_REASON_UNSPECIFIED ||
      !v1::LineCoverageTakeReason_IsValid(request.reason())) {
    return absl::InvalidArgumentError(
        "reason: required (line_opened, holder_unreachable, "
        "reassigned_by_leader)");
  }
  ASSIGN_OR_RETURN(
      v1::Party holder,
      HolderOf(request.has_holder(), request.holder(), actor, "TakeLine"));
  const bool opening =
      request.reason() == v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED;
  if (line.phase() == LineState::Phase::kUncovered && !opening) {
    return absl::FailedPreconditionError(
        "the line has never been covered; its first holder takes it with "
        "reason LINE_OPENED");
  }
  if (line.phase() != LineState::Phase::kUncovered && opening) {
    return absl::FailedPreconditionError(
        "the line is already covered; reason LINE_OPENED is only for its "
        "first holder");
  }
  if (line.phase() != LineState::Phase::kUncovered &&
      line.holder().id() == holder.id()) {
    return absl::FailedPreconditionError("holder: already holds the line");
  }
  v1::EventPayload payload;
  v1::LineCoverageTaken* e = payload.mutable_line_coverage_taken();
  e->set_line_id(request.line_id());
  *e->mutable_holder() = std::move(holder);
  if (line.phase() != LineState::Phase::kUncovered) {
    *e->mutable_previous_holder() = line.holder();
  }
  e->set_reason(request.reason());
  return One(std::move(payload));
}

Decision DecideOfferHandover(const LineState& line,
                             const v1::OfferHandoverRequest& request,
                             const std::string& actor,
                             const std::string& handover_id, absl::Time now,
                             CitedCitizenLookup cited, ConsentLookup consent) {
  RETURN_IF_ERROR(
      CheckPartyOf(request.offered_to(), "offered_to",
                   {v1::PARTY_KIND_TEAM_WORKER, v1::PARTY_KIND_NIGHT_PARTNER},
                   "TEAM_WORKER or NIGHT_PARTNER"));
  RETURN_IF_ERROR(CheckNote(request.items()));
  if (request.has_respond_by() && (!IsValidTimestamp(request.respond_by()) ||
                                   ToTime(request.respond_by()) < now)) {
    return absl::InvalidArgumentError(
        "respond_by: must be a valid time, not in the past");
  }
  RETURN_IF_ERROR(RequireHeldBy(line, actor, "OfferHandover"));
  if (request.offered_to().id() == line.holder().id()) {
    return absl::FailedPreconditionError("offered_to: already holds the line");
  }
  // Fail-safe: every recipient but a team worker (whose id CheckParty has
  // tied to its kind) sees items about a citizen only under a consent.
  Note note;
  if (request.offered_to().kind() == v1::PARTY_KIND_TEAM_WORKER) {
    ASSIGN_OR_RETURN(note, NoteForTeamWorker(request.items(), cited));
  } else {
    ASSIGN_OR_RETURN(note, NoteUnderConsent(request.items(), cited, consent));
  }
  v1::EventPayload payload;
  v1::LineHandoverOffered* e = payload.mutable_line_handover_offered();
  e->set_line_id(request.line_id());
  e->set_handover_id(handover_id);
  *e->mutable_holder() = line.holder();
  *e->mutable_offered_to() = request.offered_to();
  *e->mutable_items() = std::move(note);
  if (request.has_respond_by()) *e->mutable_respond_by() = request.respond_by();
  return One(std::move(payload));
}

Decision DecideAcceptHandover(const LineState& line,
                              const v1::AcceptHandoverRequest& request,
                              const std::string& actor) {
  RETURN_IF_ERROR(
      CheckId(request.handover_id(), "handover_id", /*required=*/true));
  RETURN_IF_ERROR(RequirePending(line, request.handover_id()));
  RETURN_IF_ERROR(RequireOfferedTo(line, actor, "accept"));
  v1::EventPayload payload;
  v1::LineHandoverAccepted* e = payload.mutable_line_handover_accepted();
  e->set_line_id(request.line_id());
  e->set_handover_id(request.handover_id());
  *e->mutable_previous_holder() = line.holder();
  *e->mutable_accepted_by() = line.offered_to();
  return One(std::move(payload));
}

Decision DecideDeclineHandover(const LineState& line,
                               const v1::DeclineHandoverRequest& request,
                               const std::string& actor) {
  RETURN_IF_ERROR(
      CheckId(request.handover_id(), "handover_id", /*required=*/true));
  if (request.reason() == v1::LINE_HANDOVER_DECLINE_REASON_UNSPECIFIED ||
      !v1::LineHandoverDeclineReason_IsValid(request.reason())) {
    return absl::InvalidArgumentError(
        "reason: required (not_on_duty, unavailable, note_incomplete, "
        "other)");
  }
  RETURN_IF_ERROR(CheckText(
      request.explanation(), "explanation",
      /*required=*/request.reason() == v1::LINE_HANDOVER_DECLINE_REASON_OTHER));
  RETURN_IF_ERROR(RequirePending(line, request.handover_id()));
  RETURN_IF_ERROR(RequireOfferedTo(line, actor, "decline"));
  v1::EventPayload payload;
  v1::LineHandoverDeclined* e = payload.mutable_line_handover_declined();
  e->set_line_id(request.line_id());
  e->set_handover_id(request.handover_id());
  *e->mutable_holder() = line.holder();
  *e->mutable_declined_by() = line.offered_to();
  e->set_reason(request.reason());
  e->mutable_sensitive()->set_reason(request.explanation());
  return One(std::move(payload));
}

Decision DecideWithdrawHandover(const LineState& line,
                                const v1::WithdrawHandoverRequest& request,
                                const std::string& actor) {
  RETURN_IF_ERROR(
      CheckId(request.handover_id(), "handover_id", /*required=*/true));
  RETURN_IF_ERROR(CheckText(request.reason(), "reason", /*required=*/false));
  RETURN_IF_ERROR(RequirePending(line, request.handover_id()));
  if (line.holder().id() != actor) {
    return absl::FailedPreconditionError(
        "only the holder of the line may withdraw its handover (the caller "
        "is not the holder)");
  }
  v1::EventPayload payload;
  v1::LineHandoverWithdrawn* e = payload.mutable_line_handover_withdrawn();
  e->set_line_id(request.line_id());
  e->set_handover_id(request.handover_id());
  *e->mutable_holder() = line.holder();
  e->mutable_sensitive()->set_reason(request.reason());
  return One(std::move(payload));
}

Decision DecidePassToNightPartner(const LineState& line,
                                  const v1::PassToNightPartnerRequest& request,
                                  const std::string& actor,
                                  const std::string& handover_id,
                                  CitedCitizenLookup cited,
                                  ConsentLookup consent) {
  RETURN_IF_ERROR(CheckPartyOf(request.night_partner(), "night_partner",
                               {v1::PARTY_KIND_NIGHT_PARTNER},
                               "NIGHT_PARTNER"));
  RETURN_IF_ERROR(CheckNote(request.items()));
  RETURN_IF_ERROR(RequireHeldBy(line, actor, "PassToNightPartner"));
  ASSIGN_OR_RETURN(Note note,
                   NoteUnderConsent(request.items(), cited, consent));
  v1::EventPayload payload;
  v1::LineCoveragePassedToNightPartner* e =
      payload.mutable_line_coverage_passed_to_night_partner();
  e->set_line_id(request.line_id());
  e->set_handover_id(handover_id);
  *e->mutable_previous_holder() = line.holder();
  *e->mutable_night_partner() = request.night_partner();
  *e->mutable_items() = std::move(note);
  return One(std::move(payload));
}

Decision DecideTakeBack(const LineState& line,
                        const v1::TakeBackRequest& request,
                        const std::string& actor,
                        const std::string& handover_id,
                        CitedCitizenLookup cited) {
  ASSIGN_OR_RETURN(
      v1::Party holder,
      HolderOf(request.has_holder(), request.holder(), actor, "TakeBack"));
  RETURN_IF_ERROR(CheckNote(request.items()));
  if (line.phase() != LineState::Phase::kHeldByNight) {
    return absl::FailedPreconditionError(
        "the night partner does not hold the line; TakeBack is for the "
        "morning after the night");
  }
  if (holder.id() == line.holder().id()) {
    return absl::FailedPreconditionError(
        "holder: already holds the line (name the team worker taking it "
        "back)");
  }
  ASSIGN_OR_RETURN(Note note, NoteForTeamWorker(request.items(), cited));
  v1::EventPayload payload;
  v1::LineCoverageTakenBack* e = payload.mutable_line_coverage_taken_back();
  e->set_line_id(request.line_id());
  e->set_handover_id(handover_id);
  *e->mutable_night_partner() = line.holder();
  *e->mutable_holder() = std::move(holder);
  *e->mutable_items() = std::move(note);
  return One(std::move(payload));
}

Decision DecideAssignBackup(const LineState& /*line*/,
                            const v1::AssignBackupRequest& request) {
  RETURN_IF_ERROR(CheckPartyOf(request.backup(), "backup",
                               {v1::PARTY_KIND_TEAM_WORKER}, "TEAM_WORKER"));
  if (!request.has_starts_at() || !IsValidTimestamp(request.starts_at())) {
    return absl::InvalidArgumentError("starts_at: required, a valid time");
  }
  if (!request.has_ends_at() || !IsValidTimestamp(request.ends_at())) {
    return absl::InvalidArgumentError("ends_at: required, a valid time");
  }
  if (ToTime(request.ends_at()) <= ToTime(request.starts_at())) {
    return absl::InvalidArgumentError("ends_at: must be after starts_at");
  }
  v1::EventPayload payload;
  v1::LineBackupAssigned* e = payload.mutable_line_backup_assigned();
  e->set_line_id(request.line_id());
  *e->mutable_backup() = request.backup();
  *e->mutable_starts_at() = request.starts_at();
  *e->mutable_ends_at() = request.ends_at();
  return One(std::move(payload));
}

}  // namespace vagt::services
