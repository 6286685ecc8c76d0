// LineService through gRPC: every allowed and forbidden transition of a line,
// who may do what, what a handover note shares with the night partner (also
// for items that cite a call or an escalation), retries by request id, field
// errors, and two parties accepting one handover at the same moment.
#include <latch>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "domain/field_checks.h"
#include "gmock/gmock.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"
#include "services/common/ids.h"
#include "services/lines/line_state.h"
#include "tests/services/service_test_server.h"
#include "vagt/v1/calls.grpc.pb.h"
#include "vagt/v1/citizens.grpc.pb.h"
#include "vagt/v1/escalations.grpc.pb.h"
#include "vagt/v1/lines.grpc.pb.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::vagt::services::LineState;
using ::vagt::testing::ServiceTestServer;
using Phase = LineState::Phase;

constexpr char kAnna[] = "worker:anna";
constexpr char kBo[] = "worker:bo";
constexpr char kCarl[] = "worker:carl";
constexpr char kNight[] = "partner:natteravnen";

v1::Party Worker(const std::string& id) {
  v1::Party p;
  p.set_kind(v1::PARTY_KIND_TEAM_WORKER);
  p.set_id(id);
  return p;
}

v1::Party NightPartner(const std::string& id = kNight) {
  v1::Party p;
  p.set_kind(v1::PARTY_KIND_NIGHT_PARTNER);
  p.set_id(id);
  p.set_display_name("Natteravnen ApS");
  return p;
}

google::protobuf::Timestamp At(absl::Time t) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(absl::ToUnixSeconds(t));
  return ts;
}

v1::HandoverItem WatchCitizen(const std::string& citizen_ref,
                              const std::string& text) {
  v1::HandoverItem item;
  item.set_kind(v1::HANDOVER_ITEM_KIND_CITIZEN_TO_WATCH);
  item.set_citizen_ref(citizen_ref);
  item.set_risk_level(v1::RISK_LEVEL_MODERATE);
  item.mutable_sensitive()->set_text(text);
  return item;
}

// An open call, naming its citizen only when `citizen_ref` is set.
v1::HandoverItem OpenCallItem(const std::string& call_id,
                              const std::string& citizen_ref = "") {
  v1::HandoverItem item;
  item.set_kind(v1::HANDOVER_ITEM_KIND_OPEN_CALL);
  item.set_call_id(call_id);
  item.set_citizen_ref(citizen_ref);
  item.mutable_sensitive()->set_text("ring hende op inden midnat");
  return item;
}

// A running escalation, naming its citizen only when `citizen_ref` is set.
v1::HandoverItem EscalationItem(const std::string& escalation_id,
                                const std::string& citizen_ref = "") {
  v1::HandoverItem item;
  item.set_kind(v1::HANDOVER_ITEM_KIND_RUNNING_ESCALATION);
  item.set_escalation_id(escalation_id);
  item.set_citizen_ref(citizen_ref);
  item.mutable_sensitive()->set_text("akuttilbuddet har kvitteret");
  return item;
}

v1::HandoverItem Remark(const std::string& text) {
  v1::HandoverItem item;
  item.set_kind(v1::HANDOVER_ITEM_KIND_REMARK);
  item.mutable_sensitive()->set_text(text);
  return item;
}

class LineServiceTest : public ::testing::Test {
 protected:
  std::string NewRequestId() { return absl::StrCat("req-", ++requests_); }

  grpc::Status Take(const std::string& line, const std::string& actor,
                    v1::LineCoverageTakeReason reason) {
    v1::TakeLineRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id(line);
    r.set_reason(reason);
    v1::CommandResult result;
    return lines_->TakeLine(ServiceTestServer::As(actor).get(), r, &result);
  }

  // The handover id on success.
  std::optional<std::string> Offer(const std::string& line,
                                   const std::string& actor,
                                   const v1::Party& to,
                                   grpc::Status* status = nullptr,
                                   std::vector<v1::HandoverItem> items = {}) {
    v1::OfferHandoverRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id(line);
    *r.mutable_offered_to() = to;
    for (v1::HandoverItem& item : items) *r.add_items() = std::move(item);
    v1::LineHandoverResponse response;
    grpc::Status s =
        lines_->OfferHandover(ServiceTestServer::As(actor).get(), r, &response);
    if (status != nullptr) *status = s;
    if (!s.ok()) return std::nullopt;
    return response.handover_id();
  }

  grpc::Status Accept(const std::string& line, const std::string& actor,
                      const std::string& handover_id,
                      const std::string& request_id = "") {
    v1::AcceptHandoverRequest r;
    r.set_request_id(request_id.empty() ? NewRequestId() : request_id);
    r.set_line_id(line);
    r.set_handover_id(handover_id);
    v1::CommandResult result;
    return lines_->AcceptHandover(ServiceTestServer::As(actor).get(), r,
                                  &result);
  }

  grpc::Status Decline(const std::string& line, const std::string& actor,
                       const std::string& handover_id) {
    v1::DeclineHandoverRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id(line);
    r.set_handover_id(handover_id);
    r.set_reason(v1::LINE_HANDOVER_DECLINE_REASON_NOT_ON_DUTY);
    v1::CommandResult result;
    return lines_->DeclineHandover(ServiceTestServer::As(actor).get(), r,
                                   &result);
  }

  grpc::Status Withdraw(const std::string& line, const std::string& actor,
                        const std::string& handover_id) {
    v1::WithdrawHandoverRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id(line);
    r.set_handover_id(handover_id);
    v1::CommandResult result;
    return lines_->WithdrawHandover(ServiceTestServer::As(actor).get(), r,
                                    &result);
  }

  grpc::Status Pass(const std::string& line, const std::string& actor,
                    std::vector<v1::HandoverItem> items = {}) {
    v1::PassToNightPartnerRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id(line);
    *r.mutable_night_partner() = NightPartner();
    for (v1::HandoverItem& item : items) *r.add_items() = std::move(item);
    v1::LineHandoverResponse response;
    return lines_->PassToNightPartner(ServiceTestServer::As(actor).get(), r,
                                      &response);
  }

  grpc::Status TakeBack(const std::string& line, const std::string& actor) {
    v1::TakeBackRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id(line);
    v1::LineHandoverResponse response;
    return lines_->TakeBack(ServiceTestServer::As(actor).get(), r, &response);
  }

  grpc::Status AssignBackup(const std::string& line, const std::string& actor) {
    v1::AssignBackupRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id(line);
    *r.mutable_backup() = Worker(kCarl);
    *r.mutable_starts_at() = At(server_.clock().Now());
    *r.mutable_ends_at() = At(server_.clock().Now() + absl::Hours(48));
    v1::CommandResult result;
    return lines_->AssignBackup(ServiceTestServer::As(actor).get(), r, &result);
  }

  // Logs an open call on line "l" about `citizen_ref` (anonymous when
  // empty); returns its id.
  std::string OpenCall(const std::string& citizen_ref) {
    v1::ReceiveCallRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id("l");
    r.set_caller_kind(citizen_ref.empty() ? v1::CALLER_KIND_ANONYMOUS
                                          : v1::CALLER_KIND_CITIZEN);
    r.set_citizen_ref(citizen_ref);
    r.set_channel(v1::CONTACT_CHANNEL_PHONE);
    v1::ReceiveCallResponse response;
    grpc::Status s =
        calls_->ReceiveCall(ServiceTestServer::As(kAnna).get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.call_id();
  }

  // Escalates the open call `call_id` to the backup; returns the
  // escalation's id.
  std::string Escalate(const std::string& call_id) {
    v1::RaiseEscalationRequest r;
    r.set_request_id(NewRequestId());
    r.set_call_id(call_id);
    r.set_level(v1::ESCALATION_LEVEL_BACKUP);
    r.mutable_target()->set_id(kCarl);
    r.set_urgency(v1::ESCALATION_URGENCY_URGENT);
    r.mutable_details()->set_reason("kan ikke være alene i nat");
    v1::RaiseEscalationResponse response;
    grpc::Status s = escalations_->RaiseEscalation(
        ServiceTestServer::As(kAnna).get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response.escalation_id();
  }

  // `citizen_ref` lets every night partner see handover notes about her;
  // returns the consent's id.
  std::string ConsentToNightPartner(const std::string& citizen_ref) {
    v1::GrantConsentRequest grant;
    grant.set_request_id(NewRequestId());
    grant.set_citizen_ref(citizen_ref);
    grant.set_form(v1::CONSENT_FORM_WRITTEN);
    v1::ConsentScope* scope = grant.add_scopes();
    scope->set_recipient_kind(v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER);
    scope->add_categories(v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES);
    v1::GrantConsentResponse granted;
    grpc::Status s = citizens_->GrantConsent(ServiceTestServer::As(kAnna).get(),
                                             grant, &granted);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return granted.consent_id();
  }

  // The note of the latest offer or pass on line "l".
  std::vector<v1::HandoverItem> LatestNote() {
    const std::vector<v1::EventEnvelope> events = Events("l");
    if (events.empty()) return {};
    const v1::EventPayload& p = events.back().payload();
    const auto& items = p.has_line_handover_offered()
                            ? p.line_handover_offered().items()
                            : p.line_coverage_passed_to_night_partner().items();
    return {items.begin(), items.end()};
  }

  std::vector<v1::EventEnvelope> Events(const std::string& line) {
    auto events = server_.store().ReadStream("line-" + line, 1, 10'000);
    EXPECT_TRUE(events.ok()) << events.status();
    return events.ok() ? *events : std::vector<v1::EventEnvelope>{};
  }

  LineState Fold(const std::string& line) {
    LineState state;
    for (const v1::EventEnvelope& e : Events(line)) state.Apply(e);
    return state;
  }

  int Count(const std::string& line, v1::EventPayload::EventCase event) {
    int n = 0;
    for (const v1::EventEnvelope& e : Events(line)) {
      if (e.payload().event_case() == event) ++n;
    }
    return n;
  }

  ServiceTestServer server_;
  std::unique_ptr<v1::LineService::Stub> lines_ =
      v1::LineService::NewStub(server_.channel());
  std::unique_ptr<v1::CitizenService::Stub> citizens_ =
      v1::CitizenService::NewStub(server_.channel());
  std::unique_ptr<v1::CallService::Stub> calls_ =
      v1::CallService::NewStub(server_.channel());
  std::unique_ptr<v1::EscalationService::Stub> escalations_ =
      v1::EscalationService::NewStub(server_.channel());
  int requests_ = 0;
};

// ---------------------------------------------------------------------------
// The state machine, table-driven: every command in every state.

enum class Start {
  kUncovered,
  kHeld,             // anna holds
  kOfferedToWorker,  // anna holds, offered to bo
  kOfferedToNight,   // anna holds, offered to the night partner
  kHeldByNight,      // passed to the night partner
};

enum class Command {
  kTakeOpening,   // anna, LINE_OPENED
  kTakeOver,      // carl, HOLDER_UNREACHABLE
  kOffer,         // anna offers to bo
  kAccept,        // the offered party (bo, or the night partner)
  kDecline,       // the offered party
  kWithdraw,      // anna
  kPass,          // anna passes to the night partner
  kTakeBack,      // carl
  kAssignBackup,  // a team leader
};

const char* Name(Start s) {
  switch (s) {
    case Start::kUncovered:
      return "UNCOVERED";
    case Start::kHeld:
      return "HELD";
    case Start::kOfferedToWorker:
      return "HANDOVER_PENDING(worker)";
    case Start::kOfferedToNight:
      return "HANDOVER_PENDING(night)";
    case Start::kHeldByNight:
      return "HELD_BY_NIGHT";
  }
  return "?";
}

const char* Name(Command c) {
  switch (c) {
    case Command::kTakeOpening:
      return "TakeLine(LINE_OPENED)";
    case Command::kTakeOver:
      return "TakeLine(HOLDER_UNREACHABLE)";
    case Command::kOffer:
      return "OfferHandover";
    case Command::kAccept:
      return "AcceptHandover";
    case Command::kDecline:
      return "DeclineHandover";
    case Command::kWithdraw:
      return "WithdrawHandover";
    case Command::kPass:
      return "PassToNightPartner";
    case Command::kTakeBack:
      return "TakeBack";
    case Command::kAssignBackup:
      return "AssignBackup";
  }
  return "?";
}

struct Transition {
  Start start;
  Command command;
  grpc::StatusCode code;
  // After the command (unchanged when it is refused).
  Phase phase;
  const char* holder;
};

constexpr grpc::StatusCode kOk = grpc::StatusCode::OK;
constexpr grpc::StatusCode kRefused = grpc::StatusCode::FAILED_PRECONDITION;

const Transition kTransitions[] = {
    {Start::kUncovered, Command::kTakeOpening, kOk, Phase::kHeld, kAnna},
    {Start::kUncovered, Command::kTakeOver, kRefused, Phase::kUncovered, ""},
    {Start::kUncovered, Command::kOffer, kRefused, Phase::kUncovered, ""},
    {Start::kUncovered, Command::kAccept, kRefused, Phase::kUncovered, ""},
    {Start::kUncovered, Command::kDecline, kRefused, Phase::kUncovered, ""},
    {Start::kUncovered, Command::kWithdraw, kRefused, Phase::kUncovered, ""},
    {Start::kUncovered, Command::kPass, kRefused, Phase::kUncovered, ""},
    {Start::kUncovered, Command::kTakeBack, kRefused, Phase::kUncovered, ""},
    {Start::kUncovered, Command::kAssignBackup, kOk, Phase::kUncovered, ""},

    {Start::kHeld, Command::kTakeOpening, kRefused, Phase::kHeld, kAnna},
    {Start::kHeld, Command::kTakeOver, kOk, Phase::kHeld, kCarl},
    {Start::kHeld, Command::kOffer, kOk, Phase::kHandoverPending, kAnna},
    {Start::kHeld, Command::kAccept, kRefused, Phase::kHeld, kAnna},
    {Start::kHeld, Command::kDecline, kRefused, Phase::kHeld, kAnna},
    {Start::kHeld, Command::kWithdraw, kRefused, Phase::kHeld, kAnna},
    {Start::kHeld, Command::kPass, kOk, Phase::kHeldByNight, kNight},
    {Start::kHeld, Command::kTakeBack, kRefused, Phase::kHeld, kAnna},
    {Start::kHeld, Command::kAssignBackup, kOk, Phase::kHeld, kAnna},

    {Start::kOfferedToWorker, Command::kTakeOpening, kRefused,
     Phase::kHandoverPending, kAnna},
    {Start::kOfferedToWorker, Command::kTakeOver, kOk, Phase::kHeld, kCarl},
    {Start::kOfferedToWorker, Command::kOffer, kRefused,
     Phase::kHandoverPending, kAnna},
    {Start::kOfferedToWorker, Command::kAccept, kOk, Phase::kHeld, kBo},
    {Start::kOfferedToWorker, Command::kDecline, kOk, Phase::kHeld, kAnna},
    {Start::kOfferedToWorker, Command::kWithdraw, kOk, Phase::kHeld, kAnna},
    {Start::kOfferedToWorker, Command::kPass, kRefused, Phase::kHandoverPending,
     kAnna},
    {Start::kOfferedToWorker, Command::kTakeBack, kRefused,
     Phase::kHandoverPending, kAnna},
    {Start::kOfferedToWorker, Command::kAssignBackup, kOk,
     Phase::kHandoverPending, kAnna},

    {Start::kOfferedToNight, Command::kTakeOpening, kRefused,
     Phase::kHandoverPending, kAnna},
    {Start::kOfferedToNight, Command::kTakeOver, kOk, Phase::kHeld, kCarl},
    {Start::kOfferedToNight, Command::kOffer, kRefused, Phase::kHandoverPending,
     kAnna},
    {Start::kOfferedToNight, Command::kAccept, kOk, Phase::kHeldByNight,
     kNight},
    {Start::kOfferedToNight, Command::kDecline, kOk, Phase::kHeld, kAnna},
    {Start::kOfferedToNight, Command::kWithdraw, kOk, Phase::kHeld, kAnna},
    {Start::kOfferedToNight, Command::kPass, kRefused, Phase::kHandoverPending,
     kAnna},
    {Start::kOfferedToNight, Command::kTakeBack, kRefused,
     Phase::kHandoverPending, kAnna},
    {Start::kOfferedToNight, Command::kAssignBackup, kOk,
     Phase::kHandoverPending, kAnna},

    {Start::kHeldByNight, Command::kTakeOpening, kRefused, Phase::kHeldByNight,
     kNight},
    {Start::kHeldByNight, Command::kTakeOver, kOk, Phase::kHeld, kCarl},
    {Start::kHeldByNight, Command::kOffer, kRefused, Phase::kHeldByNight,
     kNight},
    {Start::kHeldByNight, Command::kAccept, kRefused, Phase::kHeldByNight,
     kNight},
    {Start::kHeldByNight, Command::kDecline, kRefused, Phase::kHeldByNight,
     kNight},
    {Start::kHeldByNight, Command::kWithdraw, kRefused, Phase::kHeldByNight,
     kNight},
    {Start::kHeldByNight, Command::kPass, kRefused, Phase::kHeldByNight,
     kNight},
    {Start::kHeldByNight, Command::kTakeBack, kOk, Phase::kHeld, kCarl},
    {Start::kHeldByNight, Command::kAssignBackup, kOk, Phase::kHeldByNight,
     kNight},
};

TEST_F(LineServiceTest,
       EveryCommandInEveryStateIsAllowedOrRefusedAsDocumented) {
  int row = 0;
  for (const Transition& t : kTransitions) {
    const std::string line = absl::StrCat("table-", row++);
    SCOPED_TRACE(absl::StrCat(Name(t.command), " in ", Name(t.start)));

    std::string pending = "no-such-handover";
    if (t.start != Start::kUncovered) {
      ASSERT_TRUE(
          Take(line, kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
    }
    if (t.start == Start::kOfferedToWorker) {
      pending = Offer(line, kAnna, Worker(kBo)).value();
    } else if (t.start == Start::kOfferedToNight) {
      pending = Offer(line, kAnna, NightPartner()).value();
    } else if (t.start == Start::kHeldByNight) {
      ASSERT_TRUE(Pass(line, kAnna).ok());
    }
    const std::string offered_party =
        t.start == Start::kOfferedToNight ? kNight : kBo;
    const size_t before = Events(line).size();

    grpc::Status s;
    switch (t.command) {
      case Command::kTakeOpening:
        s = Take(line, kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED);
        break;
      case Command::kTakeOver:
        s = Take(line, kCarl, v1::LINE_COVERAGE_TAKE_REASON_HOLDER_UNREACHABLE);
        break;
      case Command::kOffer:
        Offer(line, kAnna, Worker(kBo), &s);
        break;
      case Command::kAccept:
        s = Accept(line, offered_party, pending);
        break;
      case Command::kDecline:
        s = Decline(line, offered_party, pending);
        break;
      case Command::kWithdraw:
        s = Withdraw(line, kAnna, pending);
        break;
      case Command::kPass:
        s = Pass(line, kAnna);
        break;
      case Command::kTakeBack:
        s = TakeBack(line, kCarl);
        break;
      case Command::kAssignBackup:
        s = AssignBackup(line, "worker:leader");
        break;
    }

    EXPECT_EQ(s.error_code(), t.code) << s.error_message();
    EXPECT_EQ(Events(line).size(), before + (t.code == kOk ? 1 : 0));
    const LineState after = Fold(line);
    EXPECT_EQ(after.phase(), t.phase);
    EXPECT_EQ(after.holder().id(), t.holder);
  }
}

// ---------------------------------------------------------------------------
// Who may do what.

TEST_F(LineServiceTest, OnlyTheOfferedPartyMayAcceptOrDecline) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const std::string handover = Offer("l", kAnna, Worker(kBo)).value();

  for (const char* other : {kCarl, kAnna}) {
    SCOPED_TRACE(other);
    grpc::Status accept = Accept("l", other, handover);
    EXPECT_EQ(accept.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_THAT(accept.error_message(), HasSubstr("offered to"));
    EXPECT_EQ(Decline("l", other, handover).error_code(),
              grpc::StatusCode::FAILED_PRECONDITION);
  }
  // A partner sees only the handovers offered to it.
  grpc::Status accept = Accept("l", kNight, handover);
  EXPECT_EQ(accept.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(accept.error_message(),
              HasSubstr("needs the right 'hold-lines'"));
  EXPECT_EQ(Decline("l", kNight, handover).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(Events("l").size(), 2u);

  EXPECT_TRUE(Accept("l", kBo, handover).ok());
  EXPECT_EQ(Fold("l").holder().id(), kBo);
}

TEST_F(LineServiceTest, OnlyTheHolderMayOfferWithdrawOrPass) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  grpc::Status s;
  EXPECT_FALSE(Offer("l", kBo, Worker(kCarl), &s).has_value());
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("holder"));
  EXPECT_EQ(Pass("l", kBo).error_code(), grpc::StatusCode::FAILED_PRECONDITION);

  const std::string handover = Offer("l", kAnna, Worker(kBo)).value();
  EXPECT_EQ(Withdraw("l", kBo, handover).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(Events("l").size(), 2u);
  EXPECT_TRUE(Withdraw("l", kAnna, handover).ok());
}

TEST_F(LineServiceTest, HolderCannotOfferTheLineToThemselves) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  grpc::Status s;
  Offer("l", kAnna, Worker(kAnna), &s);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("offered_to"));
}

TEST_F(LineServiceTest, HolderCannotTakeTheLineAgain) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  grpc::Status s =
      Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_HOLDER_UNREACHABLE);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("holder"));
}

TEST_F(LineServiceTest, NightPartnerMustNameTheWorkerTakingTheLineBack) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  ASSERT_TRUE(Pass("l", kAnna).ok());
  EXPECT_EQ(TakeBack("l", kNight).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);

  v1::TakeBackRequest r;
  r.set_request_id(NewRequestId());
  r.set_line_id("l");
  *r.mutable_holder() = Worker(kBo);
  v1::LineHandoverResponse response;
  ASSERT_TRUE(
      lines_->TakeBack(ServiceTestServer::As(kNight).get(), r, &response).ok());
  EXPECT_EQ(Fold("l").holder().id(), kBo);
  EXPECT_EQ(Fold("l").phase(), Phase::kHeld);
}

TEST_F(LineServiceTest,
       AnsweredHandoverIsNoLongerPendingAndUnknownOneIsNotFound) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const std::string declined = Offer("l", kAnna, Worker(kBo)).value();
  ASSERT_TRUE(Decline("l", kBo, declined).ok());
  const std::string again = Offer("l", kAnna, Worker(kBo)).value();
  EXPECT_NE(again, declined);

  grpc::Status old = Accept("l", kBo, declined);
  EXPECT_EQ(old.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(old.error_message(), HasSubstr("no longer pending"));
  EXPECT_EQ(Accept("l", kBo, "never-offered").error_code(),
            grpc::StatusCode::NOT_FOUND);
  EXPECT_TRUE(Accept("l", kBo, again).ok());
}

TEST_F(LineServiceTest, TakingOverLapsesThePendingHandover) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const std::string handover = Offer("l", kAnna, Worker(kBo)).value();
  ASSERT_TRUE(
      Take("l", kCarl, v1::LINE_COVERAGE_TAKE_REASON_HOLDER_UNREACHABLE).ok());
  EXPECT_EQ(Accept("l", kBo, handover).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  const std::vector<v1::EventEnvelope> events = Events("l");
  const v1::LineCoverageTaken& taken =
      events.back().payload().line_coverage_taken();
  EXPECT_EQ(taken.previous_holder().id(), kAnna);
  EXPECT_EQ(taken.holder().id(), kCarl);
}

// ---------------------------------------------------------------------------
// The evening: handover to the night partner, and what its note shares.

TEST_F(LineServiceTest, EveningHandoverToNightPartnerSharesOnlyConsentedItems) {
  // Citizen A consented to the night partner seeing handover notes; B gave a
  // consent that does not cover them; C gave none.
  v1::GrantConsentRequest grant;
  grant.set_request_id("consent-a");
  grant.set_citizen_ref("citizen-a");
  grant.set_form(v1::CONSENT_FORM_WRITTEN);
  v1::ConsentScope* scope = grant.add_scopes();
  scope->set_recipient_kind(v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER);
  scope->add_categories(v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES);
  v1::GrantConsentResponse granted;
  ASSERT_TRUE(
      citizens_
          ->GrantConsent(ServiceTestServer::As(kAnna).get(), grant, &granted)
          .ok());
  grant.set_request_id("consent-b");
  grant.set_citizen_ref("citizen-b");
  grant.mutable_scopes(0)->set_categories(
      0, v1::CONSENT_DATA_CATEGORY_CRISIS_PLAN);
  v1::GrantConsentResponse ignored;
  ASSERT_TRUE(
      citizens_
          ->GrantConsent(ServiceTestServer::As(kAnna).get(), grant, &ignored)
          .ok());

  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  server_.clock().Set(ServiceTestServer::DefaultStart() + absl::Hours(2));
  grpc::Status s;
  const std::optional<std::string> handover =
      Offer("l", kAnna, NightPartner(), &s,
            {WatchCitizen("citizen-a", "urolig i aften"),
             WatchCitizen("citizen-b", "har ikke spist"),
             WatchCitizen("citizen-c", "ringer tit om natten"),
             Remark("bagvagtens telefon skal lades op")});
  ASSERT_TRUE(handover.has_value()) << s.error_message();
  EXPECT_EQ(*handover, services::IdFromRequest(
                           "handover", absl::StrCat("req-", requests_)));

  const v1::LineHandoverOffered offer =
      Events("l").back().payload().line_handover_offered();
  ASSERT_EQ(offer.items_size(), 4);
  EXPECT_TRUE(offer.items(0).shared_with_recipient());
  EXPECT_EQ(offer.items(0).consent_id(), granted.consent_id());
  EXPECT_FALSE(offer.items(1).shared_with_recipient());
  EXPECT_FALSE(offer.items(2).shared_with_recipient());
  EXPECT_EQ(offer.items(2).consent_id(), "");
  EXPECT_TRUE(offer.items(3).shared_with_recipient());
  // What was not shared is still recorded, for the review.
  EXPECT_EQ(offer.items(2).sensitive().text(), "ringer tit om natten");

  ASSERT_TRUE(Accept("l", kNight, *handover).ok());
  const LineState after = Fold("l");
  EXPECT_EQ(after.phase(), Phase::kHeldByNight);
  EXPECT_EQ(after.holder().id(), kNight);
  EXPECT_EQ(after.holder().display_name(), "Natteravnen ApS");
  EXPECT_EQ(Count("l", v1::EventPayload::kLineHandoverAccepted), 1);

  // In the morning a team worker takes the line back.
  server_.clock().Set(ServiceTestServer::DefaultStart() + absl::Hours(11));
  ASSERT_TRUE(TakeBack("l", kBo).ok());
  EXPECT_EQ(Fold("l").phase(), Phase::kHeld);
  EXPECT_EQ(Fold("l").holder().id(), kBo);
}

TEST_F(LineServiceTest, WithdrawnConsentNoLongerSharesWithTheNightPartner) {
  v1::GrantConsentRequest grant;
  grant.set_request_id("consent-a");
  grant.set_citizen_ref("citizen-a");
  grant.set_form(v1::CONSENT_FORM_ORAL);
  v1::ConsentScope* scope = grant.add_scopes();
  scope->set_recipient_kind(v1::CONSENT_RECIPIENT_KIND_NIGHT_PARTNER);
  scope->set_recipient_id(kNight);
  scope->add_categories(v1::CONSENT_DATA_CATEGORY_HANDOVER_NOTES);
  v1::GrantConsentResponse granted;
  ASSERT_TRUE(
      citizens_
          ->GrantConsent(ServiceTestServer::As(kAnna).get(), grant, &granted)
          .ok());

  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  // Shared with the named night partner, not with another one.
  ASSERT_TRUE(Pass("l", kAnna, {WatchCitizen("citizen-a", "x")}).ok());
  EXPECT_TRUE(Events("l")
                  .back()
                  .payload()
                  .line_coverage_passed_to_night_partner()
                  .items(0)
                  .shared_with_recipient());
  ASSERT_TRUE(TakeBack("l", kAnna).ok());
  const std::string other_partner =
      Offer("l", kAnna, NightPartner("partner:other"), nullptr,
            {WatchCitizen("citizen-a", "x")})
          .value();
  EXPECT_FALSE(Events("l")
                   .back()
                   .payload()
                   .line_handover_offered()
                   .items(0)
                   .shared_with_recipient());
  ASSERT_TRUE(Withdraw("l", kAnna, other_partner).ok());

  v1::WithdrawConsentRequest withdraw;
  withdraw.set_request_id("withdraw-a");
  withdraw.set_citizen_ref("citizen-a");
  withdraw.set_consent_id(granted.consent_id());
  v1::CommandResult result;
  ASSERT_TRUE(citizens_
                  ->WithdrawConsent(ServiceTestServer::As(kAnna).get(),
                                    withdraw, &result)
                  .ok());
  ASSERT_TRUE(Pass("l", kAnna, {WatchCitizen("citizen-a", "x")}).ok());
  EXPECT_FALSE(Events("l")
                   .back()
                   .payload()
                   .line_coverage_passed_to_night_partner()
                   .items(0)
                   .shared_with_recipient());
}

TEST_F(LineServiceTest, HandoverBetweenTeamWorkersSharesEveryItem) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  v1::HandoverItem claimed = WatchCitizen("citizen-c", "x");
  claimed.set_consent_id("made-up");  // set by the service, not the client
  ASSERT_TRUE(Offer("l", kAnna, Worker(kBo), nullptr, {claimed, Remark("y")})
                  .has_value());
  const v1::LineHandoverOffered offer =
      Events("l").back().payload().line_handover_offered();
  ASSERT_EQ(offer.items_size(), 2);
  for (const v1::HandoverItem& item : offer.items()) {
    EXPECT_TRUE(item.shared_with_recipient());
    EXPECT_EQ(item.consent_id(), "");
  }
}

// ---------------------------------------------------------------------------
// Items that cite a call or an escalation are about the citizen it records.

TEST_F(LineServiceTest,
       CallItemWithoutCitizenRefIsNotSharedWithoutThatCitizensConsent) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const std::string call = OpenCall("citizen-7f3a");  // no consent

  // Offered to the night partner, then passed directly.
  grpc::Status s;
  const std::optional<std::string> handover =
      Offer("l", kAnna, NightPartner(), &s, {OpenCallItem(call)});
  ASSERT_TRUE(handover.has_value()) << s.error_message();
  std::vector<v1::HandoverItem> note = LatestNote();
  ASSERT_EQ(note.size(), 1u);
  EXPECT_EQ(note[0].citizen_ref(), "citizen-7f3a");
  EXPECT_FALSE(note[0].shared_with_recipient());
  EXPECT_EQ(note[0].consent_id(), "");
  // Still recorded, for the review.
  EXPECT_EQ(note[0].sensitive().text(), "ring hende op inden midnat");
  ASSERT_TRUE(Withdraw("l", kAnna, *handover).ok());

  s = Pass("l", kAnna, {OpenCallItem(call)});
  ASSERT_TRUE(s.ok()) << s.error_message();
  note = LatestNote();
  ASSERT_EQ(note.size(), 1u);
  EXPECT_EQ(note[0].citizen_ref(), "citizen-7f3a");
  EXPECT_FALSE(note[0].shared_with_recipient());
}

TEST_F(LineServiceTest,
       EscalationItemWithoutCitizenRefIsNotSharedWithoutThatCitizensConsent) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const std::string escalation = Escalate(OpenCall("citizen-7f3a"));

  grpc::Status s = Pass("l", kAnna, {EscalationItem(escalation)});
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::vector<v1::HandoverItem> note = LatestNote();
  ASSERT_EQ(note.size(), 1u);
  EXPECT_EQ(note[0].citizen_ref(), "citizen-7f3a");
  EXPECT_FALSE(note[0].shared_with_recipient());
  EXPECT_EQ(note[0].consent_id(), "");
}

TEST_F(LineServiceTest, ItemAboutAConsentingCitizensCallIsShared) {
  const std::string consent = ConsentToNightPartner("citizen-7f3a");
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const std::string call = OpenCall("citizen-7f3a");
  const std::string escalation = Escalate(call);
  const std::string anonymous = OpenCall("");

  grpc::Status s = Pass("l", kAnna,
                        {OpenCallItem(call), OpenCallItem(call, "citizen-7f3a"),
                         EscalationItem(escalation), OpenCallItem(anonymous)});
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::vector<v1::HandoverItem> note = LatestNote();
  ASSERT_EQ(note.size(), 4u);
  for (int i = 0; i < 3; ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(note[i].citizen_ref(), "citizen-7f3a");
    EXPECT_TRUE(note[i].shared_with_recipient());
    EXPECT_EQ(note[i].consent_id(), consent);
  }
  // An anonymous caller's call is about no citizen.
  EXPECT_EQ(note[3].citizen_ref(), "");
  EXPECT_TRUE(note[3].shared_with_recipient());
}

TEST_F(LineServiceTest, HandoverBetweenTeamWorkersRecordsTheCitedCitizen) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const std::string call = OpenCall("citizen-7f3a");
  const std::string escalation = Escalate(call);
  ASSERT_TRUE(Offer("l", kAnna, Worker(kBo), nullptr,
                    {OpenCallItem(call), EscalationItem(escalation)})
                  .has_value());
  for (const v1::HandoverItem& item : LatestNote()) {
    EXPECT_EQ(item.citizen_ref(), "citizen-7f3a");
    EXPECT_TRUE(item.shared_with_recipient());
  }
}

TEST_F(
    LineServiceTest,
    CitizenRefNotMatchingTheCitedCallOrEscalationIsRefusedAndAppendsNothing) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  // citizen-9b2c consented; the cited streams are about citizen-7f3a.
  ConsentToNightPartner("citizen-9b2c");
  const std::string call = OpenCall("citizen-7f3a");
  const std::string escalation = Escalate(call);
  const std::string anonymous = OpenCall("");
  const std::string other_call = OpenCall("citizen-9b2c");
  v1::HandoverItem both = EscalationItem(escalation);
  both.set_call_id(other_call);
  struct Case {
    const char* what;
    v1::HandoverItem item;
    const char* field;
  };
  const Case cases[] = {
      {"call of another citizen", OpenCallItem(call, "citizen-9b2c"),
       "items[1].citizen_ref"},
      {"escalation of another citizen",
       EscalationItem(escalation, "citizen-9b2c"), "items[1].citizen_ref"},
      {"anonymous call named as a citizen's",
       OpenCallItem(anonymous, "citizen-9b2c"), "items[1].citizen_ref"},
      {"call and escalation of different citizens", both,
       "items[1].escalation_id"},
  };
  const uint64_t last = server_.store().LastPosition();
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    for (const v1::Party& to : {NightPartner(), Worker(kBo)}) {
      grpc::Status s;
      EXPECT_FALSE(
          Offer("l", kAnna, to, &s, {Remark("ok"), c.item}).has_value());
      EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
      EXPECT_THAT(s.error_message(), HasSubstr(c.field));
      EXPECT_THAT(s.error_message(), Not(HasSubstr("citizen-")));
    }
    grpc::Status s = Pass("l", kAnna, {Remark("ok"), c.item});
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr(c.field));
  }
  EXPECT_EQ(server_.store().LastPosition(), last);
  EXPECT_EQ(Fold("l").phase(), Phase::kHeld);
}

TEST_F(LineServiceTest, CitedCallOrEscalationThatDoesNotExistIsNotFound) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const uint64_t last = server_.store().LastPosition();
  grpc::Status s = Pass("l", kAnna, {OpenCallItem("no-such-call")});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("items[0].call_id"));
  s = Pass("l", kAnna, {EscalationItem("no-such-escalation")});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("items[0].escalation_id"));
  // An id no stream can have names no call either.
  s = Pass("l", kAnna, {OpenCallItem("call with spaces")});
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(server_.store().LastPosition(), last);
}

TEST_F(LineServiceTest, NightPartnersReportCitingACallRecordsItsCitizen) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const std::string call = OpenCall("citizen-7f3a");
  ASSERT_TRUE(Pass("l", kAnna).ok());
  v1::TakeBackRequest r;
  r.set_request_id(NewRequestId());
  r.set_line_id("l");
  *r.add_items() = OpenCallItem(call);
  v1::LineHandoverResponse response;
  grpc::Status s =
      lines_->TakeBack(ServiceTestServer::As(kBo).get(), r, &response);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const v1::LineCoverageTakenBack back =
      Events("l").back().payload().line_coverage_taken_back();
  ASSERT_EQ(back.items_size(), 1);
  EXPECT_EQ(back.items(0).citizen_ref(), "citizen-7f3a");
  EXPECT_TRUE(back.items(0).shared_with_recipient());
}

// ---------------------------------------------------------------------------
// Retries.

TEST_F(LineServiceTest,
       RetriedOfferAnswersWithTheFirstResultAndAppendsNothing) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  v1::OfferHandoverRequest r;
  r.set_request_id("offer-1");
  r.set_line_id("l");
  *r.mutable_offered_to() = Worker(kBo);
  v1::LineHandoverResponse first;
  ASSERT_TRUE(
      lines_->OfferHandover(ServiceTestServer::As(kAnna).get(), r, &first)
          .ok());
  EXPECT_FALSE(first.result().replayed());
  ASSERT_TRUE(Accept("l", kBo, first.handover_id()).ok());
  const uint64_t last = server_.store().LastPosition();

  // The line has moved on; the retry still answers with the first result.
  v1::LineHandoverResponse retry;
  ASSERT_TRUE(
      lines_->OfferHandover(ServiceTestServer::As(kAnna).get(), r, &retry)
          .ok());
  EXPECT_TRUE(retry.result().replayed());
  EXPECT_EQ(retry.handover_id(), first.handover_id());
  EXPECT_EQ(retry.result().stream_version(), first.result().stream_version());
  EXPECT_EQ(retry.result().first_position(), first.result().first_position());
  EXPECT_EQ(server_.store().LastPosition(), last);
}

TEST_F(LineServiceTest, RetriedAcceptIsReplayedNotRefused) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const std::string handover = Offer("l", kAnna, Worker(kBo)).value();
  ASSERT_TRUE(Accept("l", kBo, handover, "accept-1").ok());
  const uint64_t last = server_.store().LastPosition();

  v1::AcceptHandoverRequest r;
  r.set_request_id("accept-1");
  r.set_line_id("l");
  r.set_handover_id(handover);
  v1::CommandResult result;
  ASSERT_TRUE(
      lines_->AcceptHandover(ServiceTestServer::As(kBo).get(), r, &result)
          .ok());
  EXPECT_TRUE(result.replayed());
  EXPECT_EQ(result.stream_version(), 3u);
  EXPECT_EQ(server_.store().LastPosition(), last);
  EXPECT_EQ(Count("l", v1::EventPayload::kLineHandoverAccepted), 1);
}

TEST_F(LineServiceTest, RequestIdOfAnotherCommandIsRefusedAsAlreadyUsed) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const std::string handover = Offer("l", kAnna, Worker(kBo)).value();
  const std::string offer_request = absl::StrCat("req-", requests_);
  const uint64_t last = server_.store().LastPosition();

  // Same line, another command.
  EXPECT_EQ(Accept("l", kBo, handover, offer_request).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  // Another line.
  ASSERT_TRUE(Take("m", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  v1::OfferHandoverRequest r;
  r.set_request_id(offer_request);
  r.set_line_id("m");
  *r.mutable_offered_to() = Worker(kBo);
  v1::LineHandoverResponse response;
  grpc::Status s =
      lines_->OfferHandover(ServiceTestServer::As(kAnna).get(), r, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(s.error_message(), HasSubstr("request_id"));
  EXPECT_EQ(server_.store().LastPosition(), last + 1);  // only the Take
}

// ---------------------------------------------------------------------------
// Field errors: INVALID_ARGUMENT naming the field; nothing appended.

struct BadOffer {
  const char* what;
  void (*spoil)(v1::OfferHandoverRequest&, absl::Time now);
  const char* field;
};

const BadOffer kBadOffers[] = {
    {"no line",
     [](v1::OfferHandoverRequest& r, absl::Time) { r.clear_line_id(); },
     "line_id"},
    {"line id with spaces",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       r.set_line_id("ishøj bos");
     },
     "line_id"},
    {"no request id",
     [](v1::OfferHandoverRequest& r, absl::Time) { r.clear_request_id(); },
     "request_id"},
    {"offered to the police",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       r.mutable_offered_to()->set_kind(v1::PARTY_KIND_POLICE);
     },
     "offered_to.kind"},
    {"offered to nobody",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       r.mutable_offered_to()->clear_id();
     },
     "offered_to.id"},
    {"item without kind",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       *r.add_items() = Remark("ok");
       r.add_items()->mutable_sensitive()->set_text("Jens, 0101901234");
     },
     "items[1].kind"},
    {"open call without call id",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       r.add_items()->set_kind(v1::HANDOVER_ITEM_KIND_OPEN_CALL);
     },
     "items[0].call_id"},
    {"escalation without id",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       r.add_items()->set_kind(v1::HANDOVER_ITEM_KIND_RUNNING_ESCALATION);
     },
     "items[0].escalation_id"},
    {"citizen to watch without citizen",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       r.add_items()->set_kind(v1::HANDOVER_ITEM_KIND_CITIZEN_TO_WATCH);
     },
     "items[0].citizen_ref"},
    {"empty remark",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       *r.add_items() = Remark("");
     },
     "items[0].sensitive.text"},
    {"remark about a citizen",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       v1::HandoverItem* item = r.add_items();
       *item = Remark("ok");
       item->set_citizen_ref("citizen-a");
     },
     "items[0].citizen_ref"},
    {"remark citing a call",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       v1::HandoverItem* item = r.add_items();
       *item = Remark("ok");
       item->set_call_id("call-1");
     },
     "items[0].call_id"},
    {"remark citing an escalation",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       v1::HandoverItem* item = r.add_items();
       *item = Remark("ok");
       item->set_escalation_id("escalation-1");
     },
     "items[0].escalation_id"},
    {"overlong item text",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       *r.add_items() = Remark(std::string(9000, 'x'));
     },
     "items[0].sensitive.text"},
    {"too many items",
     [](v1::OfferHandoverRequest& r, absl::Time) {
       for (int i = 0; i < 201; ++i) *r.add_items() = Remark("ok");
     },
     "items"},
    {"respond_by in the past",
     [](v1::OfferHandoverRequest& r, absl::Time now) {
       *r.mutable_respond_by() = At(now - absl::Minutes(5));
     },
     "respond_by"},
};

TEST_F(LineServiceTest, MalformedOfferNamesTheFieldAndAppendsNothing) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  for (const BadOffer& bad : kBadOffers) {
    SCOPED_TRACE(bad.what);
    v1::OfferHandoverRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id("l");
    *r.mutable_offered_to() = Worker(kBo);
    bad.spoil(r, server_.clock().Now());
    v1::LineHandoverResponse response;
    grpc::Status s =
        lines_->OfferHandover(ServiceTestServer::As(kAnna).get(), r, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr(bad.field));
    EXPECT_THAT(s.error_message(), Not(HasSubstr("ishøj")));
    EXPECT_THAT(s.error_message(), Not(HasSubstr("0101901234")));
    EXPECT_THAT(s.error_message(), Not(HasSubstr("citizen-a")));
  }
  EXPECT_EQ(server_.appended(), 1u);
}

TEST_F(LineServiceTest, MalformedCommandsNameTheirFields) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const std::string handover = Offer("l", kAnna, NightPartner()).value();
  const uint64_t last = server_.store().LastPosition();
  auto expect_invalid = [](const grpc::Status& s, const std::string& field) {
    SCOPED_TRACE(field);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr(field));
  };

  expect_invalid(Take("l", kCarl, v1::LINE_COVERAGE_TAKE_REASON_UNSPECIFIED),
                 "reason");
  {
    v1::TakeLineRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id("l");
    r.set_reason(v1::LINE_COVERAGE_TAKE_REASON_HOLDER_UNREACHABLE);
    *r.mutable_holder() = NightPartner();
    v1::CommandResult result;
    expect_invalid(
        lines_->TakeLine(ServiceTestServer::As(kCarl).get(), r, &result),
        "holder.kind");
  }
  expect_invalid(Accept("l", kNight, ""), "handover_id");
  {
    v1::DeclineHandoverRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id("l");
    r.set_handover_id(handover);
    v1::CommandResult result;
    expect_invalid(lines_->DeclineHandover(ServiceTestServer::As(kNight).get(),
                                           r, &result),
                   "reason");
    r.set_reason(v1::LINE_HANDOVER_DECLINE_REASON_OTHER);
    expect_invalid(lines_->DeclineHandover(ServiceTestServer::As(kNight).get(),
                                           r, &result),
                   "explanation");
  }
  {
    v1::PassToNightPartnerRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id("l");
    *r.mutable_night_partner() = Worker(kBo);
    v1::LineHandoverResponse response;
    expect_invalid(lines_->PassToNightPartner(
                       ServiceTestServer::As(kAnna).get(), r, &response),
                   "night_partner.kind");
  }
  {
    v1::AssignBackupRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id("l");
    *r.mutable_backup() = Worker(kCarl);
    v1::CommandResult result;
    expect_invalid(
        lines_->AssignBackup(ServiceTestServer::As(kAnna).get(), r, &result),
        "starts_at");
    *r.mutable_starts_at() = At(server_.clock().Now());
    *r.mutable_ends_at() = At(server_.clock().Now() - absl::Hours(1));
    expect_invalid(
        lines_->AssignBackup(ServiceTestServer::As(kAnna).get(), r, &result),
        "ends_at");
    *r.mutable_ends_at() = At(server_.clock().Now() + absl::Hours(1));
    *r.mutable_backup() = NightPartner();
    expect_invalid(
        lines_->AssignBackup(ServiceTestServer::As(kAnna).get(), r, &result),
        "backup.kind");
  }
  EXPECT_EQ(server_.store().LastPosition(), last);
}

// The reviewer's case: a partner offered the line as a "team worker" would
// have been given every item about a citizen who never consented.
TEST_F(LineServiceTest, PartnerPosingAsTeamWorkerIsRefusedAndSeesNothing) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  const uint64_t last = server_.store().LastPosition();
  const std::pair<v1::PartyKind, const char*> posing[] = {
      {v1::PARTY_KIND_TEAM_WORKER, "partner:natpartner"},
      {v1::PARTY_KIND_NIGHT_PARTNER, kBo},
  };
  for (const auto& [kind, id] : posing) {
    SCOPED_TRACE(id);
    v1::Party to;
    to.set_kind(kind);
    to.set_id(id);
    grpc::Status s;
    EXPECT_FALSE(
        Offer("l", kAnna, to, &s, {WatchCitizen("citizen-c", "urolig")})
            .has_value());
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr("offered_to.id"));
    EXPECT_THAT(s.error_message(), Not(HasSubstr("citizen-c")));
  }
  EXPECT_EQ(server_.store().LastPosition(), last);
  EXPECT_EQ(Fold("l").phase(), Phase::kHeld);
  EXPECT_EQ(Fold("l").holder().id(), kAnna);
}

TEST_F(LineServiceTest, EveryPartyInARequestMustHaveAnIdOfItsKind) {
  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  ASSERT_TRUE(Take("n", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  ASSERT_TRUE(Pass("n", kAnna).ok());
  const uint64_t last = server_.store().LastPosition();
  auto expect_invalid = [](const grpc::Status& s, const std::string& field) {
    SCOPED_TRACE(field);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
    EXPECT_THAT(s.error_message(), HasSubstr(field));
  };
  {
    v1::TakeLineRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id("l");
    r.set_reason(v1::LINE_COVERAGE_TAKE_REASON_REASSIGNED_BY_LEADER);
    *r.mutable_holder() = Worker("partner:natpartner");
    v1::CommandResult result;
    expect_invalid(
        lines_->TakeLine(ServiceTestServer::As(kCarl).get(), r, &result),
        "holder.id");
  }
  {
    v1::TakeBackRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id("n");
    *r.mutable_holder() = Worker("partner:natpartner");
    v1::LineHandoverResponse response;
    expect_invalid(
        lines_->TakeBack(ServiceTestServer::As(kNight).get(), r, &response),
        "holder.id");
  }
  {
    v1::PassToNightPartnerRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id("l");
    *r.mutable_night_partner() = NightPartner(kBo);
    v1::LineHandoverResponse response;
    expect_invalid(lines_->PassToNightPartner(
                       ServiceTestServer::As(kAnna).get(), r, &response),
                   "night_partner.id");
  }
  {
    v1::AssignBackupRequest r;
    r.set_request_id(NewRequestId());
    r.set_line_id("l");
    *r.mutable_backup() = Worker("partner:natpartner");
    *r.mutable_starts_at() = At(server_.clock().Now());
    *r.mutable_ends_at() = At(server_.clock().Now() + absl::Hours(1));
    v1::CommandResult result;
    expect_invalid(
        lines_->AssignBackup(ServiceTestServer::As(kAnna).get(), r, &result),
        "backup.id");
  }
  EXPECT_EQ(server_.store().LastPosition(), last);
}

TEST_F(LineServiceTest, PartnerCannotMakeItselfTheHolderByDefault) {
  // A partner acts on a line only where a handover is offered to it or it
  // holds the line: taking it (it would hold it as a team worker) is
  // refused as a relationship rule.
  grpc::Status opened =
      Take("l", kNight, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED);
  EXPECT_EQ(opened.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(opened.error_message(),
              HasSubstr("needs the right 'hold-lines'"));
  EXPECT_TRUE(Events("l").empty());

  ASSERT_TRUE(Take("l", kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
  grpc::Status over = Take("l", "partner:akut-ishoj",
                           v1::LINE_COVERAGE_TAKE_REASON_HOLDER_UNREACHABLE);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(over.error_message(), HasSubstr("needs the right 'hold-lines'"));

  ASSERT_TRUE(Pass("l", kAnna).ok());
  const size_t before = Events("l").size();
  grpc::Status back = TakeBack("l", "partner:other");
  EXPECT_EQ(back.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(back.error_message(), HasSubstr("needs the right 'hold-lines'"));
  EXPECT_EQ(Events("l").size(), before);
  EXPECT_EQ(Fold("l").phase(), Phase::kHeldByNight);
}

// ---------------------------------------------------------------------------
// Two parties accepting the same handover at the same moment.

TEST_F(LineServiceTest, TwoAcceptsOfOneHandoverAtOnceRecordExactlyOne) {
  for (int round = 0; round < 50; ++round) {
    SCOPED_TRACE(round);
    const std::string line = absl::StrCat("race-", round);
    ASSERT_TRUE(
        Take(line, kAnna, v1::LINE_COVERAGE_TAKE_REASON_LINE_OPENED).ok());
    const std::string handover = Offer(line, kAnna, Worker(kBo)).value();

    std::latch start(2);
    grpc::Status outcomes[2];
    std::vector<std::thread> workers;
    for (int i = 0; i < 2; ++i) {
      workers.emplace_back([&, i] {
        v1::AcceptHandoverRequest r;
        r.set_request_id(absl::StrCat(line, "-accept-", i));
        r.set_line_id(line);
        r.set_handover_id(handover);
        auto context = ServiceTestServer::As(kBo);
        v1::CommandResult result;
        start.arrive_and_wait();
        outcomes[i] = lines_->AcceptHandover(context.get(), r, &result);
      });
    }
    for (std::thread& t : workers) t.join();

    int ok = 0;
    for (const grpc::Status& s : outcomes) {
      if (s.ok()) {
        ++ok;
      } else {
        EXPECT_THAT(s.error_code(),
                    ::testing::AnyOf(grpc::StatusCode::ABORTED,
                                     grpc::StatusCode::FAILED_PRECONDITION))
            << s.error_message();
      }
    }
    EXPECT_EQ(ok, 1);
    EXPECT_EQ(Count(line, v1::EventPayload::kLineHandoverAccepted), 1);
    EXPECT_EQ(Fold(line).holder().id(), kBo);
  }
}

}  // namespace
}  // namespace vagt
