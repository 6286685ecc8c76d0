// vagt-bench escalations: 10,000 running escalations, each with an
// acknowledgement deadline 5-15 s after it is raised, timed out by the
// deadline engine on a real synced store with the real clock; then the same
// pattern of deadlines waited for by a bare timer thread (the baseline).
#include "tests/bench/escalation_lateness.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <iostream>
#include <memory>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "services/escalations/deadline_engine.h"
#include "services/lines/line_coverage.h"
#include "tests/bench/scratch_dir.h"

namespace vagt::bench {
namespace {

constexpr char kLine[] = "bench";
constexpr int kRaiseThreads = 16;

Lateness Summarize(std::vector<double> late_ms) {
  Lateness out;
  out.count = static_cast<int>(late_ms.size());
  if (late_ms.empty()) return out;
  std::sort(late_ms.begin(), late_ms.end());
  auto at = [&](double p) {
    const size_t rank =
        static_cast<size_t>(std::ceil(p * static_cast<double>(late_ms.size())));
    return late_ms[std::min(late_ms.size() - 1, rank == 0 ? 0 : rank - 1)];
  };
  out.p50_ms = at(0.50);
  out.p99_ms = at(0.99);
  out.max_ms = late_ms.back();
  return out;
}

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }

absl::Status AppendOne(eventstore::EventStore& store, const std::string& stream,
                       v1::EventPayload payload) {
  eventstore::NewEvent event;
  event.payload = std::move(payload);
  event.actor = "worker:leder";
  return store.Append({.stream_id = stream, .events = {std::move(event)}})
      .status();
}

v1::Party PartyOf(v1::PartyKind kind, const std::string& id) {
  v1::Party p;
  p.set_kind(kind);
  p.set_id(id);
  return p;
}

// The line held by the night partner with a backup on call, and a policy
// whose every level has somebody on it: each timeout reads the line's stream
// for the night partner (a DUTY level), like a real night.
absl::Status SetUpLine(eventstore::EventStore& store) {
  const std::string line_stream = absl::StrCat("line-", kLine);
  v1::EventPayload taken;
  taken.mutable_line_coverage_taken()->set_line_id(kLine);
  *taken.mutable_line_coverage_taken()->mutable_holder() =
      PartyOf(v1::PARTY_KIND_TEAM_WORKER, "worker:anna");
  RETURN_IF_ERROR(AppendOne(store, line_stream, taken));
  v1::EventPayload night;
  v1::LineCoveragePassedToNightPartner* passed =
      night.mutable_line_coverage_passed_to_night_partner();
  passed->set_line_id(kLine);
  passed->set_handover_id("bench-night");
  *passed->mutable_previous_holder() =
      PartyOf(v1::PARTY_KIND_TEAM_WORKER, "worker:anna");
  *passed->mutable_night_partner() =
      PartyOf(v1::PARTY_KIND_NIGHT_PARTNER, "partner:natteravnen");
  RETURN_IF_ERROR(AppendOne(store, line_stream, night));
  v1::EventPayload backup;
  backup.mutable_line_backup_assigned()->set_line_id(kLine);
  *backup.mutable_line_backup_assigned()->mutable_backup() =
      PartyOf(v1::PARTY_KIND_TEAM_WORKER, "worker:bo");
  *backup.mutable_line_backup_assigned()->mutable_starts_at() =
      ToTimestamp(absl::Now() - absl::Hours(1));
  *backup.mutable_line_backup_assigned()->mutable_ends_at() =
      ToTimestamp(absl::Now() + absl::Hours(24));
  RETURN_IF_ERROR(AppendOne(store, line_stream, backup));

  v1::EventPayload policy;
  v1::EscalationPolicySet* set = policy.mutable_escalation_policy_set();
  set->set_line_id(kLine);
  v1::PolicyLevel* first = set->add_levels();
  first->set_level(v1::ESCALATION_LEVEL_BACKUP);
  first->set_target(v1::POLICY_TARGET_BACKUP);
  first->set_ack_timeout_seconds(15 * 60);
  v1::PolicyLevel* second = set->add_levels();
  second->set_level(v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  second->set_target(v1::POLICY_TARGET_DUTY);
  second->set_ack_timeout_seconds(60 * 60);
  return AppendOne(store, absl::StrCat("policy-", kLine), policy);
}

v1::EventPayload Raised(int i, absl::Time deadline) {
  v1::EventPayload payload;
  v1::EscalationRaised* e = payload.mutable_escalation_raised();
  e->set_escalation_id(absl::StrCat("bench-", i));
  e->set_call_id(absl::StrCat("bench-call-", i));
  e->set_line_id(kLine);
  e->set_citizen_ref(absl::StrCat("citizen-bench-", i % 500));
  e->set_level(v1::ESCALATION_LEVEL_BACKUP);
  *e->mutable_target() = PartyOf(v1::PARTY_KIND_TEAM_WORKER, "worker:bo");
  e->set_urgency(v1::ESCALATION_URGENCY_URGENT);
  *e->mutable_ack_deadline() = ToTimestamp(deadline);
  e->set_policy_version(absl::StrCat("policy-", kLine, "@1"));
  e->mutable_sensitive()->set_reason("bench: a situation the backup must see");
  return payload;
}

// Escalation i's deadline, as a fraction of [earliest, latest]: spread evenly
// and in no particular order (the golden ratio's low-discrepancy sequence).
double Spread(int i) {
  const double x = 0.6180339887498949 * (i + 1);
  return x - std::floor(x);
}

// The baseline: one thread waits, as the engine's timer does
// (Clock::AwaitWithDeadline on a mutex), for each of `deadlines` in order,
// and notes how late it woke.
std::vector<double> BareTimer(std::vector<absl::Time> deadlines) {
  std::sort(deadlines.begin(), deadlines.end());
  std::vector<double> late_ms;
  late_ms.reserve(deadlines.size());
  absl::Mutex mu;
  const bool never = false;
  absl::MutexLock lock(&mu);
  for (absl::Time deadline : deadlines) {
    while (absl::Now() < deadline) {
      SystemClock().AwaitWithDeadline(mu, absl::Condition(&never), deadline);
    }
    late_ms.push_back(Ms(absl::Now() - deadline));
  }
  return late_ms;
}

}  // namespace

absl::StatusOr<EscalationLatenessResult> MeasureEscalationLateness(
    const std::string& dir, const EscalationLatenessOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<eventstore::EventStore> store,
                   eventstore::EventStore::Open({.path = dir + "/store"}));
  RETURN_IF_ERROR(SetUpLine(*store));
  services::LineStreamCoverage coverage(*store);

  absl::Mutex mu;
  std::vector<double> late_ms;
  late_ms.reserve(static_cast<size_t>(options.escalations));
  std::unique_ptr<services::DeadlineEngine> engine =
      services::DeadlineEngine::Start(
          *store, SystemClock(), coverage,
          {.fire_threads = options.fire_threads},
          [&](const services::DeadlineEngine::Fired& fired) {
            const double late = Ms(absl::Now() - fired.missed_deadline);
            absl::MutexLock lock(&mu);
            late_ms.push_back(late);
          });
  if (!engine->WaitUntilIdle(absl::Now() + absl::Seconds(30))) {
    return absl::DeadlineExceededError("the engine did not start");
  }

  // Raise every escalation while the engine runs, from 16 threads.
  const absl::Time start = absl::Now();
  std::vector<absl::Time> deadlines(static_cast<size_t>(options.escalations));
  std::atomic<int> next{0};
  absl::Mutex error_mu;
  absl::Status error;
  std::vector<std::thread> threads;
  for (int t = 0; t < kRaiseThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = next++; i < options.escalations; i = next++) {
        const absl::Time deadline =
            absl::Now() + options.earliest +
            (options.latest - options.earliest) * Spread(i);
        deadlines[static_cast<size_t>(i)] = deadline;
        eventstore::NewEvent event;
        event.payload = Raised(i, deadline);
        event.actor = "worker:anna";
        absl::Status s =
            store
                ->Append({.stream_id = absl::StrCat("escalation-bench-", i),
                          .expected = eventstore::ExpectedVersion::NoStream(),
                          .events = {std::move(event)}})
                .status();
        if (!s.ok()) {
          absl::MutexLock lock(&error_mu);
          error.Update(s);
          return;
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  RETURN_IF_ERROR(error);
  EscalationLatenessResult result;
  result.raise_time = absl::Now() - start;

  // Every deadline has passed by latest (after the last raise); give the
  // engine that long and a margin to be done.
  const absl::Time give_up = absl::Now() + options.latest + absl::Seconds(60);
  {
    absl::MutexLock lock(&mu);
    auto all_fired = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu) {
      return late_ms.size() >= static_cast<size_t>(options.escalations);
    };
    mu.AwaitWithDeadline(absl::Condition(&all_fired), give_up);
  }
  const services::DeadlineEngine::Stats stats = engine->stats();
  engine.reset();
  result.lost_races = stats.lost_races;
  result.failures = stats.failures;
  {
    absl::MutexLock lock(&mu);
    result.engine = Summarize(late_ms);
  }
  if (result.engine.count < options.escalations) {
    return absl::DeadlineExceededError(
        absl::StrCat("the engine timed out ", result.engine.count, " of ",
                     options.escalations, " escalations in time"));
  }

  // The store's own stamp of each timeout.
  std::vector<double> recorded_ms;
  for (uint64_t from = 1;;) {
    ASSIGN_OR_RETURN(std::vector<v1::EventEnvelope> events,
                     store->ReadAll(from, 4096));
    if (events.empty()) break;
    for (const v1::EventEnvelope& e : events) {
      if (!e.payload().has_escalation_timed_out()) continue;
      recorded_ms.push_back(
          Ms(ToTime(e.recorded_at()) -
             ToTime(e.payload().escalation_timed_out().missed_deadline())));
    }
    from = events.back().global_position() + 1;
  }
  result.recorded = Summarize(std::move(recorded_ms));

  // The same pattern of deadlines, shifted to now, for the bare timer.
  const absl::Duration shift = absl::Now() - start;
  for (absl::Time& d : deadlines) d += shift;
  result.timer = Summarize(BareTimer(std::move(deadlines)));
  return result;
}

namespace {

std::string Line(const char* name, const Lateness& l) {
  return absl::StrFormat("%-9s n=%-6d late p50=%.2f ms p99=%.2f ms max=%.2f ms",
                         name, l.count, l.p50_ms, l.p99_ms, l.max_ms);
}

}  // namespace

bool RunEscalationsGroup(const std::string& parent,
                         const EscalationLatenessOptions& options) {
  std::cout << absl::StrFormat(
                   "escalations: %d running escalations, deadlines %s-%s "
                   "after each is raised, real clock, synced store; engine "
                   "with %d workers",
                   options.escalations, absl::FormatDuration(options.earliest),
                   absl::FormatDuration(options.latest), options.fire_threads)
            << std::endl;
  absl::StatusOr<EscalationLatenessResult> result;
  if (absl::StatusOr<std::unique_ptr<ScratchDir>> dir =
          ScratchDir::Create(parent, "vagt-bench-escalations");
      dir.ok()) {
    result = MeasureEscalationLateness((*dir)->path(), options);
  } else {
    result = dir.status();
  }
  if (!result.ok()) {
    std::cout << "escalations error: " << result.status().ToString()
              << std::endl;
    std::cout << "escalation_fire_late_p99_ms=n/a" << std::endl;
    return false;
  }
  std::cout << absl::StrFormat(
                   "raised in %.2f s from 16 threads; lost races %d, failed "
                   "attempts %d",
                   absl::ToDoubleSeconds(result->raise_time),
                   result->lost_races, result->failures)
            << std::endl;
  std::cout << Line("engine", result->engine)
            << "  (Append acknowledged - missed deadline)" << std::endl;
  std::cout << Line("recorded", result->recorded)
            << "  (recorded_at - missed deadline)" << std::endl;
  std::cout << Line("timer", result->timer)
            << "  (baseline: a bare timer thread's wake-up - deadline)"
            << std::endl;
  std::cout << absl::StrFormat(
                   "escalation_fire_late_p99_minus_timer_p99_ms=%.2f",
                   result->engine.p99_ms - result->timer.p99_ms)
            << std::endl;
  std::cout << absl::StrFormat("escalation_fire_late_p99_ms=%.1f",
                               result->engine.p99_ms)
            << std::endl;
  return true;
}

}  // namespace vagt::bench
