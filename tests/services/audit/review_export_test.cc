// AuditService.ExportReview end to end: an evening driven through the real
// services (the line taken, a call from a citizen in crisis, an escalation to
// the social emergency service, the handover to the night partner, the
// escalation resolved after midnight), exported for the review meeting as
// HTML and as JSON and compared with golden files in
// tests/services/audit/golden/.
//
// The FakeClock makes every time deterministic and ids derive from request
// ids, except the events' own ids (random UUIDs) which the report leaves out;
// the events' hashes cover those ids, so every 64-digit hex hash is replaced
// by "<sha256>" before comparing. Regenerate the goldens with
//   VAGT_UPDATE_GOLDEN=1 ./review_export_test
// and review the diff.
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "eventstore/timestamps.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "tests/services/service_test_server.h"
#include "vagt/v1/audit.grpc.pb.h"
#include "vagt/v1/calls.grpc.pb.h"
#include "vagt/v1/citizens.grpc.pb.h"
#include "vagt/v1/escalations.grpc.pb.h"
#include "vagt/v1/lines.grpc.pb.h"
#include "vagt/v1/review.pb.h"

namespace vagt {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using ::vagt::testing::ServiceTestServer;

constexpr char kLine[] = "ishoj-bos";
constexpr char kCitizen[] = "citizen-7f3a";
constexpr char kAnna[] = "worker:anna";
constexpr char kLeader[] = "worker:leader";
constexpr char kEmergency[] = "partner:akut-ishoj";
constexpr char kNight[] = "partner:natteravnen";

// A local Copenhagen time in November 2026.
absl::Time Copenhagen(int day, int hour, int minute) {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &zone));
  return absl::FromCivil(absl::CivilMinute(2026, 11, day, hour, minute), zone);
}

v1::Party PartyOf(v1::PartyKind kind, const std::string& id,
                  const std::string& name) {
  v1::Party p;
  p.set_kind(kind);
  p.set_id(id);
  p.set_display_name(name);
  return p;
}

// Every 64-digit lower-case hex string (the events' SHA-256 hashes, which
// cover their random event ids) replaced by "<sha256>".
std::string WithoutHashes(const std::string& text) {
  static const std::regex kHash("[0-9a-f]{64}");
  return std::regex_replace(text, kHash, "<sha256>");
}

// Compares `actual` with the golden file `name`, or rewrites the file when
// VAGT_UPDATE_GOLDEN=1.
void ExpectGolden(const std::string& name, const std::string& actual) {
  const std::string path = absl::StrCat(VAGT_GOLDEN_DIR, "/", name);
  const char* update = std::getenv("VAGT_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
    std::cout << "rewrote " << path << "\n";
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << path
                         << " is missing; run with VAGT_UPDATE_GOLDEN=1";
  std::stringstream expected;
  expected << in.rdbuf();
  if (expected.str() == actual) return;
  const std::vector<std::string> want = absl::StrSplit(expected.str(), '\n');
  const std::vector<std::string> got = absl::StrSplit(actual, '\n');
  size_t line = 0;
  while (line < want.size() && line < got.size() && want[line] == got[line]) {
    ++line;
  }
  ADD_FAILURE() << name << " differs from the golden file from line "
                << line + 1 << ":\n  golden: "
                << (line < want.size() ? want[line] : "<end>")
                << "\n  actual: " << (line < got.size() ? got[line] : "<end>")
                << "\n(if the change is intended: VAGT_UPDATE_GOLDEN=1)";
}

class ReviewExportTest : public ::testing::Test {
 protected:
  void At(int day, int hour, int minute) {
    server_.clock().Set(Copenhagen(day, hour, minute));
  }

  static void Ok(const grpc::Status& s) {
    ASSERT_TRUE(s.ok()) << s.error_code() << ": " << s.error_message();
  }

  // The evening of 24 November 2026 on line ishoj-bos; sets call_id_ and
  // escalation_id_.
  void Evening() {
    v1::CommandResult result;
    // 20:00: citizen-7f3a's consent and crisis plan are on file; Anna takes
    // the line.
    At(24, 20, 0);
    v1::GrantConsentRequest consent;
    consent.set_request_id("consent-1");
    consent.set_citizen_ref(kCitizen);
    consent.set_form(v1::CONSENT_FORM_WRITTEN);
    v1::ConsentScope* scope = consent.add_scopes();
    scope->set_recipient_kind(v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER);
    scope->add_categories(v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES);
    v1::GrantConsentResponse granted;
    Ok(citizens_->GrantConsent(As(kAnna).get(), consent, &granted));
    v1::UpdateCrisisPlanRequest plan;
    plan.set_request_id("plan-1");
    plan.set_citizen_ref(kCitizen);
    plan.set_agreed_with_citizen(true);
    plan.mutable_plan()->add_what_helps("Gå en tur");
    plan.mutable_plan()->set_preferred_place("Hjemme");
    v1::UpdateCrisisPlanResponse planned;
    Ok(citizens_->UpdateCrisisPlan(As(kAnna).get(), plan, &planned));
    v1::TakeLineRequest take;
    take.set_request_id("take-1");
    take.set_line_id(kLine);
    take.set_reason(v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED);
    *take.mutable_holder() =
        PartyOf(v1::PARTY_KIND_TEAM_WORKER, kAnna, "Anna Jensen");
    Ok(lines_->TakeLine(As(kAnna).get(), take, &result));

    // 20:05: the citizen calls; the text has characters HTML must escape.
    At(24, 20, 5);
    v1::ReceiveCallRequest receive;
    receive.set_request_id("call-1");
    receive.set_line_id(kLine);
    receive.set_caller_kind(v1::CALLER_KIND_CITIZEN);
    receive.set_citizen_ref(kCitizen);
    receive.set_channel(v1::CONTACT_CHANNEL_PHONE);
    receive.mutable_details()->set_reason(
        "Stemmerne er tilbage; siger \"jeg kan ikke mere\" & <vil være alene>");
    v1::ReceiveCallResponse received;
    Ok(calls_->ReceiveCall(As(kAnna).get(), receive, &received));
    call_id_ = received.call_id();

    At(24, 20, 8);
    v1::AddCallNoteRequest note;
    note.set_request_id("note-1");
    note.set_call_id(call_id_);
    note.set_text("Har ikke sovet i to døgn");
    Ok(calls_->AddNote(As(kAnna).get(), note, &result));

    At(24, 20, 10);
    v1::AssessRiskRequest risk;
    risk.set_request_id("risk-1");
    risk.set_call_id(call_id_);
    risk.set_level(v1::RISK_LEVEL_HIGH);
    risk.set_reason("Kan ikke være alene i nat");
    Ok(calls_->AssessRisk(As(kAnna).get(), risk, &result));

    At(24, 20, 11);
    v1::RecordCrisisPlanConsultedRequest consulted;
    consulted.set_request_id("plan-consulted-1");
    consulted.set_call_id(call_id_);
    consulted.set_result(v1::CRISIS_PLAN_LOOKUP_RESULT_CONSULTED);
    consulted.set_crisis_plan_revision(planned.revision());
    consulted.set_note("Vil ikke gå en tur; vil ikke være hjemme i nat");
    Ok(calls_->RecordCrisisPlanConsulted(As(kAnna).get(), consulted, &result));

    // 20:12: escalated to the social emergency service, acknowledged after
    // 4 minutes and accepted after 8.
    At(24, 20, 12);
    v1::RaiseEscalationRequest raise;
    raise.set_request_id("escalation-1");
    raise.set_call_id(call_id_);
    raise.set_level(v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
    *raise.mutable_target() = PartyOf(v1::PARTY_KIND_SOCIAL_EMERGENCY_SERVICE,
                                      kEmergency, "Akuttilbuddet Ishøj");
    raise.set_urgency(v1::ESCALATION_URGENCY_URGENT);
    raise.mutable_ack_deadline()->mutable_within()->set_seconds(600);
    raise.set_contact_channel(v1::CONTACT_CHANNEL_PHONE);
    raise.mutable_details()->set_reason("Har brug for et sted at være i nat");
    raise.mutable_details()->set_citizen_location("Hjemme");
    raise.mutable_details()->set_contact_instructions("Ring på hendes mobil");
    v1::RaiseEscalationResponse raised;
    Ok(escalations_->RaiseEscalation(As(kAnna).get(), raise, &raised));
    escalation_id_ = raised.escalation_id();

    At(24, 20, 16);
    v1::AcknowledgeEscalationRequest ack;
    ack.set_request_id("ack-1");
    ack.set_escalation_id(escalation_id_);
    Ok(escalations_->Acknowledge(As(kEmergency).get(), ack, &result));

    At(24, 20, 20);
    v1::AcceptEscalationRequest accept;
    accept.set_request_id("accept-1");
    accept.set_escalation_id(escalation_id_);
    *accept.mutable_expected_contact_at() = ToTimestamp(Copenhagen(24, 21, 0));
    accept.mutable_details()->set_note("Vi henter hende kl. 21");
    Ok(escalations_->Accept(As(kEmergency).get(), accept, &result));

    At(24, 20, 40);
    v1::CloseCallRequest close;
    close.set_request_id("close-1");
    close.set_call_id(call_id_);
    close.set_outcome(v1::CALL_OUTCOME_ESCALATED);
    close.add_escalation_ids(escalation_id_);
    close.mutable_follow_up()->set_needed(true);
    *close.mutable_follow_up()->mutable_owner() =
        PartyOf(v1::PARTY_KIND_TEAM_WORKER, "worker:bo", "Bo Hansen");
    *close.mutable_follow_up()->mutable_due_at() =
        ToTimestamp(Copenhagen(25, 10, 0));
    close.mutable_details()->set_summary("Akuttilbuddet henter hende");
    close.mutable_details()->set_follow_up_task("Ring til hende i formiddag");
    Ok(calls_->CloseCall(As(kAnna).get(), close, &result));

    // 20:45: the risk assessment is corrected (no service records
    // corrections yet, so straight into the store, as the log defines them).
    At(24, 20, 45);
    CorrectRiskAssessment();

    // 21:55: the handover to the night partner. One item cites the call's
    // escalation; one is about another citizen; one is a remark.
    At(24, 21, 55);
    v1::OfferHandoverRequest offer;
    offer.set_request_id("handover-1");
    offer.set_line_id(kLine);
    *offer.mutable_offered_to() =
        PartyOf(v1::PARTY_KIND_NIGHT_PARTNER, kNight, "Natteravnen ApS");
    *offer.mutable_respond_by() = ToTimestamp(Copenhagen(24, 22, 0));
    v1::HandoverItem* item = offer.add_items();
    item->set_kind(v1::HANDOVER_ITEM_KIND_RUNNING_ESCALATION);
    item->set_escalation_id(escalation_id_);
    item->set_call_id(call_id_);
    item->set_risk_level(v1::RISK_LEVEL_HIGH);
    item->mutable_sensitive()->set_text(
        "Akuttilbuddet har hende; ring til dem inden midnat");
    item = offer.add_items();
    item->set_kind(v1::HANDOVER_ITEM_KIND_CITIZEN_TO_WATCH);
    item->set_citizen_ref("citizen-9b2c");
    item->mutable_sensitive()->set_text("Mor er bekymret");
    item = offer.add_items();
    item->set_kind(v1::HANDOVER_ITEM_KIND_REMARK);
    item->mutable_sensitive()->set_text("Bagvagtens telefon skal lades op");
    v1::LineHandoverResponse offered;
    Ok(lines_->OfferHandover(As(kAnna).get(), offer, &offered));

    At(24, 22, 0);
    v1::AcceptHandoverRequest night;
    night.set_request_id("handover-accept-1");
    night.set_line_id(kLine);
    night.set_handover_id(offered.handover_id());
    Ok(lines_->AcceptHandover(As(kNight).get(), night, &result));

    // After midnight the social emergency service resolves the escalation.
    At(25, 0, 15);
    v1::ResolveEscalationRequest resolve;
    resolve.set_request_id("resolve-1");
    resolve.set_escalation_id(escalation_id_);
    resolve.mutable_details()->set_outcome("Hun sover på akuttilbuddet");
    Ok(escalations_->Resolve(As(kEmergency).get(), resolve, &result));
  }

  void CorrectRiskAssessment() {
    auto events = server_.store().ReadStream("call-" + call_id_, 1, 100);
    ASSERT_TRUE(events.ok()) << events.status();
    const v1::EventEnvelope* assessed = nullptr;
    for (const v1::EventEnvelope& e : *events) {
      if (e.payload().has_call_risk_assessed()) assessed = &e;
    }
    ASSERT_NE(assessed, nullptr);
    eventstore::NewEvent correction;
    correction.actor = kAnna;
    v1::CorrectionRecorded& c =
        *correction.payload.mutable_correction_recorded();
    c.set_corrected_event_id(assessed->event_id());
    c.set_corrected_global_position(assessed->global_position());
    c.set_corrected_type(assessed->type());
    c.set_kind(v1::CORRECTION_KIND_AMENDED);
    *c.mutable_replacement() = assessed->payload();
    c.mutable_replacement()->mutable_call_risk_assessed()->set_level(
        v1::RISK_LEVEL_ACUTE);
    c.set_citizen_ref(kCitizen);
    c.mutable_sensitive()->set_reason(
        "Skærpet efter samtalen med akuttilbuddet");
    ASSERT_TRUE(server_.store()
                    .Append({.stream_id = "call-" + call_id_,
                             .request_id = "correction-1",
                             .events = {correction}})
                    .ok());
  }

  v1::ExportReviewRequest CallReview(v1::ReviewFormat format) const {
    v1::ExportReviewRequest r;
    r.set_call_id(call_id_);
    r.set_format(format);
    r.mutable_access()->set_purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
    return r;
  }

  grpc::Status Export(const std::string& actor,
                      const v1::ExportReviewRequest& r,
                      v1::ExportReviewResponse* response) {
    return audit_->ExportReview(As(actor).get(), r, response);
  }

  // The recorded reads of sensitive data, with their readers.
  std::vector<v1::EventEnvelope> Reads() {
    auto all = server_.store().ReadAll(1, 10'000);
    EXPECT_TRUE(all.ok()) << all.status();
    std::vector<v1::EventEnvelope> out;
    for (v1::EventEnvelope& e : *all) {
      if (e.payload().has_sensitive_data_accessed()) out.push_back(e);
    }
    return out;
  }

  static std::unique_ptr<grpc::ClientContext> As(const std::string& actor) {
    return ServiceTestServer::As(actor);
  }

  ServiceTestServer server_;
  std::unique_ptr<v1::CallService::Stub> calls_ =
      v1::CallService::NewStub(server_.channel());
  std::unique_ptr<v1::EscalationService::Stub> escalations_ =
      v1::EscalationService::NewStub(server_.channel());
  std::unique_ptr<v1::LineService::Stub> lines_ =
      v1::LineService::NewStub(server_.channel());
  std::unique_ptr<v1::CitizenService::Stub> citizens_ =
      v1::CitizenService::NewStub(server_.channel());
  std::unique_ptr<v1::AuditService::Stub> audit_ =
      v1::AuditService::NewStub(server_.channel());
  std::string call_id_, escalation_id_;
};

TEST_F(ReviewExportTest, EveningCallReviewMatchesTheGoldenHtmlAndJson) {
  ASSERT_NO_FATAL_FAILURE(Evening());
  // The next morning the team leader prepares the review meeting.
  At(25, 9, 0);
  v1::ExportReviewResponse html;
  Ok(Export(kLeader, CallReview(v1::REVIEW_FORMAT_HTML), &html));
  EXPECT_EQ(html.content_type(), "text/html; charset=utf-8");
  EXPECT_EQ(html.file_name(), absl::StrCat("review-call-", call_id_, ".html"));
  ExpectGolden("review_call.html", WithoutHashes(html.content()));

  At(25, 9, 1);
  v1::ExportReviewResponse json;
  Ok(Export(kLeader, CallReview(v1::REVIEW_FORMAT_JSON), &json));
  EXPECT_EQ(json.content_type(), "application/json");
  EXPECT_EQ(json.file_name(), absl::StrCat("review-call-", call_id_, ".json"));
  ExpectGolden("review_call.json", WithoutHashes(json.content()));

  // What the goldens hold, checked on the JSON as data.
  v1::ReviewReport report;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json.content(), &report)
          .ok());
  EXPECT_EQ(report.event_count(), static_cast<uint32_t>(report.entries_size()));
  EXPECT_THAT(report.citizen_refs(), ElementsAre(kCitizen));
  ASSERT_EQ(report.line_holders_size(), 2);
  EXPECT_EQ(report.line_holders(0).holder().id(), kAnna);
  EXPECT_EQ(report.line_holders(1).holder().id(), kNight);
  EXPECT_EQ(ToTime(report.line_holders(1).since()), Copenhagen(24, 22, 0));
  ASSERT_EQ(report.escalations_size(), 1);
  const auto& steps = report.escalations(0).steps();
  ASSERT_EQ(steps.size(), 4);
  EXPECT_EQ(steps[1].kind(), v1::REVIEW_ESCALATION_STEP_KIND_ACKNOWLEDGED);
  EXPECT_EQ(steps[1].response_seconds().value(), 4 * 60);
  EXPECT_EQ(steps[2].response_seconds().value(), 8 * 60);
  EXPECT_EQ(report.escalations(0).status(),
            v1::REVIEW_ESCALATION_STATUS_RESOLVED);
  ASSERT_EQ(report.calls_size(), 1);
  ASSERT_EQ(report.calls(0).risk_assessments_size(), 1);
  EXPECT_EQ(report.calls(0).risk_assessments(0).event().corrections_size(), 1);
  ASSERT_EQ(report.handovers_size(), 1);
  EXPECT_EQ(report.handovers(0).items_size(), 1);
  EXPECT_EQ(report.handovers(0).other_items(), 2u);
  EXPECT_TRUE(report.handovers(0).items(0).shared_with_recipient());
  EXPECT_EQ(report.handovers(0).answer().kind(),
            v1::REVIEW_HANDOVER_ANSWER_KIND_ACCEPTED);
  // The HTML export's own read is among the reads the JSON shows.
  ASSERT_EQ(report.accesses_size(), 1);
  EXPECT_EQ(report.accesses(0).event().actor(), kLeader);

  // Nothing about the other citizen of the handover note; text escaped; the
  // night crosses midnight.
  for (const std::string& content : {html.content(), json.content()}) {
    EXPECT_THAT(content, Not(HasSubstr("citizen-9b2c")));
    EXPECT_THAT(content, Not(HasSubstr("Mor er bekymret")));
    EXPECT_THAT(content, Not(HasSubstr("lades op")));
  }
  EXPECT_THAT(html.content(),
              HasSubstr("&quot;jeg kan ikke mere&quot; &amp; &lt;vil være "
                        "alene&gt;"));
  EXPECT_THAT(html.content(), Not(HasSubstr("<vil")));
  EXPECT_THAT(html.content(), HasSubstr("2026-11-25 00:15"));
  EXPECT_THAT(html.content(), Not(HasSubstr("<script")));
}

TEST_F(ReviewExportTest, ExportIsRecordedAsOneReadOfTheCitizensData) {
  ASSERT_NO_FATAL_FAILURE(Evening());
  ASSERT_TRUE(Reads().empty());
  v1::ExportReviewResponse json;
  Ok(Export(kLeader, CallReview(v1::REVIEW_FORMAT_JSON), &json));
  v1::ReviewReport report;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json.content(), &report)
          .ok());

  const std::vector<v1::EventEnvelope> reads = Reads();
  ASSERT_EQ(reads.size(), 1u);
  EXPECT_EQ(reads[0].actor(), kLeader);
  const v1::SensitiveDataAccessed& read =
      reads[0].payload().sensitive_data_accessed();
  EXPECT_EQ(read.kind(), v1::ACCESS_KIND_REVIEW_EXPORT);
  EXPECT_EQ(read.purpose(), v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  EXPECT_THAT(read.citizen_refs(), ElementsAre(kCitizen));
  EXPECT_EQ(read.query(), absl::StrCat("call_id=", call_id_));
  EXPECT_EQ(read.event_count(), report.event_count());
}

TEST_F(ReviewExportTest, CitizenReviewAddsCrisisPlanAndConsents) {
  ASSERT_NO_FATAL_FAILURE(Evening());
  v1::ExportReviewRequest r;
  r.set_citizen_ref(kCitizen);
  r.set_format(v1::REVIEW_FORMAT_JSON);
  r.mutable_access()->set_purpose(v1::ACCESS_PURPOSE_CRISIS_REVIEW);
  *r.mutable_from() = ToTimestamp(Copenhagen(24, 0, 0));
  *r.mutable_to() = ToTimestamp(Copenhagen(26, 0, 0));
  v1::ExportReviewResponse json;
  Ok(Export(kLeader, r, &json));
  EXPECT_EQ(json.file_name(), "review-citizen-7f3a.json");
  v1::ReviewReport report;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(json.content(), &report)
          .ok());
  EXPECT_EQ(report.subject().citizen_ref(), kCitizen);
  ASSERT_EQ(report.crisis_plan_revisions_size(), 1);
  EXPECT_EQ(report.crisis_plan_revisions(0).plan().preferred_place(), "Hjemme");
  ASSERT_EQ(report.consents_size(), 1);
  EXPECT_FALSE(report.consents(0).withdrawn());
  ASSERT_EQ(report.calls_size(), 1);
  EXPECT_EQ(report.calls(0).call_id(), call_id_);
  ASSERT_EQ(report.escalations_size(), 1);
  EXPECT_EQ(report.handovers_size(), 1);
  EXPECT_THAT(json.content(), Not(HasSubstr("Mor er bekymret")));

  r.set_format(v1::REVIEW_FORMAT_HTML);
  v1::ExportReviewResponse html;
  Ok(Export(kLeader, r, &html));
  EXPECT_EQ(html.file_name(), "review-citizen-7f3a.html");
  EXPECT_THAT(html.content(), HasSubstr("<h3>Revision 1, 2026-11-24 20:00 "
                                        "(agreed with the citizen)</h3>"));
  EXPECT_THAT(html.content(),
              HasSubstr("<tr><th>What helps</th><td>Gå en tur</td></tr>"));
  EXPECT_THAT(html.content(),
              HasSubstr("granted: night partner: handover notes"));
  // The JSON export just before is among the reads of her data.
  EXPECT_THAT(html.content(), HasSubstr("<td>review export</td>"));

  // A range before the evening holds nothing about her.
  *r.mutable_to() = ToTimestamp(Copenhagen(24, 12, 0));
  const grpc::Status none = Export(kLeader, r, &json);
  EXPECT_EQ(none.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(none.error_message(), HasSubstr(kCitizen));
}

TEST_F(ReviewExportTest,
       RefusesPartnersMissingPurposeUnknownCallsAndBadFormats) {
  ASSERT_NO_FATAL_FAILURE(Evening());
  v1::ExportReviewResponse response;

  const grpc::Status partner =
      Export(kNight, CallReview(v1::REVIEW_FORMAT_HTML), &response);
  EXPECT_EQ(partner.error_code(), grpc::StatusCode::PERMISSION_DENIED);

  v1::ExportReviewRequest no_purpose = CallReview(v1::REVIEW_FORMAT_HTML);
  no_purpose.clear_access();
  const grpc::Status purpose = Export(kLeader, no_purpose, &response);
  EXPECT_EQ(purpose.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(purpose.error_message(), HasSubstr("access.purpose"));

  v1::ExportReviewRequest unknown = CallReview(v1::REVIEW_FORMAT_HTML);
  unknown.set_call_id("00000000-0000-4000-8000-000000000000");
  const grpc::Status missing = Export(kLeader, unknown, &response);
  EXPECT_EQ(missing.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(missing.error_message(),
              HasSubstr("00000000-0000-4000-8000-000000000000"));

  for (int format : {0, 7}) {
    v1::ExportReviewRequest bad = CallReview(v1::REVIEW_FORMAT_HTML);
    bad.set_format(static_cast<v1::ReviewFormat>(format));
    const grpc::Status s = Export(kLeader, bad, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << format;
    EXPECT_THAT(s.error_message(), HasSubstr("format"));
  }
  // None of the refused exports was recorded as a read.
  EXPECT_TRUE(Reads().empty());
}

}  // namespace
}  // namespace vagt
