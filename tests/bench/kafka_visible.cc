// The kafka case: how long after an Append the event is visible in a
// projection fed through Kafka (relay → 3-broker mock cluster → KafkaFeed →
// ProjectionRunner), at a steady rate, against the embedded StoreFeed. See
// MeasureKafkaVisible in cases.h.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/synchronization/mutex.h"
#include "eventstore/event_store.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "projections/kafka_feed.h"
#include "projections/runner.h"
#include "projections/store_feed.h"
#include "services/kafka/mock_cluster.h"
#include "services/kafka/relay.h"
#include "services/kafka/topics.h"
#include "tests/bench/cases.h"

namespace vagt::bench {
namespace {

using eventstore::AppendRequest;
using eventstore::EventStore;
using projections::ProjectionRunner;
using SteadyClock = std::chrono::steady_clock;

// Appending threads: a synced append takes a few ms, so one thread alone
// could not keep a 1 ms schedule; each takes the next slot due.
constexpr int kAppendThreads = 8;
// The unmeasured run before the measured one: the consumer group has
// joined, connections and metadata are in place.
constexpr absl::Duration kWarmUp = absl::Seconds(1);
// How long after the last append every event must be visible.
constexpr absl::Duration kDrainTimeout = absl::Seconds(60);
constexpr int kBrokers = 3;

int64_t Nanos(SteadyClock::time_point t) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             t.time_since_epoch())
      .count();
}

// A UUID-shaped id, unique per (thread, tag, unit).
std::string Id(int thread, uint32_t tag, uint64_t unit) {
  return absl::StrFormat("%04x%04x-0000-4000-8000-%012x", thread, tag, unit);
}

v1::Party Worker(int thread) {
  v1::Party p;
  p.set_kind(v1::PARTY_KIND_TEAM_WORKER);
  p.set_id(absl::StrFormat("worker:w%02d", thread));
  p.set_display_name(absl::StrFormat("Worker %d", thread));
  return p;
}

// One thread's traffic, one event per append: its own line (opened first),
// then calls on it (received, risk assessed, two notes, closed), every
// tenth call escalated (raised, acknowledged, accepted, resolved), every
// fifth read back by a leader (SensitiveDataAccessed), every 25th followed
// by a backup assigned on the line. All four topics see events; each stream
// is appended by its thread alone, so in order.
class Traffic {
 public:
  explicit Traffic(int thread)
      : thread_(thread), line_id_(absl::StrCat("b", thread)) {}

  AppendRequest OpenLine() {
    v1::EventPayload payload;
    v1::LineCoverageTaken& e = *payload.mutable_line_coverage_taken();
    e.set_line_id(line_id_);
    *e.mutable_holder() = Worker(thread_);
    e.set_reason(v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED);
    return One(absl::StrCat("line-", line_id_), std::move(payload));
  }

  AppendRequest Next() {
    if (queue_.empty()) Refill();
    AppendRequest next = std::move(queue_.front());
    queue_.pop_front();
    return next;
  }

 private:
  AppendRequest One(std::string stream_id, v1::EventPayload payload) {
    AppendRequest request;
    request.stream_id = std::move(stream_id);
    eventstore::NewEvent& e = request.events.emplace_back();
    e.payload = std::move(payload);
    e.actor = Worker(thread_).id();
    return request;
  }

  void Refill() {
    const uint64_t u = unit_++;
    const std::string call_id = Id(thread_, 2, u);
    const std::string call = absl::StrCat("call-", call_id);
    const std::string citizen = absl::StrFormat("citizen-p%05d", u % 997);
    const bool escalate = u % 10 == 3;
    const std::string escalation_id = Id(thread_, 3, u);
    {
      v1::EventPayload p;
      v1::CallReceived& e = *p.mutable_call_received();
      e.set_call_id(call_id);
      e.set_line_id(line_id_);
      e.set_citizen_ref(citizen);
      e.set_caller_kind(v1::CALLER_KIND_CITIZEN);
      e.set_channel(v1::CONTACT_CHANNEL_PHONE);
      *e.mutable_answered_by() = Worker(thread_);
      e.mutable_sensitive()->set_reason("cannot sleep, restless");
      queue_.push_back(One(call, std::move(p)));
    }
    {
      v1::EventPayload p;
      v1::CallRiskAssessed& e = *p.mutable_call_risk_assessed();
      e.set_call_id(call_id);
      e.set_citizen_ref(citizen);
      e.set_level(static_cast<v1::RiskLevel>(1 + u % 5));
      e.mutable_sensitive()->set_reason("calm voice, has eaten");
      queue_.push_back(One(call, std::move(p)));
    }
    for (int i = 0; i < 2; ++i) {
      v1::EventPayload p;
      v1::CallNoteAdded& e = *p.mutable_call_note_added();
      e.set_call_id(call_id);
      e.set_citizen_ref(citizen);
      e.mutable_sensitive()->set_text("talked it through");
      queue_.push_back(One(call, std::move(p)));
    }
    {
      v1::EventPayload p;
      v1::CallClosed& e = *p.mutable_call_closed();
      e.set_call_id(call_id);
      e.set_citizen_ref(citizen);
      e.set_outcome(escalate ? v1::CALL_OUTCOME_ESCALATED
                             : v1::CALL_OUTCOME_RESOLVED_ON_CALL);
      if (escalate) e.add_escalation_ids(escalation_id);
      e.mutable_sensitive()->set_summary("calmer at the end");
      queue_.push_back(One(call, std::move(p)));
    }
    if (escalate) AddEscalation(call_id, escalation_id, citizen);
    if (u % 5 == 1) {
      const std::string access_id = Id(thread_, 4, u);
      v1::EventPayload p;
      v1::SensitiveDataAccessed& e = *p.mutable_sensitive_data_accessed();
      e.set_access_id(access_id);
      e.set_kind(v1::ACCESS_KIND_TIMELINE);
      e.set_query(absl::StrCat("call_id=", call_id));
      e.add_citizen_refs(citizen);
      e.set_event_count(5);
      e.set_purpose(v1::ACCESS_PURPOSE_SUPERVISION);
      e.mutable_sensitive()->set_reason("weekly supervision");
      queue_.push_back(One(absl::StrCat("access-", access_id), std::move(p)));
    }
    if (u % 25 == 24) {
      v1::EventPayload p;
      v1::LineBackupAssigned& e = *p.mutable_line_backup_assigned();
      e.set_line_id(line_id_);
      *e.mutable_backup() = Worker(thread_ + 100);
      const absl::Time now = absl::Now();
      *e.mutable_starts_at() = ToTimestamp(now);
      *e.mutable_ends_at() = ToTimestamp(now + absl::Hours(8));
      queue_.push_back(One(absl::StrCat("line-", line_id_), std::move(p)));
    }
  }

  void AddEscalation(const std::string& call_id,
                     const std::string& escalation_id,
                     const std::string& citizen) {
    const std::string stream = absl::StrCat("escalation-", escalation_id);
    const v1::Party backup = Worker(thread_ + 100);
    const v1::EscalationLevel level = v1::ESCALATION_LEVEL_BACKUP;
    {
      v1::EventPayload p;
      v1::EscalationRaised& e = *p.mutable_escalation_raised();
      e.set_escalation_id(escalation_id);
      e.set_call_id(call_id);
      e.set_line_id(line_id_);
      e.set_citizen_ref(citizen);
      e.set_level(level);
      *e.mutable_target() = backup;
      e.set_urgency(v1::ESCALATION_URGENCY_URGENT);
      *e.mutable_ack_deadline() = ToTimestamp(absl::Now() + absl::Minutes(15));
      e.set_policy_version("2026-1");
      e.set_contact_channel(v1::CONTACT_CHANNEL_PHONE);
      e.mutable_sensitive()->set_reason("threatens self-harm");
      queue_.push_back(One(stream, std::move(p)));
    }
    {
      v1::EventPayload p;
      v1::EscalationAcknowledged& e = *p.mutable_escalation_acknowledged();
      e.set_escalation_id(escalation_id);
      e.set_citizen_ref(citizen);
      e.set_level(level);
      *e.mutable_acknowledged_by() = backup;
      queue_.push_back(One(stream, std::move(p)));
    }
    {
      v1::EventPayload p;
      v1::EscalationAccepted& e = *p.mutable_escalation_accepted();
      e.set_escalation_id(escalation_id);
      e.set_citizen_ref(citizen);
      e.set_level(level);
      *e.mutable_accepted_by() = backup;
      e.mutable_sensitive()->set_note("on the way");
      queue_.push_back(One(stream, std::move(p)));
    }
    {
      v1::EventPayload p;
      v1::EscalationResolved& e = *p.mutable_escalation_resolved();
      e.set_escalation_id(escalation_id);
      e.set_citizen_ref(citizen);
      e.set_level(level);
      *e.mutable_resolved_by() = backup;
      e.mutable_sensitive()->set_outcome("stayed with a friend");
      queue_.push_back(One(stream, std::move(p)));
    }
  }

  const int thread_;
  const std::string line_id_;
  uint64_t unit_ = 0;
  std::deque<AppendRequest> queue_;
};

// The q-quantile (0 < q <= 1) of sorted `values`: the smallest value with
// at least q of them at or below it.
double Quantile(const std::vector<double>& sorted, double q) {
  const size_t rank =
      static_cast<size_t>(std::ceil(q * static_cast<double>(sorted.size())));
  return sorted[std::clamp<size_t>(rank, 1, sorted.size()) - 1];
}

struct Distribution {
  double p50 = 0, p90 = 0, p99 = 0, max = 0;
};

Distribution Summarize(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return {.p50 = Quantile(values, 0.5),
          .p90 = Quantile(values, 0.9),
          .p99 = Quantile(values, 0.99),
          .max = values.back()};
}

// Appends `events` events, one per Append, on an open-loop schedule (event
// i is due at t0 + i / rate, whoever of kAppendThreads threads is free
// takes it), while an observer stamps the time each position becomes
// applied in `runner`. Returns the latencies unless `measure` is false
// (the warm-up). Nothing else may append to `store` meanwhile.
absl::StatusOr<VisibleLatency> RunSchedule(EventStore& store,
                                           const ProjectionRunner& runner,
                                           std::vector<Traffic>& traffic,
                                           uint64_t events, int rate,
                                           const char* name, bool measure) {
  const uint64_t base = store.LastPosition();
  std::vector<int64_t> called(events, -1), returned(events, -1),
      visible(events, -1), lateness(events, 0);
  const int64_t period_ns = 1'000'000'000 / rate;
  const SteadyClock::time_point t0 =
      SteadyClock::now() + std::chrono::milliseconds(20);

  std::atomic<uint64_t> next_slot{0};
  std::atomic<bool> failed{false};
  absl::Mutex mu;
  absl::Status first_error;  // guarded by mu
  auto fail = [&](absl::Status status) {
    absl::MutexLock lock(&mu);
    if (first_error.ok()) first_error = std::move(status);
    failed = true;
  };

  std::thread observer([&] {
    const uint64_t target = base + events;
    const absl::Time give_up =
        absl::Now() +
        absl::Nanoseconds(period_ns) * static_cast<int64_t>(events) +
        kDrainTimeout;
    uint64_t seen = runner.AppliedPosition();
    while (seen < target && !failed.load() && absl::Now() < give_up) {
      const uint64_t applied =
          runner.WaitForChange(seen, absl::Now() + absl::Milliseconds(100));
      if (applied <= seen) continue;
      const int64_t now = Nanos(SteadyClock::now());
      for (uint64_t p = std::max(seen, base) + 1;
           p <= std::min(applied, target); ++p) {
        visible[p - base - 1] = now;
      }
      seen = applied;
    }
    if (seen < target && !failed.load()) {
      fail(absl::DeadlineExceededError(
          absl::StrCat(name, ": applied up to position ", seen, " of ", target,
                       "; runner status: ", runner.status().ToString())));
    }
  });

  std::vector<std::thread> appenders;
  for (int t = 0; t < kAppendThreads; ++t) {
    appenders.emplace_back([&, t] {
      while (!failed.load()) {
        const uint64_t i = next_slot.fetch_add(1);
        if (i >= events) return;
        const SteadyClock::time_point due =
            t0 + std::chrono::nanoseconds(period_ns * static_cast<int64_t>(i));
        std::this_thread::sleep_until(due);
        AppendRequest request = traffic[static_cast<size_t>(t)].Next();
        const SteadyClock::time_point call = SteadyClock::now();
        absl::StatusOr<eventstore::AppendResult> r =
            store.Append(std::move(request));
        const int64_t done = Nanos(SteadyClock::now());
        if (!r.ok()) {
          fail(r.status());
          return;
        }
        if (r->first_position != r->last_position ||
            r->first_position <= base || r->first_position > base + events) {
          fail(absl::InternalError(
              absl::StrCat(name, ": unexpected position ", r->first_position,
                           " (something else appends to the store?)")));
          return;
        }
        const size_t slot = r->first_position - base - 1;
        called[slot] = Nanos(call);
        returned[slot] = done;
        lateness[slot] = Nanos(call) - Nanos(due);
      }
    });
  }
  for (std::thread& a : appenders) a.join();
  observer.join();
  {
    absl::MutexLock lock(&mu);
    RETURN_IF_ERROR(first_error);
  }
  if (!measure) return VisibleLatency{};

  std::vector<double> latency_ms, append_ms, late_ms;
  int64_t last_return = Nanos(t0);
  for (uint64_t s = 0; s < events; ++s) {
    latency_ms.push_back(static_cast<double>(visible[s] - called[s]) / 1e6);
    append_ms.push_back(static_cast<double>(returned[s] - called[s]) / 1e6);
    late_ms.push_back(static_cast<double>(lateness[s]) / 1e6);
    last_return = std::max(last_return, returned[s]);
  }
  const Distribution visible_dist = Summarize(std::move(latency_ms));
  const Distribution append_dist = Summarize(std::move(append_ms));
  const Distribution late_dist = Summarize(std::move(late_ms));
  VisibleLatency result{
      .events = events,
      .p50_ms = visible_dist.p50,
      .p90_ms = visible_dist.p90,
      .p99_ms = visible_dist.p99,
      .max_ms = visible_dist.max,
      .appends_per_second =
          static_cast<double>(events) /
          (static_cast<double>(last_return - Nanos(t0)) / 1e9)};
  std::cout << absl::StrFormat(
                   "%-8s append->visible ms: p50=%.1f p90=%.1f p99=%.1f "
                   "max=%.1f | append ms: p50=%.1f p99=%.1f | start late "
                   "ms: p99=%.1f max=%.1f | %d events at %.0f events/s",
                   name, result.p50_ms, result.p90_ms, result.p99_ms,
                   result.max_ms, append_dist.p50, append_dist.p99,
                   late_dist.p99, late_dist.max, events,
                   result.appends_per_second)
            << std::endl;
  return result;
}

// Opens the threads' lines, waits until they are applied, runs the warm-up
// schedule and then the measured one.
absl::StatusOr<VisibleLatency> Measure(EventStore& store,
                                       const ProjectionRunner& runner, int rate,
                                       absl::Duration duration,
                                       const char* name) {
  std::vector<Traffic> traffic;
  for (int t = 0; t < kAppendThreads; ++t) {
    traffic.emplace_back(t);
    RETURN_IF_ERROR(store.Append(traffic.back().OpenLine()).status());
  }
  const auto start = SteadyClock::now();
  if (!runner.WaitUntilApplied(store.LastPosition(),
                               absl::Now() + kDrainTimeout)) {
    return absl::DeadlineExceededError(
        absl::StrCat(name, ": the first events were not applied within ",
                     absl::FormatDuration(kDrainTimeout),
                     "; runner status: ", runner.status().ToString()));
  }
  const double first_ms =
      std::chrono::duration<double, std::milli>(SteadyClock::now() - start)
          .count();
  const auto warm_up_events =
      static_cast<uint64_t>(absl::ToDoubleSeconds(kWarmUp) * rate);
  RETURN_IF_ERROR(RunSchedule(store, runner, traffic, warm_up_events, rate,
                              name, /*measure=*/false)
                      .status());
  std::cout << absl::StrFormat(
                   "%-8s warm-up: first events visible after %.0f ms, then "
                   "%d events at %d/s",
                   name, first_ms, warm_up_events, rate)
            << std::endl;
  const auto events =
      static_cast<uint64_t>(absl::ToDoubleSeconds(duration) * rate);
  return RunSchedule(store, runner, traffic, events, rate, name,
                     /*measure=*/true);
}

absl::StatusOr<VisibleLatency> MeasureKafka(
    const std::string& dir, int rate, absl::Duration duration,
    const std::map<std::string, std::string>& consumer_config) {
  // Destroyed in reverse: the runner (and its consumer) first, then the
  // relay, the store, and the cluster last.
  ASSIGN_OR_RETURN(std::unique_ptr<kafka::MockCluster> cluster,
                   kafka::MockCluster::Start(kBrokers));
  const kafka::Topics topics;
  RETURN_IF_ERROR(cluster->CreateTopics(topics));
  ASSIGN_OR_RETURN(std::unique_ptr<EventStore> store,
                   EventStore::Open({.path = dir + "/kafka.store"}));
  ASSIGN_OR_RETURN(std::unique_ptr<kafka::OutboxRelay> relay,
                   kafka::OutboxRelay::Open(
                       *store, {.bootstrap_servers = cluster->bootstraps(),
                                .topics = topics,
                                .checkpoint_path = dir + "/kafka.relay"}));
  RETURN_IF_ERROR(relay->Start());
  ASSIGN_OR_RETURN(std::unique_ptr<projections::KafkaFeed> feed,
                   projections::KafkaFeed::Create(
                       {.bootstrap_servers = cluster->bootstraps(),
                        .group_id = "vagt-bench-projections",
                        .topics = topics.All(),
                        .consumer_config = consumer_config}));
  const projections::KafkaFeed* feed_view = feed.get();
  ASSIGN_OR_RETURN(
      std::unique_ptr<ProjectionRunner> runner,
      ProjectionRunner::Open(dir + "/kafka.projections", std::move(feed)));
  runner->Start();
  std::cout << absl::StrFormat(
                   "kafka    %d-broker mock cluster %s, %d partitions per "
                   "topic: store -> OutboxRelay -> KafkaFeed -> "
                   "ProjectionRunner",
                   kBrokers, cluster->bootstraps(), topics.partitions)
            << std::endl;
  for (const auto& [name, value] : consumer_config) {
    std::cout << "kafka    consumer property " << name << "=" << value
              << " (not the feed's default)" << std::endl;
  }
  absl::StatusOr<VisibleLatency> result =
      Measure(*store, *runner, rate, duration, "kafka");
  const projections::KafkaFeed::Progress progress = feed_view->progress();
  const kafka::RelayStatus relay_status = relay->status();
  std::cout << absl::StrFormat(
                   "kafka    feed: %d partitions assigned, at most %d events "
                   "waited for an earlier position; relay: checkpoint %d of "
                   "%d, %d producer(s)",
                   progress.assigned_partitions, progress.peak_buffered,
                   relay_status.checkpoint, relay_status.store_position,
                   relay_status.producers_started)
            << std::endl;
  return result;
}

absl::StatusOr<VisibleLatency> MeasureEmbedded(const std::string& dir, int rate,
                                               absl::Duration duration) {
  ASSIGN_OR_RETURN(std::unique_ptr<EventStore> store,
                   EventStore::Open({.path = dir + "/embedded.store"}));
  ASSIGN_OR_RETURN(
      std::unique_ptr<ProjectionRunner> runner,
      ProjectionRunner::Open(dir + "/embedded.projections",
                             std::make_unique<projections::StoreFeed>(*store)));
  runner->Start();
  std::cout << "embedded store -> StoreFeed -> ProjectionRunner (the baseline)"
            << std::endl;
  return Measure(*store, *runner, rate, duration, "embedded");
}

}  // namespace

absl::StatusOr<KafkaVisibleResult> MeasureKafkaVisible(
    const std::string& dir, const KafkaVisibleOptions& options) {
  if (options.events_per_second <= 0 || options.events_per_second > 1'000'000) {
    return absl::InvalidArgumentError("events_per_second must be 1..1000000");
  }
  KafkaVisibleResult result;
  ASSIGN_OR_RETURN(result.kafka,
                   MeasureKafka(dir, options.events_per_second,
                                options.duration, options.consumer_config));
  ASSIGN_OR_RETURN(
      result.embedded,
      MeasureEmbedded(dir, options.events_per_second, options.duration));
  return result;
}

}  // namespace vagt::bench
