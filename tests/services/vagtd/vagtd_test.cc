// vagtd as a process: it prints its address, serves gRPC health checking and
// server reflection, refuses a directory that is not a store, and stops
// cleanly on SIGTERM. Talks raw gRPC (generic stub, hand-encoded messages) so
// the test depends on the wire contract only.
#include <signal.h>
#include <sys/wait.h>

#include <filesystem>
#include <fstream>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"
#include "eventstore/keys.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "tests/eventstore/raw_store.h"
#include "tests/support/child_process.h"
#include "tests/support/vagtd_process.h"

namespace vagt {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::vagt::testing::ChildProcess;

absl::Time Deadline() { return absl::Now() + absl::Seconds(60); }

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  buffer.Dump(&slices).IgnoreError();
  std::string out;
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

grpc::ByteBuffer ToBuffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// One request message on a (possibly streaming) method; returns the first
// response message's bytes.
absl::StatusOr<std::string> CallOnce(const std::shared_ptr<grpc::Channel>& ch,
                                     const std::string& method,
                                     const std::string& request) {
  grpc::GenericStub stub(ch);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  grpc::CompletionQueue cq;
  auto call = stub.PrepareCall(&ctx, method, &cq);
  grpc::ByteBuffer response;
  grpc::Status status;
  void* tag = nullptr;
  bool ok = false;
  auto step = [&](int id) {
    return cq.Next(&tag, &ok) && tag == reinterpret_cast<void*>(id);
  };
  call->StartCall(reinterpret_cast<void*>(1));
  if (!step(1) || !ok) return absl::UnavailableError("call did not start");
  call->Write(ToBuffer(request), reinterpret_cast<void*>(2));
  if (!step(2) || !ok) return absl::UnavailableError("write failed");
  call->WritesDone(reinterpret_cast<void*>(3));
  if (!step(3)) return absl::UnavailableError("writes-done failed");
  call->Read(&response, reinterpret_cast<void*>(4));
  const bool got = step(4) && ok;
  call->Finish(&status, reinterpret_cast<void*>(5));
  step(5);
  if (!got) {
    return absl::UnavailableError(
        absl::StrCat("no response: ", status.error_message()));
  }
  return ToString(response);
}

class Vagtd : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vagtd-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override {
    vagtd_.reset();  // stopped first: a running vagtd still writes in dir_
    std::filesystem::remove_all(dir_);
  }

  // Starts vagtd on a free port; returns the address it printed.
  std::string StartVagtd(const std::string& data_dir) {
    absl::StatusOr<testing::RunningVagtd> vagtd =
        testing::StartVagtd(VAGTD_PATH, data_dir, Deadline());
    EXPECT_TRUE(vagtd.ok()) << vagtd.status();
    if (!vagtd.ok()) return "";
    vagtd_ = std::move(vagtd->process);
    return vagtd->address;
  }

  std::string dir_;
  std::unique_ptr<ChildProcess> vagtd_;
};

TEST_F(Vagtd, ServesHealthAndReflectionAndStopsCleanlyOnSigterm) {
  const std::string address = StartVagtd(dir_ + "/store");
  ASSERT_THAT(address, HasSubstr("127.0.0.1:"));
  auto channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());

  // grpc.health.v1.HealthCheckRequest{} -> HealthCheckResponse{status:
  // SERVING}.
  absl::StatusOr<std::string> health =
      CallOnce(channel, "/grpc.health.v1.Health/Check", "");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, std::string("\x08\x01", 2));

  // ServerReflectionRequest{list_services: ""} lists the health service.
  absl::StatusOr<std::string> services = CallOnce(
      channel, "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
      std::string("\x3a\x00", 2));
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services, HasSubstr("grpc.health.v1.Health"));

  channel.reset();  // An open idle connection would hold shutdown back.
  vagtd_->Signal(SIGTERM);
  ASSERT_TRUE(vagtd_->ReadUntil("stopped cleanly", Deadline()).ok())
      << vagtd_->transcript();
  absl::StatusOr<int> status = vagtd_->Wait(Deadline());
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0);

  // The store it closed opens again.
  EXPECT_TRUE(eventstore::EventStore::Open(
                  {.path = dir_ + "/store", .create_if_missing = false})
                  .ok());
}

TEST_F(Vagtd, StoreChangedOutsideVagtIsServedButNotHealthy) {
  const std::string path = dir_ + "/store";
  {
    auto store = eventstore::EventStore::Open({.path = path});
    ASSERT_TRUE(store.ok()) << store.status();
    for (const char* id : {"c1", "c2"}) {
      eventstore::NewEvent e;
      e.payload.mutable_call_note_added()->set_call_id(id);
      eventstore::AppendRequest request;
      request.stream_id = std::string("call-") + id;
      request.events.push_back(e);
      ASSERT_TRUE((*store)->Append(std::move(request)).ok());
    }
  }
  {
    auto raw = eventstore::testing::RawStore::Open(path);
    ASSERT_TRUE(raw.ok()) << raw.status();
    ASSERT_TRUE((*raw)
                    ->Delete(eventstore::keys::kEventsFamily,
                             eventstore::keys::EventKey(2))
                    .ok());
  }
  const std::string address = StartVagtd(path);
  ASSERT_THAT(address, HasSubstr("127.0.0.1:"));
  auto channel =
      grpc::CreateChannel(address, grpc::InsecureChannelCredentials());
  // HealthCheckResponse{status: NOT_SERVING}: monitoring sees that no call
  // can be logged, while the audit trail can still be read and verified.
  absl::StatusOr<std::string> health =
      CallOnce(channel, "/grpc.health.v1.Health/Check", "");
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, std::string("\x08\x02", 2));
  EXPECT_THAT(vagtd_->transcript(), HasSubstr("NOT SERVING"));
}

TEST_F(Vagtd, RefusesADirectoryThatIsNotAStoreAndLeavesItAlone) {
  const std::string notes = dir_ + "/notes.txt";
  std::ofstream(notes) << "not an event store";
  absl::StatusOr<std::unique_ptr<ChildProcess>> child = ChildProcess::Start(
      {VAGTD_PATH, "--listen=127.0.0.1:0", "--data_dir=" + dir_});
  ASSERT_TRUE(child.ok()) << child.status();
  absl::StatusOr<int> status = (*child)->Wait(Deadline());
  ASSERT_TRUE(status.ok()) << status.status();
  EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 1);
  (*child)->ReadLine(Deadline()).IgnoreError();
  EXPECT_THAT((*child)->transcript(), HasSubstr("not a vagt event store"));
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_),
                          std::filesystem::directory_iterator()),
            1);
}

// --kafka_properties reaches the Kafka clients, and a refused one stops
// vagtd before anything is created, naming the line or the property and
// never a password.
TEST_F(Vagtd, KafkaPropertiesAreCheckedBeforeAnythingOpens) {
  struct Case {
    std::string text;
    int mode;
    std::string named;
  };
  const Case refused[] = {
      {"# the relay's promises are vagt's\nacks=0\n", 0600,
       "line 2: \"acks\" is not a connection property"},
      {"security.protocol=SSL\nssl.ca.location=" + dir_ + "/no-ca.pem\n", 0600,
       "ssl.ca.location"},
      {"security.protocol=SASL_SSL\nsasl.mechanism=PLAIN\n"
       "sasl.username=vagt\nsasl.password=hemmelig-kode\n",
       0644, "holds sasl.password but others may read it (mode 644)"},
  };
  int n = 0;
  for (const Case& c : refused) {
    SCOPED_TRACE(c.named);
    const std::string file = absl::StrCat(dir_, "/kafka-", ++n, ".properties");
    std::ofstream(file) << c.text;
    std::filesystem::permissions(file,
                                 static_cast<std::filesystem::perms>(c.mode));
    const std::string store = absl::StrCat(dir_, "/store-", n);
    absl::StatusOr<std::unique_ptr<ChildProcess>> child = ChildProcess::Start(
        {VAGTD_PATH, "--listen=127.0.0.1:0", "--data_dir=" + store,
         "--kafka_brokers=embedded", "--kafka_properties=" + file});
    ASSERT_TRUE(child.ok()) << child.status();
    absl::StatusOr<int> status = (*child)->Wait(Deadline());
    ASSERT_TRUE(status.ok()) << status.status();
    EXPECT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 1);
    while ((*child)->ReadLine(Deadline()).ok()) {
    }
    EXPECT_THAT((*child)->transcript(), HasSubstr(c.named));
    EXPECT_THAT((*child)->transcript(), Not(HasSubstr("hemmelig-kode")));
    EXPECT_FALSE(std::filesystem::exists(store));
  }

  // Accepted, they are in every client: vagtd serves.
  const std::string file = dir_ + "/kafka-ok.properties";
  std::ofstream(file) << "client.id = vagt-test\nsecurity.protocol=PLAINTEXT\n";
  absl::StatusOr<testing::RunningVagtd> vagtd = testing::StartVagtd(
      VAGTD_PATH, dir_ + "/store", Deadline(),
      {"--kafka_brokers=embedded", "--kafka_properties=" + file});
  ASSERT_TRUE(vagtd.ok()) << vagtd.status();
  vagtd_ = std::move(vagtd->process);
}

}  // namespace
}  // namespace vagt
