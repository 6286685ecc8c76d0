// vagtd: the vagt server. Opens the event store and serves gRPC.
//
// It hosts the domain services chosen by --role and --services (default:
// all), the standard gRPC health service and server reflection, so `grpcurl`
// or any gRPC client can see what it serves. With --kafka_brokers it also
// publishes every event to Kafka; then the command services (--role=commands)
// and the board and audit trail (--role=queries, no store, fed from Kafka)
// can run as separate processes that meet only through Kafka.
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
#include "absl/strings/str_join.h"
#include "eventstore/event_store.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "projections/runner.h"
#include "projections/store_feed.h"
#include "services/common/edge.h"
#include "services/common/live_directory.h"
#include "services/common/projected_directory.h"
#include "services/common/server_threads.h"
#include "services/directory/bootstrap.h"
#include "services/escalations/coverage.h"
#include "services/escalations/deadline_engine.h"
#include "services/gateway/gateway.h"
#include "services/registry.h"
#include "services/roster/coverage_watch.h"
#include "services/roster/roster_coverage.h"
#include "services/vagtd/http_parts.h"
#include "services/vagtd/kafka_parts.h"
#include "services/vagtd/listen.h"
#include "services/vagtd/oidc_setup.h"

ABSL_FLAG(std::string, data_dir, "var/vagt",
          "Directory of the embedded event store (created when missing).");
ABSL_FLAG(std::string, listen, "127.0.0.1:50051",
          "Address to serve gRPC on; port 0 picks a free port.");
ABSL_FLAG(std::string, http_listen, "",
          "Also serve browsers on this address (host:port): the console and "
          "the Connect protocol (JSON) for every method, with the same TLS "
          "settings as --listen. Empty: no HTTP.");
ABSL_FLAG(std::string, web_dir, "web/dist",
          "The console's built files (npm --prefix web run build), served "
          "on --http_listen.");
ABSL_FLAG(int, http_max_connections, 256,
          "Browser connections served at once on --http_listen.");
ABSL_FLAG(int, http_max_streams, 128,
          "Of those, how many may hold an open stream (a live board); the "
          "rest are kept for ordinary requests.");
ABSL_FLAG(std::string, tls_cert, "",
          "PEM certificate (chain) to serve gRPC over TLS; with --tls_key.");
ABSL_FLAG(std::string, tls_key, "", "PEM private key of --tls_cert.");
ABSL_FLAG(std::string, tls_client_ca, "",
          "PEM CA: mutual TLS, every client must present a certificate it "
          "signed (systems, other vagtd processes).");
ABSL_FLAG(bool, insecure_plaintext_on_network, false,
          "Listen without TLS on an address beyond loopback (only behind a "
          "proxy that does TLS). Without it vagtd refuses.");
ABSL_FLAG(
    std::string, role, "all",
    "all: the store, every service and the projections (default). "
    "commands: the store, the command services (calls, escalations, "
    "policies, lines, citizens, roster, directory), the escalation deadline "
    "engine and the roster's coverage watch. queries: the board and the audit "
    "trail (oncall, audit), fed from Kafka, without the store; needs "
    "--kafka_brokers.");
ABSL_FLAG(std::vector<std::string>, services, {"all"},
          "Comma-separated services to host: all (default: those of the "
          "role), or any of: calls, escalations, policies, lines, citizens, "
          "roster, oncall, audit, directory.");
ABSL_FLAG(std::string, kafka_brokers, "",
          "Publish every event to Kafka: host:port[,host:port...] of a "
          "cluster, or 'embedded' for librdkafka's mock cluster in this "
          "process (it prints its address, for kcat). Empty: no Kafka.");
ABSL_FLAG(std::string, kafka_properties, "",
          "A file of librdkafka connection properties (name=value lines: "
          "security.protocol, client.id, sasl.*, ssl.*) for every Kafka "
          "client, e.g. SASL_SSL to a secured cluster (deploy/kafka.md). "
          "Not readable by others when it holds a password.");
ABSL_FLAG(std::string, kafka_topic_lines, vagt::kafka::Topics().lines,
          "Topic of line and roster events.");
ABSL_FLAG(std::string, kafka_topic_calls, vagt::kafka::Topics().calls,
          "Topic of call events.");
ABSL_FLAG(std::string, kafka_topic_escalations,
          vagt::kafka::Topics().escalations, "Topic of escalation events.");
ABSL_FLAG(std::string, kafka_topic_citizens, vagt::kafka::Topics().citizens,
          "Topic of citizen events and records of reads.");
ABSL_FLAG(std::string, kafka_topic_access_intake,
          vagt::kafka::Topics().access_intake,
          "Topic on which a queries-only server sends its records of reads "
          "to the server that owns the store.");
ABSL_FLAG(int, kafka_partitions, vagt::kafka::Topics().partitions,
          "Partitions per topic, where vagt creates the topics (embedded).");
ABSL_FLAG(std::string, kafka_group, "vagt-projections",
          "Consumer group of the Kafka-fed projections (role queries); one "
          "server per group.");
ABSL_FLAG(std::string, relay_dir, "",
          "Directory of the outbox relay's checkpoint; default: "
          "<data_dir>.relay.");
ABSL_FLAG(std::string, projections_dir, "",
          "Directory of the projection database (the board and the audit "
          "trail, derived from the store); default: <data_dir>.projections.");
ABSL_FLAG(bool, rebuild_projections, false,
          "Wipe the projection database and rebuild it from the whole log "
          "before serving.");
ABSL_FLAG(bool, escalation_engine, true,
          "Roles all and commands: run the deadline engine, which makes an "
          "escalation nobody acknowledges in time climb its policy's ladder "
          "and raises an alarm if one stalls.");
ABSL_FLAG(std::string, first_admin_token, "",
          "Where the first start writes the administrator's token (mode "
          "0600); default: <data_dir>/first-admin-token.");
ABSL_FLAG(int, failed_logins_per_peer, 20,
          "Failed logins a peer address may make before it is throttled "
          "(then one more every 15 s); raise it when many clients share an "
          "address behind a NAT.");
ABSL_FLAG(absl::Duration, shutdown_grace, absl::Seconds(10),
          "How long in-flight calls may run after SIGTERM.");
ABSL_FLAG(std::string, oidc_issuer, "",
          "Accept OpenID Connect tokens (JWTs) of the identity provider with "
          "this issuer (the tokens' iss, exactly). Empty: OpenID Connect is "
          "off, only vagt access tokens are accepted.");
ABSL_FLAG(std::string, oidc_audience, "",
          "The audience the tokens must be for (their aud): vagt's client id "
          "or application id URI at the identity provider.");
ABSL_FLAG(std::string, oidc_jwks_file, "",
          "The identity provider's signing keys: a JWKS file (read again on "
          "every refresh).");
ABSL_FLAG(std::string, oidc_jwks_url, "",
          "The identity provider's signing keys: its jwks_uri (https).");
ABSL_FLAG(std::string, oidc_jwks_ca, "",
          "PEM CA certificates to check --oidc_jwks_url's server with; "
          "default: the system's.");
ABSL_FLAG(std::string, oidc_claim, "preferred_username",
          "The claim that names the worker: its value, lower-cased, after "
          "\"worker:\" is the party id (e.g. upn, email, or a custom claim).");
ABSL_FLAG(std::string, oidc_domain, "",
          "The municipality's domain (ishoj.dk): the claim must end in "
          "@<domain>, which is removed (anna@ishoj.dk -> worker:anna); "
          "other domains are refused.");
ABSL_FLAG(absl::Duration, oidc_skew, absl::Seconds(60),
          "Clock skew allowed on the tokens' exp, nbf and iat.");
ABSL_FLAG(absl::Duration, oidc_jwks_refresh, absl::Hours(1),
          "How often the identity provider's keys are fetched again.");
ABSL_FLAG(absl::Duration, oidc_jwks_min_refetch, absl::Minutes(1),
          "A token with an unknown kid fetches the keys again, at most this "
          "often.");
ABSL_FLAG(std::string, oidc_console_client_id, "",
          "The console's client id at the identity provider, for its "
          "sign-in (authorization code with PKCE); default: "
          "--oidc_audience.");
ABSL_FLAG(std::string, oidc_console_scope, "openid profile",
          "The scopes the console asks the identity provider for; they must "
          "yield an access token for --oidc_audience.");

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

// Flags may be spelled with dashes too (--kafka-brokers=...).
void AcceptDashedFlags(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--") return;
    if (arg.size() < 3 || arg.substr(0, 2) != "--") continue;
    for (char* c = argv[i] + 2; *c != '\0' && *c != '='; ++c) {
      if (*c == '-') *c = '_';
    }
  }
}

vagt::vagtd::OidcSettings OidcFromFlags() {
  return {.verifier = {.issuer = absl::GetFlag(FLAGS_oidc_issuer),
                       .audience = absl::GetFlag(FLAGS_oidc_audience),
                       .claim = absl::GetFlag(FLAGS_oidc_claim),
                       .domain = absl::GetFlag(FLAGS_oidc_domain),
                       .skew = absl::GetFlag(FLAGS_oidc_skew)},
          .jwks_file = absl::GetFlag(FLAGS_oidc_jwks_file),
          .jwks_url = absl::GetFlag(FLAGS_oidc_jwks_url),
          .jwks_ca = absl::GetFlag(FLAGS_oidc_jwks_ca),
          .cache = {.refresh = absl::GetFlag(FLAGS_oidc_jwks_refresh),
                    .min_refetch = absl::GetFlag(FLAGS_oidc_jwks_min_refetch)}};
}

// The console signs in with the identity provider vagtd trusts, if any.
vagt::gateway::ConsoleOidc ConsoleOidcFromFlags() {
  const std::string issuer = absl::GetFlag(FLAGS_oidc_issuer);
  if (issuer.empty()) return {};
  const std::string client_id = absl::GetFlag(FLAGS_oidc_console_client_id);
  return {.issuer = issuer,
          .client_id = client_id.empty() ? absl::GetFlag(FLAGS_oidc_audience)
                                         : client_id,
          .scope = absl::GetFlag(FLAGS_oidc_console_scope)};
}

vagt::gateway::GatewayOptions HttpFromFlags() {
  return {.address = absl::GetFlag(FLAGS_http_listen),
          .tls_cert = absl::GetFlag(FLAGS_tls_cert),
          .tls_key = absl::GetFlag(FLAGS_tls_key),
          .tls_client_ca = absl::GetFlag(FLAGS_tls_client_ca),
          .web_dir = absl::GetFlag(FLAGS_web_dir),
          .console_oidc = ConsoleOidcFromFlags(),
          .max_connections = absl::GetFlag(FLAGS_http_max_connections),
          .max_streams = absl::GetFlag(FLAGS_http_max_streams)};
}

vagt::kafka::Topics TopicsFromFlags() {
  vagt::kafka::Topics topics;
  topics.lines = absl::GetFlag(FLAGS_kafka_topic_lines);
  topics.calls = absl::GetFlag(FLAGS_kafka_topic_calls);
  topics.escalations = absl::GetFlag(FLAGS_kafka_topic_escalations);
  topics.citizens = absl::GetFlag(FLAGS_kafka_topic_citizens);
  topics.access_intake = absl::GetFlag(FLAGS_kafka_topic_access_intake);
  topics.partitions = absl::GetFlag(FLAGS_kafka_partitions);
  return topics;
}

// The services to host: --services, where "all" means those of the role.
absl::StatusOr<std::vector<std::string>> ServicesOfRole(
    const std::string& role) {
  std::vector<std::string> names = absl::GetFlag(FLAGS_services);
  const bool all = names == std::vector<std::string>{"all"};
  if (role == "all") return names;
  if (role == "commands") {
    return all ? std::vector<std::string>{"calls",    "escalations", "policies",
                                          "lines",    "citizens",    "roster",
                                          "directory"}
               : names;
  }
  if (role == "queries") {
    return all ? std::vector<std::string>{"oncall", "audit"} : names;
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "--role: '", role, "' is not one of all, commands, queries"));
}

}  // namespace

int main(int argc, char** argv) {
  absl::SetProgramUsageMessage(
      "vagt server.\n  vagtd [--data_dir=var/vagt] [--listen=127.0.0.1:50051] "
      "[--kafka_brokers=embedded|host:port,...] [--role=all|commands|queries]");
  AcceptDashedFlags(argc, argv);
  absl::ParseCommandLine(argc, argv);
  const sigset_t shutdown_signals = BlockShutdownSignals();

  const std::string role = absl::GetFlag(FLAGS_role);
  absl::StatusOr<std::vector<std::string>> names = ServicesOfRole(role);
  if (!names.ok()) return Fail(std::string(names.status().message()));
  const std::string data_dir = absl::GetFlag(FLAGS_data_dir);
  if (absl::GetFlag(FLAGS_failed_logins_per_peer) < 1) {
    return Fail("--failed_logins_per_peer: at least 1");
  }
  // Checked before anything opens: a refused listen changes nothing.
  const std::string listen = absl::GetFlag(FLAGS_listen);
  const vagt::vagtd::ListenOptions listen_options{
      .address = listen,
      .tls_cert = absl::GetFlag(FLAGS_tls_cert),
      .tls_key = absl::GetFlag(FLAGS_tls_key),
      .tls_client_ca = absl::GetFlag(FLAGS_tls_client_ca),
      .insecure_plaintext_on_network =
          absl::GetFlag(FLAGS_insecure_plaintext_on_network)};
  auto credentials = vagt::vagtd::ListenCredentials(listen_options);
  if (!credentials.ok()) {
    return Fail(std::string(credentials.status().message()));
  }
  const vagt::gateway::GatewayOptions http_options = HttpFromFlags();
  if (absl::Status http =
          vagt::vagtd::CheckHttpListen(http_options, listen_options);
      !http.ok()) {
    return Fail(std::string(http.message()));
  }
  // The identity provider's keys, fetched before the server starts; the
  // verifier outlives the server.
  const vagt::vagtd::OidcSettings oidc_settings = OidcFromFlags();
  absl::StatusOr<std::unique_ptr<vagt::vagtd::OidcParts>> oidc =
      vagt::vagtd::StartOidc(oidc_settings, vagt::SystemClock());
  if (!oidc.ok()) return Fail(std::string(oidc.status().message()));

  std::unique_ptr<vagt::vagtd::KafkaParts> kafka;
  const std::string brokers = absl::GetFlag(FLAGS_kafka_brokers);
  vagt::kafka::ConnectionProperties connection;
  if (const std::string path = absl::GetFlag(FLAGS_kafka_properties);
      !path.empty()) {
    if (brokers.empty()) {
      return Fail("--kafka_properties: only with --kafka_brokers");
    }
    auto read = vagt::kafka::ReadConnectionProperties(path);
    if (!read.ok()) return Fail(std::string(read.status().message()));
    connection = *std::move(read);
  }
  if (!brokers.empty()) {
    auto parts = vagt::vagtd::KafkaParts::Connect(
        {.brokers = brokers,
         .topics = TopicsFromFlags(),
         .projections_group = absl::GetFlag(FLAGS_kafka_group),
         .connection = std::move(connection)});
    if (!parts.ok()) return Fail(std::string(parts.status().message()));
    kafka = std::move(*parts);
  } else if (role == "queries") {
    return Fail(
        "--role=queries reads the events from Kafka: give --kafka_brokers");
  }

  // Set once the server runs; a store that stops taking appends turns the
  // health check to NOT_SERVING so that monitoring sees it at once.
  std::atomic<grpc::HealthCheckServiceInterface*> health{nullptr};
  std::unique_ptr<vagt::eventstore::EventStore> store;
  if (role != "queries") {
    vagt::eventstore::Options options;
    options.path = data_dir;
    options.on_appends_refused = [&health](const absl::Status&) {
      if (auto* h = health.load()) h->SetServingStatus(false);
    };
    auto opened = vagt::eventstore::EventStore::Open(std::move(options));
    if (!opened.ok()) return Fail(std::string(opened.status().message()));
    store = std::move(*opened);
  }
  // On an empty store: the first administrator, whose token only the file
  // holds.
  std::optional<std::string> first_token_file;
  if (store != nullptr) {
    std::string path = absl::GetFlag(FLAGS_first_admin_token);
    if (path.empty()) path = data_dir + "/first-admin-token";
    auto made = vagt::services::BootstrapAdministrator(
        *store, vagt::SystemClock(), path);
    if (made.ok()) {
      first_token_file = *made;
    } else {
      // A store that refuses appends is still served (read-only, not
      // healthy); nobody can log in to it until it is repaired.
      std::fprintf(stderr, "vagtd: cannot create the first administrator: %s\n",
                   std::string(made.status().message()).c_str());
    }
  }
  if (kafka != nullptr && store != nullptr) {
    std::string relay_dir = absl::GetFlag(FLAGS_relay_dir);
    if (relay_dir.empty()) relay_dir = data_dir + ".relay";
    if (absl::Status s = kafka->Serve(*store, relay_dir); !s.ok()) {
      return Fail(std::string(s.message()));
    }
  }

  // The projections (board, audit trail) follow the store, or Kafka, on a
  // thread; reads of citizens' data are recorded in the store, or sent to
  // it through Kafka.
  std::unique_ptr<vagt::projections::ProjectionRunner> projections;
  std::unique_ptr<vagt::services::ProjectionView> view;
  std::unique_ptr<vagt::services::AccessSink> access;
  if (vagt::services::NeedProjections(*names)) {
    std::string dir = absl::GetFlag(FLAGS_projections_dir);
    if (dir.empty()) dir = data_dir + ".projections";
    std::unique_ptr<vagt::projections::EventFeed> feed;
    vagt::services::ProjectionView::LogPosition log_position;
    if (store != nullptr) {
      feed = std::make_unique<vagt::projections::StoreFeed>(*store);
      log_position = [s = store.get()] { return s->LastPosition(); };
      access = std::make_unique<vagt::services::StoreAccessSink>(*store);
    } else {
      auto kafka_feed = kafka->NewFeed();
      if (!kafka_feed.ok()) {
        return Fail(std::string(kafka_feed.status().message()));
      }
      // What the feed has seen of the log: a query waits (briefly) for
      // what arrived before it, and the board says how far behind it is.
      log_position = [f = kafka_feed->get()] {
        return f->progress().highest_seen;
      };
      feed = std::move(*kafka_feed);
      auto sink = kafka->NewAccessSink();
      if (!sink.ok()) return Fail(std::string(sink.status().message()));
      access = std::move(*sink);
    }
    auto runner = vagt::projections::ProjectionRunner::Open(
        dir, std::move(feed),
        {.rebuild = absl::GetFlag(FLAGS_rebuild_projections)});
    if (!runner.ok()) return Fail(std::string(runner.status().message()));
    projections = std::move(*runner);
    projections->Start();
    view = std::make_unique<vagt::services::ProjectionView>(
        *projections, std::move(log_position));
  }

  // Who covers a line's BACKUP and DUTY levels: whoever actually does (the
  // line's holder, an assigned backup), else whom the roster plans. One
  // lookup, for the escalation service and the deadline engine alike.
  std::unique_ptr<vagt::services::CoverageLookup> coverage;
  if (store != nullptr) {
    coverage =
        std::make_unique<vagt::services::ActualOrPlannedCoverage>(*store);
  }

  // Deadlines derive from the log: the engine rebuilds them on start and
  // follows the store from there.
  std::unique_ptr<vagt::services::DeadlineEngine> deadlines;
  if (store != nullptr && absl::GetFlag(FLAGS_escalation_engine)) {
    deadlines = vagt::services::DeadlineEngine::Start(
        *store, vagt::SystemClock(), *coverage);
  }

  // The roster's coverage watch raises an alarm when nobody holds a line the
  // roster plans, or a planned handover is not accepted within 10 minutes.
  std::unique_ptr<vagt::services::CoverageWatch> coverage_watch;
  if (store != nullptr) {
    coverage_watch = std::make_unique<vagt::services::CoverageWatch>(
        *store, vagt::SystemClock());
    coverage_watch->Start();
  }

  // The edge: every request authenticated against the directory (the
  // store's, or the projections' without it) and authorised by the rights
  // table before any service sees it; refusals recorded like reads.
  std::unique_ptr<vagt::services::DirectorySource> directory;
  std::unique_ptr<vagt::services::AccessSink> refusal_sink;
  vagt::services::AccessSink* refusals = access.get();
  if (store != nullptr) {
    directory = std::make_unique<vagt::services::LiveDirectory>(*store);
    if (refusals == nullptr) {
      refusal_sink = std::make_unique<vagt::services::StoreAccessSink>(*store);
      refusals = refusal_sink.get();
    }
  } else if (view != nullptr) {
    directory = std::make_unique<vagt::services::ProjectedDirectory>(*view);
  } else {
    return Fail(
        "--role=queries: host oncall or audit (nothing else runs "
        "without the store)");
  }

  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();
  grpc::ServerBuilder builder;
  vagt::services::KeepHandlerThreads(builder);
  vagt::services::InstallEdge(
      builder,
      {.directory = directory.get(),
       .clock = &vagt::SystemClock(),
       .refusals = refusals,
       .throttle = {.burst = absl::GetFlag(FLAGS_failed_logins_per_peer)},
       .oidc = *oidc != nullptr ? &(*oidc)->verifier() : nullptr});
  absl::StatusOr<std::vector<std::unique_ptr<grpc::Service>>> services =
      vagt::services::MakeServices(*names, {.store = store.get(),
                                            .clock = vagt::SystemClock(),
                                            .access = access.get(),
                                            .projections = view.get(),
                                            .coverage = coverage.get()});
  if (!services.ok()) return Fail(std::string(services.status().message()));
  for (const auto& service : *services) builder.RegisterService(service.get());
  int port = 0;
  builder.AddListeningPort(listen, *credentials, &port);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (server == nullptr || port == 0) {
    return Fail(absl::StrCat("cannot listen on ", listen));
  }
  health.store(server->GetHealthCheckService());
  if (store != nullptr) {
    if (absl::Status appends = store->AppendStatus(); !appends.ok()) {
      server->GetHealthCheckService()->SetServingStatus(false);
      std::fprintf(stderr, "vagtd: NOT SERVING appends: %s\n",
                   std::string(appends.message()).c_str());
    }
  }
  if (kafka != nullptr) {
    std::printf(
        "vagtd: Kafka at %s%s; watch the calls with: kcat -b %s -C "
        "-t %s -f '%%h\\n'\n",
        kafka->bootstraps().c_str(),
        kafka->embedded() ? " (embedded mock cluster)" : "",
        kafka->bootstraps().c_str(),
        absl::GetFlag(FLAGS_kafka_topic_calls).c_str());
  }
  const std::string host = listen.substr(0, listen.rfind(':'));
  const std::string what = store != nullptr
                               ? absl::StrCat("event store: ", data_dir, ", ",
                                              store->LastPosition(), " events")
                               : absl::StrCat("projections fed from Kafka");
  std::printf("vagtd listening on %s:%d (%s, %s; role %s: %s)\n", host.c_str(),
              port, vagt::vagtd::Describe(listen_options).c_str(), what.c_str(),
              role.c_str(), absl::StrJoin(*names, ",").c_str());
  if (first_token_file.has_value()) {
    std::printf(
        "vagtd: first start: created the administrator %s; its token is in "
        "%s (mode 0600, valid %d days).\n  Log in with: vagtctl login "
        "--server %s:%d --token-file %s\n",
        vagt::services::kFirstAdministrator, first_token_file->c_str(),
        static_cast<int>(vagt::services::kFirstTokenLife / absl::Hours(24)),
        host.c_str(), port, first_token_file->c_str());
  }
  if (*oidc != nullptr) {
    std::printf("vagtd: %s\n", vagt::vagtd::Describe(oidc_settings).c_str());
  }
  // Browsers reach the services through the in-process channel, so through
  // the edge like every other client.
  std::unique_ptr<vagt::gateway::BrowserGateway> gateway;
  if (!http_options.address.empty()) {
    auto started = vagt::vagtd::StartHttp(http_options, *server);
    if (!started.ok()) {
      server->Shutdown();
      return Fail(std::string(started.status().message()));
    }
    gateway = *std::move(started);
  }
  std::fflush(stdout);

  int signal = 0;
  sigwait(&shutdown_signals, &signal);
  std::printf("vagtd: %s received, shutting down\n", strsignal(signal));
  std::fflush(stdout);
  if (gateway != nullptr) gateway->Stop();  // Its streams end first.
  server->Shutdown(std::chrono::system_clock::now() +
                   absl::ToChronoSeconds(absl::GetFlag(FLAGS_shutdown_grace)));
  server->Wait();
  services->clear();
  directory.reset();
  refusal_sink.reset();
  // The coverage watch stops raising alarms before the store closes.
  coverage_watch.reset();
  deadlines.reset();  // Stops appending timeouts before the store closes.
  coverage.reset();
  view.reset();
  projections.reset();  // Stops following the store (or Kafka).
  access.reset();
  kafka.reset();  // Stops publishing before the store closes.
  store.reset();  // Closes the store: flushes memtables, releases the lock.
  std::printf("vagtd: stopped cleanly\n");
  return 0;
}
