#include "services/vagtctl/output.h"

#include <cstdio>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "google/protobuf/util/json_util.h"
#include "services/vagtctl/connection.h"

namespace vagt::vagtctl {
namespace {

// "FAILED_PRECONDITION": gRPC's codes are Abseil's codes.
std::string CodeName(grpc::StatusCode code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

void PrintLine(std::FILE* stream, const std::string& text) {
  std::fprintf(stream, "%s\n", text.c_str());
}

}  // namespace

Output::Output(bool json, std::string server, std::string request_id)
    : json_(json),
      server_(std::move(server)),
      request_id_(std::move(request_id)) {}

int Output::Report(const grpc::Status& status,
                   const google::protobuf::Message& response,
                   absl::FunctionRef<std::string()> human) const {
  if (!status.ok()) return Failure(status);
  PrintLine(stdout, json_ ? ToJson(response) : human());
  return kExitOk;
}

int Output::ReportRead(const grpc::Status& status,
                       const google::protobuf::Message& response,
                       absl::FunctionRef<std::string()> human) const {
  if (!status.ok()) return Failure(status, /*read=*/true);
  PrintLine(stdout, json_ ? ToJson(response) : human());
  return kExitOk;
}

int Output::UsageError(const std::string& message) {
  PrintLine(stderr, absl::StrCat("vagtctl: ", message));
  return kExitUsage;
}

int Output::Failure(const grpc::Status& status, bool read) const {
  const std::string what =
      absl::StrCat(CodeName(status.error_code()), ": ", status.error_message());
  if (IsRetryable(status.error_code()) && read) {
    PrintLine(stderr, absl::StrCat("vagtctl: cannot reach the vagt server at ",
                                   server_, " (", what, ")."));
    return kExitUnreachable;
  }
  if (IsRetryable(status.error_code())) {
    PrintLine(stderr,
              absl::StrCat("vagtctl: cannot reach the vagt server at ", server_,
                           " (", what, ").\n",
                           "The command may or may not have been recorded. "
                           "To repeat it safely, run it again with "
                           "--request-id ",
                           request_id_,
                           " (a repeat is answered with the "
                           "first result, never recorded twice)."));
    return kExitUnreachable;
  }
  PrintLine(stderr, absl::StrCat("vagtctl: the server refused: ", what));
  return kExitRejected;
}

std::string RetryNote(const v1::CommandResult& result) {
  return result.replayed()
             ? " (a retry: it was already recorded, nothing new was written)"
             : "";
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, options)
           .ok()) {
    return "{}";
  }
  return out;
}

}  // namespace vagt::vagtctl
