#include "projections/board_fold.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/roster_state.h"
#include "eventstore/timestamps.h"

namespace vagt::projections {
namespace {

using google::protobuf::RepeatedPtrField;
using google::protobuf::Timestamp;

// Backup assignments kept per board (the newest).
constexpr int kMaxBackupAssignments = 16;
// Open alarms kept per board (the newest).
constexpr int kMaxOpenAlarms = 32;
// How far before a roster event's time the board keeps what the roster
// planned: BoardAt renders at or after the events it folded, so nothing
// that ended earlier is ever asked for.
constexpr absl::Duration kRosterMargin = absl::Hours(48);

bool Before(const Timestamp& a, const Timestamp& b) {
  return a.seconds() != b.seconds() ? a.seconds() < b.seconds()
                                    : a.nanos() < b.nanos();
}

void SetHolder(v1::Board& board, const v1::Party& holder,
               const Timestamp& since, v1::LineState state) {
  board.set_state(state);
  *board.mutable_holder() = holder;
  *board.mutable_holder_since() = since;
  board.clear_pending_handover();
}

void SetNote(v1::Board& board, const std::string& handover_id,
             v1::HandoverKind kind, const v1::Party& from, const v1::Party& to,
             const Timestamp& at,
             const RepeatedPtrField<v1::HandoverItem>& items) {
  v1::HandoverNote& note = *board.mutable_last_handover_note();
  note.Clear();
  note.set_handover_id(handover_id);
  note.set_kind(kind);
  *note.mutable_from() = from;
  *note.mutable_to() = to;
  *note.mutable_at() = at;
  *note.mutable_items() = items;
}

void ApplyLineEvent(const v1::EventPayload& p, const Timestamp& at,
                    v1::Board& board) {
  switch (p.event_case()) {
    case v1::EventPayload::kLineCoverageTaken:
      SetHolder(board, p.line_coverage_taken().holder(), at,
                v1::LINE_STATE_HELD);
      break;
    case v1::EventPayload::kLineHandoverOffered: {
      const v1::LineHandoverOffered& e = p.line_handover_offered();
      board.set_state(v1::LINE_STATE_HANDOVER_PENDING);
      v1::PendingHandover& h = *board.mutable_pending_handover();
      h.Clear();
      h.set_handover_id(e.handover_id());
      *h.mutable_holder() = e.holder();
      *h.mutable_offered_to() = e.offered_to();
      *h.mutable_offered_at() = at;
      *h.mutable_respond_by() = e.respond_by();
      h.set_item_count(static_cast<uint32_t>(e.items_size()));
      *h.mutable_items() = e.items();
      break;
    }
    case v1::EventPayload::kLineHandoverAccepted: {
      const v1::LineHandoverAccepted& e = p.line_handover_accepted();
      const RepeatedPtrField<v1::HandoverItem> items =
          board.pending_handover().items();
      SetHolder(board, e.accepted_by(), at,
                e.accepted_by().kind() == v1::PARTY_KIND_NIGHT_PARTNER
                    ? v1::LINE_STATE_HELD_BY_NIGHT
                    : v1::LINE_STATE_HELD);
      SetNote(board, e.handover_id(), v1::HANDOVER_KIND_ACCEPTED,
              e.previous_holder(), e.accepted_by(), at, items);
      break;
    }
    case v1::EventPayload::kLineHandoverDeclined:
    case v1::EventPayload::kLineHandoverWithdrawn:
      board.set_state(v1::LINE_STATE_HELD);
      board.clear_pending_handover();
      break;
    case v1::EventPayload::kLineCoveragePassedToNightPartner: {
      const v1::LineCoveragePassedToNightPartner& e =
          p.line_coverage_passed_to_night_partner();
      SetHolder(board, e.night_partner(), at, v1::LINE_STATE_HELD_BY_NIGHT);
      SetNote(board, e.handover_id(), v1::HANDOVER_KIND_PASSED_TO_NIGHT_PARTNER,
              e.previous_holder(), e.night_partner(), at, e.items());
      break;
    }
    case v1::EventPayload::kLineCoverageTakenBack: {
      const v1::LineCoverageTakenBack& e = p.line_coverage_taken_back();
      SetHolder(board, e.holder(), at, v1::LINE_STATE_HELD);
      SetNote(board, e.handover_id(), v1::HANDOVER_KIND_TAKEN_BACK,
              e.night_partner(), e.holder(), at, e.items());
      break;
    }
    case v1::EventPayload::kLineBackupAssigned: {
      const v1::LineBackupAssigned& e = p.line_backup_assigned();
      auto* list = board.mutable_backup_assignments();
      // Assignments that ended before this event no longer matter.
      list->erase(std::remove_if(list->begin(), list->end(),
                                 [&](const v1::BackupAssignment& a) {
                                   return !Before(at, a.ends_at());
                                 }),
                  list->end());
      if (list->size() >= kMaxBackupAssignments) {
        list->DeleteSubrange(0, list->size() - kMaxBackupAssignments + 1);
      }
      v1::BackupAssignment& a = *list->Add();
      *a.mutable_backup() = e.backup();
      *a.mutable_starts_at() = e.starts_at();
      *a.mutable_ends_at() = e.ends_at();
      break;
    }
    default:
      break;
  }
}

v1::OpenCall* FindCall(v1::Board& board, const std::string& call_id) {
  for (v1::OpenCall& c : *board.mutable_open_calls()) {
    if (c.call_id() == call_id) return &c;
  }
  return nullptr;
}

void ApplyCallEvent(const v1::EventPayload& p, const Timestamp& at,
                    v1::Board& board) {
  switch (p.event_case()) {
    case v1::EventPayload::kCallReceived: {
      const v1::CallReceived& e = p.call_received();
      if (FindCall(board, e.call_id()) != nullptr) break;
      v1::OpenCall c;
      c.set_call_id(e.call_id());
      c.set_citizen_ref(e.citizen_ref());
      c.set_caller_kind(e.caller_kind());
      c.set_channel(e.channel());
      *c.mutable_answered_by() = e.answered_by();
      *c.mutable_received_at() = at;
      auto* calls = board.mutable_open_calls();
      // Oldest first; ties by id, so the order does not depend on arrival.
      auto it =
          std::upper_bound(calls->begin(), calls->end(), c,
                           [](const v1::OpenCall& a, const v1::OpenCall& b) {
                             if (Before(a.received_at(), b.received_at()))
                               return true;
                             if (Before(b.received_at(), a.received_at()))
                               return false;
                             return a.call_id() < b.call_id();
                           });
      const int index = static_cast<int>(it - calls->begin());
      *calls->Add() = std::move(c);
      for (int i = calls->size() - 1; i > index; --i)
        calls->SwapElements(i, i - 1);
      break;
    }
    case v1::EventPayload::kCallRiskAssessed: {
      const v1::CallRiskAssessed& e = p.call_risk_assessed();
      if (v1::OpenCall* c = FindCall(board, e.call_id())) {
        c->set_latest_risk(e.level());
        *c->mutable_risk_assessed_at() = at;
      }
      break;
    }
    case v1::EventPayload::kCallClosed: {
      auto* calls = board.mutable_open_calls();
      const std::string& id = p.call_closed().call_id();
      calls->erase(std::remove_if(calls->begin(), calls->end(),
                                  [&](const v1::OpenCall& c) {
                                    return c.call_id() == id;
                                  }),
                   calls->end());
      break;
    }
    default:
      break;
  }
}

v1::RunningEscalation* FindEscalation(v1::Board& board, const std::string& id) {
  for (v1::RunningEscalation& e : *board.mutable_running_escalations()) {
    if (e.escalation_id() == id) return &e;
  }
  return nullptr;
}

void Climb(v1::RunningEscalation& r, v1::EscalationLevel level,
           const v1::Party& target, const Timestamp& deadline,
           const Timestamp& at) {
  r.set_level(level);
  *r.mutable_target() = target;
  r.set_status(v1::ESCALATION_STATUS_AWAITING_ACK);
  *r.mutable_level_since() = at;
  *r.mutable_ack_deadline() = deadline;
  r.clear_answered_at();
}

void RemoveEscalation(v1::Board& board, const std::string& id) {
  auto* list = board.mutable_running_escalations();
  list->erase(std::remove_if(list->begin(), list->end(),
                             [&](const v1::RunningEscalation& e) {
                               return e.escalation_id() == id;
                             }),
              list->end());
}

void ApplyEscalationEvent(const v1::EventPayload& p, const Timestamp& at,
                          v1::Board& board) {
  switch (p.event_case()) {
    case v1::EventPayload::kEscalationRaised: {
      const v1::EscalationRaised& e = p.escalation_raised();
      if (FindEscalation(board, e.escalation_id()) != nullptr) break;
      v1::RunningEscalation& r = *board.add_running_escalations();
      r.set_escalation_id(e.escalation_id());
      r.set_call_id(e.call_id());
      r.set_citizen_ref(e.citizen_ref());
      r.set_urgency(e.urgency());
      *r.mutable_raised_at() = at;
      Climb(r, e.level(), e.target(), e.ack_deadline(), at);
      break;
    }
    case v1::EventPayload::kEscalationAcknowledged:
      if (auto* r = FindEscalation(
              board, p.escalation_acknowledged().escalation_id())) {
        r->set_status(v1::ESCALATION_STATUS_ACKNOWLEDGED);
        r->clear_ack_deadline();
        *r->mutable_answered_at() = at;
      }
      break;
    case v1::EventPayload::kEscalationAccepted:
      if (auto* r =
              FindEscalation(board, p.escalation_accepted().escalation_id())) {
        r->set_status(v1::ESCALATION_STATUS_ACCEPTED);
        r->clear_ack_deadline();
        if (!r->has_answered_at()) *r->mutable_answered_at() = at;
      }
      break;
    case v1::EventPayload::kEscalationDeclined: {
      const v1::EscalationDeclined& e = p.escalation_declined();
      if (auto* r = FindEscalation(board, e.escalation_id())) {
        Climb(*r, e.to_level(), e.to_target(), e.ack_deadline(), at);
      }
      break;
    }
    case v1::EventPayload::kEscalationTimedOut: {
      const v1::EscalationTimedOut& e = p.escalation_timed_out();
      if (auto* r = FindEscalation(board, e.escalation_id())) {
        Climb(*r, e.to_level(), e.to_target(), e.ack_deadline(), at);
      }
      break;
    }
    case v1::EventPayload::kEscalationResolved:
      RemoveEscalation(board, p.escalation_resolved().escalation_id());
      break;
    case v1::EventPayload::kEscalationCancelled:
      RemoveEscalation(board, p.escalation_cancelled().escalation_id());
      break;
    default:
      break;
  }
}

// The roster events: the board keeps the rotations and the overrides not
// removed, as far as they can still plan anything.
void ApplyRosterEvent(const v1::EventPayload& p, const Timestamp& at,
                      v1::Board& board) {
  v1::BoardRoster& roster = *board.mutable_roster();
  switch (p.event_case()) {
    case v1::EventPayload::kRosterRotationSet:
      *roster.add_rotations() = p.roster_rotation_set();
      break;
    case v1::EventPayload::kRosterOverrideAdded:
      *roster.add_overrides() = p.roster_override_added();
      break;
    case v1::EventPayload::kRosterOverrideRemoved: {
      auto* list = roster.mutable_overrides();
      const std::string& id = p.roster_override_removed().override_id();
      list->erase(std::remove_if(list->begin(), list->end(),
                                 [&](const v1::RosterOverrideAdded& o) {
                                   return o.override_id() == id;
                                 }),
                  list->end());
      break;
    }
    default:
      return;
  }
  if (!IsValidTimestamp(at)) return;
  RosterState state = RosterState::FromParts(
      {roster.rotations().begin(), roster.rotations().end()},
      {roster.overrides().begin(), roster.overrides().end()});
  state.ForgetBefore(ToTime(at) - kRosterMargin);
  roster.Clear();
  for (v1::RosterRotationSet& r : state.rotations()) {
    *roster.add_rotations() = std::move(r);
  }
  for (v1::RosterOverrideAdded& o : state.overrides()) {
    *roster.add_overrides() = std::move(o);
  }
}

// The escalation an escalation event is about; empty for other events.
std::string EscalationOf(const v1::EventPayload& p) {
  switch (p.event_case()) {
    case v1::EventPayload::kEscalationRaised:
      return p.escalation_raised().escalation_id();
    case v1::EventPayload::kEscalationAcknowledged:
      return p.escalation_acknowledged().escalation_id();
    case v1::EventPayload::kEscalationAccepted:
      return p.escalation_accepted().escalation_id();
    case v1::EventPayload::kEscalationDeclined:
      return p.escalation_declined().escalation_id();
    case v1::EventPayload::kEscalationTimedOut:
      return p.escalation_timed_out().escalation_id();
    case v1::EventPayload::kEscalationResolved:
      return p.escalation_resolved().escalation_id();
    case v1::EventPayload::kEscalationCancelled:
      return p.escalation_cancelled().escalation_id();
    default:
      return "";
  }
}

// Whether the condition `alarm` reports still holds on `board`: the line is
// still uncovered; the party planned after a handover still does not hold
// it; the stalled escalation is still running.
bool AlarmOpen(const v1::Board& board, const v1::AlarmRaised& alarm) {
  const bool uncovered = board.state() == v1::LINE_STATE_UNCOVERED ||
                         board.state() == v1::LINE_STATE_UNSPECIFIED;
  switch (alarm.kind()) {
    case v1::ALARM_KIND_LINE_UNCOVERED:
      return uncovered;
    case v1::ALARM_KIND_HANDOVER_NOT_ACCEPTED:
      return uncovered || board.holder().id() != alarm.planned().id();
    case v1::ALARM_KIND_ESCALATION_STALLED:
      return std::any_of(board.running_escalations().begin(),
                         board.running_escalations().end(),
                         [&](const v1::RunningEscalation& r) {
                           return r.escalation_id() == alarm.escalation_id();
                         });
    default:
      return true;
  }
}

// A new alarm joins the open ones; any event may end some: a change of
// holder ends coverage alarms that no longer hold, an escalation's next
// event ends the alarm that it stalled.
void ApplyAlarms(const v1::EventPayload& p, v1::Board& board) {
  auto* alarms = board.mutable_open_alarms();
  if (p.has_alarm_raised()) {
    const v1::AlarmRaised& alarm = p.alarm_raised();
    const bool known = std::any_of(alarms->begin(), alarms->end(),
                                   [&](const v1::AlarmRaised& a) {
                                     return a.alarm_id() == alarm.alarm_id();
                                   });
    if (known) return;
    if (alarms->size() >= kMaxOpenAlarms) {
      alarms->DeleteSubrange(0, alarms->size() - kMaxOpenAlarms + 1);
    }
    *alarms->Add() = alarm;
    return;
  }
  const std::string escalation = EscalationOf(p);
  alarms->erase(
      std::remove_if(alarms->begin(), alarms->end(),
                     [&](const v1::AlarmRaised& a) {
                       return !AlarmOpen(board, a) ||
                              (!escalation.empty() &&
                               a.kind() == v1::ALARM_KIND_ESCALATION_STALLED &&
                               a.escalation_id() == escalation);
                     }),
      alarms->end());
}

// Keeps the items `reader` may see, without their sensitive text; returns
// how many were left out.
uint32_t RedactItems(RepeatedPtrField<v1::HandoverItem>& items,
                     BoardReader reader) {
  const int before = items.size();
  if (reader != BoardReader::kTeamWorker) {
    items.erase(std::remove_if(items.begin(), items.end(),
                               [](const v1::HandoverItem& i) {
                                 return !i.shared_with_recipient();
                               }),
                items.end());
  }
  for (v1::HandoverItem& i : items) i.clear_sensitive();
  return static_cast<uint32_t>(before - items.size());
}

std::string LocalClock(const Timestamp& t) {
  return absl::FormatTime("%H:%M", ToTime(t), DutyTimeZone());
}

// Who the roster plans at `as_of`, next to who holds the line; the stored
// roster itself is not shown.
void RenderPlanned(v1::Board& board, absl::Time as_of, bool uncovered,
                   std::vector<std::string>& alerts) {
  if (!board.has_roster()) return;
  const v1::BoardRoster& stored = board.roster();
  const PlannedCoverage plan =
      RosterState::FromParts(
          {stored.rotations().begin(), stored.rotations().end()},
          {stored.overrides().begin(), stored.overrides().end()})
          .WhoShouldCover(as_of);
  board.clear_roster();
  if (!plan.duty.has_value() && !plan.backup.has_value()) return;
  v1::PlannedCoverage& planned = *board.mutable_planned();
  if (plan.backup.has_value()) *planned.mutable_backup() = plan.backup->party;
  if (!plan.duty.has_value()) return;
  *planned.mutable_duty() = plan.duty->party;
  planned.set_duty_override_id(plan.duty->override_id);
  planned.set_holder_differs(uncovered ||
                             board.holder().id() != plan.duty->party.id());
  if (planned.holder_differs() && !uncovered) {
    alerts.push_back(absl::StrCat("the roster plans ", plan.duty->party.id(),
                                  " on duty; the line is held by ",
                                  board.holder().id()));
  }
}

}  // namespace

v1::Board EmptyBoard(std::string_view line_id) {
  v1::Board board;
  board.set_line_id(std::string(line_id));
  board.set_state(v1::LINE_STATE_UNCOVERED);
  return board;
}

void ApplyToBoard(const v1::EventEnvelope& event, v1::Board& board) {
  const v1::EventPayload& p = event.payload();
  const Timestamp& at = event.occurred_at();
  ApplyLineEvent(p, at, board);
  ApplyCallEvent(p, at, board);
  ApplyEscalationEvent(p, at, board);
  ApplyRosterEvent(p, at, board);
  ApplyAlarms(p, board);
  board.set_last_position(event.global_position());
  board.set_event_count(board.event_count() + 1);
}

v1::Board RenderBoard(v1::Board board, absl::Time as_of,
                      uint64_t as_of_position, BoardReader reader) {
  *board.mutable_as_of() = ToTimestamp(as_of);
  board.set_as_of_position(as_of_position);
  const Timestamp now = board.as_of();

  // The newest assignment covering `as_of` is the backup now.
  auto* backups = board.mutable_backup_assignments();
  for (int i = backups->size() - 1; i >= 0; --i) {
    const v1::BackupAssignment& a = backups->Get(i);
    if (!Before(now, a.starts_at()) && Before(now, a.ends_at())) {
      *board.mutable_backup() = a;
      break;
    }
  }
  backups->erase(std::remove_if(backups->begin(), backups->end(),
                                [&](const v1::BackupAssignment& a) {
                                  return !Before(now, a.ends_at());
                                }),
                 backups->end());

  std::vector<std::string> alerts;
  const bool uncovered = board.state() == v1::LINE_STATE_UNCOVERED ||
                         board.state() == v1::LINE_STATE_UNSPECIFIED;
  if (uncovered) {
    board.set_nobody_responsible(true);
    alerts.push_back(
        absl::StrCat("NOBODY IS RESPONSIBLE FOR LINE ", board.line_id()));
  }
  auto* alarms = board.mutable_open_alarms();
  alarms->erase(std::remove_if(alarms->begin(), alarms->end(),
                               [&](const v1::AlarmRaised& a) {
                                 return !AlarmOpen(board, a);
                               }),
                alarms->end());
  for (const v1::AlarmRaised& a : *alarms) {
    alerts.push_back(absl::StrCat("ALARM: ", a.detail()));
  }
  RenderPlanned(board, as_of, uncovered, alerts);
  if (board.has_pending_handover()) {
    v1::PendingHandover& h = *board.mutable_pending_handover();
    h.set_items_withheld(RedactItems(*h.mutable_items(), reader));
    if (h.has_respond_by() && !Before(now, h.respond_by())) {
      h.set_overdue(true);
      alerts.push_back(absl::StrCat("handover to ", h.offered_to().id(),
                                    " not accepted, due ",
                                    LocalClock(h.respond_by())));
    }
  }
  if (board.has_last_handover_note()) {
    v1::HandoverNote& n = *board.mutable_last_handover_note();
    n.set_items_withheld(RedactItems(*n.mutable_items(), reader));
  }
  for (v1::RunningEscalation& r : *board.mutable_running_escalations()) {
    if (r.status() == v1::ESCALATION_STATUS_AWAITING_ACK &&
        r.has_ack_deadline() && !Before(now, r.ack_deadline())) {
      r.set_deadline_passed(true);
      alerts.push_back(absl::StrCat(
          "escalation ", r.escalation_id(), " to ", r.target().id(),
          " not acknowledged, deadline ", LocalClock(r.ack_deadline())));
    }
  }
  for (v1::OpenCall& c : *board.mutable_open_calls()) {
    c.set_age_seconds(std::max<int64_t>(
        0, absl::ToInt64Seconds(as_of - ToTime(c.received_at()))));
  }
  for (std::string& a : alerts) board.add_alerts(std::move(a));
  return board;
}

}  // namespace vagt::projections
