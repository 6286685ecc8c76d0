// BoardAt (the board of a line as it was at a past instant) against the
// board folded in the test from the line's events recorded up to that
// instant: at every event's recorded_at and 1 ns before it, across the
// line's periodic snapshots, with several events (of this line and others)
// sharing one instant.
#include <gtest/gtest.h>

#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "eventstore/timestamps.h"
#include "projections/board_fold.h"
#include "projections/board_projection.h"
#include "projections/keys.h"
#include "projections/reader.h"
#include "projections/runner.h"
#include "projections/store_feed.h"
#include "tests/eventstore/test_store.h"
#include "tests/projections/event_generator.h"
#include "tests/projections/projection_testing.h"

namespace vagt::projections {
namespace {

using eventstore::ExpectedVersion;
using eventstore::NewEvent;
using eventstore::testing::AppendTo;
using eventstore::testing::ReadAllEvents;
using eventstore::testing::ScratchDir;
using testing::EscalationTarget;
using testing::Event;
using testing::NightPartner;
using testing::OpenUnsyncedStore;
using testing::SameMessage;
using testing::TeamWorker;
using testing::UnsyncedStore;

constexpr char kLine[] = "central";
constexpr int kCycles = 10;

class BoardAtTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(store_,
                         OpenUnsyncedStore(dir_.Child("store"), clock_));
  }

  // Appends `events` to `stream` in one append (so at one instant) after
  // moving the clock by `tick`. `on_line`: the stream's events go to the
  // board of kLine.
  void Append(absl::Duration tick, const std::string& stream, bool on_line,
              std::vector<NewEvent> events) {
    clock_.Advance(tick);
    ASSERT_OK(store_.store->Append(
        AppendTo(stream, ExpectedVersion::Any(), std::move(events))));
    if (on_line) line_streams_.insert(stream);
  }

  // A day and night of the line, repeated with variations by `cycle`.
  void AppendCycle(int cycle, v1::Party& holder);

  ScratchDir dir_;
  FakeClock clock_{absl::FromUnixSeconds(1'795'000'000)};
  UnsyncedStore store_;
  std::set<std::string> line_streams_;
};

v1::EventPayload CallReceived(const std::string& call_id,
                              const std::string& line_id,
                              const v1::Party& answered_by) {
  v1::EventPayload p;
  auto& e = *p.mutable_call_received();
  e.set_call_id(call_id);
  e.set_line_id(line_id);
  e.set_citizen_ref("citizen-1");
  e.set_caller_kind(v1::CALLER_KIND_CITIZEN);
  *e.mutable_answered_by() = answered_by;
  return p;
}

v1::EventPayload EscalationRaised(const std::string& escalation_id,
                                  const std::string& call_id,
                                  v1::EscalationLevel level,
                                  absl::Time deadline) {
  v1::EventPayload p;
  auto& e = *p.mutable_escalation_raised();
  e.set_escalation_id(escalation_id);
  e.set_call_id(call_id);
  e.set_line_id(kLine);
  e.set_citizen_ref("citizen-1");
  e.set_level(level);
  *e.mutable_target() = EscalationTarget(level);
  e.set_urgency(v1::ESCALATION_URGENCY_URGENT);
  *e.mutable_ack_deadline() = ToTimestamp(deadline);
  return p;
}

std::vector<v1::HandoverItem> Items(const std::string& call_id,
                                    const std::string& escalation_id) {
  std::vector<v1::HandoverItem> items(2);
  items[0].set_kind(v1::HANDOVER_ITEM_KIND_OPEN_CALL);
  items[0].set_call_id(call_id);
  items[0].set_citizen_ref("citizen-1");
  items[0].set_shared_with_recipient(true);
  items[1].set_kind(v1::HANDOVER_ITEM_KIND_RUNNING_ESCALATION);
  items[1].set_escalation_id(escalation_id);
  items[1].set_citizen_ref("citizen-1");
  return items;
}

void BoardAtTest::AppendCycle(int cycle, v1::Party& holder) {
  const std::string call = absl::StrCat("k", cycle);
  const std::string call_stream = absl::StrCat("call-", call);
  const std::string esc = absl::StrCat("e", cycle);
  const std::string esc_stream = absl::StrCat("escalation-", esc);
  const std::string line_stream = absl::StrCat("line-", kLine);
  const v1::Party other = TeamWorker(cycle % 2 == 0 ? "bo" : "anna");
  v1::EventPayload p;

  // A call comes in and is assessed at once; at the same instant a call on
  // another line.
  v1::EventPayload risk;
  risk.mutable_call_risk_assessed()->set_call_id(call);
  risk.mutable_call_risk_assessed()->set_level(v1::RISK_LEVEL_HIGH);
  Append(absl::Minutes(3), call_stream, true,
         {Event(holder.id(), CallReceived(call, kLine, holder)),
          Event(holder.id(), risk)});
  Append(absl::ZeroDuration(), absl::StrCat("call-n", cycle), false,
         {Event("worker:carl", CallReceived(absl::StrCat("n", cycle), "nord",
                                            TeamWorker("carl")))});
  p.Clear();
  p.mutable_call_note_added()->set_call_id(call);
  Append(absl::Minutes(1), call_stream, true, {Event(holder.id(), p)});

  // Escalated to the backup, who declines; the night partner acknowledges
  // and accepts in one go. A citizen event shares the raise's instant.
  Append(absl::Seconds(30), esc_stream, true,
         {Event(holder.id(),
                EscalationRaised(esc, call, v1::ESCALATION_LEVEL_BACKUP,
                                 clock_.Now() + absl::Minutes(10)))});
  p.Clear();
  p.mutable_citizen_consent_granted()->set_citizen_ref("citizen-1");
  p.mutable_citizen_consent_granted()->set_consent_id(
      absl::StrCat("consent", cycle));
  Append(absl::ZeroDuration(), "citizen-1", false, {Event(holder.id(), p)});
  p.Clear();
  auto& declined = *p.mutable_escalation_declined();
  declined.set_escalation_id(esc);
  declined.set_from_level(v1::ESCALATION_LEVEL_BACKUP);
  declined.set_to_level(v1::ESCALATION_LEVEL_NIGHT_PARTNER);
  *declined.mutable_to_target() = NightPartner();
  *declined.mutable_ack_deadline() =
      ToTimestamp(clock_.Now() + absl::Minutes(12));
  Append(absl::Minutes(2), esc_stream, true, {Event("worker:bo", p)});
  v1::EventPayload ack, accept;
  ack.mutable_escalation_acknowledged()->set_escalation_id(esc);
  accept.mutable_escalation_accepted()->set_escalation_id(esc);
  Append(absl::Minutes(1), esc_stream, true,
         {Event(NightPartner().id(), ack), Event(NightPartner().id(), accept)});

  // A backup for the next hours; a handover offered with the open call and
  // the running escalation: declined and withdrawn, or accepted.
  p.Clear();
  auto& backup = *p.mutable_line_backup_assigned();
  backup.set_line_id(kLine);
  *backup.mutable_backup() = other;
  *backup.mutable_starts_at() = ToTimestamp(clock_.Now());
  *backup.mutable_ends_at() = ToTimestamp(clock_.Now() + absl::Hours(8));
  Append(absl::Minutes(1), line_stream, true, {Event("worker:leder", p)});
  auto offer = [&](const v1::Party& to) {
    v1::EventPayload o;
    auto& e = *o.mutable_line_handover_offered();
    e.set_line_id(kLine);
    e.set_handover_id(absl::StrCat("h", cycle, to.id()));
    *e.mutable_holder() = holder;
    *e.mutable_offered_to() = to;
    for (v1::HandoverItem& item : Items(call, esc)) *e.add_items() = item;
    *e.mutable_respond_by() = ToTimestamp(clock_.Now() + absl::Minutes(15));
    return Event(holder.id(), o);
  };
  Append(absl::Minutes(1), line_stream, true, {offer(other)});
  p.Clear();
  if (cycle % 3 == 0) {
    p.mutable_line_handover_declined()->set_line_id(kLine);
    Append(absl::Minutes(1), line_stream, true, {Event(other.id(), p)});
    p.Clear();
    p.mutable_line_handover_withdrawn()->set_line_id(kLine);
    Append(absl::Minutes(1), line_stream, true,
           {offer(other), Event(holder.id(), p)});
  } else {
    auto& accepted = *p.mutable_line_handover_accepted();
    accepted.set_line_id(kLine);
    *accepted.mutable_previous_holder() = holder;
    *accepted.mutable_accepted_by() = other;
    Append(absl::Minutes(2), line_stream, true, {Event(other.id(), p)});
    holder = other;
  }

  // The risk is corrected; the escalation resolved and the call closed at
  // one instant.
  p.Clear();
  auto& correction = *p.mutable_correction_recorded();
  correction.set_kind(v1::CORRECTION_KIND_AMENDED);
  *correction.mutable_replacement() = risk;
  correction.mutable_replacement()->mutable_call_risk_assessed()->set_level(
      v1::RISK_LEVEL_MODERATE);
  Append(absl::Minutes(1), call_stream, true, {Event(holder.id(), p)});
  p.Clear();
  p.mutable_escalation_resolved()->set_escalation_id(esc);
  Append(absl::Minutes(5), esc_stream, true, {Event(holder.id(), p)});
  p.Clear();
  p.mutable_call_closed()->set_call_id(call);
  p.mutable_call_closed()->add_escalation_ids(esc);
  Append(absl::ZeroDuration(), call_stream, true, {Event(holder.id(), p)});

  // A second call whose escalation to the emergency service times out,
  // climbs, and is cancelled.
  const std::string call2 = absl::StrCat("k", cycle, "b");
  const std::string esc2 = absl::StrCat("e", cycle, "b");
  Append(absl::Minutes(20), absl::StrCat("call-", call2), true,
         {Event(holder.id(), CallReceived(call2, kLine, holder))});
  Append(absl::Seconds(10), absl::StrCat("escalation-", esc2), true,
         {Event(holder.id(),
                EscalationRaised(esc2, call2,
                                 v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE,
                                 clock_.Now() + absl::Minutes(5)))});
  p.Clear();
  auto& timed_out = *p.mutable_escalation_timed_out();
  timed_out.set_escalation_id(esc2);
  timed_out.set_to_level(v1::ESCALATION_LEVEL_PSYCHIATRIC_EMERGENCY);
  *timed_out.mutable_to_target() =
      EscalationTarget(v1::ESCALATION_LEVEL_PSYCHIATRIC_EMERGENCY);
  *timed_out.mutable_ack_deadline() =
      ToTimestamp(clock_.Now() + absl::Minutes(15));
  Append(absl::Minutes(5), absl::StrCat("escalation-", esc2), true,
         {Event("system:escalations", p)});
  p.Clear();
  p.mutable_escalation_cancelled()->set_escalation_id(esc2);
  v1::EventPayload closed;
  closed.mutable_call_closed()->set_call_id(call2);
  Append(absl::Minutes(3), absl::StrCat("escalation-", esc2), true,
         {Event(holder.id(), p)});
  Append(absl::ZeroDuration(), absl::StrCat("call-", call2), true,
         {Event(holder.id(), closed)});

  // The night: passed to the night partner (or handed over to it), then
  // taken back in the morning.
  p.Clear();
  if (cycle % 2 == 0) {
    auto& passed = *p.mutable_line_coverage_passed_to_night_partner();
    passed.set_line_id(kLine);
    *passed.mutable_previous_holder() = holder;
    *passed.mutable_night_partner() = NightPartner();
    for (v1::HandoverItem& item : Items(call2, esc2))
      *passed.add_items() = item;
    Append(absl::Hours(6), line_stream, true, {Event("system:coverage", p)});
  } else {
    auto& accepted = *p.mutable_line_handover_accepted();
    accepted.set_line_id(kLine);
    *accepted.mutable_previous_holder() = holder;
    *accepted.mutable_accepted_by() = NightPartner();
    Append(absl::Hours(6), line_stream, true,
           {offer(NightPartner()), Event(NightPartner().id(), p)});
  }
  p.Clear();
  auto& back = *p.mutable_line_coverage_taken_back();
  back.set_line_id(kLine);
  *back.mutable_night_partner() = NightPartner();
  *back.mutable_holder() = other;
  Append(absl::Hours(9), line_stream, true, {Event(other.id(), p)});
  holder = other;
}

TEST_F(BoardAtTest, EqualsTheFoldOfTheLinesEventsUpToEveryInstant) {
  v1::Party holder = TeamWorker("anna");
  v1::EventPayload taken;
  taken.mutable_line_coverage_taken()->set_line_id(kLine);
  *taken.mutable_line_coverage_taken()->mutable_holder() = holder;
  taken.mutable_line_coverage_taken()->set_reason(
      v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED);
  ASSERT_NO_FATAL_FAILURE(Append(absl::Minutes(1), absl::StrCat("line-", kLine),
                                 true, {Event(holder.id(), taken)}));
  for (int cycle = 0; cycle < kCycles; ++cycle) {
    ASSERT_NO_FATAL_FAILURE(AppendCycle(cycle, holder));
  }
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ProjectionRunner> runner,
      ProjectionRunner::Open(dir_.Child("projections"),
                             std::make_unique<StoreFeed>(*store_.store),
                             {.batch_events = 37}));
  ASSERT_OK(runner->CatchUp());
  const ProjectionReader reader(runner->db());
  ASSERT_OK_AND_ASSIGN(std::vector<v1::EventEnvelope> all,
                       ReadAllEvents(*store_.store));

  std::vector<const v1::EventEnvelope*> line_events;
  for (const v1::EventEnvelope& e : all) {
    if (line_streams_.contains(e.stream_id())) line_events.push_back(&e);
  }
  // The line's history crosses several snapshots, and some of its events
  // share an instant.
  ASSERT_GT(line_events.size(), 3 * kSnapshotEvery);
  int shared_instants = 0;
  for (size_t i = 1; i < line_events.size(); ++i) {
    if (ToTime(line_events[i]->recorded_at()) ==
        ToTime(line_events[i - 1]->recorded_at())) {
      ++shared_instants;
    }
  }
  EXPECT_GT(shared_instants, kCycles);

  // The expected board at `at`: the line's events recorded at or before it,
  // folded; and the last position recorded at or before it.
  auto expect_board_at = [&](absl::Time at) {
    SCOPED_TRACE(absl::StrCat("at ", absl::FormatTime(at)));
    v1::Board expected = EmptyBoard(kLine);
    for (const v1::EventEnvelope* e : line_events) {
      if (ToTime(e->recorded_at()) <= at) ApplyToBoard(*e, expected);
    }
    uint64_t position = 0;
    for (const v1::EventEnvelope& e : all) {
      if (ToTime(e.recorded_at()) <= at) position = e.global_position();
    }
    absl::StatusOr<BoardAtResult> result = reader.BoardAt(kLine, at);
    ASSERT_OK(result);
    EXPECT_EQ(result->position, position);
    EXPECT_TRUE(SameMessage(expected, result->board));
  };
  for (const v1::EventEnvelope& e : all) {
    SCOPED_TRACE(absl::StrCat("event at position ", e.global_position()));
    const absl::Time at = ToTime(e.recorded_at());
    ASSERT_NO_FATAL_FAILURE(expect_board_at(at));
    ASSERT_NO_FATAL_FAILURE(expect_board_at(at - absl::Nanoseconds(1)));
  }

  // Before the first event: nobody held the line, nothing had happened.
  ASSERT_OK_AND_ASSIGN(BoardAtResult before,
                       reader.BoardAt(kLine, ToTime(all.front().recorded_at()) -
                                                 absl::Nanoseconds(1)));
  EXPECT_EQ(before.position, 0u);
  EXPECT_EQ(before.board.state(), v1::LINE_STATE_UNCOVERED);
  EXPECT_TRUE(SameMessage(EmptyBoard(kLine), before.board));

  // Now: the live board.
  ASSERT_OK_AND_ASSIGN(BoardAtResult now, reader.BoardAt(kLine, clock_.Now()));
  ASSERT_OK_AND_ASSIGN(v1::Board live, reader.Board(kLine));
  EXPECT_EQ(now.position, all.back().global_position());
  EXPECT_TRUE(SameMessage(live, now.board));
  EXPECT_EQ(live.event_count(), line_events.size());
}

TEST_F(BoardAtTest, UnknownLineIsNotFound) {
  v1::EventPayload taken;
  taken.mutable_line_coverage_taken()->set_line_id(kLine);
  *taken.mutable_line_coverage_taken()->mutable_holder() = TeamWorker("anna");
  ASSERT_NO_FATAL_FAILURE(Append(absl::Minutes(1), absl::StrCat("line-", kLine),
                                 true, {Event("worker:anna", taken)}));
  ASSERT_OK_AND_ASSIGN(
      std::unique_ptr<ProjectionRunner> runner,
      ProjectionRunner::Open(dir_.Child("projections"),
                             std::make_unique<StoreFeed>(*store_.store)));
  ASSERT_OK(runner->CatchUp());
  const ProjectionReader reader(runner->db());
  ASSERT_OK(reader.BoardAt(kLine, clock_.Now()));
  // "centra" is a prefix of the known line's id; "central2" extends it.
  for (const char* line : {"nowhere", "centra", "central2", ""}) {
    SCOPED_TRACE(line);
    EXPECT_TRUE(absl::IsNotFound(reader.BoardAt(line, clock_.Now()).status()));
    EXPECT_TRUE(absl::IsNotFound(reader.Board(line).status()));
  }
}

}  // namespace
}  // namespace vagt::projections
