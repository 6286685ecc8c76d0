#include "services/escalations/deadline_engine.h"

#include <algorithm>
#include <cstdio>

#include "absl/strings/str_cat.h"
#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "services/common/command.h"

namespace vagt::services {
namespace {

// Attempts of one timeout that lose to a concurrent change before the worker
// gives up for now (and the retry, or the stall check, takes over).
constexpr int kMaxRaces = 16;

void LogFailure(absl::string_view what, absl::string_view subject,
                const absl::Status& status) {
  // Ids and status messages only: vagt's errors never carry citizen data.
  std::fprintf(stderr, "escalation engine: %s %s: %s\n",
               std::string(what).c_str(), std::string(subject).c_str(),
               status.ToString().c_str());
}

std::string AlarmIdOf(const std::string& escalation_id, uint64_t version) {
  return absl::StrCat("escalation-stalled:", escalation_id, "@", version);
}

}  // namespace

std::unique_ptr<DeadlineEngine> DeadlineEngine::Start(
    eventstore::EventStore& store, const Clock& clock,
    const CoverageLookup& coverage, Options options,
    std::function<void(const Fired&)> on_fired) {
  std::unique_ptr<DeadlineEngine> engine(new DeadlineEngine(
      store, clock, coverage, std::move(options), std::move(on_fired)));
  engine->subscription_ =
      store.Subscribe(0, [e = engine.get()](const v1::EventEnvelope& event) {
        return e->OnEvent(event);
      });
  engine->timer_ = std::thread([e = engine.get()] { e->RunTimer(); });
  for (int i = 0; i < std::max(engine->options_.fire_threads, 1); ++i) {
    engine->workers_.emplace_back([e = engine.get()] { e->RunWorker(); });
  }
  return engine;
}

DeadlineEngine::DeadlineEngine(eventstore::EventStore& store,
                               const Clock& clock,
                               const CoverageLookup& coverage, Options options,
                               std::function<void(const Fired&)> on_fired)
    : store_(store),
      clock_(clock),
      coverage_(coverage),
      options_(std::move(options)),
      on_fired_(std::move(on_fired)),
      start_position_(store.LastPosition()) {
  absl::MutexLock lock(&mu_);
  next_check_ = clock_.Now() + options_.check_interval;
}

DeadlineEngine::~DeadlineEngine() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  if (timer_.joinable()) timer_.join();
  for (std::thread& worker : workers_) worker.join();
  subscription_.reset();
}

DeadlineEngine::Stats DeadlineEngine::stats() const {
  absl::MutexLock lock(&mu_);
  Stats stats = stats_;
  stats.tracked = tracked_.size();
  stats.position = position_;
  return stats;
}

absl::Status DeadlineEngine::OnEvent(const v1::EventEnvelope& event) {
  absl::MutexLock lock(&mu_);
  position_ = event.global_position();
  const v1::EventPayload& payload = event.payload();
  if (payload.has_alarm_raised()) {
    alarms_.insert(payload.alarm_raised().alarm_id());
    return absl::OkStatus();
  }
  if (!HasKind(event.stream_id(), kEscalationKind)) {
    return absl::OkStatus();
  }
  Tracked& tracked = tracked_[event.stream_id()];
  tracked.state.Apply(event);
  if (tracked.state.version() == event.stream_version()) {
    tracked.changed_at = IsValidTimestamp(event.recorded_at())
                             ? ToTime(event.recorded_at())
                             : clock_.Now();
  }
  const EscalationState::Phase phase = tracked.state.phase();
  if (phase == EscalationState::Phase::kResolved ||
      phase == EscalationState::Phase::kCancelled ||
      phase == EscalationState::Phase::kNone) {
    if (tracked.due.has_value()) {
      due_.erase({*tracked.due, event.stream_id()});
    }
    if (!tracked.in_flight) tracked_.erase(event.stream_id());
    return absl::OkStatus();
  }
  Reschedule(event.stream_id(), tracked);
  return absl::OkStatus();
}

void DeadlineEngine::Reschedule(const std::string& stream, Tracked& tracked) {
  if (tracked.due.has_value()) {
    due_.erase({*tracked.due, stream});
    tracked.due.reset();
  }
  const std::optional<absl::Time> deadline = tracked.state.ack_deadline();
  if (!deadline.has_value() || tracked.in_flight ||
      tracked.state.version() < tracked.settle_version) {
    return;
  }
  const absl::Time due = std::max(*deadline, tracked.retry_at);
  tracked.due = due;
  due_.insert({due, stream});
  if (due < planned_wake_) wake_ = true;
}

void DeadlineEngine::RunTimer() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(this, &DeadlineEngine::CaughtUpOrStopping));
  while (!stopping_) {
    const absl::Time now = clock_.Now();
    while (!due_.empty() && due_.begin()->first <= now) {
      const std::string stream = due_.begin()->second;
      due_.erase(due_.begin());
      Tracked& tracked = tracked_[stream];
      tracked.due.reset();
      tracked.in_flight = true;
      ++in_flight_;
      queue_.push_back(stream);
    }
    if (now >= next_check_) {
      std::vector<Stall> stalls = FindStalls(now);
      next_check_ = now + options_.check_interval;
      if (!stalls.empty()) {
        checking_ = true;
        mu_.Unlock();
        uint64_t stale = 0;
        for (const Stall& seen : stalls) {
          if (std::optional<Stall> stall = ConfirmStall(seen)) {
            RaiseAlarm(*stall);
          } else {
            ++stale;
          }
        }
        mu_.Lock();
        stats_.stale_stalls += stale;
        checking_ = false;
      }
      ++stats_.stall_checks;
      continue;
    }
    planned_wake_ = next_check_;
    if (!due_.empty())
      planned_wake_ = std::min(planned_wake_, due_.begin()->first);
    wake_ = false;
    clock_.AwaitWithDeadline(
        mu_, absl::Condition(this, &DeadlineEngine::TimerShouldWake),
        planned_wake_);
    planned_wake_ = absl::InfinitePast();
  }
}

void DeadlineEngine::RunWorker() {
  while (true) {
    std::string stream;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(this, &DeadlineEngine::WorkerShouldWake));
      if (stopping_) return;
      stream = std::move(queue_.front());
      queue_.pop_front();
    }
    const Outcome outcome = Fire(stream);
    absl::MutexLock lock(&mu_);
    --in_flight_;
    auto it = tracked_.find(stream);
    if (it == tracked_.end()) continue;
    Tracked& tracked = it->second;
    tracked.in_flight = false;
    const EscalationState::Phase phase = tracked.state.phase();
    if (phase == EscalationState::Phase::kResolved ||
        phase == EscalationState::Phase::kCancelled) {
      tracked_.erase(it);
      continue;
    }
    tracked.settle_version = std::max(tracked.settle_version, outcome.version);
    tracked.retry_at = outcome.failed ? clock_.Now() + options_.retry_after
                                      : absl::InfinitePast();
    Reschedule(stream, tracked);
  }
}

absl::StatusOr<std::shared_ptr<const EscalationPolicy>>
DeadlineEngine::PolicyOf(const EscalationState& escalation) {
  const std::string key =
      absl::StrCat(escalation.line_id(), "\n", escalation.policy_version());
  {
    absl::MutexLock lock(&policies_mu_);
    if (auto it = policies_.find(key); it != policies_.end()) return it->second;
  }
  ASSIGN_OR_RETURN(EscalationPolicy policy,
                   LoadPolicyVersion(store_, escalation.line_id(),
                                     escalation.policy_version()));
  auto shared = std::make_shared<const EscalationPolicy>(std::move(policy));
  absl::MutexLock lock(&policies_mu_);
  policies_.emplace(key, shared);
  return shared;
}

DeadlineEngine::Outcome DeadlineEngine::Fire(const std::string& stream) {
  Outcome outcome;
  for (int race = 0; race < kMaxRaces; ++race) {
    absl::StatusOr<std::vector<v1::EventEnvelope>> events =
        store_.ReadStream(stream, 1, kMaxAggregateEvents);
    if (!events.ok()) {
      LogFailure("reading", stream, events.status());
      outcome.failed = true;
      break;
    }
    EscalationState escalation;
    for (const v1::EventEnvelope& e : *events) escalation.Apply(e);
    outcome.version = escalation.version();
    const absl::Time now = clock_.Now();
    const std::optional<absl::Time> deadline = escalation.ack_deadline();
    // Answered, timed out by another engine, or not due: nothing to do.
    if (!deadline.has_value() || *deadline > now) return outcome;
    absl::StatusOr<std::shared_ptr<const EscalationPolicy>> policy =
        PolicyOf(escalation);
    if (!policy.ok()) {
      LogFailure("loading the policy of", stream, policy.status());
      outcome.failed = true;
      break;
    }
    Decision decision = DecideTimeout(escalation, **policy, now, coverage_);
    if (!decision.ok()) {
      LogFailure("timing out", stream, decision.status());
      outcome.failed = true;
      break;
    }
    eventstore::AppendRequest request;
    request.stream_id = stream;
    request.expected = eventstore::ExpectedVersion::Exact(escalation.version());
    eventstore::NewEvent event;
    event.payload = std::move(decision->front());
    event.occurred_at = now;
    event.actor = kEscalationEngineActor;
    event.causation_id = escalation.deadline_event_id();
    request.events.push_back(std::move(event));
    absl::StatusOr<eventstore::AppendResult> appended =
        store_.Append(std::move(request));
    if (appended.ok()) {
      outcome.version = appended->stream_version;
      {
        absl::MutexLock lock(&mu_);
        ++stats_.fired;
      }
      if (on_fired_) {
        on_fired_({.escalation_id = escalation.escalation_id(),
                   .missed_deadline = *deadline,
                   .position = appended->last_position});
      }
      return outcome;
    }
    if (!absl::IsAborted(appended.status())) {
      LogFailure("appending the timeout of", stream, appended.status());
      outcome.failed = true;
      break;
    }
    // Another engine (or an answer) changed the stream: read it again.
    absl::MutexLock lock(&mu_);
    ++stats_.lost_races;
  }
  absl::MutexLock lock(&mu_);
  ++stats_.failures;
  outcome.failed = true;
  return outcome;
}

std::optional<DeadlineEngine::Stall> DeadlineEngine::StallOf(
    const std::string& stream, const EscalationState& state,
    absl::Time changed_at, absl::Time now) const {
  if (state.phase() != EscalationState::Phase::kAwaitingAck) {
    return std::nullopt;
  }
  const std::optional<absl::Time> deadline = state.ack_deadline();
  if (deadline.has_value() && now - *deadline < options_.stall_after) {
    return std::nullopt;
  }
  return Stall{.stream = stream,
               .escalation_id = state.escalation_id(),
               .line_id = state.line_id(),
               .version = state.version(),
               .deadline = deadline,
               .since = deadline.value_or(changed_at)};
}

std::vector<DeadlineEngine::Stall> DeadlineEngine::FindStalls(
    absl::Time now) const {
  std::vector<Stall> stalls;
  for (const auto& [stream, tracked] : tracked_) {
    std::optional<Stall> stall =
        StallOf(stream, tracked.state, tracked.changed_at, now);
    if (!stall.has_value() ||
        alarms_.contains(AlarmIdOf(stall->escalation_id, stall->version))) {
      continue;
    }
    stalls.push_back(*std::move(stall));
  }
  return stalls;
}

std::optional<DeadlineEngine::Stall> DeadlineEngine::ConfirmStall(
    const Stall& seen) {
  absl::StatusOr<std::vector<v1::EventEnvelope>> events =
      store_.ReadStream(seen.stream, 1, kMaxAggregateEvents);
  if (!events.ok()) {
    LogFailure("confirming the stall of", seen.stream, events.status());
    return seen;
  }
  // The same fold as OnEvent's, changed_at included.
  EscalationState escalation;
  absl::Time changed_at = seen.since;
  for (const v1::EventEnvelope& e : *events) {
    escalation.Apply(e);
    if (escalation.version() == e.stream_version()) {
      changed_at = IsValidTimestamp(e.recorded_at()) ? ToTime(e.recorded_at())
                                                     : clock_.Now();
    }
  }
  if (escalation.version() == seen.version) return seen;
  return StallOf(seen.stream, escalation, changed_at, clock_.Now());
}

void DeadlineEngine::RaiseAlarm(const Stall& stall) {
  const std::string alarm_id = AlarmIdOf(stall.escalation_id, stall.version);
  const std::string stream =
      AlarmStreamId(stall.line_id.empty() ? "unknown-line" : stall.line_id);
  for (int race = 0; race < kMaxRaces; ++race) {
    absl::StatusOr<std::vector<v1::EventEnvelope>> events =
        store_.ReadStream(stream, 1, kMaxAggregateEvents);
    if (!events.ok()) {
      LogFailure("reading", stream, events.status());
      return;
    }
    for (const v1::EventEnvelope& e : *events) {
      if (e.payload().alarm_raised().alarm_id() == alarm_id) return;
    }
    eventstore::AppendRequest request;
    request.stream_id = stream;
    request.expected = eventstore::ExpectedVersion::Exact(
        events->empty() ? 0 : events->back().stream_version());
    eventstore::NewEvent event;
    v1::AlarmRaised* alarm = event.payload.mutable_alarm_raised();
    alarm->set_alarm_id(alarm_id);
    alarm->set_line_id(stall.line_id);
    alarm->set_kind(v1::ALARM_KIND_ESCALATION_STALLED);
    alarm->set_escalation_id(stall.escalation_id);
    *alarm->mutable_since() = ToTimestamp(stall.since);
    alarm->set_detail(
        stall.deadline.has_value()
            ? absl::StrCat("escalation ", stall.escalation_id,
                           " is awaiting acknowledgement; its deadline ",
                           absl::FormatTime(*stall.deadline),
                           " passed without a timeout (stream version ",
                           stall.version, ")")
            : absl::StrCat("escalation ", stall.escalation_id,
                           " is awaiting acknowledgement without a deadline "
                           "(stream version ",
                           stall.version, ")"));
    event.occurred_at = clock_.Now();
    event.actor = kEscalationEngineActor;
    request.events.push_back(std::move(event));
    absl::StatusOr<eventstore::AppendResult> appended =
        store_.Append(std::move(request));
    if (appended.ok()) {
      absl::MutexLock lock(&mu_);
      ++stats_.alarms;
      alarms_.insert(alarm_id);
      return;
    }
    if (!absl::IsAborted(appended.status())) {
      LogFailure("appending the alarm on", stream, appended.status());
      return;
    }
  }
}

bool DeadlineEngine::Idle() const {
  const absl::Time now = clock_.Now();
  return position_ >= store_.LastPosition() && queue_.empty() &&
         in_flight_ == 0 && !checking_ && next_check_ > now &&
         (due_.empty() || due_.begin()->first > now);
}

bool DeadlineEngine::WaitUntilIdle(absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  while (!Idle()) {
    if (absl::Now() >= deadline) return false;
    // Idle() also reads the store and the clock, which do not signal mu_:
    // look again shortly.
    mu_.AwaitWithTimeout(absl::Condition(this, &DeadlineEngine::Idle),
                         absl::Milliseconds(5));
  }
  return true;
}

}  // namespace vagt::services
