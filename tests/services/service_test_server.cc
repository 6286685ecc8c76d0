#include "tests/services/service_test_server.h"

#include <stdlib.h>

#include <filesystem>

#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "projections/store_feed.h"
#include "services/common/command_context.h"
#include "services/registry.h"
#include "services/roster/roster_coverage.h"

namespace vagt::testing {

absl::Time ServiceTestServer::DefaultStart() {
  return absl::FromCivil(absl::CivilSecond(2026, 11, 24, 19, 0, 0),
                         absl::UTCTimeZone());
}

ServiceTestServer::ServiceTestServer(rocksdb::Env* rocksdb_env)
    : clock_(DefaultStart()) {
  std::string tmpl = ::testing::TempDir() + "vagt-services-XXXXXX";
  dir_ = mkdtemp(tmpl.data()) == nullptr ? "" : tmpl;
  EXPECT_FALSE(dir_.empty());
  auto store = eventstore::EventStore::Open(
      {.path = dir_ + "/store", .clock = &clock_, .rocksdb_env = rocksdb_env});
  EXPECT_TRUE(store.ok()) << store.status();
  store_ = std::move(*store);
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
  store_.reset();
  std::filesystem::remove_all(dir_);
}

std::unique_ptr<grpc::ClientContext> ServiceTestServer::As(
    const std::string& actor) {
  auto context = std::make_unique<grpc::ClientContext>();
  if (!actor.empty()) context->AddMetadata(services::kActorMetadataKey, actor);
  return context;
}

}  // namespace vagt::testing
