// ServiceTestServer: every vagt service on a fresh store in a temporary
// directory, served in-process over gRPC, with a FakeClock the test moves.
// The projections follow the store on their own thread, as in vagtd. The
// edge admits requests as in vagtd, against a directory of test principals
// (test_principals.h) appended first.
//
//   ServiceTestServer server;
//   auto calls = v1::CallService::NewStub(server.channel());
//   auto ctx = ServiceTestServer::As("worker:anna");
//   grpc::Status s = calls->ReceiveCall(ctx.get(), request, &response);
//
// Destroying it shuts the server down, closes the store and removes the
// directory.
#ifndef VAGT_TESTS_SERVICES_SERVICE_TEST_SERVER_H_
#define VAGT_TESTS_SERVICES_SERVICE_TEST_SERVER_H_

#include <memory>
#include <string>
#include <vector>

#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "grpcpp/server.h"
#include "projections/runner.h"
#include "services/common/access_log.h"
#include "services/common/live_directory.h"
#include "services/common/projection_view.h"
#include "services/escalations/coverage.h"

namespace rocksdb {
class Env;
}  // namespace rocksdb

namespace vagt::testing {

class ServiceTestServer {
 public:
  // 2026-11-24 19:00 UTC (20:00 in Copenhagen): an ordinary evening.
  static absl::Time DefaultStart();

  // The store writes through `rocksdb_env` when given (e.g. one that makes
  // its syncs fail); it must outlive the server.
  explicit ServiceTestServer(rocksdb::Env* rocksdb_env = nullptr);
  ~ServiceTestServer();

  FakeClock& clock() { return clock_; }
  eventstore::EventStore& store() { return *store_; }
  std::shared_ptr<grpc::Channel> channel() { return channel_; }
  projections::ProjectionRunner& projections() { return *projections_; }
  // Events appended since the test directory was (the store's last
  // position, less the directory's events).
  uint64_t appended() const { return store_->LastPosition() - seeded_; }
  // The events appended after `position`, without the gate's records of
  // refusals (AccessRefused), which go to `refusals` when given.
  std::vector<v1::EventEnvelope> AppendedAfter(
      uint64_t position, std::vector<v1::AccessRefused>* refusals = nullptr);
  // The store's last position once the test directory was appended (a day
  // before DefaultStart()).
  uint64_t seeded() const { return seeded_; }

  // A client context with the bearer token of the test principal `actor`
  // (test_principals.h; empty: no credentials).
  static std::unique_ptr<grpc::ClientContext> As(const std::string& actor);

 private:
  std::string dir_;
  FakeClock clock_;
  std::unique_ptr<eventstore::EventStore> store_;
  std::unique_ptr<services::LiveDirectory> directory_;
  uint64_t seeded_ = 0;
  std::unique_ptr<projections::ProjectionRunner> projections_;
  std::unique_ptr<services::ProjectionView> view_;
  std::unique_ptr<services::StoreAccessSink> access_;
  std::unique_ptr<services::CoverageLookup> coverage_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<grpc::Server> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SERVICES_SERVICE_TEST_SERVER_H_
