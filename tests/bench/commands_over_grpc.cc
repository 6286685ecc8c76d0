// The commands case: ReceiveCall through real gRPC over TLS, every request
// carrying a bearer token that the edge checks against the directory, into
// a fresh event store; and the same with the edge admitting every request
// without looking at its token (EdgeOptions::bench_admit_everyone_as); and
// gRPC with the edge alone, in front of a handler that does nothing.
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "domain/access_token.h"
#include "domain/streams.h"
#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "eventstore/status_macros.h"
#include "eventstore/timestamps.h"
#include "grpcpp/grpcpp.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "services/calls/call_service.h"
#include "services/common/access_log.h"
#include "services/common/edge.h"
#include "services/common/grpc_status.h"
#include "services/common/ids.h"
#include "services/common/live_directory.h"
#include "services/common/server_threads.h"
#include "tests/bench/cases.h"
#include "vagt/v1/calls.grpc.pb.h"

namespace vagt::bench {
namespace {

constexpr char kTeam[] = "bench-team";
constexpr char kLine[] = "bench";
constexpr char kWorker[] = "worker:bench";

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Certificate {
  std::string cert_pem;
  std::string key_pem;
};

// A throwaway certificate for 127.0.0.1, made by the openssl CLI.
absl::StatusOr<Certificate> MakeCertificate(const std::string& dir) {
  const std::string command = absl::StrCat(
      "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
      "-keyout ",
      dir, "/key.pem -out ", dir,
      "/cert.pem -days 1 -subj /CN=vagt-bench "
      "-addext subjectAltName=IP:127.0.0.1 2>/dev/null");
  if (std::system(command.c_str()) != 0) {
    return absl::UnavailableError("openssl could not make a certificate");
  }
  Certificate out;
  ASSIGN_OR_RETURN(out.cert_pem, ReadFile(dir + "/cert.pem"));
  ASSIGN_OR_RETURN(out.key_pem, ReadFile(dir + "/key.pem"));
  return out;
}

// The bench's team, line and worker with one token; returns the token.
absl::StatusOr<std::string> SeedDirectory(eventstore::EventStore& store,
                                          absl::Time now) {
  const AccessToken token = NewAccessToken(services::NewUuid());
  std::vector<v1::EventPayload> payloads(5);
  payloads[0].mutable_team_registered()->set_team_id(kTeam);
  payloads[1].mutable_team_line_registered()->set_team_id(kTeam);
  payloads[1].mutable_team_line_registered()->set_line_id(kLine);
  auto& principal = *payloads[2].mutable_principal_registered();
  principal.set_party_id(kWorker);
  principal.set_kind(v1::PRINCIPAL_KIND_PERSON);
  auto& role = *payloads[3].mutable_principal_role_granted();
  role.set_party_id(kWorker);
  role.set_role(v1::ROLE_TEAM_WORKER);
  role.set_team_id(kTeam);
  auto& credential = *payloads[4].mutable_credential_issued();
  credential.set_credential_id(token.credential_id);
  credential.set_party_id(kWorker);
  credential.set_label("vagt-bench");
  credential.set_secret_sha256(SecretDigest(token.secret));
  *credential.mutable_expires_at() = ToTimestamp(now + absl::Hours(24));
  eventstore::AppendRequest request;
  request.stream_id = kDirectoryStream;
  for (v1::EventPayload& payload : payloads) {
    eventstore::NewEvent e;
    e.payload = std::move(payload);
    e.actor = "system:vagt-bench";
    e.occurred_at = now;
    request.events.push_back(std::move(e));
  }
  RETURN_IF_ERROR(store.Append(std::move(request)).status());
  return token.text();
}

// ReceiveCall answered at once, the call logged nowhere: what gRPC, TLS and
// the edge cost without the store.
class AnswerAtOnce final : public v1::CallService::Service {
  grpc::Status ReceiveCall(grpc::ServerContext* context,
                           const v1::ReceiveCallRequest* request,
                           v1::ReceiveCallResponse* response) override {
    absl::StatusOr<services::Caller> caller = services::CallerOf(*context);
    if (!caller.ok()) return services::ToGrpcStatus(caller.status());
    response->set_call_id(request->request_id());
    return grpc::Status::OK;
  }
};

}  // namespace

absl::StatusOr<Throughput> MeasureCommands(const std::string& dir, int threads,
                                           absl::Duration duration,
                                           CommandsCase which) {
  const bool authenticate = which != CommandsCase::kAuthenticationOff;
  ASSIGN_OR_RETURN(Certificate certificate, MakeCertificate(dir));
  ASSIGN_OR_RETURN(std::unique_ptr<eventstore::EventStore> store,
                   eventstore::EventStore::Open({.path = dir + "/store"}));
  const Clock& clock = SystemClock();
  ASSIGN_OR_RETURN(const std::string token, SeedDirectory(*store, clock.Now()));

  services::LiveDirectory directory(*store);
  services::StoreAccessSink refusals(*store);
  services::CallService calls(*store, clock);
  AnswerAtOnce answer_at_once;
  grpc::ServerBuilder builder;
  services::KeepHandlerThreads(builder);
  grpc::SslServerCredentialsOptions tls;
  tls.pem_key_cert_pairs.push_back({certificate.key_pem, certificate.cert_pem});
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::SslServerCredentials(tls),
                           &port);
  services::InstallEdge(
      builder, {.directory = &directory,
                .clock = &clock,
                .refusals = &refusals,
                .bench_admit_everyone_as = authenticate ? "" : kWorker});
  if (which == CommandsCase::kEdgeOnly) {
    builder.RegisterService(&answer_at_once);
  } else {
    builder.RegisterService(&calls);
  }
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return absl::UnavailableError("the gRPC server did not start");
  }

  grpc::SslCredentialsOptions trust;
  trust.pem_root_certs = certificate.cert_pem;
  std::shared_ptr<grpc::Channel> channel = grpc::CreateChannel(
      absl::StrCat("127.0.0.1:", port), grpc::SslCredentials(trust));
  std::vector<std::unique_ptr<v1::CallService::Stub>> stubs;
  for (int t = 0; t < threads; ++t) {
    stubs.push_back(v1::CallService::NewStub(channel));
  }
  auto receive = [&](int thread, uint64_t i) -> absl::Status {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + token);
    v1::ReceiveCallRequest request;
    request.set_request_id(absl::StrCat("bench-", thread, "-", i));
    request.set_line_id(kLine);
    request.set_caller_kind(v1::CALLER_KIND_CITIZEN);
    request.set_channel(v1::CONTACT_CHANNEL_PHONE);
    v1::ReceiveCallResponse response;
    grpc::Status s = stubs[thread]->ReceiveCall(&context, request, &response);
    if (!s.ok()) {
      return absl::InternalError(
          absl::StrCat("ReceiveCall: ", s.error_message()));
    }
    return absl::OkStatus();
  };
  // The TLS handshake and the first folds, outside the measurement.
  for (uint64_t i = 0; i < 20; ++i) {
    RETURN_IF_ERROR(receive(0, 1'000'000'000 + i));
  }
  absl::StatusOr<Throughput> measured = RunThreads(threads, duration, receive);
  server->Shutdown();
  return measured;
}

}  // namespace vagt::bench
