// The roster as iCalendar: a calendar exported here is read back by libical
// itself to the same shifts (intervals and parties, across a
// daylight-saving night), ShiftsFromIcs reads it back to the same plan, and
// the malformed calendars an import meets are refused naming the VEVENT and
// the property.
#include "services/roster/roster_ics.h"

#include <libical/ical.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "domain/roster_rotation.h"
#include "domain/roster_state.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace vagt::services {
namespace {

using ::testing::HasSubstr;

v1::Party Party(v1::PartyKind kind, const std::string& id,
                const std::string& name = "") {
  v1::Party p;
  p.set_kind(kind);
  p.set_id(id);
  p.set_display_name(name);
  return p;
}

absl::Time Local(int y, int m, int d, int hh, int mm) {
  return ResolveLocal(absl::CivilSecond(y, m, d, hh, mm, 0), DutyTimeZone());
}

// The standard rotation from 2026-03-02, names with commas and Danish
// letters, so that libical has something to escape.
RosterState Roster() {
  v1::StandardRotation standard;
  *standard.mutable_weekday_worker() =
      Party(v1::PARTY_KIND_TEAM_WORKER, "worker:anna", "Jensen, Anna");
  *standard.mutable_night_partner() =
      Party(v1::PARTY_KIND_NIGHT_PARTNER, "partner:natpartner", "Nattevagten");
  for (const char* pair : {"bo,cai", "dan,eva", "finn,gry", "hans,ida"}) {
    const std::string s = pair;
    const size_t comma = s.find(',');
    v1::WeekendCover& w = *standard.add_weekends();
    *w.mutable_duty() = Party(v1::PARTY_KIND_TEAM_WORKER,
                              "worker:" + s.substr(0, comma), "Søren; Ærø");
    *w.mutable_backup() =
        Party(v1::PARTY_KIND_TEAM_WORKER, "worker:" + s.substr(comma + 1));
  }
  absl::StatusOr<v1::RosterRotationSet> rotation = StandardRotation(standard);
  EXPECT_TRUE(rotation.ok()) << rotation.status();
  rotation->set_line_id("ishoj-bos");
  rotation->set_effective_from("2026-03-02");
  v1::EventEnvelope e;
  *e.mutable_payload()->mutable_roster_rotation_set() = *rotation;
  RosterState roster;
  roster.Apply(e);
  return roster;
}

struct Read {
  std::string uid;
  std::string role;
  std::string party;
  std::string name;
  absl::Time start;
  absl::Time end;
};

std::string X(icalcomponent* event, const char* name) {
  for (icalproperty* p =
           icalcomponent_get_first_property(event, ICAL_X_PROPERTY);
       p != nullptr;
       p = icalcomponent_get_next_property(event, ICAL_X_PROPERTY)) {
    if (std::string(icalproperty_get_x_name(p)) == name) {
      return icalproperty_get_x(p);
    }
  }
  return "";
}

// The VEVENTs as libical itself reads them.
std::vector<Read> ReadWithLibical(const std::string& ics) {
  std::vector<Read> out;
  icalcomponent* root = icalparser_parse_string(ics.c_str());
  EXPECT_NE(root, nullptr);
  if (root == nullptr) return out;
  EXPECT_EQ(icalcomponent_isa(root), ICAL_VCALENDAR_COMPONENT);
  EXPECT_EQ(icalcomponent_count_errors(root), 0);
  for (icalcomponent* e =
           icalcomponent_get_first_component(root, ICAL_VEVENT_COMPONENT);
       e != nullptr;
       e = icalcomponent_get_next_component(root, ICAL_VEVENT_COMPONENT)) {
    const icaltimetype start = icalcomponent_get_dtstart(e);
    const icaltimetype end = icalcomponent_get_dtend(e);
    EXPECT_TRUE(icaltime_is_utc(start));
    EXPECT_NE(icalcomponent_get_first_property(e, ICAL_DTSTAMP_PROPERTY),
              nullptr);
    out.push_back({.uid = icalcomponent_get_uid(e),
                   .role = X(e, "X-VAGT-ROLE"),
                   .party = X(e, "X-VAGT-PARTY"),
                   .name = X(e, "X-VAGT-PARTY-NAME"),
                   .start = absl::FromTimeT(icaltime_as_timet(start)),
                   .end = absl::FromTimeT(icaltime_as_timet(end))});
  }
  icalcomponent_free(root);
  return out;
}

// The week of the spring change, Monday 23 to Monday 30 March 2026.
constexpr int kSpringWeek[] = {2026, 3, 23};

TEST(RosterIcs, ExportedCalendarReadsBackThroughLibicalToTheSameShifts) {
  const RosterState roster = Roster();
  const absl::Time from =
      Local(kSpringWeek[0], kSpringWeek[1], kSpringWeek[2], 0, 0);
  const absl::Time to = Local(2026, 3, 30, 0, 0);
  const std::vector<PlannedShift> shifts = roster.Shifts(from, to);
  ASSERT_GT(shifts.size(), 10u);
  const std::string ics =
      ShiftsToIcs("ishoj-bos", shifts, absl::FromUnixSeconds(1'790'000'000));
  EXPECT_THAT(ics, HasSubstr("BEGIN:VCALENDAR\r\n"));
  EXPECT_THAT(ics, HasSubstr("PRODID:-//vagt//roster//EN\r\n"));
  EXPECT_THAT(ics, HasSubstr("SUMMARY:Duty: worker:anna (Jensen\\, Anna)"));

  const std::vector<Read> read = ReadWithLibical(ics);
  ASSERT_EQ(read.size(), shifts.size());
  for (size_t i = 0; i < shifts.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(read[i].start, shifts[i].start);
    EXPECT_EQ(read[i].end, shifts[i].end);
    EXPECT_EQ(read[i].party, shifts[i].party.id());
    EXPECT_EQ(read[i].name, shifts[i].party.display_name());
    EXPECT_EQ(read[i].role,
              shifts[i].role == v1::ROSTER_ROLE_DUTY ? "DUTY" : "BACKUP");
    EXPECT_EQ(
        read[i].uid,
        absl::StrCat(shifts[i].role == v1::ROSTER_ROLE_DUTY ? "duty" : "backup",
                     "-", absl::ToUnixSeconds(shifts[i].start),
                     "-ishoj-bos@vagt"));
  }
  // The short night, as libical reads it: 21:00Z to 05:00Z.
  bool short_night = false;
  for (const Read& r : read) {
    short_night = short_night ||
                  (r.start == absl::FromUnixSeconds(1774731600) &&  // 21:00Z
                   r.end - r.start == absl::Hours(8));
  }
  EXPECT_TRUE(short_night);
}

TEST(RosterIcs, ExportedCalendarImportsAsTheSamePlan) {
  const RosterState roster = Roster();
  const absl::Time from = Local(2026, 10, 19, 0, 0);  // the autumn change
  const absl::Time to = Local(2026, 10, 26, 0, 0);
  const std::vector<PlannedShift> shifts = roster.Shifts(from, to);
  absl::StatusOr<std::vector<IcsShift>> back =
      ShiftsFromIcs(ShiftsToIcs("ishoj-bos", shifts, from));
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), shifts.size());
  // As overrides on an empty roster, they plan exactly the same.
  RosterState imported;
  for (size_t i = 0; i < back->size(); ++i) {
    const IcsShift& s = (*back)[i];
    EXPECT_EQ(s.party.kind(), shifts[i].party.kind());
    EXPECT_EQ(s.party.display_name(), shifts[i].party.display_name());
    v1::EventEnvelope e;
    v1::RosterOverrideAdded& o =
        *e.mutable_payload()->mutable_roster_override_added();
    o.set_override_id(absl::StrCat("o-", i));
    o.set_time_zone(s.time_zone);
    *o.mutable_start() = s.start;
    *o.mutable_end() = s.end;
    o.set_role(s.role);
    *o.mutable_covered_by() = s.party;
    imported.Apply(e);
  }
  const std::vector<PlannedShift> again = imported.Shifts(from, to);
  ASSERT_EQ(again.size(), shifts.size());
  for (size_t i = 0; i < again.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(again[i].role, shifts[i].role);
    EXPECT_EQ(again[i].party.id(), shifts[i].party.id());
    EXPECT_EQ(again[i].start, shifts[i].start);
    EXPECT_EQ(again[i].end, shifts[i].end);
  }
}

constexpr char kHead[] = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//\r\n";
constexpr char kTail[] = "END:VCALENDAR\r\n";

std::string Calendar(const std::string& events) {
  return absl::StrCat(kHead, events, kTail);
}

std::string Event(const std::string& body) {
  return absl::StrCat("BEGIN:VEVENT\r\nUID:x@y\r\nDTSTAMP:20261101T000000Z\r\n",
                      body, "END:VEVENT\r\n");
}

TEST(RosterIcs, ReadsSummariesLocalTimesAndZones) {
  absl::StatusOr<std::vector<IcsShift>> read = ShiftsFromIcs(Calendar(
      Event("DTSTART;TZID=Europe/Copenhagen:20261124T120000\r\n"
            "DTEND;TZID=Europe/Copenhagen:20261124T220000\r\n"
            "SUMMARY:Duty: worker:bo (Bo Holm)\r\n") +
      Event("DTSTART:20261128T070000\r\nDURATION:PT15H\r\n"
            "SUMMARY:Bagvagt: worker:cai\r\n") +
      Event("DTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261226\r\n"
            "X-VAGT-ROLE:DUTY\r\nX-VAGT-PARTY:partner:akut\r\n"
            "X-VAGT-PARTY-KIND:SOCIAL_EMERGENCY_SERVICE\r\n") +
      Event("DTSTART;TZID=America/New_York:20261124T070000\r\n"
            "DTEND:20261124T170000Z\r\nSUMMARY:Duty: worker:dan\r\n")));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 4u);
  const IcsShift& bo = (*read)[0];
  EXPECT_EQ(bo.role, v1::ROSTER_ROLE_DUTY);
  EXPECT_EQ(bo.party.id(), "worker:bo");
  EXPECT_EQ(bo.party.kind(), v1::PARTY_KIND_TEAM_WORKER);
  EXPECT_EQ(bo.party.display_name(), "Bo Holm");
  EXPECT_EQ(bo.time_zone, "");
  EXPECT_EQ(bo.start.local_date(), "2026-11-24");
  EXPECT_EQ(bo.start.time().hour(), 12);
  EXPECT_EQ(bo.end.time().hour(), 22);
  const IcsShift& cai = (*read)[1];
  EXPECT_EQ(cai.role, v1::ROSTER_ROLE_BACKUP);
  EXPECT_EQ(cai.end.local_date(), "2026-11-28");
  EXPECT_EQ(cai.end.time().hour(), 22);
  const IcsShift& akut = (*read)[2];
  EXPECT_EQ(akut.party.kind(), v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ(akut.start.local_date(), "2026-12-24");
  EXPECT_EQ(akut.start.time().hour(), 0);
  EXPECT_EQ(akut.end.local_date(), "2026-12-26");
  // New York 07:00 = 12:00Z = 13:00 in Copenhagen; 17:00Z = 18:00.
  const IcsShift& dan = (*read)[3];
  EXPECT_EQ(dan.time_zone, "");
  EXPECT_EQ(dan.start.time().hour(), 13);
  EXPECT_EQ(dan.end.time().hour(), 18);
}

TEST(RosterIcs, MalformedCalendarsAreRefusedNamingWhere) {
  const std::string ok = Event(
      "DTSTART:20261124T110000Z\r\nDTEND:20261124T210000Z\r\n"
      "SUMMARY:Duty: worker:bo\r\n");
  struct Case {
    std::string ics;
    std::string message;
  };
  const std::vector<Case> cases = {
      {"", "ics: required"},
      {"hello", "ics: not an iCalendar text"},
      {"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n", "ics: not an iCalendar text"},
      {Calendar(""), "ics: no VEVENT"},
      {ok, "ics: exactly one VCALENDAR expected"},
      {Calendar(ok) + Calendar(ok), "ics: exactly one VCALENDAR expected"},
      {Calendar(ok + Event("DTEND:20261124T210000Z\r\nSUMMARY:Duty: "
                           "worker:bo\r\n")),
       "ics: VEVENT 2: DTSTART: required"},
      {Calendar(Event("DTSTART:20261124T110000Z\r\nSUMMARY:Duty: "
                      "worker:bo\r\n")),
       "ics: VEVENT 1: DTEND (or DURATION): required"},
      {Calendar(Event("DTSTART:20261124T110000Z\r\nDTEND:2026XX\r\n"
                      "SUMMARY:Duty: worker:bo\r\n")),
       "ics: VEVENT 1: not valid iCalendar (1 parse errors)"},
      {Calendar(Event("DTSTART:20261124T110030Z\r\nDTEND:20261124T210000Z\r\n"
                      "SUMMARY:Duty: worker:bo\r\n")),
       "ics: VEVENT 1: DTSTART: must fall on a whole minute"},
      {Calendar(Event("DTSTART;TZID=Nowhere/Land:20261124T110000\r\n"
                      "DTEND:20261124T210000Z\r\nSUMMARY:Duty: worker:bo\r\n")),
       "ics: VEVENT 1: DTSTART: unknown TZID"},
      {Calendar(Event("DTSTART:20261124T110000Z\r\nDTEND:20261124T210000Z\r\n"
                      "SUMMARY:Team meeting\r\n")),
       "ics: VEVENT 1: X-VAGT-ROLE and X-VAGT-PARTY, or a SUMMARY"},
      {Calendar(Event("DTSTART:20261124T110000Z\r\nDTEND:20261124T210000Z\r\n"
                      "SUMMARY:Lunch: worker:bo\r\n")),
       "ics: VEVENT 1: role: must be Duty or Backup"},
      {Calendar(Event("DTSTART:20261124T110000Z\r\nDTEND:20261124T210000Z\r\n"
                      "SUMMARY:Duty: Bo Holm\r\n")),
       "ics: VEVENT 1: party: must be \"worker:<id>\" or \"partner:<id>\""},
      {Calendar(Event("DTSTART:20261124T110000Z\r\nDTEND:20261124T210000Z\r\n"
                      "RRULE:FREQ=WEEKLY\r\nSUMMARY:Duty: worker:bo\r\n")),
       "ics: VEVENT 1: RRULE"},
      // 02:30 UTC+1 on 25 October: the second pass of the repeated hour.
      {Calendar(Event("DTSTART:20261025T013000Z\r\nDTEND:20261025T060000Z\r\n"
                      "SUMMARY:Duty: worker:bo\r\n")),
       "ics: VEVENT 1: DTSTART: falls in the repeated hour"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.message);
    absl::StatusOr<std::vector<IcsShift>> read = ShiftsFromIcs(c.ics);
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument)
        << read.status();
    EXPECT_THAT(read.status().message(), HasSubstr(c.message));
  }
  // What the calendar says is never echoed: only numbers and names of
  // properties.
  absl::StatusOr<std::vector<IcsShift>> secret =
      ShiftsFromIcs(Calendar(Event("DTSTART:20261124T110000Z\r\n"
                                   "DTEND:20261124T210000Z\r\n"
                                   "SUMMARY:Borger Hansen ringer\r\n")));
  EXPECT_THAT(secret.status().message(), ::testing::Not(HasSubstr("Hansen")));
}

}  // namespace
}  // namespace vagt::services
