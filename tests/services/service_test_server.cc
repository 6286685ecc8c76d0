#include "tests/services/service_test_server.h"

#include <stdlib.h>

#include <filesystem>

#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "projections/store_feed.h"
#include "services/common/edge.h"
#include "services/registry.h"
#include "services/roster/roster_coverage.h"
#include "tests/services/test_principals.h"

namespace vagt::testing {
namespace {

// How long before DefaultStart() the test directory was set up: a day, so
// that a timeline of the evening does not hold it.
constexpr absl::Duration kDirectoryAge = absl::Hours(24);

}  // namespace

absl::Time ServiceTestServer::DefaultStart() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 24, 19, 0, 0),
                         absl::UTCTimeZone());
}

ServiceTestServer::ServiceTestServer(rocksdb::Env* rocksdb_env)
    : clock_(DefaultStart() - kDirectoryAge) {
  std::string tmpl = ::testing::TempDir() + "vagt-services-XXXXXX";
  dir_ = mkdtemp(tmpl.data()) == nullptr ? "" : tmpl;
  EXPECT_FALSE(dir_.empty());
  auto store = eventstore::EventStore::Open(
      {.path = dir_ + "/store", .clock = &clock_, .rocksdb_env = rocksdb_env});
  EXPECT_TRUE(store.ok()) << store.status();
  store_ = std::move(*store);
  auto seeded =
      store_->Append({.stream_id = kDirectoryStream,
                      .expected = eventstore::ExpectedVersion::NoStream(),
                      .request_id = "test-directory",
                      .events = TestDirectoryEvents(clock_.Now())});
  EXPECT_TRUE(seeded.ok()) << seeded.status();
  seeded_ = store_->LastPosition();
  clock_.Set(DefaultStart());
  directory_ = std::make_unique<services::LiveDirectory>(*store_);
  auto runner = projections::ProjectionRunner::Open(
      dir_ + "/projections", std::make_unique<projections::StoreFeed>(*store_));
  EXPECT_TRUE(runner.ok()) << runner.status();
  projections_ = std::move(*runner);
  projections_->Start();
  view_ = std::make_unique<services::ProjectionView>(
      *projections_, [store = store_.get()] { return store->LastPosition(); });
  access_ = std::make_unique<services::StoreAccessSink>(*store_);
  coverage_ = std::make_unique<services::ActualOrPlannedCoverage>(*store_);
  auto services =
      services::MakeServices({"all"}, {.store = store_.get(),
                                       .clock = clock_,
                                       .access = access_.get(),
                                       .projections = view_.get(),
                                       .coverage = coverage_.get()});
  EXPECT_TRUE(services.ok()) << services.status();
  services_ = std::move(*services);
  grpc::ServerBuilder builder;
  services::InstallEdge(builder, {.directory = directory_.get(),
                                  .clock = &clock_,
                                  .refusals = access_.get()});
  for (const auto& service : services_) builder.RegisterService(service.get());
  server_ = builder.BuildAndStart();
  channel_ = server_->InProcessChannel(grpc::ChannelArguments());
}

ServiceTestServer::~ServiceTestServer() {
  server_->Shutdown();
  server_->Wait();
  services_.clear();
  coverage_.reset();
  view_.reset();
  access_.reset();
  projections_.reset();
  directory_.reset();
  store_.reset();
  std::filesystem::remove_all(dir_);
}

std::vector<v1::EventEnvelope> ServiceTestServer::AppendedAfter(
    uint64_t position, std::vector<v1::AccessRefused>* refusals) {
  auto events = store_->ReadAll(position + 1, 100'000);
  EXPECT_TRUE(events.ok()) << events.status();
  std::vector<v1::EventEnvelope> out;
  if (!events.ok()) return out;
  for (v1::EventEnvelope& e : *events) {
    if (!e.payload().has_access_refused()) {
      out.push_back(std::move(e));
    } else if (refusals != nullptr) {
      refusals->push_back(e.payload().access_refused());
    }
  }
  return out;
}

std::unique_ptr<grpc::ClientContext> ServiceTestServer::As(
    const std::string& actor) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!actor.empty()) {
    context->AddMetadata("authorization", "Bearer " + TestToken(actor));
  }
  return context;
}

}  // namespace vagt::testing
