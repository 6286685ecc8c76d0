// The audit trail's timelines (ProjectionReader::Timeline, answered from the
// entity and time indexes) against a full scan of the log with a predicate
// written here from the events' text format: for every call, citizen,
// escalation, worker and line of a random history, paged with a small limit,
// over the whole log and over random time ranges [from, to).
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "eventstore/timestamps.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "projections/board_fold.h"
#include "projections/reader.h"
#include "projections/runner.h"
#include "projections/store_feed.h"
#include "tests/eventstore/test_store.h"
#include "tests/projections/event_generator.h"
#include "tests/projections/projection_testing.h"

namespace vagt::projections {
namespace {

using eventstore::testing::ReadAllEvents;
using eventstore::testing::ScratchDir;
using keys::Entity;
using testing::EventGenerator;
using testing::OpenUnsyncedStore;
using testing::SameMessage;
using testing::UnsyncedStore;

constexpr uint64_t kEvents = 1500;
constexpr size_t kPageLimit = 7;
constexpr int kRangesPerEntity = 2;

// Every `name: "value"` line of the payload's text format, at any depth.
std::multimap<std::string, std::string> StringFields(
    const v1::EventPayload& payload) {
  std::string text;
  google::protobuf::TextFormat::PrintToString(payload, &text);
  std::multimap<std::string, std::string> fields;
  for (absl::string_view line : absl::StrSplit(text, '\n')) {
    line = absl::StripLeadingAsciiWhitespace(line);
    const size_t colon = line.find(": \"");
    if (colon == absl::string_view::npos || !absl::EndsWith(line, "\"")) {
      continue;
    }
    fields.emplace(
        std::string(line.substr(0, colon)),
        std::string(line.substr(colon + 3, line.size() - colon - 4)));
  }
  return fields;
}

// One stored event as the scan sees it.
struct Scanned {
  const v1::EventEnvelope* event;
  std::multimap<std::string, std::string> fields;
  std::string line;  // its stream's line, for line, roster, alarm, call
                     // and escalation streams
};

bool HasField(const Scanned& s, std::initializer_list<const char*> names,
              const std::string& value) {
  for (const char* name : names) {
    auto [begin, end] = s.fields.equal_range(name);
    for (auto it = begin; it != end; ++it) {
      if (it->second == value) return true;
    }
  }
  return false;
}

// Whether the scan counts `s` as about `entity`.
bool IsAbout(const Scanned& s, Entity kind, const std::string& id) {
  const std::string& stream = s.event->stream_id();
  switch (kind) {
    case Entity::kCall:
      return stream == "call-" + id ||
             HasField(s, {"call_id", "related_call_ids"}, id);
    case Entity::kEscalation:
      return stream == "escalation-" + id ||
             HasField(
                 s,
                 {"escalation_id", "escalation_ids", "related_escalation_ids"},
                 id);
    case Entity::kCitizen:
      return stream == id || HasField(s, {"citizen_ref", "citizen_refs"}, id);
    case Entity::kWorker:
      return s.event->actor() == id || HasField(s, {"id"}, id);
    case Entity::kLine:
      return s.line == id;
    case Entity::kDirectory:
      return stream == "directory-" + id;
  }
  return false;
}

std::optional<std::string> IdAfter(const std::string& stream,
                                   const std::string& kind) {
  if (!absl::StartsWith(stream, kind + "-")) return std::nullopt;
  return stream.substr(kind.size() + 1);
}

class IndexVsScan : public ::testing::TestWithParam<uint32_t> {
 protected:
  void SetUp() override {
    seed_ = GetParam();
    ASSERT_OK_AND_ASSIGN(store_,
                         OpenUnsyncedStore(dir_.Child("store"), clock_));
    EventGenerator generator(seed_, *store_.store, clock_);
    ASSERT_OK(generator.Generate(kEvents));
    ASSERT_OK_AND_ASSIGN(
        runner_,
        ProjectionRunner::Open(dir_.Child("projections"),
                               std::make_unique<StoreFeed>(*store_.store),
                               {.batch_events = 100}));
    ASSERT_OK(runner_->CatchUp());
    ASSERT_OK_AND_ASSIGN(all_, ReadAllEvents(*store_.store));
    Scan();
  }

  // Reads every event's fields and line, and collects the entities named.
  void Scan() {
    std::map<std::string, std::string> line_of_stream;
    for (const v1::EventEnvelope& e : all_) {
      Scanned& s = scanned_.emplace_back();
      s.event = &e;
      s.fields = StringFields(e.payload());
      const std::string& stream = e.stream_id();
      if (e.payload().has_call_received()) {
        line_of_stream[stream] = e.payload().call_received().line_id();
      } else if (e.payload().has_escalation_raised()) {
        line_of_stream[stream] = e.payload().escalation_raised().line_id();
      }
      if (auto line = IdAfter(stream, "line")) {
        s.line = *line;
      } else if (auto roster = IdAfter(stream, "roster")) {
        s.line = *roster;
      } else if (auto alarms = IdAfter(stream, "alarm")) {
        s.line = *alarms;
      } else if (auto it = line_of_stream.find(stream);
                 it != line_of_stream.end()) {
        s.line = it->second;
      }

      auto add = [&](Entity kind, const std::string& id) {
        if (!id.empty()) entities_.emplace(kind, id);
      };
      add(Entity::kLine, s.line);
      add(Entity::kWorker, e.actor());
      for (const auto& [name, value] : s.fields) {
        if (name == "call_id") add(Entity::kCall, value);
        if (name == "escalation_id") add(Entity::kEscalation, value);
        if (name == "citizen_ref") add(Entity::kCitizen, value);
        if (name == "id") add(Entity::kWorker, value);
      }
    }
    // Ids nothing is about, some of them prefixes of real ones.
    for (Entity kind : {Entity::kCall, Entity::kEscalation, Entity::kCitizen,
                        Entity::kWorker, Entity::kLine}) {
      entities_.emplace(kind, "unknown");
    }
    entities_.emplace(Entity::kCall, "c1");  // c10, c11, ... exist too
    entities_.emplace(Entity::kLine, "centra");
    entities_.emplace(Entity::kWorker, "worker:ann");
  }

  // Positions of the events about `subject` (all events: nullopt) recorded
  // in [from, to), by the scan.
  std::vector<uint64_t> ScanFor(const std::optional<EntityRef>& subject,
                                absl::Time from, absl::Time to) const {
    std::vector<uint64_t> out;
    for (const Scanned& s : scanned_) {
      const absl::Time at = ToTime(s.event->recorded_at());
      if (at < from || at >= to) continue;
      if (subject.has_value() && !IsAbout(s, subject->first, subject->second)) {
        continue;
      }
      out.push_back(s.event->global_position());
    }
    return out;
  }

  // The same by Timeline, page by page; checks the pages and the copies.
  void TimelineFor(const std::optional<EntityRef>& subject, absl::Time from,
                   absl::Time to, std::vector<uint64_t>* out) const {
    const ProjectionReader reader(runner_->db());
    TimelineQuery query{.subject = subject,
                        .from = from,
                        .to = to,
                        .after_position = 0,
                        .limit = kPageLimit};
    for (int pages = 0;; ++pages) {
      ASSERT_LT(pages, 10'000) << "paging does not end";
      ASSERT_OK_AND_ASSIGN(TimelinePage page, reader.Timeline(query));
      ASSERT_LE(page.events.size(), kPageLimit);
      for (const v1::EventEnvelope& e : page.events) {
        ASSERT_GE(e.global_position(), 1u);
        ASSERT_LE(e.global_position(), all_.size());
        ASSERT_TRUE(google::protobuf::util::MessageDifferencer::Equals(
            e, all_[e.global_position() - 1]))
            << "the copy of event " << e.global_position() << " differs";
        out->push_back(e.global_position());
      }
      if (page.next_after == 0) return;
      ASSERT_EQ(page.events.size(), kPageLimit) << "a short page has a next";
      ASSERT_EQ(page.next_after, page.events.back().global_position());
      query.after_position = page.next_after;
    }
  }

  void ExpectSame(const std::optional<EntityRef>& subject, absl::Time from,
                  absl::Time to) const {
    SCOPED_TRACE(absl::StrCat(
        std::string(subject.has_value() ? keys::EntityName(subject->first)
                                        : std::string_view("all")),
        " ", subject.has_value() ? subject->second : "", " in [",
        absl::FormatTime(from), ", ", absl::FormatTime(to), ")"));
    std::vector<uint64_t> indexed;
    ASSERT_NO_FATAL_FAILURE(TimelineFor(subject, from, to, &indexed));
    EXPECT_EQ(indexed, ScanFor(subject, from, to));
  }

  // A random instant around the log: often exactly an event's recorded_at
  // (the boundaries of [from, to)), else anywhere from a minute before the
  // first event to a minute after the last.
  absl::Time RandomInstant(std::mt19937& random) const {
    std::uniform_int_distribution<size_t> event(0, all_.size() - 1);
    const absl::Time at = ToTime(all_[event(random)].recorded_at());
    if (std::bernoulli_distribution(0.5)(random)) return at;
    const absl::Time first =
        ToTime(all_.front().recorded_at()) - absl::Minutes(1);
    const absl::Time last =
        ToTime(all_.back().recorded_at()) + absl::Minutes(1);
    std::uniform_int_distribution<int64_t> nanos(
        0, absl::ToInt64Nanoseconds(last - first));
    return first + absl::Nanoseconds(nanos(random));
  }

  uint32_t seed_ = 0;
  ScratchDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
  UnsyncedStore store_;
  std::unique_ptr<ProjectionRunner> runner_;
  std::vector<v1::EventEnvelope> all_;
  std::vector<Scanned> scanned_;
  std::set<EntityRef> entities_;
};

TEST_P(IndexVsScan, TimelineOfEveryEntityEqualsAFullScan) {
  SCOPED_TRACE(absl::StrCat("seed ", seed_));
  std::map<Entity, int> kinds;
  for (const EntityRef& subject : entities_) {
    ++kinds[subject.first];
    ASSERT_NO_FATAL_FAILURE(
        ExpectSame(subject, absl::InfinitePast(), absl::InfiniteFuture()));
  }
  ASSERT_NO_FATAL_FAILURE(
      ExpectSame(std::nullopt, absl::InfinitePast(), absl::InfiniteFuture()));
  // The history names many of each.
  EXPECT_GT(kinds[Entity::kCall], 50);
  EXPECT_GT(kinds[Entity::kEscalation], 20);
  EXPECT_GT(kinds[Entity::kCitizen], 4);
  EXPECT_GT(kinds[Entity::kWorker], 8);
  EXPECT_EQ(kinds[Entity::kLine], 6);  // 4 lines and 2 unknown
}

TEST_P(IndexVsScan, TimelineInATimeRangeEqualsAFullScan) {
  SCOPED_TRACE(absl::StrCat("seed ", seed_));
  std::mt19937 random(seed_);
  auto check = [&](const std::optional<EntityRef>& subject) {
    for (int i = 0; i < kRangesPerEntity; ++i) {
      absl::Time from = RandomInstant(random);
      absl::Time to = RandomInstant(random);
      if (to < from) std::swap(from, to);
      ASSERT_NO_FATAL_FAILURE(ExpectSame(subject, from, to));
      // Open at one end, and empty or inverted.
      ASSERT_NO_FATAL_FAILURE(
          ExpectSame(subject, from, absl::InfiniteFuture()));
      ASSERT_NO_FATAL_FAILURE(ExpectSame(subject, absl::InfinitePast(), to));
      ASSERT_NO_FATAL_FAILURE(ExpectSame(subject, to, from));
    }
  };
  for (const EntityRef& subject : entities_) {
    ASSERT_NO_FATAL_FAILURE(check(subject));
  }
  ASSERT_NO_FATAL_FAILURE(check(std::nullopt));
}

// BoardAt replays a line's index: over this history (four lines, one never
// taken), it equals the fold of the line's scanned events at random instants,
// and the live board the fold of all of them.
TEST_P(IndexVsScan, BoardAtOfEveryLineEqualsTheFoldOfItsScannedEvents) {
  SCOPED_TRACE(absl::StrCat("seed ", seed_));
  constexpr int kInstantsPerLine = 25;
  std::mt19937 random(seed_);
  const ProjectionReader reader(runner_->db());
  for (const auto& [kind, line] : entities_) {
    if (kind != Entity::kLine) continue;
    SCOPED_TRACE(absl::StrCat("line ", line));
    std::vector<const v1::EventEnvelope*> events;
    for (const Scanned& s : scanned_) {
      if (s.line == line) events.push_back(s.event);
    }
    if (events.empty()) {
      EXPECT_TRUE(
          absl::IsNotFound(reader.BoardAt(line, clock_.Now()).status()));
      continue;
    }
    auto fold = [&](absl::Time at) {
      v1::Board board = EmptyBoard(line);
      for (const v1::EventEnvelope* e : events) {
        if (ToTime(e->recorded_at()) <= at) ApplyToBoard(*e, board);
      }
      return board;
    };
    for (int i = 0; i < kInstantsPerLine; ++i) {
      const absl::Time at = RandomInstant(random);
      ASSERT_OK_AND_ASSIGN(BoardAtResult result, reader.BoardAt(line, at));
      EXPECT_TRUE(SameMessage(fold(at), result.board))
          << "at " << absl::FormatTime(at);
    }
    ASSERT_OK_AND_ASSIGN(v1::Board live, reader.Board(line));
    EXPECT_TRUE(SameMessage(fold(absl::InfiniteFuture()), live));
    EXPECT_EQ(live.event_count(), events.size());
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, IndexVsScan, ::testing::Values(7u, 8u));

}  // namespace
}  // namespace vagt::projections
