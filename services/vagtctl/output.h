// Output: what vagtctl prints and with which exit code.
//
// Success goes to stdout: a short sentence for a person, or with --json the
// response message as JSON (proto field names, defaults included) for
// scripts. Failures go to stderr with the gRPC code and the server's message,
// and a distinct exit code:
//   0 done · 1 vagtctl itself failed · 2 usage (bad or missing arguments) ·
//   3 the server refused the command · 4 the server could not be reached.
#ifndef VAGT_SERVICES_VAGTCTL_OUTPUT_H_
#define VAGT_SERVICES_VAGTCTL_OUTPUT_H_

#include <string>

#include "absl/functional/function_ref.h"
#include "google/protobuf/message.h"
#include "grpcpp/support/status.h"
#include "vagt/v1/commands.pb.h"

namespace vagt::vagtctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitRejected = 3;
inline constexpr int kExitUnreachable = 4;

class Output {
 public:
  // `server` and `request_id` are named in failure messages, so that the user
  // can retry the same command safely.
  Output(bool json, std::string server, std::string request_id);

  bool json() const { return json_; }

  // Reports the outcome of one RPC: on success prints `response` as JSON, or
  // `human()` as a line; otherwise reports `status`. Returns the exit code.
  int Report(const grpc::Status& status,
             const google::protobuf::Message& response,
             absl::FunctionRef<std::string()> human) const;

  // Like Report, for a read (the board, the audit trail): when the server
  // cannot be reached there is nothing to repeat safely, so no request id is
  // offered.
  int ReportRead(const grpc::Status& status,
                 const google::protobuf::Message& response,
                 absl::FunctionRef<std::string()> human) const;

  // Reports a failed RPC on stderr and returns kExitRejected or
  // kExitUnreachable; `read` as in ReportRead.
  int Failure(const grpc::Status& status, bool read = false) const;

  // Prints a usage error (a missing actor, a malformed time) and returns
  // kExitUsage.
  static int UsageError(const std::string& message);

 private:
  bool json_;
  std::string server_;
  std::string request_id_;
};

// " (a retry: it was already recorded, nothing new was written)" when the
// result answers a retry, "" otherwise: appended to human sentences.
std::string RetryNote(const v1::CommandResult& result);

// The message as one line of JSON, with proto field names.
std::string ToJson(const google::protobuf::Message& message);

}  // namespace vagt::vagtctl

#endif  // VAGT_SERVICES_VAGTCTL_OUTPUT_H_
