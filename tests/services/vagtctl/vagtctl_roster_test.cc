// vagtctl roster as a team leader runs it: separate vagtctl processes
// against a real vagtd. Sets the standard rotation, shows the week of the
// spring daylight-saving change, overrides a shift and asks who covers,
// exports the calendar and imports it into another line (the same week),
// and the refusals: a rotation with a gap, a bad calendar, a bad time.
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/vagtctl_process.h"
#include "tests/support/vagtd_fixture.h"
#include "tests/support/vagtd_process.h"

namespace vagt {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using ::vagt::testing::WordAfter;

using Outcome = testing::VagtctlOutcome;

class VagtctlRosterTest : public testing::VagtdFixture {
 protected:
  VagtctlRosterTest()
      : VagtdFixture(VAGTD_PATH, VAGTCTL_PATH, "worker:leder") {}

  // Everyone the rosters below name is in the directory, as a shift goes
  // only to someone who works on the line.
  void SetUp() override {
    VagtdFixture::SetUp();
    for (const char* party :
         {"worker:anna", "worker:bo", "worker:cai", "worker:dan", "worker:eva",
          "worker:finn", "worker:gry", "worker:hans", "worker:ida",
          "partner:natpartner"}) {
      ASSERT_FALSE(TokenFor(party).empty());
    }
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    const std::string path = absl::StrCat(dir_, "/", name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  Outcome SetStandard(const std::string& line) {
    return Ctl({"roster", "set", "--line", line, "--standard", "--from",
                "2026-03-02", "--weekdays", "worker:anna", "--night",
                "partner:natpartner", "--weekend", "worker:bo+worker:cai",
                "--weekend", "worker:dan+worker:eva", "--weekend",
                "worker:finn+worker:gry", "--weekend",
                "worker:hans+worker:ida"});
  }
};

// The shift lines of `roster show`, without override ids.
std::vector<std::string> ShiftLines(const std::string& output) {
  std::vector<std::string> out;
  for (absl::string_view line : absl::StrSplit(output, '\n')) {
    if (!absl::StartsWith(line, "  ")) continue;
    const size_t override_at = line.find("  (override ");
    out.emplace_back(line.substr(0, override_at));
  }
  return out;
}

TEST_F(VagtctlRosterTest, SetShowOverrideWhoExportAndImport) {
  const Outcome set = SetStandard("ishoj-bos");
  ASSERT_EQ(set.exit_code, 0) << set.output;
  EXPECT_THAT(set.output,
              HasSubstr("Rotation of line ishoj-bos set from 2026-03-02."));

  // The week of the spring change: the short night and the 07:00 return.
  const Outcome week =
      Ctl({"roster", "show", "--line", "ishoj-bos", "--week", "2026-03-25"});
  ASSERT_EQ(week.exit_code, 0) << week.output;
  EXPECT_THAT(
      week.output,
      AllOf(HasSubstr("Roster of line ishoj-bos, week of 2026-03-23 "
                      "(Europe/Copenhagen):"),
            HasSubstr("  Mon 23 Mar 07:00 - 22:00  duty    worker:anna\n"),
            HasSubstr("  Sat 28 Mar 22:00 - Sun 29 Mar 07:00  duty    "
                      "partner:natpartner\n"),
            HasSubstr("  Sun 29 Mar 07:00 - 22:00  duty    worker:hans\n"),
            HasSubstr("  Sun 29 Mar 07:00 - 22:00  backup  worker:ida\n"),
            HasSubstr("  Sun 29 Mar 22:00 - 00:00  duty    "
                      "partner:natpartner")));

  const Outcome override_shift =
      Ctl({"roster", "override", "--line", "ishoj-bos", "--role", "duty",
           "--by", "worker:bo", "--from", "2026-03-24 12:00", "--to",
           "2026-03-24 22:00", "--reason", "swap"});
  ASSERT_EQ(override_shift.exit_code, 0) << override_shift.output;
  EXPECT_THAT(override_shift.output,
              HasSubstr("worker:bo covers duty from 2026-03-24 12:00 to "
                        "2026-03-24 22:00 (swap)."));
  const std::string override_id = WordAfter(override_shift.output, "Override ");
  ASSERT_FALSE(override_id.empty());

  const Outcome who =
      Ctl({"roster", "who", "--line", "ishoj-bos", "--at", "2026-03-24 13:00"});
  ASSERT_EQ(who.exit_code, 0) << who.output;
  EXPECT_THAT(who.output,
              AllOf(HasSubstr("duty:   worker:bo  Tue 24 Mar 12:00 - 22:00"),
                    HasSubstr("backup: none")));

  // The calendar of that week, into another line: the same shifts.
  const Outcome exported =
      RunAs(actor_,
            {"roster", "export", "--line", "ishoj-bos", "--from",
             "2026-03-23 00:00", "--to", "2026-03-30 00:00"},
            /*stdout_only=*/true);
  ASSERT_EQ(exported.exit_code, 0) << exported.output;
  EXPECT_THAT(exported.output, AllOf(HasSubstr("BEGIN:VCALENDAR"),
                                     HasSubstr("SUMMARY:Duty: worker:bo"),
                                     HasSubstr("END:VCALENDAR")));
  const std::string ics = WriteFile("ishoj.ics", exported.output);
  const Outcome imported =
      Ctl({"roster", "import", "--line", "allerod", ics, "--reason", "swap"});
  ASSERT_EQ(imported.exit_code, 0) << imported.output;
  EXPECT_THAT(imported.output, HasSubstr("overrides into line allerod."));
  const Outcome copy =
      Ctl({"roster", "show", "--line", "allerod", "--week", "2026-03-23"});
  ASSERT_EQ(copy.exit_code, 0) << copy.output;
  const Outcome original =
      Ctl({"roster", "show", "--line", "ishoj-bos", "--week", "2026-03-23"});
  EXPECT_EQ(ShiftLines(copy.output), ShiftLines(original.output));
  EXPECT_GT(ShiftLines(copy.output).size(), 15u);

  // The override removed: anna again.
  const Outcome removed =
      Ctl({"roster", "remove-override", "--line", "ishoj-bos", override_id});
  ASSERT_EQ(removed.exit_code, 0) << removed.output;
  EXPECT_THAT(
      Ctl({"roster", "who", "--line", "ishoj-bos", "--at", "2026-03-24 13:00"})
          .output,
      HasSubstr("duty:   worker:anna"));

  // --json for scripts.
  const Outcome json = RunAs(actor_,
                             {"--json", "roster", "who", "--line", "ishoj-bos",
                              "--at", "2026-03-24 23:00"},
                             /*stdout_only=*/true);
  EXPECT_THAT(json.output, HasSubstr("\"id\":\"partner:natpartner\""));
}

TEST_F(VagtctlRosterTest, RefusalsNameTheProblemAndChangeNothing) {
  // A rotation with a gap, as JSON.
  const std::string gap = WriteFile("gap.json", R"({
    "effectiveFrom": "2026-11-02", "cycleWeeks": 1,
    "slots": [
      {"weekdays": ["WEEKDAY_MONDAY", "WEEKDAY_TUESDAY", "WEEKDAY_WEDNESDAY",
                    "WEEKDAY_THURSDAY", "WEEKDAY_FRIDAY", "WEEKDAY_SATURDAY",
                    "WEEKDAY_SUNDAY"],
       "start": {"hour": 7}, "end": {"hour": 21}, "role": "ROSTER_ROLE_DUTY",
       "assignee": {"kind": "PARTY_KIND_TEAM_WORKER", "id": "worker:anna"}},
      {"weekdays": ["WEEKDAY_MONDAY", "WEEKDAY_TUESDAY", "WEEKDAY_WEDNESDAY",
                    "WEEKDAY_THURSDAY", "WEEKDAY_FRIDAY", "WEEKDAY_SATURDAY",
                    "WEEKDAY_SUNDAY"],
       "start": {"hour": 22}, "end": {"hour": 7}, "role": "ROSTER_ROLE_DUTY",
       "assignee": {"kind": "PARTY_KIND_NIGHT_PARTNER",
                    "id": "partner:natpartner"}}]})");
  const Outcome refused =
      Ctl({"roster", "set", "--line", "ishoj-bos", "--file", gap});
  EXPECT_EQ(refused.exit_code, 3) << refused.output;
  EXPECT_THAT(refused.output,
              AllOf(HasSubstr("INVALID_ARGUMENT"),
                    HasSubstr("DUTY slots leave a gap from Mon 21:00 to Mon "
                              "22:00")));
  // Nothing was recorded: the line has no roster.
  const Outcome none = Ctl({"roster", "show", "--line", "ishoj-bos"});
  EXPECT_EQ(none.exit_code, 3) << none.output;
  EXPECT_THAT(none.output, HasSubstr("NOT_FOUND"));

  ASSERT_EQ(SetStandard("ishoj-bos").exit_code, 0);
  const std::string bad = WriteFile(
      "bad.ics",
      "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//\r\nBEGIN:VEVENT\r\n"
      "UID:1\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261124T110000Z\r\n"
      "SUMMARY:Duty: worker:bo\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n");
  const Outcome import_bad =
      Ctl({"roster", "import", "--line", "ishoj-bos", bad});
  EXPECT_EQ(import_bad.exit_code, 3) << import_bad.output;
  EXPECT_THAT(import_bad.output,
              HasSubstr("ics: VEVENT 1: DTEND (or DURATION): required"));
  EXPECT_THAT(
      Ctl({"roster", "who", "--line", "ishoj-bos", "--at", "2026-11-24 13:00"})
          .output,
      HasSubstr("duty:   worker:anna"));

  const Outcome bad_time = Ctl({"roster", "override", "--line", "ishoj-bos",
                                "--role", "duty", "--by", "worker:bo", "--from",
                                "tomorrow", "--to", "2026-11-24 22:00"});
  EXPECT_EQ(bad_time.exit_code, 2) << bad_time.output;
  EXPECT_THAT(bad_time.output, HasSubstr("--from: 'tomorrow' is not a local "
                                         "date and time"));
  const Outcome bad_role = Ctl(
      {"roster", "override", "--line", "ishoj-bos", "--role", "boss", "--by",
       "worker:bo", "--from", "2026-11-24 12:00", "--to", "2026-11-24 22:00"});
  EXPECT_EQ(bad_role.exit_code, 2) << bad_role.output;
  EXPECT_THAT(bad_role.output, Not(HasSubstr("Override ")));
}

}  // namespace
}  // namespace vagt
