#include "services/roster/coverage_watch.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string_view>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "domain/local_time.h"
#include "domain/streams.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"

namespace vagt::services {
namespace {

// Events read per ReadAll while catching up.
constexpr size_t kBatch = 1000;
// Attempts of one alarm append against a stream that keeps moving.
constexpr int kAppendAttempts = 3;
// An alarm stream is read whole to look for an alarm id; a line raises a
// few alarms a day.
constexpr size_t kMaxAlarmEventsRead = 1'000'000;

std::string Utc(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", t, absl::UTCTimeZone());
}

std::string LocalClock(absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", t, DutyTimeZone());
}

std::string AlarmId(v1::AlarmKind kind, const std::string& line_id,
                    absl::Time since) {
  const char* word = kind == v1::ALARM_KIND_LINE_UNCOVERED
                         ? "line-uncovered"
                         : "handover-not-accepted";
  return absl::StrCat(word, ":", line_id, ":", Utc(since));
}

v1::AlarmRaised Alarm(v1::AlarmKind kind, const std::string& line_id,
                      absl::Time since, const v1::Party& planned) {
  v1::AlarmRaised alarm;
  alarm.set_alarm_id(AlarmId(kind, line_id, since));
  alarm.set_line_id(line_id);
  alarm.set_kind(kind);
  *alarm.mutable_planned() = planned;
  *alarm.mutable_since() = ToTimestamp(since);
  return alarm;
}

absl::StatusOr<bool> AlarmRecorded(const eventstore::EventStore& store,
                                   const std::string& stream,
                                   const std::string& alarm_id,
                                   uint64_t* version) {
  ASSIGN_OR_RETURN(std::vector<v1::EventEnvelope> events,
                   store.ReadStream(stream, 1, kMaxAlarmEventsRead));
  *version = events.empty() ? 0 : events.back().stream_version();
  return std::any_of(events.begin(), events.end(),
                     [&](const v1::EventEnvelope& e) {
                       return e.payload().alarm_raised().alarm_id() == alarm_id;
                     });
}

}  // namespace

absl::StatusOr<bool> RaiseAlarm(eventstore::EventStore& store,
                                const v1::AlarmRaised& alarm,
                                uint64_t seen_version, const std::string& actor,
                                absl::Time now) {
  const std::string stream = AlarmStreamId(alarm.line_id());
  uint64_t version = seen_version;
  for (int attempt = 1;; ++attempt) {
    eventstore::AppendRequest request;
    request.stream_id = stream;
    request.expected = eventstore::ExpectedVersion::Exact(version);
    eventstore::NewEvent event;
    *event.payload.mutable_alarm_raised() = alarm;
    event.occurred_at = now;
    event.actor = actor;
    event.correlation_id = alarm.alarm_id();
    request.events.push_back(std::move(event));
    absl::StatusOr<eventstore::AppendResult> appended =
        store.Append(std::move(request));
    if (appended.ok()) return true;
    if (!absl::IsAborted(appended.status()) || attempt == kAppendAttempts) {
      return appended.status();
    }
    // Another watch (or the escalation engine) appended first.
    ASSIGN_OR_RETURN(bool there,
                     AlarmRecorded(store, stream, alarm.alarm_id(), &version));
    if (there) return false;
  }
}

CoverageWatch::CoverageWatch(eventstore::EventStore& store, const Clock& clock,
                             Options options)
    : store_(store), clock_(clock), options_(std::move(options)) {}

CoverageWatch::~CoverageWatch() { Stop(); }

absl::Status CoverageWatch::CatchUp() {
  while (true) {
    ASSIGN_OR_RETURN(std::vector<v1::EventEnvelope> events,
                     store_.ReadAll(position_ + 1, kBatch));
    if (events.empty()) return absl::OkStatus();
    for (const v1::EventEnvelope& e : events) {
      position_ = e.global_position();
      const std::string_view stream = e.stream_id();
      if (std::string_view roster = IdInStream(stream, kRosterKind);
          !roster.empty()) {
        lines_[std::string(roster)].roster.Apply(e);
      } else if (std::string_view line = IdInStream(stream, kLineKind);
                 !line.empty()) {
        lines_[std::string(line)].line.Apply(e);
      } else if (std::string_view alarms = IdInStream(stream, kAlarmKind);
                 !alarms.empty()) {
        LineWatch& watch = lines_[std::string(alarms)];
        watch.alarm_version = e.stream_version();
        if (e.payload().has_alarm_raised()) {
          watch.alarm_ids.insert(e.payload().alarm_raised().alarm_id());
        }
      }
    }
  }
}

std::vector<v1::AlarmRaised> CoverageWatch::Due(const std::string& line_id,
                                                const LineWatch& watch,
                                                absl::Time now) const {
  std::vector<v1::AlarmRaised> out;
  const RosterState& roster = watch.roster;
  const std::optional<absl::Time> start = roster.PlanStart();
  if (!start.has_value() || now < *start) return out;
  const std::optional<RosterAssignment> duty =
      roster.Planned(v1::ROSTER_ROLE_DUTY, now);
  if (!duty.has_value()) return out;
  const LineState& line = watch.line;
  if (line.phase() == LineState::Phase::kUncovered) {
    v1::AlarmRaised& alarm = out.emplace_back(
        Alarm(v1::ALARM_KIND_LINE_UNCOVERED, line_id, *start, duty->party));
    alarm.set_detail(absl::StrCat("nobody holds line ", line_id,
                                  "; the roster plans ", duty->party.id(),
                                  " (roster from ", LocalClock(*start), ")"));
    return out;
  }
  const std::optional<ShiftContext> shift =
      roster.ShiftAt(v1::ROSTER_ROLE_DUTY, now);
  if (!shift.has_value() || !shift->previous.has_value()) return out;
  const v1::Party& planned = shift->shift.party;
  const absl::Time handover = shift->shift.start;
  if (shift->previous->id() == planned.id() ||
      now < handover + options_.handover_grace ||
      line.holder().id() == planned.id()) {
    return out;
  }
  v1::AlarmRaised& alarm = out.emplace_back(
      Alarm(v1::ALARM_KIND_HANDOVER_NOT_ACCEPTED, line_id, handover, planned));
  *alarm.mutable_actual() = line.holder();
  std::string detail =
      absl::StrCat("handover of line ", line_id, " to ", planned.id(),
                   " planned at ", LocalClock(handover), " not accepted by ",
                   LocalClock(handover + options_.handover_grace), "; held by ",
                   line.holder().id());
  if (line.phase() == LineState::Phase::kHandoverPending) {
    absl::StrAppend(&detail, " (offer ", line.pending_handover_id(), " to ",
                    line.offered_to().id(), " pending)");
  }
  alarm.set_detail(std::move(detail));
  return out;
}

absl::Time CoverageWatch::NextDue(absl::Time now) const {
  absl::Time next = absl::InfiniteFuture();
  for (const auto& [line_id, watch] : lines_) {
    if (!watch.roster.has_rotation()) continue;
    const std::optional<absl::Time> start = watch.roster.PlanStart();
    if (start.has_value() && now < *start) next = std::min(next, *start);
    if (auto shift = watch.roster.ShiftAt(v1::ROSTER_ROLE_DUTY, now)) {
      const absl::Time due = shift->shift.start + options_.handover_grace;
      next = std::min(
          next, due > now ? due : shift->shift.end + options_.handover_grace);
    }
  }
  return next;
}

std::vector<v1::AlarmRaised> CoverageWatch::DueAlarms(absl::Time now) const {
  absl::MutexLock lock(&mu_);
  std::vector<v1::AlarmRaised> out;
  for (const auto& [line_id, watch] : lines_) {
    for (v1::AlarmRaised& a : Due(line_id, watch, now)) {
      out.push_back(std::move(a));
    }
  }
  return out;
}

absl::StatusOr<int> CoverageWatch::Check(absl::Time now) {
  absl::MutexLock lock(&mu_);
  ++checks_;  // counted when it ends: waiters wake on unlock
  RETURN_IF_ERROR(CatchUp());
  int raised = 0;
  for (auto& [line_id, watch] : lines_) {
    for (const v1::AlarmRaised& alarm : Due(line_id, watch, now)) {
      if (watch.alarm_ids.contains(alarm.alarm_id())) continue;
      ASSIGN_OR_RETURN(
          bool appended,
          RaiseAlarm(store_, alarm, watch.alarm_version, options_.actor, now));
      if (appended) ++raised;
    }
  }
  // Read our own alarms (and whatever else came) back into the state.
  RETURN_IF_ERROR(CatchUp());
  next_due_ = NextDue(now);
  return raised;
}

bool CoverageWatch::WaitForChecks(uint64_t n, absl::Time deadline) const {
  absl::MutexLock lock(&mu_);
  auto done = [this, n]()
                  ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) { return checks_ >= n; };
  return mu_.AwaitWithDeadline(absl::Condition(&done), deadline);
}

void CoverageWatch::Start() {
  absl::MutexLock lock(&stop_mu_);
  if (thread_.joinable() || stop_) return;
  thread_ = std::thread([this] { Run(); });
}

void CoverageWatch::Stop() {
  {
    absl::MutexLock lock(&stop_mu_);
    stop_ = true;
  }
  if (thread_.joinable()) thread_.join();
}

void CoverageWatch::Run() {
  while (true) {
    const absl::Time now = clock_.Now();
    absl::StatusOr<int> checked = Check(now);
    if (!checked.ok()) {
      std::fprintf(stderr, "coverage watch: check failed: %s\n",
                   std::string(checked.status().message()).c_str());
    }
    absl::Time wake = now + options_.max_wait;
    if (checked.ok()) {
      absl::MutexLock lock(&mu_);
      wake = std::min(wake, next_due_);
    }
    wake = std::max(wake, now + absl::Milliseconds(1));  // never a busy loop
    absl::MutexLock lock(&stop_mu_);
    if (clock_.AwaitWithDeadline(stop_mu_, absl::Condition(&stop_), wake)) {
      return;
    }
  }
}

}  // namespace vagt::services
