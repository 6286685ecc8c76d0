#include "tests/services/duty_commands.h"

#include <atomic>
#include <utility>

#include "absl/strings/str_cat.h"
#include "eventstore/timestamps.h"
#include "gtest/gtest.h"
#include "tests/services/service_test_server.h"

namespace vagt::testing {
namespace {

// The position of a successful command; 0 (and a test failure) otherwise.
uint64_t PositionOf(const grpc::Status& s, const v1::CommandResult& result,
                    const char* command) {
  EXPECT_TRUE(s.ok()) << command << ": " << s.error_message();
  return s.ok() ? result.last_position() : 0;
}

}  // namespace

v1::HandoverItem CitizenToWatch(const std::string& citizen_ref,
                                const std::string& text) {
  v1::HandoverItem item;
  item.set_kind(v1::HANDOVER_ITEM_KIND_CITIZEN_TO_WATCH);
  item.set_citizen_ref(citizen_ref);
  item.set_risk_level(v1::RISK_LEVEL_MODERATE);
  item.mutable_sensitive()->set_text(text);
  return item;
}

v1::HandoverItem Remark(const std::string& text) {
  v1::HandoverItem item;
  item.set_kind(v1::HANDOVER_ITEM_KIND_REMARK);
  item.mutable_sensitive()->set_text(text);
  return item;
}

DutyCommands::DutyCommands(const std::shared_ptr<grpc::Channel>& channel,
                           ContextFor as)
    : as_(as != nullptr ? std::move(as) : &ServiceTestServer::As),
      lines_(v1::LineService::NewStub(channel)),
      calls_(v1::CallService::NewStub(channel)),
      escalations_(v1::EscalationService::NewStub(channel)),
      citizens_(v1::CitizenService::NewStub(channel)) {}

std::string DutyCommands::NewRequestId() {
  // Unique in the process, so two DutyCommands on one server never collide.
  static std::atomic<int> next = 0;
  return absl::StrCat("duty-", ++next);
}

uint64_t DutyCommands::TakeLine(const std::string& line,
                                const std::string& actor) {
  v1::TakeLineRequest r;
  r.set_request_id(NewRequestId());
  r.set_line_id(line);
  r.set_reason(v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED);
  v1::CommandResult result;
  grpc::Status s = lines_->TakeLine(as_(actor).get(), r, &result);
  return PositionOf(s, result, "TakeLine");
}

Created DutyCommands::ReceiveCall(const std::string& line,
                                  const std::string& actor,
                                  const std::string& citizen_ref) {
  v1::ReceiveCallRequest r;
  r.set_request_id(NewRequestId());
  r.set_line_id(line);
  r.set_caller_kind(citizen_ref.empty() ? v1::CALLER_KIND_ANONYMOUS
                                        : v1::CALLER_KIND_CITIZEN);
  r.set_citizen_ref(citizen_ref);
  r.set_channel(v1::CONTACT_CHANNEL_PHONE);
  r.mutable_details()->set_reason("kan ikke sove");
  v1::ReceiveCallResponse response;
  grpc::Status s = calls_->ReceiveCall(as_(actor).get(), r, &response);
  return {response.call_id(), PositionOf(s, response.result(), "ReceiveCall")};
}

uint64_t DutyCommands::AssessRisk(const std::string& call_id,
                                  const std::string& actor,
                                  v1::RiskLevel level) {
  v1::AssessRiskRequest r;
  r.set_request_id(NewRequestId());
  r.set_call_id(call_id);
  r.set_level(level);
  r.set_reason("uro og søvnløshed");
  v1::CommandResult result;
  grpc::Status s = calls_->AssessRisk(as_(actor).get(), r, &result);
  return PositionOf(s, result, "AssessRisk");
}

uint64_t DutyCommands::CloseCall(const std::string& call_id,
                                 const std::string& actor) {
  v1::CloseCallRequest r;
  r.set_request_id(NewRequestId());
  r.set_call_id(call_id);
  r.set_outcome(v1::CALL_OUTCOME_RESOLVED_ON_CALL);
  v1::CommandResult result;
  grpc::Status s = calls_->CloseCall(as_(actor).get(), r, &result);
  return PositionOf(s, result, "CloseCall");
}

Created DutyCommands::RaiseToBackup(const std::string& call_id,
                                    const std::string& actor,
                                    const std::string& target) {
  v1::RaiseEscalationRequest r;
  r.set_request_id(NewRequestId());
  r.set_call_id(call_id);
  r.set_level(v1::ESCALATION_LEVEL_BACKUP);
  r.mutable_target()->set_id(target);
  r.set_urgency(v1::ESCALATION_URGENCY_URGENT);
  r.mutable_details()->set_reason("kan ikke være alene i nat");
  v1::RaiseEscalationResponse response;
  grpc::Status s =
      escalations_->RaiseEscalation(as_(actor).get(), r, &response);
  return {response.escalation_id(),
          PositionOf(s, response.result(), "RaiseEscalation")};
}

uint64_t DutyCommands::Acknowledge(const std::string& escalation_id,
                                   const std::string& actor) {
  v1::AcknowledgeEscalationRequest r;
  r.set_request_id(NewRequestId());
  r.set_escalation_id(escalation_id);
  v1::CommandResult result;
  grpc::Status s = escalations_->Acknowledge(as_(actor).get(), r, &result);
  return PositionOf(s, result, "Acknowledge");
}

uint64_t DutyCommands::Resolve(const std::string& escalation_id,
                               const std::string& actor) {
  v1::ResolveEscalationRequest r;
  r.set_request_id(NewRequestId());
  r.set_escalation_id(escalation_id);
  r.mutable_details()->set_outcome("borgeren er faldet til ro");
  v1::CommandResult result;
  grpc::Status s = escalations_->Resolve(as_(actor).get(), r, &result);
  return PositionOf(s, result, "Resolve");
}

Created DutyCommands::OfferHandover(const std::string& line,
                                    const std::string& actor,
                                    const v1::Party& to,
                                    std::vector<v1::HandoverItem> items,
                                    absl::Time respond_by) {
  v1::OfferHandoverRequest r;
  r.set_request_id(NewRequestId());
  r.set_line_id(line);
  *r.mutable_offered_to() = to;
  for (v1::HandoverItem& item : items) *r.add_items() = std::move(item);
  if (respond_by != absl::InfiniteFuture()) {
    *r.mutable_respond_by() = ToTimestamp(respond_by);
  }
  v1::LineHandoverResponse response;
  grpc::Status s = lines_->OfferHandover(as_(actor).get(), r, &response);
  return {response.handover_id(),
          PositionOf(s, response.result(), "OfferHandover")};
}

uint64_t DutyCommands::AcceptHandover(const std::string& line,
                                      const std::string& actor,
                                      const std::string& handover_id) {
  v1::AcceptHandoverRequest r;
  r.set_request_id(NewRequestId());
  r.set_line_id(line);
  r.set_handover_id(handover_id);
  v1::CommandResult result;
  grpc::Status s = lines_->AcceptHandover(as_(actor).get(), r, &result);
  return PositionOf(s, result, "AcceptHandover");
}

Created DutyCommands::PassToNightPartner(const std::string& line,
                                         const std::string& actor,
                                         const std::string& night_partner,
                                         std::vector<v1::HandoverItem> items) {
  v1::PassToNightPartnerRequest r;
  r.set_request_id(NewRequestId());
  r.set_line_id(line);
  *r.mutable_night_partner() = NightPartner(night_partner);
  for (v1::HandoverItem& item : items) *r.add_items() = std::move(item);
  v1::LineHandoverResponse response;
  grpc::Status s = lines_->PassToNightPartner(as_(actor).get(), r, &response);
  return {response.handover_id(),
          PositionOf(s, response.result(), "PassToNightPartner")};
}

uint64_t DutyCommands::AssignBackup(const std::string& line,
                                    const std::string& actor,
                                    const std::string& backup,
                                    absl::Time starts_at, absl::Time ends_at) {
  v1::AssignBackupRequest r;
  r.set_request_id(NewRequestId());
  r.set_line_id(line);
  *r.mutable_backup() = TeamWorker(backup);
  *r.mutable_starts_at() = ToTimestamp(starts_at);
  *r.mutable_ends_at() = ToTimestamp(ends_at);
  v1::CommandResult result;
  grpc::Status s = lines_->AssignBackup(as_(actor).get(), r, &result);
  return PositionOf(s, result, "AssignBackup");
}

Created DutyCommands::ConsentToNightPartner(const std::string& citizen_ref,
                                            const std::string& actor) {
  v1::GrantConsentRequest r;
  r.set_request_id(NewRequestId());
  r.set_citizen_ref(citizen_ref);
  r.set_form(v1::CONSENT_FORM_WRITTEN);
  v1::ConsentScope* scope = r.add_scopes();
  scope->set_recipient_kind(v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER);
  scope->add_categories(v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES);
  v1::GrantConsentResponse response;
  grpc::Status s = citizens_->GrantConsent(as_(actor).get(), r, &response);
  return {response.consent_id(),
          PositionOf(s, response.result(), "GrantConsent")};
}

}  // namespace vagt::testing
