#include "services/audit/review_html.h"

#include <algorithm>
#include <kainjow/mustache.hpp>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "eventstore/timestamps.h"
#include "services/audit/review_template_html.h"
#include "services/audit/review_wording.h"

namespace vagt::services {
namespace {

namespace mustache = kainjow::mustache;
using mustache::data;
using mustache::list;
using mustache::object;

// "45 s", "4 min", "4 min 30 s", "1 h 5 min".
std::string Duration(int64_t seconds) {
  if (seconds < 60) return absl::StrCat(seconds, " s");
  if (seconds < 3600) {
    return seconds % 60 == 0
               ? absl::StrCat(seconds / 60, " min")
               : absl::StrCat(seconds / 60, " min ", seconds % 60, " s");
  }
  return absl::StrCat(seconds / 3600, " h ", (seconds % 3600) / 60, " min");
}

std::string OrDash(const std::string& text) {
  return text.empty() ? "-" : text;
}

// The report's data for the template.
class PageData {
 public:
  explicit PageData(absl::TimeZone zone) : zone_(zone) {}

  data Of(const v1::ReviewReport& report) const;

 private:
  std::string Local(const google::protobuf::Timestamp& t) const {
    return absl::FormatTime("%Y-%m-%d %H:%M", ToTime(t), zone_);
  }
  // The event's position, and its corrections.
  void AddRef(const v1::ReviewEventRef& ref, object& out) const;
  data Call(const v1::ReviewCall& call) const;
  data Escalation(const v1::ReviewEscalation& x) const;
  data Handover(const v1::ReviewHandover& h) const;
  data Plan(const v1::ReviewCrisisPlanRevision& plan) const;
  data Consent(const v1::ReviewConsent& consent) const;

  absl::TimeZone zone_;
};

void PageData::AddRef(const v1::ReviewEventRef& ref, object& out) const {
  out["pos"] = absl::StrCat("#", ref.global_position());
  list corrections;
  for (const v1::ReviewCorrection& c : ref.corrections()) {
    corrections.push_back(object{
        {"pos", absl::StrCat("#", c.global_position())},
        {"kind", Label(c.kind())},
        {"time", Local(c.recorded_at())},
        {"by", c.actor()},
        {"reason", c.reason()},
        {"has_replacement", !c.replacement().empty()},
        {"replacement", c.replacement()},
    });
  }
  out["corrections"] = corrections;
}

data PageData::Call(const v1::ReviewCall& call) const {
  std::vector<std::pair<uint64_t, object>> records;
  auto add = [&](const v1::ReviewEventRef& ref, std::string what,
                 std::string text) {
    object row{{"time", Local(ref.occurred_at())},
               {"by", ref.actor()},
               {"what", std::move(what)},
               {"text", std::move(text)}};
    AddRef(ref, row);
    records.emplace_back(ref.global_position(), std::move(row));
  };
  for (const v1::ReviewCallNote& note : call.notes()) {
    add(note.event(), "Note", note.text());
  }
  for (const v1::ReviewRiskAssessment& risk : call.risk_assessments()) {
    add(risk.event(), absl::StrCat("Risk assessed: ", Label(risk.level())),
        risk.reason());
  }
  for (const v1::ReviewCrisisPlanConsultation& c :
       call.crisis_plan_consultations()) {
    add(c.event(),
        absl::StrCat(
            "Crisis plan: ", Label(c.result()),
            c.crisis_plan_revision() == 0
                ? ""
                : absl::StrCat(" (revision ", c.crisis_plan_revision(), ")")),
        c.note());
  }
  if (call.has_close()) {
    const v1::ReviewCallClose& close = call.close();
    std::string text = close.summary();
    if (close.follow_up().needed()) {
      absl::StrAppend(
          &text, text.empty() ? "" : ". ", "Follow-up by ",
          PartyText(close.follow_up().owner()),
          close.follow_up().has_due_at()
              ? absl::StrCat(", due ", Local(close.follow_up().due_at()))
              : "",
          close.follow_up_task().empty()
              ? ""
              : absl::StrCat(": ", close.follow_up_task()));
    }
    add(close.event(), absl::StrCat("Closed: ", Label(close.outcome())),
        std::move(text));
  }
  std::sort(records.begin(), records.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  list rows;
  for (auto& [position, row] : records) rows.push_back(std::move(row));

  const v1::CallReceivedSensitive& d = call.details();
  std::string caller = Label(call.caller_kind());
  if (call.has_caller_party()) {
    absl::StrAppend(&caller, ": ", PartyText(call.caller_party()));
  }
  for (const std::string* part :
       {&d.caller_name(), &d.caller_relation(), &d.caller_phone()}) {
    if (!part->empty()) absl::StrAppend(&caller, ", ", *part);
  }
  return object{
      {"call_id", call.call_id()},
      {"received_at", call.has_received() ? Local(call.received().occurred_at())
                                          : "before the period"},
      {"line", OrDash(call.line_id())},
      {"answered_by", PartyText(call.answered_by())},
      {"caller", caller},
      {"channel", Label(call.channel())},
      {"citizen",
       call.citizen_ref().empty() ? "unknown (anonymous)" : call.citizen_ref()},
      {"reason", OrDash(d.reason())},
      {"escalations", call.escalation_ids().empty()
                          ? "none"
                          : absl::StrJoin(call.escalation_ids(), ", ")},
      {"status", call.has_close() ? "closed" : "open at the end of the period"},
      {"records", rows},
  };
}

data PageData::Escalation(const v1::ReviewEscalation& x) const {
  list steps;
  for (const v1::ReviewEscalationStep& s : x.steps()) {
    std::string level = Label(s.level());
    std::string party = PartyText(s.party());
    if (s.kind() == v1::REVIEW_ESCALATION_STEP_KIND_DECLINED ||
        s.kind() == v1::REVIEW_ESCALATION_STEP_KIND_TIMED_OUT) {
      absl::StrAppend(&level, ", climbed to ", Label(s.next_level()));
      absl::StrAppend(&party, ", next: ", PartyText(s.next_target()));
    }
    std::string text = s.text();
    if (s.kind() == v1::REVIEW_ESCALATION_STEP_KIND_DECLINED) {
      text = absl::StrCat(Label(s.decline_reason()), text.empty() ? "" : ": ",
                          text);
    }
    if (s.has_missed_deadline()) {
      text = absl::StrCat("Missed the deadline ", Local(s.missed_deadline()));
    }
    if (s.has_expected_contact_at()) {
      absl::StrAppend(&text, text.empty() ? "" : " ",
                      "(expected with the citizen ",
                      Local(s.expected_contact_at()), ")");
    }
    object row{
        {"time", Local(s.event().occurred_at())},
        {"step", Label(s.kind())},
        {"level", level},
        {"party", party},
        {"deadline", s.has_ack_deadline() ? Local(s.ack_deadline()) : ""},
        {"response", s.has_response_seconds()
                         ? Duration(s.response_seconds().value())
                         : ""},
        {"text", text},
    };
    AddRef(s.event(), row);
    steps.push_back(std::move(row));
  }
  return object{
      {"escalation_id", x.escalation_id()},
      {"status", Label(x.status())},
      {"call_id", OrDash(x.call_id())},
      {"line", OrDash(x.line_id())},
      {"citizen", OrDash(x.citizen_ref())},
      {"urgency", Label(x.urgency())},
      {"channel", Label(x.contact_channel())},
      {"policy", OrDash(x.policy_version())},
      {"reason", OrDash(x.details().reason())},
      {"location", OrDash(x.details().citizen_location())},
      {"contact", OrDash(x.details().contact_instructions())},
      {"steps", steps},
  };
}

data PageData::Handover(const v1::ReviewHandover& h) const {
  list items;
  for (const v1::ReviewHandoverItem& item : h.items()) {
    std::vector<std::string> about;
    if (!item.call_id().empty()) about.push_back("call " + item.call_id());
    if (!item.escalation_id().empty()) {
      about.push_back("escalation " + item.escalation_id());
    }
    if (!item.citizen_ref().empty()) about.push_back(item.citizen_ref());
    items.push_back(object{
        {"kind", Label(item.kind())},
        {"about", absl::StrJoin(about, ", ")},
        {"risk", item.risk_level() == v1::RISK_LEVEL_UNSPECIFIED
                     ? ""
                     : Label(item.risk_level())},
        {"shared", item.shared_with_recipient() ? "yes" : "no"},
        {"text", item.text()},
    });
  }
  std::string answer = "-";
  if (h.kind() == v1::REVIEW_HANDOVER_KIND_OFFERED) {
    answer = h.has_answer()
                 ? absl::StrCat(Label(h.answer().kind()), " ",
                                Local(h.answer().event().occurred_at()), " by ",
                                h.answer().event().actor(), " (event #",
                                h.answer().event().global_position(), ")")
                 : "not answered in the period";
  }
  std::string kind = "Handover offered";
  if (h.kind() == v1::REVIEW_HANDOVER_KIND_PASSED_TO_NIGHT_PARTNER) {
    kind = "Passed to the night partner";
  } else if (h.kind() == v1::REVIEW_HANDOVER_KIND_TAKEN_BACK) {
    kind = "Taken back from the night partner";
  }
  return object{
      {"kind", kind},
      {"line", h.line_id()},
      {"time", Local(h.event().occurred_at())},
      {"from", PartyText(h.from())},
      {"to", PartyText(h.to())},
      {"respond_by", h.has_respond_by() ? Local(h.respond_by()) : "-"},
      {"answer", answer},
      {"pos", absl::StrCat("#", h.event().global_position())},
      {"items", items},
      {"has_other_items", h.other_items() > 0},
      {"other_items", absl::StrCat(h.other_items())},
  };
}

data PageData::Plan(const v1::ReviewCrisisPlanRevision& plan) const {
  const v1::CitizenCrisisPlanUpdatedSensitive& p = plan.plan();
  list parts;
  auto add = [&](const char* label, std::string value) {
    if (!value.empty())
      parts.push_back(object{{"label", label}, {"value", value}});
  };
  add("What helps", absl::StrJoin(p.what_helps(), "; "));
  add("What others can do", absl::StrJoin(p.what_others_can_do(), "; "));
  add("What to avoid", absl::StrJoin(p.what_to_avoid(), "; "));
  add("Warning signs", absl::StrJoin(p.warning_signs(), "; "));
  add("Triggers", absl::StrJoin(p.triggers(), "; "));
  std::vector<std::string> contacts;
  for (const v1::CrisisPlanContact& c : p.contacts()) {
    contacts.push_back(absl::StrJoin(
        {c.name(), c.relation(), c.phone(), c.when_to_contact()}, ", "));
  }
  add("Contacts", absl::StrJoin(contacts, "; "));
  add("Preferred place", p.preferred_place());
  add("Wishes for help", p.wishes_for_help());
  add("Practical arrangements", p.practical_arrangements());
  add("Other", p.other());
  if (plan.has_next_review_at())
    add("Next review", Local(plan.next_review_at()));
  return object{
      {"revision", absl::StrCat(plan.revision())},
      {"time", Local(plan.event().occurred_at())},
      {"agreed", plan.agreed_with_citizen() ? "agreed with the citizen"
                                            : "not agreed with the citizen"},
      {"parts", parts},
  };
}

data PageData::Consent(const v1::ReviewConsent& consent) const {
  std::vector<std::string> scopes;
  for (const v1::ConsentScope& scope : consent.scopes()) {
    std::vector<std::string> categories;
    for (int c : scope.categories()) {
      categories.push_back(EnumLabel(v1::ConsentDataCategory_descriptor(), c));
    }
    scopes.push_back(absl::StrCat(
        Label(scope.recipient_kind()),
        scope.recipient_id().empty() ? "" : " " + scope.recipient_id(), ": ",
        absl::StrJoin(categories, ", ")));
  }
  std::string what =
      consent.withdrawn()
          ? "withdrawn"
          : absl::StrCat("granted: ", absl::StrJoin(scopes, "; "));
  if (consent.has_valid_from()) {
    absl::StrAppend(&what, ", from ", Local(consent.valid_from()));
  }
  if (consent.has_expires_at()) {
    absl::StrAppend(&what, ", until ", Local(consent.expires_at()));
  }
  return object{
      {"time", Local(consent.event().occurred_at())},
      {"consent_id", consent.consent_id()},
      {"what", what},
      {"form", consent.withdrawn() ? "" : Label(consent.form())},
      {"text", consent.text()},
      {"pos", absl::StrCat("#", consent.event().global_position())},
  };
}

data PageData::Of(const v1::ReviewReport& report) const {
  const bool about_call = report.subject().has_call_id();
  list holders, calls, escalations, handovers, plans, consents, accesses,
      entries;
  for (const v1::LineHolding& h : report.line_holders()) {
    holders.push_back(object{
        {"line", h.line_id()},
        {"holder", PartyText(h.holder())},
        {"since", Local(h.since())},
        {"until", h.has_until() ? Local(h.until()) : "still at the end"},
        {"how",
         h.how().empty() ? "held the line when the period began" : h.how()},
        {"pos",
         h.has_event() ? absl::StrCat("#", h.event().global_position()) : ""},
    });
  }
  for (const auto& call : report.calls()) calls.push_back(Call(call));
  for (const auto& x : report.escalations())
    escalations.push_back(Escalation(x));
  for (const auto& h : report.handovers()) handovers.push_back(Handover(h));
  for (const auto& p : report.crisis_plan_revisions()) plans.push_back(Plan(p));
  for (const auto& c : report.consents()) consents.push_back(Consent(c));
  for (const v1::ReviewAccess& a : report.accesses()) {
    accesses.push_back(object{
        {"time", Local(a.event().occurred_at())},
        {"by", a.event().actor()},
        {"kind", Label(a.kind())},
        {"purpose", a.reason().empty()
                        ? Label(a.purpose())
                        : absl::StrCat(Label(a.purpose()), ": ", a.reason())},
        {"query", a.query()},
        {"event_count", absl::StrCat(a.event_count())},
        {"pos", absl::StrCat("#", a.event().global_position())},
    });
  }
  for (const v1::ReviewEntry& e : report.entries()) {
    entries.push_back(object{
        {"pos", absl::StrCat("#", e.event().global_position())},
        {"time", Local(e.event().occurred_at())},
        {"by", e.event().actor()},
        {"description", e.description()},
        {"hash", e.event().hash()},
    });
  }
  std::string period = "the whole log";
  if (report.has_from() && report.has_to()) {
    period = absl::StrCat(Local(report.from()), " to ", Local(report.to()));
  } else if (report.has_from()) {
    period = absl::StrCat("from ", Local(report.from()));
  } else if (report.has_to()) {
    period = absl::StrCat("until ", Local(report.to()));
  } else if (about_call) {
    period = "the whole life of the call";
  }
  const std::string subject =
      about_call ? absl::StrCat("call ", report.subject().call_id())
                 : absl::StrCat("citizen ", report.subject().citizen_ref());
  return object{
      {"title", absl::StrCat("Review of ", subject)},
      {"subject", subject},
      {"period", period},
      {"time_zone", report.time_zone()},
      {"citizens", report.citizen_refs().empty()
                       ? "none"
                       : absl::StrJoin(report.citizen_refs(), ", ")},
      {"generated_at", Local(report.generated_at())},
      {"generated_by", report.generated_by()},
      {"event_count", absl::StrCat(report.event_count())},
      {"has_holders", !holders.empty()},
      {"holders", holders},
      {"calls", calls},
      {"escalations", escalations},
      {"handovers", handovers},
      {"has_citizen_sections", !about_call},
      {"plans", plans},
      {"has_consents", !consents.empty()},
      {"consents", consents},
      {"has_accesses", !accesses.empty()},
      {"accesses", accesses},
      {"entries", entries},
  };
}

}  // namespace

absl::StatusOr<std::string> RenderReviewHtml(const v1::ReviewReport& report) {
  absl::TimeZone zone;
  if (!absl::LoadTimeZone(report.time_zone(), &zone)) {
    return absl::InternalError(absl::StrCat("review: time zone ",
                                            report.time_zone(),
                                            " is not installed (tzdata)"));
  }
  mustache::mustache page(internal::kReviewTemplate);
  if (!page.is_valid()) {
    return absl::InternalError(
        absl::StrCat("review: the HTML template: ", page.error_message()));
  }
  const data values = PageData(zone).Of(report);
  std::string html = page.render(values);
  if (!page.is_valid()) {
    return absl::InternalError(
        absl::StrCat("review: rendering HTML: ", page.error_message()));
  }
  return html;
}

}  // namespace vagt::services
