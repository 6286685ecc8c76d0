// vagtd: the vagt server. Opens the event store and serves gRPC.
//
// It hosts the domain services chosen by --services (default: all), the
// standard gRPC health service and server reflection, so `grpcurl` or any gRPC
// client can see what it serves.
// SIGTERM or SIGINT shut it down gracefully: in-flight calls finish (up to a
// grace period), then the store closes cleanly.
#include <signal.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/flags/usage.h"
#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "projections/runner.h"
#include "projections/store_feed.h"
#include "services/registry.h"

ABSL_FLAG(std::string, data_dir, "var/vagt",
          "Directory of the embedded event store (created when missing).");
ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to serve gRPC on; port 0 picks a free port.");
ABSL_FLAG(std::vector<std::string>, services, {"all"},
          "Comma-separated services to host: all (default), or any of: "
          "calls, escalations, lines, citizens, oncall, audit.");
ABSL_FLAG(std::string, projections_dir, "",
          "Directory of the projection database (the board and the audit "
          "trail, derived from the store); default: <data_dir>.projections.");
ABSL_FLAG(bool, rebuild_projections, false,
          "Wipe the projection database and rebuild it from the whole log "
          "before serving.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "How long in-flight calls may run after SIGTERM.");

namespace {

int Fail(const std::string& message) {
  std::fprintf(stderr, "vagtd: %s\n", message.c_str());
  return 1;
}

// Blocks SIGTERM and SIGINT in every thread (call before any thread starts)
// and returns the set, for sigwait.
sigset_t BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "vagt server.\n  vagtd [--data_dir=var/vagt] [--listen=127.0.0.1:50051]");
  absl::ParseCommandLine(argc, argv);
  const sigset_t shutdown_signals = BlockShutdownSignals();

  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  // Set once the server runs; a store that stops taking appends turns the
  // health check to NOT_SERVING so that monitoring sees it at once.
  std::atomic<grpc::HealthCheckServiceInterface*> health{nullptr};
  vagt::eventstore::Options options;
  options.path = data_dir;
  options.on_appends_refused = [&health](const absl::Status&) {
    if (auto* h = health.load()) h->SetServingStatus(false);
  };
  absl::StatusOr<std::unique_ptr<vagt::eventstore::EventStore>> store =
      vagt::eventstore::EventStore::Open(std::move(options));
  if (!store.ok()) return Fail(std::string(store.status().message()));

  // The projections (board, audit trail) follow the store on a thread.
  const std::vector<std::string> names = absl::GetFlag(FLAGS_services);
  std::unique_ptr<vagt::projections::ProjectionRunner> projections;
  std::unique_ptr<vagt::services::ProjectionView> view;
  if (vagt::services::NeedProjections(names)) {
    std::string dir = absl::GetFlag(FLAGS_projections_dir);
    if (dir.empty()) dir = data_dir + ".projections";
    auto runner = vagt::projections::ProjectionRunner::Open(
        dir, std::make_unique<vagt::projections::StoreFeed>(**store),
        {.rebuild = absl::GetFlag(FLAGS_rebuild_projections)});
    if (!runner.ok()) return Fail(std::string(runner.status().message()));
    projections = std::move(*runner);
    projections->Start();
    view = std::make_unique<vagt::services::ProjectionView>(
        *projections, [store = store->get()] { return store->LastPosition(); });
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  vagt::services::StoreAccessSink access(**store);
  absl::StatusOr<std::vector<std::unique_ptr<grpc::Service>>> services =
      vagt::services::MakeServices(names, {.store = store->get(),
                                           .clock = vagt::SystemClock(),
                                           .access = &access,
                                           .projections = view.get()});
  if (!services.ok()) return Fail(std::string(services.status().message()));
  for (const auto& service : *services) builder.RegisterService(service.get());
  int port = 0;
  const std::string listen = absl::GetFlag(FLAGS_listen);
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &port);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Fail(absl::StrCat("cannot listen on ", listen));
  }
  health.store(server->GetHealthCheckService());
  if (absl::Status appends = (*store)->AppendStatus(); !appends.ok()) {
    server->GetHealthCheckService()->SetServingStatus(false);
    std::fprintf(stderr, "vagtd: NOT SERVING appends: %s\n",
                 std::string(appends.message()).c_str());
  }
  const std::string host = listen.substr(0, listen.rfind(':'));
  std::printf("vagtd listening on %s:%d (event store: %s, %llu events)\n",
              host.c_str(), port, data_dir.c_str(),
              static_cast<unsigned long long>((*store)->LastPosition()));
  std::fflush(stdout);

  int signal = 0;
  sigwait(&shutdown_signals, &signal);
  std::printf("vagtd: %s received, shutting down\n", strsignal(signal));
  std::fflush(stdout);
  server->Shutdown(std::chrono::system_clock::now() +
                   absl::ToChronoSeconds(absl::GetFlag(FLAGS_shutdown_grace)));
  server->Wait();
  services->clear();
  view.reset();
  projections.reset();  // Stops following the store before it closes.
  store->reset();  // Closes the store: flushes memtables, releases the lock.
  std::printf("vagtd: stopped cleanly\n");
  return 0;
}
