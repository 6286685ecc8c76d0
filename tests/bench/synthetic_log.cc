#include "tests/bench/synthetic_log.h"

#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "eventstore/timestamps.h"

namespace vagt::bench {
namespace {

using eventstore::AppendRequest;
using eventstore::NewEvent;

const absl::Time kLogStart = absl::FromUnixSeconds(1'700'000'000);
constexpr absl::Duration kUnitSpacing = absl::Minutes(5);
constexpr absl::Duration kRecordingDelay = absl::Hours(2);
constexpr int kWorkers = 12;
constexpr uint64_t kLineUnitEvery = 500;
constexpr uint64_t kCitizenUnitEvery = 1000;

// splitmix64: the unit's own deterministic random numbers.
class UnitRandom {
 public:
  explicit UnitRandom(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
    z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n).
  int Below(int n) {
    return static_cast<int>(Next() % static_cast<uint64_t>(n));
  }

 private:
  uint64_t state_;
};

// A UUID-shaped id, unique per (tag, unit).
std::string Id(uint32_t tag, uint64_t unit) {
  return absl::StrFormat("%08x-0000-4000-8000-%012x", tag, unit);
}

std::string CitizenRef(int i) { return absl::StrFormat("citizen-p%05d", i); }

v1::Party Worker(int i) {
  v1::Party p;
  p.set_kind(v1::PARTY_KIND_TEAM_WORKER);
  p.set_id(absl::StrFormat("worker:w%02d", i));
  p.set_display_name(absl::StrFormat("Worker %d", i));
  return p;
}

v1::Party Partner(v1::PartyKind kind, const char* id, const char* name) {
  v1::Party p;
  p.set_kind(kind);
  p.set_id(id);
  p.set_display_name(name);
  return p;
}

v1::Party NightPartner() {
  return Partner(v1::PARTY_KIND_NIGHT_PARTNER, "partner:natteravnen",
                 "Natteravnen ApS");
}

// Builds one stream's events, each `step` after the previous.
class StreamBuilder {
 public:
  StreamBuilder(std::string stream_id, absl::Time at, std::string actor)
      : at_(at), actor_(std::move(actor)) {
    request_.stream_id = std::move(stream_id);
  }
  v1::EventPayload& Add(absl::Duration after = absl::Minutes(1)) {
    at_ += after;
    NewEvent& e = request_.events.emplace_back();
    e.occurred_at = at_;
    e.actor = actor_;
    return e.payload;
  }
  absl::Time at() const { return at_; }
  AppendRequest Take() { return std::move(request_); }

 private:
  AppendRequest request_;
  absl::Time at_;
  std::string actor_;
};

v1::HandoverItem WatchItem(const std::string& citizen, bool shared) {
  v1::HandoverItem item;
  item.set_kind(v1::HANDOVER_ITEM_KIND_CITIZEN_TO_WATCH);
  item.set_citizen_ref(citizen);
  item.set_risk_level(v1::RISK_LEVEL_MODERATE);
  item.set_shared_with_recipient(shared);
  item.mutable_sensitive()->set_text("call back before noon");
  return item;
}

}  // namespace

absl::Time SyntheticLog::UnitClock::Now() const {
  // After the last event of every unit handed out (the latest is ~1 h after
  // its unit's start), so that recorded_at follows occurred_at.
  return kLogStart + kRecordingDelay +
         kUnitSpacing *
             static_cast<int64_t>(units_.load(std::memory_order_relaxed));
}

SyntheticLog::SyntheticLog(LogShape shape) : shape_(shape) {}

std::string SyntheticLog::FrequentCitizen(int i) { return CitizenRef(i); }

namespace {

// The appends of unit `u`, in order.
std::vector<AppendRequest> UnitAppends(const LogShape& shape, uint64_t u) {
  UnitRandom random(u);
  const absl::Time t0 = kLogStart + kUnitSpacing * static_cast<int64_t>(u);
  const uint64_t lines = static_cast<uint64_t>(shape.lines);
  std::vector<AppendRequest> out;

  if (u % kLineUnitEvery == kLineUnitEvery / 2) {  // a shift change
    const uint64_t change = u / kLineUnitEvery;
    const std::string line = absl::StrCat("line-", change % lines);
    const v1::Party from = Worker(random.Below(kWorkers));
    const v1::Party to = Worker(random.Below(kWorkers));
    StreamBuilder s(line, t0, from.id());
    const std::string line_id = line.substr(5);
    std::vector<v1::HandoverItem> items;
    for (int i = 0; i < 3; ++i) {
      items.push_back(WatchItem(CitizenRef(random.Below(shape.citizens)),
                                random.Below(2) == 0));
    }
    if (change < lines) {
      v1::LineCoverageTaken& e = *s.Add().mutable_line_coverage_taken();
      e.set_line_id(line_id);
      *e.mutable_holder() = from;
      e.set_reason(v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED);
    }
    switch ((change / lines) % 3) {
      case 0: {
        v1::LineHandoverOffered& o = *s.Add().mutable_line_handover_offered();
        o.set_line_id(line_id);
        o.set_handover_id(Id(1, u));
        *o.mutable_holder() = from;
        *o.mutable_offered_to() = to;
        for (const auto& item : items) *o.add_items() = item;
        *o.mutable_respond_by() = ToTimestamp(s.at() + absl::Minutes(30));
        v1::LineHandoverAccepted& a = *s.Add().mutable_line_handover_accepted();
        a.set_line_id(line_id);
        a.set_handover_id(Id(1, u));
        *a.mutable_previous_holder() = from;
        *a.mutable_accepted_by() = to;
        break;
      }
      case 1: {
        v1::LineCoveragePassedToNightPartner& p =
            *s.Add().mutable_line_coverage_passed_to_night_partner();
        p.set_line_id(line_id);
        p.set_handover_id(Id(1, u));
        *p.mutable_previous_holder() = from;
        *p.mutable_night_partner() = NightPartner();
        for (const auto& item : items) *p.add_items() = item;
        break;
      }
      default: {
        v1::LineCoverageTakenBack& b =
            *s.Add().mutable_line_coverage_taken_back();
        b.set_line_id(line_id);
        b.set_handover_id(Id(1, u));
        *b.mutable_night_partner() = NightPartner();
        *b.mutable_holder() = to;
        for (const auto& item : items) *b.add_items() = item;
        v1::LineBackupAssigned& backup =
            *s.Add().mutable_line_backup_assigned();
        backup.set_line_id(line_id);
        *backup.mutable_backup() = Worker(random.Below(kWorkers));
        *backup.mutable_starts_at() = ToTimestamp(s.at());
        *backup.mutable_ends_at() = ToTimestamp(s.at() + absl::Hours(48));
        break;
      }
    }
    out.push_back(s.Take());
    return out;
  }

  if (u % kCitizenUnitEvery == kCitizenUnitEvery - 1) {  // a plan revision
    const std::string citizen = CitizenRef(random.Below(shape.citizens));
    StreamBuilder s(citizen, t0, Worker(random.Below(kWorkers)).id());
    v1::CitizenCrisisPlanUpdated& plan =
        *s.Add().mutable_citizen_crisis_plan_updated();
    plan.set_citizen_ref(citizen);
    plan.set_revision(static_cast<uint32_t>(u / kCitizenUnitEvery + 1));
    plan.set_agreed_with_citizen(true);
    auto& sensitive = *plan.mutable_sensitive();
    sensitive.add_what_helps("a walk by the lake");
    sensitive.add_warning_signs("stops answering the phone");
    sensitive.set_preferred_place("at home");
    out.push_back(s.Take());
    return out;
  }

  // A call: a tenth anonymous, a quarter of the rest from frequent callers.
  std::string citizen;
  if (random.Below(10) != 0) {
    citizen = random.Below(4) == 0
                  ? CitizenRef(random.Below(shape.frequent_citizens))
                  : CitizenRef(
                        shape.frequent_citizens +
                        random.Below(shape.citizens - shape.frequent_citizens));
  }
  const std::string call_id = Id(2, u);
  const std::string line_id = absl::StrCat(random.Below(shape.lines));
  const v1::Party worker = Worker(random.Below(kWorkers));
  StreamBuilder call(absl::StrCat("call-", call_id), t0, worker.id());
  {
    v1::CallReceived& e =
        *call.Add(absl::ZeroDuration()).mutable_call_received();
    e.set_call_id(call_id);
    e.set_line_id(line_id);
    e.set_citizen_ref(citizen);
    e.set_caller_kind(citizen.empty() ? v1::CALLER_KIND_ANONYMOUS
                                      : v1::CALLER_KIND_CITIZEN);
    e.set_channel(v1::CONTACT_CHANNEL_PHONE);
    *e.mutable_answered_by() = worker;
    e.mutable_sensitive()->set_reason("cannot sleep, restless");
  }
  {
    v1::CallRiskAssessed& e = *call.Add().mutable_call_risk_assessed();
    e.set_call_id(call_id);
    e.set_citizen_ref(citizen);
    e.set_level(static_cast<v1::RiskLevel>(1 + random.Below(5)));
    e.mutable_sensitive()->set_reason("calm voice, has eaten");
  }
  if (!citizen.empty() && random.Below(2) == 0) {
    v1::CallCrisisPlanConsulted& e =
        *call.Add().mutable_call_crisis_plan_consulted();
    e.set_call_id(call_id);
    e.set_citizen_ref(citizen);
    e.set_result(v1::CRISIS_PLAN_LOOKUP_RESULT_CONSULTED);
    e.set_crisis_plan_revision(1);
    e.mutable_sensitive()->set_note("suggested a walk");
  }
  for (int notes = 2 + random.Below(5); notes > 0; --notes) {
    v1::CallNoteAdded& e = *call.Add().mutable_call_note_added();
    e.set_call_id(call_id);
    e.set_citizen_ref(citizen);
    e.mutable_sensitive()->set_text("talked it through");
  }
  const bool escalate = !citizen.empty() && random.Below(10) == 0;
  const std::string escalation_id = Id(3, u);
  {
    v1::CallClosed& e = *call.Add().mutable_call_closed();
    e.set_call_id(call_id);
    e.set_citizen_ref(citizen);
    e.set_outcome(escalate ? v1::CALL_OUTCOME_ESCALATED
                           : v1::CALL_OUTCOME_RESOLVED_ON_CALL);
    if (escalate) e.add_escalation_ids(escalation_id);
    e.mutable_sensitive()->set_summary("calmer at the end");
  }
  out.push_back(call.Take());

  if (escalate) {
    const v1::Party backup = Worker(random.Below(kWorkers));
    StreamBuilder s(absl::StrCat("escalation-", escalation_id),
                    t0 + absl::Minutes(3), worker.id());
    {
      v1::EscalationRaised& e = *s.Add().mutable_escalation_raised();
      e.set_escalation_id(escalation_id);
      e.set_call_id(call_id);
      e.set_line_id(line_id);
      e.set_citizen_ref(citizen);
      e.set_level(v1::ESCALATION_LEVEL_BACKUP);
      *e.mutable_target() = backup;
      e.set_urgency(v1::ESCALATION_URGENCY_URGENT);
      *e.mutable_ack_deadline() = ToTimestamp(s.at() + absl::Minutes(15));
      e.set_policy_version("2026-1");
      e.set_contact_channel(v1::CONTACT_CHANNEL_PHONE);
      e.mutable_sensitive()->set_reason("threatens self-harm");
    }
    v1::EscalationLevel level = v1::ESCALATION_LEVEL_BACKUP;
    v1::Party target = backup;
    if (random.Below(3) == 0) {
      v1::EscalationTimedOut& e =
          *s.Add(absl::Minutes(15)).mutable_escalation_timed_out();
      e.set_escalation_id(escalation_id);
      e.set_citizen_ref(citizen);
      e.set_from_level(level);
      *e.mutable_from_target() = target;
      *e.mutable_missed_deadline() = ToTimestamp(s.at());
      level = v1::ESCALATION_LEVEL_NIGHT_PARTNER;
      target = NightPartner();
      e.set_to_level(level);
      *e.mutable_to_target() = target;
      *e.mutable_ack_deadline() = ToTimestamp(s.at() + absl::Minutes(15));
      e.set_policy_version("2026-1");
    }
    {
      v1::EscalationAcknowledged& e =
          *s.Add().mutable_escalation_acknowledged();
      e.set_escalation_id(escalation_id);
      e.set_citizen_ref(citizen);
      e.set_level(level);
      *e.mutable_acknowledged_by() = target;
    }
    {
      v1::EscalationAccepted& e = *s.Add().mutable_escalation_accepted();
      e.set_escalation_id(escalation_id);
      e.set_citizen_ref(citizen);
      e.set_level(level);
      *e.mutable_accepted_by() = target;
      e.mutable_sensitive()->set_note("on the way");
    }
    {
      v1::EscalationResolved& e =
          *s.Add(absl::Minutes(40)).mutable_escalation_resolved();
      e.set_escalation_id(escalation_id);
      e.set_citizen_ref(citizen);
      e.set_level(level);
      *e.mutable_resolved_by() = target;
      e.mutable_sensitive()->set_outcome("stayed with a friend");
    }
    out.push_back(s.Take());
  }

  if (!citizen.empty() && random.Below(3) == 0) {  // a leader reads it back
    const std::string access_id = Id(4, u);
    StreamBuilder s(absl::StrCat("access-", access_id), t0 + absl::Minutes(70),
                    "worker:leader");
    v1::SensitiveDataAccessed& e = *s.Add().mutable_sensitive_data_accessed();
    e.set_access_id(access_id);
    e.set_kind(v1::ACCESS_KIND_TIMELINE);
    e.set_query(absl::StrCat("call_id=", call_id));
    e.add_citizen_refs(citizen);
    e.set_event_count(8);
    e.set_purpose(v1::ACCESS_PURPOSE_SUPERVISION);
    e.mutable_sensitive()->set_reason("weekly supervision");
    out.push_back(s.Take());
  }
  return out;
}

}  // namespace

absl::Status SyntheticLog::GrowTo(eventstore::EventStore& store,
                                  uint64_t events, int threads) {
  std::atomic<bool> failed{false};
  absl::Mutex mu;
  absl::Status first_error;  // guarded by mu
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (!failed.load() && store.LastPosition() < events) {
        const uint64_t u = next_unit_.fetch_add(1);
        for (AppendRequest& request : UnitAppends(shape_, u)) {
          absl::StatusOr<eventstore::AppendResult> r =
              store.Append(std::move(request));
          if (!r.ok()) {
            absl::MutexLock lock(&mu);
            if (first_error.ok()) first_error = r.status();
            failed = true;
            return;
          }
        }
      }
    });
  }
  for (std::thread& w : workers) w.join();
  absl::MutexLock lock(&mu);
  return first_error;
}

}  // namespace vagt::bench
