#include "tests/projections/event_generator.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"

namespace vagt::projections::testing {

using eventstore::ExpectedVersion;
using eventstore::NewEvent;

namespace {

constexpr std::string_view kWorkers[] = {"anna", "bo", "carl", "dorte", "emil"};
constexpr int kCitizens = 6;
constexpr size_t kMaxOpenCalls = 10;

v1::EscalationLevel Next(v1::EscalationLevel level) {
  return static_cast<v1::EscalationLevel>(static_cast<int>(level) + 1);
}

}  // namespace

v1::Party TeamWorker(std::string_view name) {
  v1::Party p;
  p.set_kind(v1::PARTY_KIND_TEAM_WORKER);
  p.set_id(absl::StrCat("worker:", std::string(name)));
  p.set_display_name(std::string(name));
  return p;
}

v1::Party NightPartner() {
  v1::Party p;
  p.set_kind(v1::PARTY_KIND_NIGHT_PARTNER);
  p.set_id("partner:natteravnen");
  p.set_display_name("Natteravnen ApS");
  return p;
}

v1::Party EscalationTarget(v1::EscalationLevel level,
                           std::string_view backup_name) {
  v1::Party p;
  switch (level) {
    case v1::ESCALATION_LEVEL_NIGHT_PARTNER:
      return NightPartner();
    case v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE:
      p.set_kind(v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE);
      p.set_id("partner:akuttilbud");
      break;
    case v1::ESCALATION_LEVEL_PSYCHIATRIC_EMERGENCY:
      p.set_kind(v1::PARTY_KIND_PSYCHIATRIC_EMERGENCY);
      p.set_id("partner:psykiatrisk-akutmodtagelse");
      break;
    case v1::ESCALATION_LEVEL_POLICE:
      p.set_kind(v1::PARTY_KIND_POLICE);
      p.set_id("partner:politi");
      break;
    default:
      return TeamWorker(backup_name);
  }
  p.set_display_name(p.id().substr(8));
  return p;
}

NewEvent Event(std::string_view actor, v1::EventPayload payload) {
  NewEvent e;
  e.actor = std::string(actor);
  e.payload = std::move(payload);
  return e;
}

struct EventGenerator::Line {
  std::string id;
  bool taken_by_nobody = false;
  uint64_t version = 0;
  uint64_t roster_version = 0;
  enum class State {
    kUncovered,
    kHeld,
    kPending,
    kNight
  } state = State::kUncovered;
  v1::Party holder;
  std::string handover_id;  // the pending one
  v1::Party offered_to;
};

struct EventGenerator::Call {
  std::string id;
  std::string line_id;
  std::string citizen_ref;  // empty: anonymous
  uint64_t version = 0;
  bool open = true;
  v1::Party answered_by;
  std::vector<std::string> escalation_ids;
};

struct EventGenerator::Escalation {
  std::string id;
  Call* call = nullptr;
  uint64_t version = 0;
  v1::EscalationLevel level = v1::ESCALATION_LEVEL_BACKUP;
  enum class Status {
    kAwaitingAck,
    kAcknowledged,
    kAccepted,
    kEnded
  } status = Status::kAwaitingAck;
};

struct EventGenerator::Citizen {
  std::string ref;  // also its stream id
  uint64_t version = 0;
  uint32_t plan_revision = 0;
  std::vector<std::string> consents;  // granted, not withdrawn
};

EventGenerator::EventGenerator(uint32_t seed, eventstore::EventStore& store,
                               FakeClock& clock)
    : store_(store), clock_(clock), random_(seed) {
  for (std::string_view id : {"central", "nord", "syd", "vest"}) {
    auto line = std::make_unique<Line>();
    line->id = std::string(id);
    line->taken_by_nobody = id == "vest";
    lines_.push_back(std::move(line));
  }
  for (int i = 1; i <= kCitizens; ++i) {
    auto citizen = std::make_unique<Citizen>();
    citizen->ref = absl::StrCat("citizen-", seed % 1000, "b", i);
    citizens_.push_back(std::move(citizen));
  }
}

EventGenerator::~EventGenerator() = default;

int EventGenerator::Uniform(int low, int high) {
  return std::uniform_int_distribution<int>(low, high)(random_);
}

bool EventGenerator::Chance(double p) {
  return std::bernoulli_distribution(p)(random_);
}

std::string EventGenerator::NewId(std::string_view kind) {
  return absl::StrCat(std::string(kind), next_id_++);
}

v1::Party EventGenerator::RandomWorker() {
  return TeamWorker(kWorkers[static_cast<size_t>(
      Uniform(0, static_cast<int>(std::size(kWorkers)) - 1))]);
}

absl::Status EventGenerator::Generate(uint64_t count) {
  const uint64_t target = appended_ + count;
  while (appended_ < target) {
    const int roll = Uniform(0, 99);
    if (roll < 18) {
      RETURN_IF_ERROR(LineAction());
    } else if (roll < 34) {
      RETURN_IF_ERROR(NewCall());
    } else if (roll < 54) {
      RETURN_IF_ERROR(CallAction());
    } else if (roll < 62) {
      RETURN_IF_ERROR(RaiseEscalation());
    } else if (roll < 78) {
      RETURN_IF_ERROR(EscalationAction());
    } else if (roll < 88) {
      RETURN_IF_ERROR(CitizenAction());
    } else if (roll < 92) {
      RETURN_IF_ERROR(Access());
    } else if (roll < 95) {
      RETURN_IF_ERROR(RosterOverride());
    } else {
      RETURN_IF_ERROR(Correction());
    }
  }
  return absl::OkStatus();
}

absl::Status EventGenerator::Append(const std::string& stream_id,
                                    uint64_t& version,
                                    std::vector<NewEvent> events) {
  if (!Chance(0.25)) {
    clock_.Advance(absl::Milliseconds(Uniform(1, 90'000)));
  }
  const size_t n = events.size();
  eventstore::AppendRequest request;
  request.stream_id = stream_id;
  request.expected = ExpectedVersion::Exact(version);
  request.events = std::move(events);
  RETURN_IF_ERROR(store_.Append(std::move(request)).status());
  version += n;
  appended_ += n;
  return absl::OkStatus();
}

std::vector<v1::HandoverItem> EventGenerator::HandoverItems(const Line& line) {
  std::vector<v1::HandoverItem> items;
  for (const auto& call : calls_) {
    if (!call->open || call->line_id != line.id || !Chance(0.6)) continue;
    v1::HandoverItem& item = items.emplace_back();
    item.set_kind(v1::HANDOVER_ITEM_KIND_OPEN_CALL);
    item.set_call_id(call->id);
    item.set_citizen_ref(call->citizen_ref);
    item.set_risk_level(v1::RISK_LEVEL_MODERATE);
    item.set_shared_with_recipient(Chance(0.5));
    item.mutable_sensitive()->set_text("ring tilbage i morgen");
  }
  for (const auto& esc : escalations_) {
    if (esc->status == Escalation::Status::kEnded ||
        esc->call->line_id != line.id || !Chance(0.5)) {
      continue;
    }
    v1::HandoverItem& item = items.emplace_back();
    item.set_kind(v1::HANDOVER_ITEM_KIND_RUNNING_ESCALATION);
    item.set_escalation_id(esc->id);
    item.set_call_id(esc->call->id);
    item.set_citizen_ref(esc->call->citizen_ref);
    item.set_shared_with_recipient(true);
  }
  if (Chance(0.4)) {
    v1::HandoverItem& item = items.emplace_back();
    item.set_kind(v1::HANDOVER_ITEM_KIND_CITIZEN_TO_WATCH);
    item.set_citizen_ref(
        citizens_[static_cast<size_t>(Uniform(0, kCitizens - 1))]->ref);
    item.mutable_sensitive()->set_text("hold øje i weekenden");
  }
  if (Chance(0.3)) {
    v1::HandoverItem& item = items.emplace_back();
    item.set_kind(v1::HANDOVER_ITEM_KIND_REMARK);
    item.set_shared_with_recipient(true);
    item.mutable_sensitive()->set_text("vagttelefonen skal lades op");
  }
  return items;
}

absl::Status EventGenerator::LineAction() {
  Line& line = *lines_[static_cast<size_t>(Uniform(0, 2))];  // not "vest"
  const std::string stream = absl::StrCat("line-", line.id);
  v1::EventPayload p;
  std::vector<NewEvent> events;
  switch (line.state) {
    case Line::State::kUncovered: {
      auto& e = *p.mutable_line_coverage_taken();
      e.set_line_id(line.id);
      *e.mutable_holder() = RandomWorker();
      e.set_reason(v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED);
      line.holder = e.holder();
      line.state = Line::State::kHeld;
      events.push_back(Event(line.holder.id(), p));
      break;
    }
    case Line::State::kHeld: {
      const int what = Uniform(0, 9);
      if (what < 4) {
        auto& e = *p.mutable_line_handover_offered();
        e.set_line_id(line.id);
        line.handover_id = NewId("h");
        e.set_handover_id(line.handover_id);
        *e.mutable_holder() = line.holder;
        line.offered_to = Chance(0.3) ? NightPartner() : RandomWorker();
        *e.mutable_offered_to() = line.offered_to;
        for (v1::HandoverItem& item : HandoverItems(line)) {
          *e.add_items() = std::move(item);
        }
        *e.mutable_respond_by() =
            ToTimestamp(clock_.Now() + absl::Minutes(Uniform(1, 30)));
        line.state = Line::State::kPending;
        events.push_back(Event(line.holder.id(), p));
      } else if (what < 6) {
        auto& e = *p.mutable_line_coverage_passed_to_night_partner();
        e.set_line_id(line.id);
        e.set_handover_id(NewId("h"));
        *e.mutable_previous_holder() = line.holder;
        *e.mutable_night_partner() = NightPartner();
        for (v1::HandoverItem& item : HandoverItems(line)) {
          *e.add_items() = std::move(item);
        }
        line.holder = NightPartner();
        line.state = Line::State::kNight;
        events.push_back(Event("system:coverage", p));
      } else if (what < 8) {
        auto& e = *p.mutable_line_backup_assigned();
        e.set_line_id(line.id);
        *e.mutable_backup() = RandomWorker();
        const absl::Time start =
            clock_.Now() + absl::Minutes(Uniform(-120, 600));
        *e.mutable_starts_at() = ToTimestamp(start);
        *e.mutable_ends_at() =
            ToTimestamp(start + absl::Minutes(Uniform(30, 900)));
        events.push_back(Event("worker:leder", p));
      } else {
        auto& e = *p.mutable_line_coverage_taken();
        e.set_line_id(line.id);
        *e.mutable_previous_holder() = line.holder;
        *e.mutable_holder() = RandomWorker();
        e.set_reason(v1::LINE_COVERAGE_TAKE_REASON_HOLDER_UNREACHABLE);
        line.holder = e.holder();
        events.push_back(Event(line.holder.id(), p));
      }
      break;
    }
    case Line::State::kPending: {
      const int what = Uniform(0, 5);
      if (what < 3) {
        auto& e = *p.mutable_line_handover_accepted();
        e.set_line_id(line.id);
        e.set_handover_id(line.handover_id);
        *e.mutable_previous_holder() = line.holder;
        *e.mutable_accepted_by() = line.offered_to;
        line.holder = line.offered_to;
        line.state = line.holder.kind() == v1::PARTY_KIND_NIGHT_PARTNER
                         ? Line::State::kNight
                         : Line::State::kHeld;
        events.push_back(Event(line.holder.id(), p));
      } else if (what < 5) {
        auto& e = *p.mutable_line_handover_declined();
        e.set_line_id(line.id);
        e.set_handover_id(line.handover_id);
        *e.mutable_holder() = line.holder;
        *e.mutable_declined_by() = line.offered_to;
        e.set_reason(v1::LINE_HANDOVER_DECLINE_REASON_NOTE_INCOMPLETE);
        e.mutable_sensitive()->set_reason("mangler noter om borger");
        line.state = Line::State::kHeld;
        events.push_back(Event(line.offered_to.id(), p));
      } else {
        auto& e = *p.mutable_line_handover_withdrawn();
        e.set_line_id(line.id);
        e.set_handover_id(line.handover_id);
        *e.mutable_holder() = line.holder;
        line.state = Line::State::kHeld;
        events.push_back(Event(line.holder.id(), p));
      }
      break;
    }
    case Line::State::kNight: {
      auto& e = *p.mutable_line_coverage_taken_back();
      e.set_line_id(line.id);
      e.set_handover_id(NewId("h"));
      *e.mutable_night_partner() = line.holder;
      *e.mutable_holder() = RandomWorker();
      for (v1::HandoverItem& item : HandoverItems(line)) {
        *e.add_items() = std::move(item);
      }
      line.holder = e.holder();
      line.state = Line::State::kHeld;
      events.push_back(Event(line.holder.id(), p));
      break;
    }
  }
  return Append(stream, line.version, std::move(events));
}

absl::Status EventGenerator::NewCall() {
  const size_t open = static_cast<size_t>(std::count_if(
      calls_.begin(), calls_.end(), [](const auto& c) { return c->open; }));
  if (open >= kMaxOpenCalls) return CallAction();
  auto call = std::make_unique<Call>();
  call->id = NewId("c");
  const Line& line = *lines_[static_cast<size_t>(Uniform(0, 3))];
  call->line_id = line.id;
  if (!Chance(0.2)) {
    call->citizen_ref =
        citizens_[static_cast<size_t>(Uniform(0, kCitizens - 1))]->ref;
  }
  call->answered_by =
      line.state == Line::State::kUncovered ? RandomWorker() : line.holder;
  const std::string actor = call->answered_by.id();

  std::vector<NewEvent> events;
  v1::EventPayload p;
  auto& e = *p.mutable_call_received();
  e.set_call_id(call->id);
  e.set_line_id(call->line_id);
  e.set_citizen_ref(call->citizen_ref);
  e.set_caller_kind(call->citizen_ref.empty() ? v1::CALLER_KIND_ANONYMOUS
                                              : v1::CALLER_KIND_CITIZEN);
  e.set_channel(v1::CONTACT_CHANNEL_PHONE);
  *e.mutable_answered_by() = call->answered_by;
  e.mutable_sensitive()->set_reason("urolig, kan ikke sove");
  NewEvent received = Event(actor, p);
  if (Chance(0.3)) {
    // Logged a little after the call came in.
    received.occurred_at = clock_.Now() - absl::Seconds(Uniform(1, 600));
  }
  events.push_back(std::move(received));
  if (Chance(0.4)) {
    v1::EventPayload risk;
    auto& r = *risk.mutable_call_risk_assessed();
    r.set_call_id(call->id);
    r.set_citizen_ref(call->citizen_ref);
    r.set_level(static_cast<v1::RiskLevel>(Uniform(1, 5)));
    events.push_back(Event(actor, risk));
  }
  const std::string stream = absl::StrCat("call-", call->id);
  Call& ref = *call;
  calls_.push_back(std::move(call));
  return Append(stream, ref.version, std::move(events));
}

absl::Status EventGenerator::CallAction() {
  std::vector<Call*> open;
  for (const auto& c : calls_) {
    if (c->open) open.push_back(c.get());
  }
  if (open.empty()) return NewCall();
  Call& call =
      *open[static_cast<size_t>(Uniform(0, static_cast<int>(open.size()) - 1))];
  const std::string actor = call.answered_by.id();
  std::vector<NewEvent> events;
  const int n = Uniform(1, 3);
  for (int i = 0; i < n && call.open; ++i) {
    v1::EventPayload p;
    const int what = Uniform(0, 9);
    if (what < 3) {
      auto& e = *p.mutable_call_note_added();
      e.set_call_id(call.id);
      e.set_citizen_ref(call.citizen_ref);
      e.mutable_sensitive()->set_text("talte om medicin");
    } else if (what < 5) {
      auto& e = *p.mutable_call_risk_assessed();
      e.set_call_id(call.id);
      e.set_citizen_ref(call.citizen_ref);
      e.set_level(static_cast<v1::RiskLevel>(Uniform(1, 5)));
    } else if (what < 7) {
      auto& e = *p.mutable_call_crisis_plan_consulted();
      e.set_call_id(call.id);
      e.set_citizen_ref(call.citizen_ref);
      e.set_result(call.citizen_ref.empty()
                       ? v1::CRISIS_PLAN_LOOKUP_RESULT_NO_PLAN
                       : v1::CRISIS_PLAN_LOOKUP_RESULT_CONSULTED);
    } else {
      auto& e = *p.mutable_call_closed();
      e.set_call_id(call.id);
      e.set_citizen_ref(call.citizen_ref);
      e.set_outcome(call.escalation_ids.empty()
                        ? v1::CALL_OUTCOME_RESOLVED_ON_CALL
                        : v1::CALL_OUTCOME_ESCALATED);
      for (const std::string& id : call.escalation_ids) {
        e.add_escalation_ids(id);
      }
      if (Chance(0.5)) {
        e.mutable_follow_up()->set_needed(true);
        *e.mutable_follow_up()->mutable_owner() = RandomWorker();
        *e.mutable_follow_up()->mutable_due_at() =
            ToTimestamp(clock_.Now() + absl::Hours(24));
      }
      call.open = false;
    }
    events.push_back(Event(actor, p));
  }
  return Append(absl::StrCat("call-", call.id), call.version,
                std::move(events));
}

absl::Status EventGenerator::RaiseEscalation() {
  std::vector<Call*> open;
  for (const auto& c : calls_) {
    if (c->open) open.push_back(c.get());
  }
  if (open.empty()) return NewCall();
  Call& call =
      *open[static_cast<size_t>(Uniform(0, static_cast<int>(open.size()) - 1))];
  auto esc = std::make_unique<Escalation>();
  esc->id = NewId("e");
  esc->call = &call;
  esc->level = static_cast<v1::EscalationLevel>(Uniform(1, 3));
  call.escalation_ids.push_back(esc->id);

  v1::EventPayload p;
  auto& e = *p.mutable_escalation_raised();
  e.set_escalation_id(esc->id);
  e.set_call_id(call.id);
  e.set_line_id(call.line_id);
  e.set_citizen_ref(call.citizen_ref);
  e.set_level(esc->level);
  *e.mutable_target() = EscalationTarget(esc->level);
  e.set_urgency(static_cast<v1::EscalationUrgency>(Uniform(1, 3)));
  *e.mutable_ack_deadline() =
      ToTimestamp(clock_.Now() + absl::Minutes(Uniform(5, 20)));
  e.set_policy_version("2026-1");
  e.mutable_sensitive()->set_reason("truer med at skade sig selv");
  const std::string stream = absl::StrCat("escalation-", esc->id);
  Escalation& ref = *esc;
  escalations_.push_back(std::move(esc));
  return Append(stream, ref.version, {Event(call.answered_by.id(), p)});
}

absl::Status EventGenerator::EscalationAction() {
  std::vector<Escalation*> running;
  for (const auto& e : escalations_) {
    if (e->status != Escalation::Status::kEnded) running.push_back(e.get());
  }
  if (running.empty()) return RaiseEscalation();
  Escalation& esc = *running[static_cast<size_t>(
      Uniform(0, static_cast<int>(running.size()) - 1))];
  const std::string& citizen = esc.call->citizen_ref;
  const v1::Party target = EscalationTarget(esc.level);
  std::vector<NewEvent> events;
  const int n = Uniform(1, 2);
  for (int i = 0; i < n && esc.status != Escalation::Status::kEnded; ++i) {
    v1::EventPayload p;
    std::string actor = target.id();
    const int what = Uniform(0, 9);
    if (esc.status == Escalation::Status::kAwaitingAck && what < 4) {
      auto& e = *p.mutable_escalation_acknowledged();
      e.set_escalation_id(esc.id);
      e.set_citizen_ref(citizen);
      e.set_level(esc.level);
      *e.mutable_acknowledged_by() = target;
      esc.status = Escalation::Status::kAcknowledged;
    } else if (esc.status == Escalation::Status::kAwaitingAck && what < 8 &&
               esc.level != v1::ESCALATION_LEVEL_POLICE) {
      const v1::EscalationLevel to = Next(esc.level);
      const absl::Time deadline = clock_.Now() + absl::Minutes(10);
      if (what < 6) {
        auto& e = *p.mutable_escalation_declined();
        e.set_escalation_id(esc.id);
        e.set_citizen_ref(citizen);
        e.set_from_level(esc.level);
        *e.mutable_declined_by() = target;
        e.set_reason(v1::ESCALATION_DECLINE_REASON_NO_CAPACITY);
        e.set_to_level(to);
        *e.mutable_to_target() = EscalationTarget(to);
        *e.mutable_ack_deadline() = ToTimestamp(deadline);
      } else {
        auto& e = *p.mutable_escalation_timed_out();
        e.set_escalation_id(esc.id);
        e.set_citizen_ref(citizen);
        e.set_from_level(esc.level);
        *e.mutable_from_target() = target;
        *e.mutable_missed_deadline() = ToTimestamp(clock_.Now());
        e.set_to_level(to);
        *e.mutable_to_target() = EscalationTarget(to);
        *e.mutable_ack_deadline() = ToTimestamp(deadline);
        e.set_policy_version("2026-1");
        actor = "system:escalations";
      }
      esc.level = to;
    } else if (esc.status == Escalation::Status::kAcknowledged && what < 5) {
      auto& e = *p.mutable_escalation_accepted();
      e.set_escalation_id(esc.id);
      e.set_citizen_ref(citizen);
      e.set_level(esc.level);
      *e.mutable_accepted_by() = target;
      esc.status = Escalation::Status::kAccepted;
    } else if (esc.status != Escalation::Status::kAwaitingAck && what < 9) {
      auto& e = *p.mutable_escalation_resolved();
      e.set_escalation_id(esc.id);
      e.set_citizen_ref(citizen);
      e.set_level(esc.level);
      *e.mutable_resolved_by() = target;
      esc.status = Escalation::Status::kEnded;
    } else {
      auto& e = *p.mutable_escalation_cancelled();
      e.set_escalation_id(esc.id);
      e.set_citizen_ref(citizen);
      e.set_level(esc.level);
      actor = esc.call->answered_by.id();
      esc.status = Escalation::Status::kEnded;
    }
    events.push_back(Event(actor, p));
  }
  return Append(absl::StrCat("escalation-", esc.id), esc.version,
                std::move(events));
}

absl::Status EventGenerator::CitizenAction() {
  Citizen& citizen = *citizens_[static_cast<size_t>(Uniform(0, kCitizens - 1))];
  v1::EventPayload p;
  const int what = Uniform(0, 2);
  if (what == 0) {
    auto& e = *p.mutable_citizen_crisis_plan_updated();
    e.set_citizen_ref(citizen.ref);
    e.set_revision(++citizen.plan_revision);
    e.set_agreed_with_citizen(true);
    for (const auto& call : calls_) {
      if (call->citizen_ref != citizen.ref || !Chance(0.3)) continue;
      e.add_related_call_ids(call->id);
      for (const std::string& id : call->escalation_ids) {
        e.add_related_escalation_ids(id);
      }
    }
    e.mutable_sensitive()->add_what_helps("gå en tur");
  } else if (what == 1 || citizen.consents.empty()) {
    auto& e = *p.mutable_citizen_consent_granted();
    e.set_citizen_ref(citizen.ref);
    e.set_consent_id(NewId("consent"));
    v1::ConsentScope& scope = *e.add_scopes();
    scope.set_recipient_kind(v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER);
    scope.set_recipient_id(NightPartner().id());
    scope.add_categories(v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES);
    e.set_form(v1::CONSENT_FORM_WRITTEN);
    citizen.consents.push_back(e.consent_id());
  } else {
    auto& e = *p.mutable_citizen_consent_withdrawn();
    e.set_citizen_ref(citizen.ref);
    e.set_consent_id(citizen.consents.back());
    citizen.consents.pop_back();
  }
  return Append(citizen.ref, citizen.version, {Event(RandomWorker().id(), p)});
}

absl::Status EventGenerator::Access() {
  v1::EventPayload p;
  auto& e = *p.mutable_sensitive_data_accessed();
  e.set_access_id(NewId("a"));
  e.set_kind(v1::ACCESS_KIND_TIMELINE);
  const int n = Uniform(1, 2);
  for (int i = 0; i < n; ++i) {
    e.add_citizen_refs(
        citizens_[static_cast<size_t>(Uniform(0, kCitizens - 1))]->ref);
  }
  e.set_query(absl::StrCat("citizen_ref=", e.citizen_refs(0)));
  e.set_event_count(static_cast<uint32_t>(Uniform(0, 40)));
  e.set_purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  uint64_t version = 0;
  return Append(absl::StrCat("access-", e.access_id()), version,
                {Event("worker:leder", p)});
}

absl::Status EventGenerator::RosterOverride() {
  Line& line = *lines_[static_cast<size_t>(Uniform(0, 2))];
  v1::EventPayload p;
  auto& e = *p.mutable_roster_override_added();
  e.set_line_id(line.id);
  e.set_override_id(NewId("o"));
  e.mutable_start()->set_local_date("2026-12-24");
  e.mutable_start()->mutable_time()->set_hour(7);
  e.mutable_end()->set_local_date("2026-12-24");
  e.mutable_end()->mutable_time()->set_hour(22);
  e.set_role(v1::ROSTER_ROLE_DUTY);
  *e.mutable_covered_by() = RandomWorker();
  e.set_reason(v1::ROSTER_OVERRIDE_REASON_SWAP);
  return Append(absl::StrCat("roster-", line.id), line.roster_version,
                {Event("worker:leder", p)});
}

absl::Status EventGenerator::Correction() {
  std::string stream;
  uint64_t* version = nullptr;
  std::string citizen;
  const int what = Uniform(0, 2);
  if (what == 0 && !calls_.empty()) {
    Call& c = *calls_[static_cast<size_t>(
        Uniform(0, static_cast<int>(calls_.size()) - 1))];
    stream = absl::StrCat("call-", c.id);
    version = &c.version;
    citizen = c.citizen_ref;
  } else if (what == 1 && !escalations_.empty()) {
    Escalation& e = *escalations_[static_cast<size_t>(
        Uniform(0, static_cast<int>(escalations_.size()) - 1))];
    stream = absl::StrCat("escalation-", e.id);
    version = &e.version;
    citizen = e.call->citizen_ref;
  } else {
    Line& l = *lines_[static_cast<size_t>(Uniform(0, 2))];
    if (l.version == 0) return LineAction();
    stream = absl::StrCat("line-", l.id);
    version = &l.version;
  }
  const uint64_t corrected_version =
      static_cast<uint64_t>(Uniform(1, static_cast<int>(*version)));
  ASSIGN_OR_RETURN(std::vector<v1::EventEnvelope> read,
                   store_.ReadStream(stream, corrected_version, 1));
  if (read.size() != 1) {
    return absl::InternalError(absl::StrCat(
        "generator: ", stream, " has no version ", corrected_version));
  }
  const v1::EventEnvelope& corrected = read.front();
  v1::EventPayload p;
  auto& e = *p.mutable_correction_recorded();
  e.set_corrected_event_id(corrected.event_id());
  e.set_corrected_global_position(corrected.global_position());
  e.set_corrected_type(corrected.type());
  e.set_citizen_ref(citizen);
  if (corrected.payload().has_correction_recorded() || Chance(0.3)) {
    e.set_kind(v1::CORRECTION_KIND_RETRACTED);
  } else {
    e.set_kind(v1::CORRECTION_KIND_AMENDED);
    *e.mutable_replacement() = corrected.payload();
  }
  e.mutable_sensitive()->set_reason("forkert registreret");
  return Append(stream, *version, {Event(corrected.actor(), p)});
}

}  // namespace vagt::projections::testing
