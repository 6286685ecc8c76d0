// DutyCommands: the commands of an evening on the phone (take the line, log
// and assess calls, escalate, hand over, consent), sent through the real
// gRPC services of a ServiceTestServer, for the tests of the query services
// (OnCallService, AuditService) that read what they produce.
//
//   DutyCommands duty(server.channel());
//   duty.TakeLine("central", "worker:anna");
//   Created call = duty.ReceiveCall("central", "worker:anna", "citizen-7f3a");
//
// Every command must succeed: a refused one is a test failure (EXPECT) and
// returns an empty id and position 0. Each returns the global position of the
// last event it appended. Not thread-safe.
#ifndef VAGT_TESTS_SERVICES_DUTY_COMMANDS_H_
#define VAGT_TESTS_SERVICES_DUTY_COMMANDS_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "tests/services/parties.h"
#include "vagt/v1/calls.grpc.pb.h"
#include "vagt/v1/citizens.grpc.pb.h"
#include "vagt/v1/escalations.grpc.pb.h"
#include "vagt/v1/lines.grpc.pb.h"

namespace vagt::testing {

// What a command that creates something returns.
struct Created {
  std::string id;
  uint64_t position = 0;
};

// A handover item about a citizen to keep an eye on, with sensitive text.
v1::HandoverItem CitizenToWatch(const std::string& citizen_ref,
                                const std::string& text);
// A handover item about no citizen.
v1::HandoverItem Remark(const std::string& text);

class DutyCommands {
 public:
  // A client context that authenticates `actor`.
  using ContextFor =
      std::function<std::unique_ptr<grpc::ClientContext>(const std::string&)>;

  // By default as the test principals of a ServiceTestServer.
  explicit DutyCommands(const std::shared_ptr<grpc::Channel>& channel,
                        ContextFor as = nullptr);

  // TakeLine(LINE_OPENED) with the actor as holder.
  uint64_t TakeLine(const std::string& line, const std::string& actor);
  // A phone call; from a known citizen when `citizen_ref` is set, else
  // anonymous.
  Created ReceiveCall(const std::string& line, const std::string& actor,
                      const std::string& citizen_ref);
  uint64_t AssessRisk(const std::string& call_id, const std::string& actor,
                      v1::RiskLevel level);
  uint64_t CloseCall(const std::string& call_id, const std::string& actor);

  // To the backup worker `target` (a "worker:" id), URGENT (deadline: the
  // policy's 15 minutes).
  Created RaiseToBackup(const std::string& call_id, const std::string& actor,
                        const std::string& target);
  // The actor acknowledges as the current target.
  uint64_t Acknowledge(const std::string& escalation_id,
                       const std::string& actor);
  uint64_t Resolve(const std::string& escalation_id, const std::string& actor);

  // `respond_by` unset (InfiniteFuture): no deadline.
  Created OfferHandover(const std::string& line, const std::string& actor,
                        const v1::Party& to,
                        std::vector<v1::HandoverItem> items,
                        absl::Time respond_by = absl::InfiniteFuture());
  uint64_t AcceptHandover(const std::string& line, const std::string& actor,
                          const std::string& handover_id);
  Created PassToNightPartner(const std::string& line, const std::string& actor,
                             const std::string& night_partner,
                             std::vector<v1::HandoverItem> items);
  uint64_t AssignBackup(const std::string& line, const std::string& actor,
                        const std::string& backup, absl::Time starts_at,
                        absl::Time ends_at);

  // `citizen_ref` lets every night partner see handover notes about them.
  Created ConsentToNightPartner(const std::string& citizen_ref,
                                const std::string& actor);

 private:
  std::string NewRequestId();

  int requests_ = 0;
  ContextFor as_;
  std::unique_ptr<v1::LineService::Stub> lines_;
  std::unique_ptr<v1::CallService::Stub> calls_;
  std::unique_ptr<v1::EscalationService::Stub> escalations_;
  std::unique_ptr<v1::CitizenService::Stub> citizens_;
};

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SERVICES_DUTY_COMMANDS_H_
