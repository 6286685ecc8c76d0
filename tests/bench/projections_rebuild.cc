// The projections case: rebuilding the board and the audit trail from a
// 1,000,000-event log, and a citizen's timeline at 100,000 and at 1,000,000
// events. See MeasureProjections in cases.h.
#include <algorithm>
#include <chrono>
#include <iostream>
#include <memory>
#include <numeric>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "eventstore/event_store.h"
#include "eventstore/status_macros.h"
#include "projections/reader.h"
#include "projections/runner.h"
#include "projections/store_feed.h"
#include "tests/bench/bench.h"
#include "tests/bench/cases.h"
#include "tests/bench/synthetic_log.h"

namespace vagt::bench {
namespace {

using projections::ProjectionReader;
using projections::ProjectionRunner;
using projections::StoreFeed;
using SteadyClock = std::chrono::steady_clock;

// Appending threads: enough that group commit syncs many units at once.
constexpr int kAppendThreads = 32;
constexpr size_t kPageSize = 50;
constexpr int kTimelineRounds = 20;

double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

absl::Status Grow(SyntheticLog& log, eventstore::EventStore& store,
                  uint64_t events) {
  const uint64_t before = store.LastPosition();
  const auto start = SteadyClock::now();
  RETURN_IF_ERROR(log.GrowTo(store, events, kAppendThreads));
  const double seconds = SecondsSince(start);
  const uint64_t appended = store.LastPosition() - before;
  std::cout << absl::StrFormat(
                   "log: %d events (+%d in %.1f s, %.0f events/s durable, "
                   "%d threads)",
                   store.LastPosition(), appended, seconds,
                   static_cast<double>(appended) / seconds, kAppendThreads)
            << std::endl;
  return absl::OkStatus();
}

// Waits (up to a minute) until RocksDB has no flush or compaction running
// or pending, so that queries do not share the two cores with them.
void SettleBackgroundWork(rocksdb::DB& db) {
  const auto deadline = SteadyClock::now() + std::chrono::minutes(1);
  while (SteadyClock::now() < deadline) {
    uint64_t flushes = 0, compactions = 0, pending = 0;
    db.GetIntProperty("rocksdb.num-running-flushes", &flushes);
    db.GetIntProperty("rocksdb.num-running-compactions", &compactions);
    db.GetIntProperty("rocksdb.compaction-pending", &pending);
    uint64_t memtable_flush = 0;
    db.GetIntProperty("rocksdb.mem-table-flush-pending", &memtable_flush);
    if (flushes + compactions + pending + memtable_flush == 0) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

// Builds the projections of everything in the store into the fresh
// directory `path`; returns the runner and prints the rate.
absl::StatusOr<std::unique_ptr<ProjectionRunner>> Build(
    const std::string& path, const eventstore::EventStore& store,
    double* events_per_second) {
  ASSIGN_OR_RETURN(
      std::unique_ptr<ProjectionRunner> runner,
      ProjectionRunner::Open(path, std::make_unique<StoreFeed>(store)));
  const auto start = SteadyClock::now();
  const double thread_cpu = ThreadCpuSeconds();
  const double process_cpu = ProcessCpuSeconds();
  ASSIGN_OR_RETURN(const uint64_t applied, runner->CatchUp());
  const double seconds = SecondsSince(start);
  const double us_per_event = 1e6 / static_cast<double>(applied);
  *events_per_second = static_cast<double>(applied) / seconds;
  std::cout << absl::StrFormat(
                   "rebuild: %d events into a fresh projections database in "
                   "%.2f s: %.0f events/s (CPU per event: %.2f us in the "
                   "runner's thread, %.2f us in all threads)",
                   applied, seconds, *events_per_second,
                   (ThreadCpuSeconds() - thread_cpu) * us_per_event,
                   (ProcessCpuSeconds() - process_cpu) * us_per_event)
            << std::endl;
  if (applied != store.LastPosition()) {
    return absl::InternalError(absl::StrCat("applied ", applied, " of ",
                                            store.LastPosition(), " events"));
  }
  return runner;
}

// The feed alone: every event read from the store and decoded, in the
// runner's batches. The rebuild cannot be faster than this.
absl::StatusOr<double> ReadFeed(const eventstore::EventStore& store) {
  StoreFeed feed(store);
  const auto start = SteadyClock::now();
  std::string cursor;
  uint64_t events = 0;
  while (true) {
    ASSIGN_OR_RETURN(
        projections::FeedBatch batch,
        feed.Next(cursor, projections::RunnerOptions().batch_events,
                  absl::InfinitePast()));
    if (batch.events.empty()) break;
    events += batch.events.size();
    cursor = std::move(batch.cursor);
  }
  const double seconds = SecondsSince(start);
  const double rate = static_cast<double>(events) / seconds;
  std::cout << absl::StrFormat(
                   "feed read (baseline): %d events read and decoded from "
                   "the store in %.2f s: %.0f events/s",
                   events, seconds, rate)
            << std::endl;
  return rate;
}

struct TimelineResult {
  double median_us = 0;
  // Per citizen, the positions of its first page.
  std::vector<std::vector<uint64_t>> pages;
};

// The first page of each frequent caller's timeline, kTimelineRounds times
// after one untimed round.
absl::StatusOr<TimelineResult> MeasureTimeline(rocksdb::DB& db,
                                               absl::string_view label) {
  SettleBackgroundWork(db);
  ProjectionReader reader(db);
  const int citizens = LogShape().frequent_citizens;
  TimelineResult result;
  std::vector<double> micros;
  for (int round = -1; round < kTimelineRounds; ++round) {
    for (int c = 0; c < citizens; ++c) {
      projections::TimelineQuery query;
      query.subject =
          projections::EntityRef(projections::keys::Entity::kCitizen,
                                 SyntheticLog::FrequentCitizen(c));
      query.limit = kPageSize;
      const auto start = SteadyClock::now();
      ASSIGN_OR_RETURN(projections::TimelinePage page, reader.Timeline(query));
      const double us = SecondsSince(start) * 1e6;
      if (round < 0) {
        std::vector<uint64_t>& positions = result.pages.emplace_back();
        for (const auto& e : page.events) {
          positions.push_back(e.global_position());
        }
      } else {
        micros.push_back(us);
      }
    }
  }
  std::sort(micros.begin(), micros.end());
  result.median_us = micros[micros.size() / 2];
  size_t returned = 0;
  for (const auto& p : result.pages) returned += p.size();
  std::cout << absl::StrFormat(
                   "timeline at %s: citizen's first page (limit %d), %d "
                   "citizens x %d rounds: median %.1f us, mean %.1f us, p90 "
                   "%.1f us per query; %d events per round",
                   label, kPageSize, citizens, kTimelineRounds,
                   result.median_us,
                   std::accumulate(micros.begin(), micros.end(), 0.0) /
                       static_cast<double>(micros.size()),
                   micros[micros.size() * 9 / 10], returned)
            << std::endl;
  return result;
}

}  // namespace

absl::StatusOr<ProjectionsResult> MeasureProjections(const std::string& dir,
                                                     uint64_t small_events,
                                                     uint64_t large_events) {
  SyntheticLog log;
  ASSIGN_OR_RETURN(std::unique_ptr<eventstore::EventStore> store,
                   eventstore::EventStore::Open(
                       {.path = dir + "/store", .clock = &log.clock()}));
  ProjectionsResult result;

  RETURN_IF_ERROR(Grow(log, *store, small_events));
  TimelineResult small;
  {
    double rate = 0;
    ASSIGN_OR_RETURN(std::unique_ptr<ProjectionRunner> runner,
                     Build(dir + "/projections-small", *store, &rate));
    ASSIGN_OR_RETURN(small, MeasureTimeline(runner->db(), "the small log"));
  }

  RETURN_IF_ERROR(Grow(log, *store, large_events));
  ASSIGN_OR_RETURN(result.feed_events_per_second, ReadFeed(*store));
  ASSIGN_OR_RETURN(std::unique_ptr<ProjectionRunner> runner,
                   Build(dir + "/projections-large", *store,
                         &result.rebuild_events_per_second));
  ASSIGN_OR_RETURN(TimelineResult large,
                   MeasureTimeline(runner->db(), "the large log"));
  runner.reset();
  RETURN_IF_ERROR(ProfileRebuildPhases(*store, dir + "/projections-phases"));
  if (large.pages != small.pages) {
    return absl::InternalError(
        "the citizens' first pages differ between the small and the large "
        "log: the timelines compared are not the same answers");
  }
  result.events = store->LastPosition();
  result.timeline_small_us = small.median_us;
  result.timeline_large_us = large.median_us;
  return result;
}

}  // namespace vagt::bench
