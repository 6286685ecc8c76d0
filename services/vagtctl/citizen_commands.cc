// vagtctl citizen ...: a citizen's crisis plan and consents (CitizenService).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "services/vagtctl/command_line.h"
#include "services/vagtctl/commands.h"
#include "services/vagtctl/local_time.h"
#include "vagt/v1/citizens.grpc.pb.h"

namespace vagt::vagtctl {
namespace {

using Stub = v1::CitizenService::Stub;

std::unique_ptr<Stub> CitizenStub(const Session& s) {
  return v1::CitizenService::NewStub(s.connection.channel());
}

// ---------------------------------------------------------------------------
// citizen plan

struct PlanOptions {
  std::string citizen;
  std::vector<std::string> helps;
  std::vector<std::string> others_can;
  std::vector<std::string> avoid;
  std::vector<std::string> warning_signs;
  std::vector<std::string> triggers;
  std::vector<std::string> contacts;
  std::string place;
  std::string wishes;
  std::string practical;
  std::string other;
  bool agreed = false;
  std::string review_by;
  std::vector<std::string> calls;
  std::vector<std::string> escalations;
};

// "NAME,RELATION,PHONE[,WHEN]"; the last part may contain commas.
v1::CrisisPlanContact ParseContact(const std::string& spec) {
  std::vector<std::string> parts =
      absl::StrSplit(spec, absl::MaxSplits(',', 3));
  parts.resize(4);
  v1::CrisisPlanContact contact;
  contact.set_name(parts[0]);
  contact.set_relation(parts[1]);
  contact.set_phone(parts[2]);
  contact.set_when_to_contact(parts[3]);
  return contact;
}

int Plan(const PlanOptions& o, Session& s) {
  v1::UpdateCrisisPlanRequest request;
  request.set_request_id(s.request_id());
  request.set_citizen_ref(o.citizen);
  v1::CitizenCrisisPlanUpdatedSensitive* plan = request.mutable_plan();
  for (const std::string& t : o.helps) plan->add_what_helps(t);
  for (const std::string& t : o.others_can) plan->add_what_others_can_do(t);
  for (const std::string& t : o.avoid) plan->add_what_to_avoid(t);
  for (const std::string& t : o.warning_signs) plan->add_warning_signs(t);
  for (const std::string& t : o.triggers) plan->add_triggers(t);
  for (const std::string& c : o.contacts) {
    *plan->add_contacts() = ParseContact(c);
  }
  plan->set_preferred_place(o.place);
  plan->set_wishes_for_help(o.wishes);
  plan->set_practical_arrangements(o.practical);
  plan->set_other(o.other);
  request.set_agreed_with_citizen(o.agreed);
  if (!o.review_by.empty()) {
    absl::StatusOr<absl::Time> by =
        ParseLocalTime(o.review_by, s.now, "--review-by");
    if (!by.ok()) return Output::UsageError(std::string(by.status().message()));
    *request.mutable_next_review_at() = ToTimestamp(*by);
  }
  for (const std::string& id : o.calls) request.add_related_call_ids(id);
  for (const std::string& id : o.escalations) {
    request.add_related_escalation_ids(id);
  }
  v1::UpdateCrisisPlanResponse response;
  auto stub = CitizenStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::UpdateCrisisPlan, request, &response), response,
      [&] {
        return absl::StrCat("Crisis plan of ", o.citizen,
                            " recorded as revision ", response.revision(),
                            o.agreed ? ", agreed with the citizen" : "", ".",
                            RetryNote(response.result()));
      });
}

void AddPlan(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<PlanOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "plan",
      "Record a new revision of a citizen's crisis plan (the whole plan)",
      R"(  vagtctl citizen plan citizen-7f3a --agreed \
      --helps "Walking the dog" --helps "Talking to her sister" \
      --avoid "Raised voices" --warning-sign "Stops eating" \
      --contact "Mette,sister,+45 12 34 56 78,Any time" \
      --place "At home with her sister" --review-by 2027-02-01T10:00

Repeatable options (--helps, --avoid, ...) give one entry each. The plan is
recorded whole: repeat what still holds from the previous revision.)",
      [o](Session& s) { return Plan(*o, s); });
  cmd->add_option("CITIZEN", o->citizen, "The citizen, citizen-<id>")
      ->required();
  auto list = [cmd](const std::string& name, std::vector<std::string>* v,
                    const std::string& description) {
    cmd->add_option(name, *v, description + " (repeatable)")
        ->allow_extra_args(false);
  };
  list("--helps", &o->helps, "What the citizen can do that helps");
  list("--others-can", &o->others_can, "What others can do that helps");
  list("--avoid", &o->avoid, "What to avoid");
  list("--warning-sign", &o->warning_signs, "An early warning sign");
  list("--trigger", &o->triggers, "What tends to trigger a crisis");
  list("--contact", &o->contacts,
       "Who to contact: NAME,RELATION,PHONE[,WHEN], in order of preference");
  cmd->add_option("--place", o->place,
                  "Where the citizen wants to be if things get worse");
  cmd->add_option("--wishes", o->wishes,
                  "What the citizen wants help with, and from whom");
  cmd->add_option("--practical", o->practical,
                  "Practical arrangements if admitted (children, pets, ...)");
  cmd->add_option("--other", o->other, "Anything else the plan says");
  cmd->add_flag("--agreed", o->agreed,
                "The citizen took part in and agreed to this revision");
  cmd->add_option("--review-by", o->review_by,
                  "When the plan is next reviewed, local time");
  list("--call", &o->calls, "A call whose review led to this revision");
  list("--escalation", &o->escalations,
       "An escalation whose review led to this revision");
}

// ---------------------------------------------------------------------------
// citizen consent / withdraw-consent

struct ConsentOptions {
  std::string citizen;
  std::vector<std::string> shares;
  v1::ConsentForm form = v1::CONSENT_FORM_UNSPECIFIED;
  std::string from;
  std::string until;
  std::string conditions;
};

// "RECIPIENT[/PARTNER_ID]=CATEGORY[,CATEGORY...]".
absl::StatusOr<v1::ConsentScope> ParseShare(const std::string& spec) {
  const std::vector<std::string> sides =
      absl::StrSplit(spec, absl::MaxSplits('=', 1));
  if (sides.size() != 2 || sides[1].empty()) {
    return absl::InvalidArgumentError(
        "--share: use RECIPIENT[/PARTNER_ID]=CATEGORY[,CATEGORY...], e.g. "
        "night-partner=handover,crisis-plan");
  }
  const std::vector<std::string> who =
      absl::StrSplit(sides[0], absl::MaxSplits('/', 1));
  v1::ConsentScope scope;
  absl::StatusOr<int> kind = ParseWord(kConsentRecipients, who[0], "--share");
  if (!kind.ok()) return kind.status();
  scope.set_recipient_kind(static_cast<v1::ConsentRecipientKind>(*kind));
  if (who.size() > 1) scope.set_recipient_id(who[1]);
  for (absl::string_view category : absl::StrSplit(sides[1], ',')) {
    absl::StatusOr<int> c =
        ParseWord(kConsentCategories, std::string(category), "--share");
    if (!c.ok()) return c.status();
    scope.add_categories(static_cast<v1::ConsentDataCategory>(*c));
  }
  return scope;
}

// "night-partner may see handover, crisis-plan; doctor may see calls".
std::string ShowScopes(const v1::GrantConsentRequest& request) {
  std::vector<std::string> out;
  for (const v1::ConsentScope& scope : request.scopes()) {
    std::vector<std::string> categories;
    for (int c : scope.categories()) {
      categories.push_back(WordFor(kConsentCategories, c));
    }
    out.push_back(absl::StrCat(
        WordFor(kConsentRecipients, scope.recipient_kind()),
        scope.recipient_id().empty() ? "" : " " + scope.recipient_id(),
        " may see ", absl::StrJoin(categories, ", ")));
  }
  return absl::StrJoin(out, "; ");
}

int Consent(const ConsentOptions& o, Session& s) {
  v1::GrantConsentRequest request;
  request.set_request_id(s.request_id());
  request.set_citizen_ref(o.citizen);
  request.set_form(o.form);
  request.set_conditions(o.conditions);
  for (const std::string& spec : o.shares) {
    absl::StatusOr<v1::ConsentScope> scope = ParseShare(spec);
    if (!scope.ok()) {
      return Output::UsageError(std::string(scope.status().message()));
    }
    *request.add_scopes() = *scope;
  }
  if (!o.from.empty()) {
    absl::StatusOr<absl::Time> from = ParseLocalTime(o.from, s.now, "--from");
    if (!from.ok()) {
      return Output::UsageError(std::string(from.status().message()));
    }
    *request.mutable_valid_from() = ToTimestamp(*from);
  }
  if (!o.until.empty()) {
    absl::StatusOr<absl::Time> until =
        ParseLocalTime(o.until, s.now, "--until");
    if (!until.ok()) {
      return Output::UsageError(std::string(until.status().message()));
    }
    *request.mutable_expires_at() = ToTimestamp(*until);
  }
  v1::GrantConsentResponse response;
  auto stub = CitizenStub(s);
  return s.output.Report(
      Send(s, *stub, &Stub::GrantConsent, request, &response), response, [&] {
        return absl::StrCat(
            "Consent ", response.consent_id(), " of ", o.citizen, " recorded (",
            WordFor(kConsentForms, o.form), "): ", ShowScopes(request),
            request.has_expires_at()
                ? absl::StrCat(
                      ", until ",
                      FormatLocalTime(ToTime(request.expires_at()), s.now))
                : "",
            ".", RetryNote(response.result()));
      });
}

void AddConsent(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<ConsentOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "consent",
      "Record a citizen's consent to share data (prints the consent id)",
      absl::StrCat(
          R"(  vagtctl citizen consent citizen-7f3a --form written \
      --share night-partner=handover,crisis-plan --share doctor=calls,risk
  vagtctl citizen consent citizen-7f3a --form oral \
      --share night-partner/partner:natpartner=handover --until 2027-06-01T00:00

Recipients: )",
          Choices(kConsentRecipients),
          "\nCategories: ", Choices(kConsentCategories)),
      [o](Session& s) { return Consent(*o, s); });
  cmd->add_option("CITIZEN", o->citizen, "The citizen, citizen-<id>")
      ->required();
  cmd->add_option("--share", o->shares,
                  "Who may see what: RECIPIENT[/PARTNER_ID]=CATEGORY,... "
                  "(repeatable)")
      ->required()
      ->allow_extra_args(false);
  AddChoice(cmd, "--form", &o->form, kConsentForms, "How it was given")
      ->required();
  cmd->add_option("--from", o->from, "From when it applies (default: now)");
  cmd->add_option("--until", o->until,
                  "When it lapses by itself (default: until withdrawn)");
  cmd->add_option("--conditions", o->conditions,
                  "Conditions in the citizen's words; network persons by name");
}

struct WithdrawOptions {
  std::string citizen;
  std::string consent;
  std::string note;
};

void AddWithdrawConsent(CommandLine& cli, CLI::App* group) {
  auto o = std::make_shared<WithdrawOptions>();
  CLI::App* cmd = cli.AddCommand(
      group, "withdraw-consent",
      "Record that a citizen withdrew a consent: nothing more is shared under "
      "it",
      R"(  vagtctl citizen withdraw-consent citizen-7f3a CONSENT_ID)",
      [o](Session& s) {
        v1::WithdrawConsentRequest request;
        request.set_request_id(s.request_id());
        request.set_citizen_ref(o->citizen);
        request.set_consent_id(o->consent);
        request.set_note(o->note);
        v1::CommandResult result;
        auto stub = CitizenStub(s);
        return s.output.Report(
            Send(s, *stub, &Stub::WithdrawConsent, request, &result), result,
            [&] {
              return absl::StrCat("Consent ", o->consent, " of ", o->citizen,
                                  " withdrawn.", RetryNote(result));
            });
      });
  cmd->add_option("CITIZEN", o->citizen, "The citizen, citizen-<id>")
      ->required();
  cmd->add_option("CONSENT", o->consent,
                  "The consent id (printed by vagtctl citizen consent)")
      ->required();
  cmd->add_option("--note", o->note, "Anything the citizen said about it");
}

}  // namespace

void AddCitizenCommands(CommandLine& cli) {
  CLI::App* group = cli.AddGroup(
      "citizen", "A citizen's crisis plan and consents",
      R"(  vagtctl citizen plan citizen-7f3a --helps "Walking the dog" --agreed
  vagtctl citizen consent citizen-7f3a --form written --share night-partner=handover
  vagtctl citizen withdraw-consent citizen-7f3a CONSENT_ID)");
  AddPlan(cli, group);
  AddConsent(cli, group);
  AddWithdrawConsent(cli, group);
}

}  // namespace vagt::vagtctl
