// vagtctl's board and audit-trail commands as a user runs them: separate
// vagtctl processes against a real vagtd process on a fresh data directory.
// Checks the board (holder, open call and risk; the banner of a line nobody
// holds), board --watch, the timeline of a call, board-at before and after a
// call, verify, and the usage errors of the reads.
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/vagtctl_process.h"
#include "tests/support/vagtd_fixture.h"
#include "tests/support/vagtd_process.h"
#include "vagt/v1/events.pb.h"
#include "vagt/v1/oncall.pb.h"

namespace vagt {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;
using ::vagt::testing::ChildProcess;
using ::vagt::testing::VagtctlOutcome;
using ::vagt::testing::WordAfter;

// The word after `marker` in `text` (up to a space, comma or period).
std::vector<std::string> Lines(const std::string& text) {
  return absl::StrSplit(text, '\n', absl::SkipEmpty());
}

std::string Rfc3339(absl::Time t) {
  return absl::FormatTime(absl::RFC3339_full, t, absl::UTCTimeZone());
}

class VagtctlAuditTest : public testing::VagtdFixture {
 protected:
  VagtctlAuditTest() : VagtdFixture(VAGTD_PATH, VAGTCTL_PATH, "worker:anna") {}

  std::vector<std::string> Argv(const std::vector<std::string>& args,
                                bool stdout_only = false) {
    return testing::VagtctlArgv(VAGTCTL_PATH, TokenFor("worker:anna"), address_,
                                args, stdout_only);
  }

  // With --json; only what goes to stdout.
  VagtctlOutcome CtlJson(std::vector<std::string> args) {
    args.insert(args.begin(), "--json");
    return RunAs(actor_, args, /*stdout_only=*/true);
  }

  // Logs a call from citizen-7f3a on `line` and returns its id.
  std::string ReceiveCall(const std::string& line) {
    const VagtctlOutcome receive =
        Ctl({"call", "receive", "--line", line, "--from", "citizen",
             "--citizen", "citizen-7f3a", "--reason", "Cannot sleep"});
    EXPECT_EQ(receive.exit_code, 0) << receive.output;
    return WordAfter(receive.output, "Call ");
  }
};

TEST_F(VagtctlAuditTest, BoardShowsWhoIsResponsibleAndTheOpenCallWithItsRisk) {
  ASSERT_EQ(Ctl({"line", "take", "central"}).exit_code, 0);
  const std::string call = ReceiveCall("central");
  ASSERT_FALSE(call.empty());
  ASSERT_EQ(Ctl({"call", "risk", call, "high", "Talks about it"}).exit_code, 0);

  const VagtctlOutcome board = Ctl({"board", "--line", "central"});
  ASSERT_EQ(board.exit_code, 0) << board.output;
  EXPECT_THAT(
      board.output,
      AllOf(StartsWith("Line central: held (as of "),
            HasSubstr("\nResponsible: worker:anna since "),
            HasSubstr("\nOpen calls: 1\n"),
            HasSubstr(absl::StrCat(call, "  age ")),
            HasSubstr("risk high  citizen-7f3a"),
            HasSubstr("Running escalations: none"), Not(HasSubstr("NOBODY"))));

  const VagtctlOutcome json = CtlJson({"board", "--line", "central"});
  ASSERT_EQ(json.exit_code, 0) << json.output;
  v1::Board parsed;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json.output, &parsed).ok())
      << json.output;
  EXPECT_EQ(parsed.holder().id(), "worker:anna");
  ASSERT_THAT(parsed.open_calls(), SizeIs(1));
  EXPECT_EQ(parsed.open_calls(0).call_id(), call);
  EXPECT_EQ(parsed.open_calls(0).latest_risk(), v1::RISK_LEVEL_HIGH);
}

TEST_F(VagtctlAuditTest, RebuiltProjectionsServeTheSameBoardAndTimeline) {
  ASSERT_EQ(Ctl({"line", "take", "central"}).exit_code, 0);
  const std::string call = ReceiveCall("central");
  ASSERT_FALSE(call.empty());
  ASSERT_EQ(Ctl({"call", "risk", call, "high", "Talks about it"}).exit_code, 0);
  const std::vector<std::string> timeline = {"timeline", "--call", call,
                                             "--purpose", "crisis-review"};
  const VagtctlOutcome before = Ctl(timeline);
  ASSERT_EQ(before.exit_code, 0) << before.output;

  // vagtd --rebuild_projections: the projections are bulk loaded from the
  // log again before it serves.
  vagtd_->Signal(SIGTERM);
  ASSERT_TRUE(vagtd_->ReadUntil("stopped cleanly", Deadline()).ok())
      << vagtd_->transcript();
  ASSERT_TRUE(vagtd_->Wait(Deadline()).ok());
  absl::StatusOr<testing::RunningVagtd> rebuilt = testing::StartVagtd(
      VAGTD_PATH, dir_ + "/store", Deadline(), {"--rebuild_projections"});
  ASSERT_TRUE(rebuilt.ok()) << rebuilt.status();
  vagtd_ = std::move(rebuilt->process);
  address_ = rebuilt->address;

  const VagtctlOutcome json = CtlJson({"board", "--line", "central"});
  ASSERT_EQ(json.exit_code, 0) << json.output;
  v1::Board board;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json.output, &board).ok())
      << json.output;
  EXPECT_EQ(board.holder().id(), "worker:anna");
  ASSERT_THAT(board.open_calls(), SizeIs(1));
  EXPECT_EQ(board.open_calls(0).call_id(), call);
  EXPECT_EQ(board.open_calls(0).latest_risk(), v1::RISK_LEVEL_HIGH);
  const VagtctlOutcome after = Ctl(timeline);
  ASSERT_EQ(after.exit_code, 0) << after.output;
  EXPECT_EQ(after.output, before.output);
}

TEST_F(VagtctlAuditTest, LineNobodyTookOpensWithTheNobodyBanner) {
  const std::string call = ReceiveCall("central");
  const VagtctlOutcome board = Ctl({"board", "--line", "central"});
  ASSERT_EQ(board.exit_code, 0) << board.output;
  const std::vector<std::string> lines = Lines(board.output);
  ASSERT_GE(lines.size(), 2u) << board.output;
  EXPECT_EQ(lines[0], "!!! NOBODY IS RESPONSIBLE FOR LINE central !!!");
  EXPECT_EQ(lines[1], "! NOBODY IS RESPONSIBLE FOR LINE central");
  EXPECT_THAT(board.output,
              AllOf(HasSubstr("Responsible: NOBODY"), HasSubstr(call)));

  // A line no event names is the server's NOT_FOUND.
  const VagtctlOutcome unknown = Ctl({"board", "--line", "nowhere"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.output;
  EXPECT_THAT(unknown.output, HasSubstr("NOT_FOUND"));
}

TEST_F(VagtctlAuditTest, WatchPrintsANewBoardAfterEachChange) {
  ASSERT_EQ(Ctl({"line", "take", "central"}).exit_code, 0);
  absl::StatusOr<std::unique_ptr<ChildProcess>> watch =
      ChildProcess::Start(Argv({"board", "--line", "central", "--watch"}));
  ASSERT_TRUE(watch.ok()) << watch.status();
  ChildProcess& w = **watch;
  ASSERT_TRUE(w.ReadUntil("=== line central at ", Deadline()).ok())
      << w.transcript();
  ASSERT_TRUE(w.ReadUntil("Open calls: none", Deadline()).ok())
      << w.transcript();

  const std::string call = ReceiveCall("central");
  ASSERT_TRUE(w.ReadUntil("=== line central at ", Deadline()).ok())
      << w.transcript();
  absl::StatusOr<std::string> line = w.ReadUntil(call, Deadline());
  ASSERT_TRUE(line.ok()) << w.transcript();
  EXPECT_THAT(*line, HasSubstr("risk not assessed  citizen-7f3a"));
  w.Signal(SIGINT);
  EXPECT_TRUE(w.Wait(Deadline()).ok());
}

TEST_F(VagtctlAuditTest, TimelineListsTheCallsEventsWithoutItsTexts) {
  ASSERT_EQ(Ctl({"line", "take", "central"}).exit_code, 0);
  const std::string call = ReceiveCall("central");
  ASSERT_EQ(Ctl({"call", "risk", call, "high", "Talks about it"}).exit_code, 0);

  const VagtctlOutcome timeline =
      Ctl({"timeline", "--call", call, "--purpose", "crisis-review"});
  ASSERT_EQ(timeline.exit_code, 0) << timeline.output;
  const std::vector<std::string> lines = Lines(timeline.output);
  ASSERT_THAT(lines, SizeIs(2)) << timeline.output;
  const std::string received =
      absl::StrCat("  #", seeded() + 2, "  worker:anna  CallReceived  ");
  const std::string assessed =
      absl::StrCat("  #", seeded() + 3, "  worker:anna  CallRiskAssessed");
  EXPECT_THAT(lines[0], AllOf(HasSubstr(received), HasSubstr("call-" + call),
                              HasSubstr("citizen_ref: \"citizen-7f3a\"")));
  EXPECT_THAT(lines[1],
              AllOf(HasSubstr(assessed), HasSubstr("RISK_LEVEL_HIGH")));
  EXPECT_THAT(timeline.output, AllOf(Not(HasSubstr("Cannot sleep")),
                                     Not(HasSubstr("Talks about it"))));

  // A page at a time, or all of them; --json: one event per line, whole.
  const VagtctlOutcome first = Ctl({"timeline", "--call", call, "--purpose",
                                    "crisis-review", "--page-size", "1"});
  ASSERT_EQ(first.exit_code, 0) << first.output;
  ASSERT_THAT(Lines(first.output), SizeIs(2)) << first.output;
  EXPECT_THAT(Lines(first.output)[1], StartsWith("next page: --page-token "));
  const VagtctlOutcome all =
      CtlJson({"timeline", "--call", call, "--purpose", "crisis-review",
               "--page-size", "1", "--all-pages"});
  ASSERT_EQ(all.exit_code, 0) << all.output;
  ASSERT_THAT(Lines(all.output), SizeIs(2)) << all.output;
  v1::EventEnvelope risk;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(Lines(all.output)[1], &risk)
          .ok())
      << all.output;
  EXPECT_EQ(risk.payload().call_risk_assessed().sensitive().reason(),
            "Talks about it");

  // Why the trail is read is required: a usage error naming it.
  const VagtctlOutcome no_purpose = Ctl({"timeline", "--call", call});
  EXPECT_EQ(no_purpose.exit_code, 2);
  EXPECT_THAT(no_purpose.output, HasSubstr("--purpose"));
  const VagtctlOutcome two = Ctl(
      {"timeline", "--call", call, "--line", "central", "--purpose", "audit"});
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_THAT(two.output, HasSubstr("at most one of"));
}

TEST_F(VagtctlAuditTest, BoardAtShowsTheLineAsItWasBeforeAndAfterTheCall) {
  ASSERT_EQ(Ctl({"line", "take", "central"}).exit_code, 0);
  const absl::Time before = absl::Now();
  const std::string call = ReceiveCall("central");
  ASSERT_FALSE(call.empty());

  const VagtctlOutcome then =
      Ctl({"board-at", "--line", "central", "--at", Rfc3339(before),
           "--purpose", "crisis-review"});
  ASSERT_EQ(then.exit_code, 0) << then.output;
  EXPECT_THAT(then.output,
              AllOf(HasSubstr("Responsible: worker:anna"),
                    HasSubstr("Open calls: none"), Not(HasSubstr(call))));

  // Local time to the minute: two minutes on is after the call.
  absl::TimeZone zone;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &zone));
  const std::string later =
      absl::FormatTime("%Y-%m-%d %H:%M", absl::Now() + absl::Minutes(2), zone);
  const VagtctlOutcome after = Ctl(
      {"board-at", "--line", "central", "--at", later, "--purpose", "audit"});
  ASSERT_EQ(after.exit_code, 0) << after.output;
  EXPECT_THAT(after.output, AllOf(HasSubstr("Open calls: 1"), HasSubstr(call)));

  const VagtctlOutcome bad = Ctl({"board-at", "--line", "central", "--at",
                                  "yesterday", "--purpose", "audit"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.output, HasSubstr("--at: 'yesterday' is not a time"));
}

TEST_F(VagtctlAuditTest, VerifyPrintsChainOkWithTheEventCount) {
  ASSERT_EQ(Ctl({"line", "take", "central"}).exit_code, 0);
  ReceiveCall("central");
  const VagtctlOutcome verify = Ctl({"verify"});
  ASSERT_EQ(verify.exit_code, 0) << verify.output;
  EXPECT_EQ(verify.output,
            absl::StrCat("chain OK: ", seeded() + 2, " events\n"));
}

TEST_F(VagtctlAuditTest, ReviewWritesTheReportToStdoutOrAFile) {
  ASSERT_EQ(Ctl({"line", "take", "central"}).exit_code, 0);
  const std::string call = ReceiveCall("central");

  // Stdout alone; the global --json does not change what review writes.
  const VagtctlOutcome html = CtlJson({"review", "--call", call, "--format",
                                       "html", "--purpose", "crisis-review"});
  ASSERT_EQ(html.exit_code, 0) << html.output;
  EXPECT_THAT(html.output,
              AllOf(StartsWith("<!DOCTYPE html>"),
                    HasSubstr(absl::StrCat("Review of call ", call))));

  const std::string file = dir_ + "/review.json";
  const VagtctlOutcome json = Ctl({"review", "--call", call, "--format", "json",
                                   "--purpose", "audit", "--out", file});
  ASSERT_EQ(json.exit_code, 0) << json.output;
  EXPECT_THAT(json.output, AllOf(StartsWith("Review written to " + file),
                                 HasSubstr("application/json")));
  std::ifstream written(file);
  const std::string content((std::istreambuf_iterator<char>(written)),
                            std::istreambuf_iterator<char>());
  EXPECT_THAT(content, HasSubstr(absl::StrCat("\"call_id\": \"", call)));

  const VagtctlOutcome unknown =
      Ctl({"review", "--call", "no-such-call", "--purpose", "audit"});
  EXPECT_EQ(unknown.exit_code, 3) << unknown.output;
  EXPECT_THAT(unknown.output, HasSubstr("NOT_FOUND"));
}

TEST_F(VagtctlAuditTest, ReviewNeedsOneSubjectAndAKnownFormat) {
  const VagtctlOutcome none = Ctl({"review", "--purpose", "crisis-review"});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_THAT(none.output, HasSubstr("give --call ID or --citizen REF"));
  const VagtctlOutcome pdf = Ctl({"review", "--call", "c", "--format", "pdf",
                                  "--purpose", "crisis-review"});
  EXPECT_EQ(pdf.exit_code, 2);
  EXPECT_THAT(pdf.output, HasSubstr("'pdf' is not one of html|json"));
}

}  // namespace
}  // namespace vagt
