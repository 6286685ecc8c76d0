// vagtctl as a user runs it: separate vagtctl processes against a real vagtd
// process on a fresh data directory. Checks the help, a call logged in human
// and JSON output, the exit codes of a missing actor, a bad word and an
// unreachable server, a manual retry by request id, and the evening of issue
// 3 end to end (then reads the store vagtd leaves behind).
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "domain/streams.h"
#include "eventstore/event_store.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "tests/support/child_process.h"
#include "tests/support/test_accounts.h"
#include "tests/support/vagtctl_process.h"
#include "tests/support/vagtd_process.h"
#include "vagt/v1/calls.grpc.pb.h"
#include "vagt/v1/commands.pb.h"
#include "vagt/v1/escalations.pb.h"
#include "vagt/v1/lines.pb.h"

namespace vagt {
namespace {

using ::testing::AllOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using ::testing::Not;
using ::vagt::testing::ChildProcess;
using ::vagt::testing::WordAfter;

constexpr char kUuid[] =
    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-"
    "[0-9a-f]{12}";

absl::Time Deadline() { return absl::Now() + absl::Seconds(60); }

// What one run of vagtctl printed and how it ended.
struct Outcome {
  int exit_code;
  std::string output;
};

// The word after `marker` in `text` (up to a space, comma or period).
// The next 22:00 in Copenhagen from now, as vagtctl reads local times.
std::string NextTenPm() {
  absl::TimeZone zone;
  EXPECT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &zone));
  absl::CivilDay day = absl::ToCivilDay(absl::Now(), zone);
  if (absl::ToCivilHour(absl::Now(), zone).hour() >= 21) day += 1;
  return absl::StrCat(absl::FormatCivilTime(day), "T22:00");
}

class VagtctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/vagtctl-test-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    absl::StatusOr<testing::RunningVagtd> vagtd =
        testing::StartVagtd(VAGTD_PATH, dir_ + "/store", Deadline());
    ASSERT_TRUE(vagtd.ok()) << vagtd.status();
    vagtd_ = std::move(vagtd->process);
    address_ = vagtd->address;
    ASSERT_THAT(address_, HasSubstr("127.0.0.1:"));
    absl::StatusOr<std::string> admin =
        testing::FirstAdminToken(dir_ + "/store");
    ASSERT_TRUE(admin.ok()) << admin.status();
    accounts_ = std::make_unique<testing::TestAccounts>(address_, *admin);
  }

  // The token of the test principal `actor` in the test's vagtd.
  std::string TokenFor(const std::string& actor) {
    absl::StatusOr<std::string> token = accounts_->TokenFor(actor);
    EXPECT_TRUE(token.ok()) << token.status();
    return token.ok() ? *token : "";
  }

  void TearDown() override {
    vagtd_.reset();  // SIGKILL if still running.
    std::filesystem::remove_all(dir_);
  }

  // Runs vagtctl with `args` with the token of `actor` (empty: none) against
  // `server`, with a clean environment of its own. With `stdout_only`, what it
  // writes to stderr is dropped.
  Outcome Vagtctl(const std::string& actor, const std::string& server,
                  const std::vector<std::string>& args, bool stdout_only) {
    absl::StatusOr<testing::VagtctlOutcome> run =
        testing::RunVagtctl(testing::VagtctlArgv(VAGTCTL_PATH, TokenFor(actor),
                                                 server, args, stdout_only),
                            Deadline());
    EXPECT_TRUE(run.ok()) << run.status();
    if (!run.ok()) return {.exit_code = -1, .output = ""};
    return {.exit_code = run->exit_code, .output = run->output};
  }

  // As the duty worker, against the test's vagtd, human output.
  Outcome Ctl(const std::vector<std::string>& args) {
    return Vagtctl("worker:anna", address_, args, /*stdout_only=*/false);
  }
  Outcome CtlAs(const std::string& actor,
                const std::vector<std::string>& args) {
    return Vagtctl(actor, address_, args, /*stdout_only=*/false);
  }
  // With --json; only what goes to stdout.
  Outcome CtlJson(const std::vector<std::string>& args) {
    std::vector<std::string> with_json = {"--json"};
    with_json.insert(with_json.end(), args.begin(), args.end());
    return Vagtctl("worker:anna", address_, with_json, /*stdout_only=*/true);
  }

  // Stops vagtd cleanly and opens the store it leaves behind.
  std::unique_ptr<eventstore::EventStore> StopAndOpenStore() {
    vagtd_->Signal(SIGTERM);
    EXPECT_TRUE(vagtd_->Wait(Deadline()).ok());
    absl::StatusOr<std::unique_ptr<eventstore::EventStore>> store =
        eventstore::EventStore::Open(
            {.path = dir_ + "/store", .create_if_missing = false});
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }

  std::string dir_;
  std::string address_;
  std::unique_ptr<ChildProcess> vagtd_;
  std::unique_ptr<testing::TestAccounts> accounts_;
};

std::vector<v1::EventPayload::EventCase> EventCases(
    const std::vector<v1::EventEnvelope>& events) {
  std::vector<v1::EventPayload::EventCase> out;
  for (const auto& e : events) out.push_back(e.payload().event_case());
  return out;
}

TEST_F(VagtctlTest, HelpListsEveryGroupAndEachCommandShowsExamples) {
  const Outcome help = Ctl({"help"});
  EXPECT_EQ(help.exit_code, 0) << help.output;
  EXPECT_THAT(
      help.output,
      AllOf(HasSubstr("call"), HasSubstr("escalate"), HasSubstr("escalation"),
            HasSubstr("line"), HasSubstr("citizen"), HasSubstr("vagtctl login"),
            HasSubstr("vagtctl line handover ishoj-bos")));

  const Outcome receive = Ctl({"call", "receive", "--help"});
  EXPECT_EQ(receive.exit_code, 0) << receive.output;
  EXPECT_THAT(receive.output,
              AllOf(HasSubstr("Usage: vagtctl call receive"),
                    HasSubstr("--from citizen|relative|partner|anonymous"),
                    HasSubstr("Examples:\n  vagtctl call receive --line")));

  const Outcome handover = Ctl({"help", "line", "handover"});
  EXPECT_EQ(handover.exit_code, 0) << handover.output;
  EXPECT_THAT(handover.output, AllOf(HasSubstr("--to"), HasSubstr("--watch"),
                                     HasSubstr("Examples:")));

  // A group without its command shows what it offers, as a usage error.
  const Outcome group = Ctl({"escalation"});
  EXPECT_EQ(group.exit_code, 2);
  EXPECT_THAT(group.output, AllOf(HasSubstr("ack"), HasSubstr("decline")));
}

TEST_F(VagtctlTest, LogsACallFromReceiptToCloseInPlainSentences) {
  const Outcome receive =
      Ctl({"call", "receive", "--line", "ishoj-bos", "--from", "citizen",
           "--citizen", "citizen-7f3a", "--reason", "Cannot sleep"});
  ASSERT_EQ(receive.exit_code, 0) << receive.output;
  EXPECT_THAT(receive.output,
              MatchesRegex(absl::StrCat("Call ", kUuid,
                                        " logged on line ishoj-bos "
                                        "\\(citizen-7f3a, phone\\)\\.\n")));
  // The reason is the citizen's; it is not echoed.
  EXPECT_THAT(receive.output, Not(HasSubstr("Cannot sleep")));
  const std::string call = WordAfter(receive.output, "Call ");

  const Outcome note = Ctl({"call", "note", call, "Called", "back,", "calmer"});
  EXPECT_EQ(note.exit_code, 0) << note.output;
  EXPECT_EQ(note.output, absl::StrCat("Note added to call ", call, ".\n"));

  const Outcome risk = Ctl({"call", "risk", call, "high", "Talks about it"});
  EXPECT_EQ(risk.exit_code, 0) << risk.output;
  EXPECT_EQ(risk.output,
            absl::StrCat("Risk in call ", call, " assessed as high.\n"));

  const Outcome close =
      Ctl({"call", "close", call, "visit", "--follow-up-by", "worker:bo",
           "--follow-up-due", "2031-11-25T10:00"});
  EXPECT_EQ(close.exit_code, 0) << close.output;
  EXPECT_EQ(close.output,
            absl::StrCat("Call ", call,
                         " closed: visit. Follow-up by worker:bo due Tue 25 "
                         "Nov 2031 10:00.\n"));

  // The server refuses a second close: exit code 3 with its code and message.
  const Outcome again = Ctl({"call", "close", call, "resolved"});
  EXPECT_EQ(again.exit_code, 3);
  EXPECT_THAT(again.output,
              HasSubstr("the server refused: FAILED_PRECONDITION: the call is "
                        "closed"));

  std::unique_ptr<eventstore::EventStore> store = StopAndOpenStore();
  ASSERT_NE(store, nullptr);
  auto events = store->ReadStream("call-" + call, 1, 100);
  ASSERT_TRUE(events.ok()) << events.status();
  EXPECT_THAT(EventCases(*events),
              ElementsAre(v1::EventPayload::kCallReceived,
                          v1::EventPayload::kCallNoteAdded,
                          v1::EventPayload::kCallRiskAssessed,
                          v1::EventPayload::kCallClosed));
  EXPECT_EQ((*events)[0].actor(), "worker:anna");
  EXPECT_EQ((*events)[1].payload().call_note_added().sensitive().text(),
            "Called back, calmer");
  // 10:00 in Copenhagen in November is 09:00 UTC.
  EXPECT_EQ((*events)[3].payload().call_closed().follow_up().due_at().seconds(),
            absl::ToUnixSeconds(absl::FromCivil(
                absl::CivilMinute(2031, 11, 25, 9, 0), absl::UTCTimeZone())));
}

TEST_F(VagtctlTest, JsonOutputIsTheResponseForScripts) {
  const Outcome receive = CtlJson({"call", "receive", "--line", "ishoj-bos",
                                   "--from", "anonymous", "--channel", "sms"});
  ASSERT_EQ(receive.exit_code, 0) << receive.output;
  v1::ReceiveCallResponse response;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(receive.output, &response)
          .ok())
      << receive.output;
  EXPECT_THAT(response.call_id(), MatchesRegex(kUuid));
  EXPECT_THAT(receive.output,
              HasSubstr(absl::StrCat("\"call_id\":\"", response.call_id())));
  EXPECT_EQ(response.result().stream_id(), "call-" + response.call_id());

  const Outcome note = CtlJson({"call", "note", response.call_id(), "Hung up"});
  ASSERT_EQ(note.exit_code, 0) << note.output;
  v1::CommandResult result;
  ASSERT_TRUE(
      google::protobuf::util::JsonStringToMessage(note.output, &result).ok())
      << note.output;
  EXPECT_EQ(result.stream_id(), "call-" + response.call_id());
  EXPECT_EQ(result.stream_version(), 2u);
  EXPECT_FALSE(result.replayed());
}

TEST_F(VagtctlTest, RepeatingACommandWithItsRequestIdRecordsItOnce) {
  const std::vector<std::string> args = {
      "--request-id", "evening-call-1", "call",   "receive",
      "--line",       "ishoj-bos",      "--from", "relative"};
  const Outcome first = Ctl(args);
  const Outcome repeat = Ctl(args);
  ASSERT_EQ(first.exit_code, 0) << first.output;
  ASSERT_EQ(repeat.exit_code, 0) << repeat.output;
  EXPECT_EQ(WordAfter(repeat.output, "Call "),
            WordAfter(first.output, "Call "));
  EXPECT_THAT(first.output, Not(HasSubstr("a retry")));
  EXPECT_THAT(repeat.output, HasSubstr("a retry: it was already recorded"));

  std::unique_ptr<eventstore::EventStore> store = StopAndOpenStore();
  ASSERT_NE(store, nullptr);
  // One event besides the directory's (the administrator, the accounts).
  absl::StatusOr<uint64_t> directory = store->StreamVersion(kDirectoryStream);
  ASSERT_TRUE(directory.ok());
  EXPECT_EQ(store->LastPosition() - *directory, 1u);
}

TEST_F(VagtctlTest, NotLoggedInIsAUsageErrorThatSaysHowToLogIn) {
  const Outcome run =
      Vagtctl(/*actor=*/"", address_, {"call", "note", "some-call", "text"},
              /*stdout_only=*/false);
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.output,
              AllOf(HasSubstr("not logged in to " + address_),
                    HasSubstr("vagtctl login"), HasSubstr("VAGT_TOKEN")));

  // A token nobody issued is refused by the server, and named as such.
  absl::StatusOr<testing::VagtctlOutcome> forged = testing::RunVagtctl(
      testing::VagtctlArgv(VAGTCTL_PATH, "vagt1.nobody." + std::string(64, 'a'),
                           address_, {"line", "take", "ishoj-bos"}, false),
      Deadline());
  ASSERT_TRUE(forged.ok());
  EXPECT_EQ(forged->exit_code, 3);
  EXPECT_THAT(forged->output, AllOf(HasSubstr("UNAUTHENTICATED"),
                                    HasSubstr("not a token this server issued"),
                                    Not(HasSubstr(std::string(64, 'a')))));
}

// vagtctl login keeps a token that the server accepts in a 0600 file; every
// later command sends it; logout forgets it.
TEST_F(VagtctlTest, LoginKeepsTheTokenInAFileOnlyItsOwnerReads) {
  const std::string token_file = dir_ + "/anna.token";
  {
    std::ofstream out(token_file);
    out << TokenFor("worker:anna") << "\n";
  }
  const std::string credentials = dir_ + "/home/.config/vagt/credentials";
  auto run = [&](const std::vector<std::string>& args) {
    std::vector<std::string> argv = {"/usr/bin/env",
                                     "-u",
                                     "VAGT_TOKEN",
                                     "VAGT_SERVER=" + address_,
                                     "VAGT_CREDENTIALS=" + credentials,
                                     VAGTCTL_PATH};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<testing::VagtctlOutcome> out =
        testing::RunVagtctl(argv, Deadline());
    EXPECT_TRUE(out.ok()) << out.status();
    return out.ok() ? *out : testing::VagtctlOutcome{-1, ""};
  };

  const auto bad = run({"login", "--token-file", dir_ + "/missing"});
  EXPECT_EQ(bad.exit_code, 2) << bad.output;
  EXPECT_FALSE(std::filesystem::exists(credentials));

  const auto login = run({"login", "--token-file", token_file});
  ASSERT_EQ(login.exit_code, 0) << login.output;
  EXPECT_THAT(login.output, HasSubstr("Logged in to " + address_ + " as"));
  EXPECT_THAT(login.output, HasSubstr("(worker:anna): team-worker of"));
  EXPECT_THAT(login.output, Not(HasSubstr(TokenFor("worker:anna"))));
  const auto perms = std::filesystem::status(credentials).permissions();
  EXPECT_EQ(perms, std::filesystem::perms::owner_read |
                       std::filesystem::perms::owner_write);

  const auto take = run({"line", "take", "ishoj-bos"});
  EXPECT_EQ(take.exit_code, 0) << take.output;
  EXPECT_THAT(take.output, HasSubstr("held by worker:anna"));
  EXPECT_THAT(run({"whoami"}).output, HasSubstr("(worker:anna)"));

  EXPECT_EQ(run({"logout"}).exit_code, 0);
  const auto after = run({"line", "take", "ishoj-bos"});
  EXPECT_EQ(after.exit_code, 2);
  EXPECT_THAT(after.output, HasSubstr("not logged in"));
}

TEST_F(VagtctlTest, UnknownWordIsAUsageErrorListingTheWords) {
  const Outcome run = Ctl({"call", "risk", "some-call", "hgh", "reason"});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_THAT(run.output, HasSubstr("LEVEL: 'hgh' is not one of "
                                    "none|low|moderate|high|acute"));

  const Outcome time =
      Ctl({"call", "close", "some-call", "visit", "--follow-up-due", "soon"});
  EXPECT_EQ(time.exit_code, 2);
  EXPECT_THAT(time.output, HasSubstr("--follow-up-due: 'soon' is not a "
                                     "local time"));
}

TEST_F(VagtctlTest, UnreachableServerExitsWith4AndTellsHowToRetrySafely) {
  // A bound port that does not listen refuses every connection.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  const std::string dead = absl::StrCat("127.0.0.1:", ntohs(addr.sin_port));

  const Outcome run =
      Vagtctl("worker:anna", dead, {"line", "take", "ishoj-bos"},
              /*stdout_only=*/false);
  close(fd);
  EXPECT_EQ(run.exit_code, 4);
  EXPECT_THAT(run.output,
              AllOf(HasSubstr("cannot reach the vagt server at " + dead),
                    HasSubstr("UNAVAILABLE"),
                    MatchesRegex(absl::StrCat("(.|\n)*--request-id ", kUuid,
                                              "(.|\n)*"))));
}

// A CallService whose AddNote answers UNAVAILABLE (storage failed: nothing
// appended) `failures` times, then `final_status`; it records what each
// attempt carried.
class FlakyCallService final : public v1::CallService::Service {
 public:
  FlakyCallService(int failures, grpc::Status final_status)
      : failures_(failures), final_status_(std::move(final_status)) {}

  grpc::Status AddNote(grpc::ServerContext* context,
                       const v1::AddCallNoteRequest* request,
                       v1::CommandResult* response) override {
    absl::MutexLock lock(&mu_);
    const auto token = context->client_metadata().find("authorization");
    attempts_.push_back(absl::StrCat(
        request->request_id(), " ",
        token == context->client_metadata().end()
            ? "(none)"
            : std::string(token->second.data(), token->second.size())));
    if (static_cast<int>(attempts_.size()) <= failures_) {
      return grpc::Status(grpc::StatusCode::UNAVAILABLE, "storage failed");
    }
    response->set_stream_id("call-" + request->call_id());
    return final_status_;
  }

  std::vector<std::string> attempts() {
    absl::MutexLock lock(&mu_);
    return attempts_;
  }

 private:
  const int failures_;
  const grpc::Status final_status_;
  absl::Mutex mu_;
  std::vector<std::string> attempts_ ABSL_GUARDED_BY(mu_);
};

// Serves `service` on a free loopback port; returns the server, `*address`.
std::unique_ptr<grpc::Server> Serve(grpc::Service* service,
                                    std::string* address) {
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                           &port);
  builder.RegisterService(service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  *address = absl::StrCat("127.0.0.1:", port);
  return server;
}

TEST_F(VagtctlTest, RetriesAnUnavailableServerWithTheSameRequestId) {
  FlakyCallService service(/*failures=*/2, grpc::Status::OK);
  std::string address;
  std::unique_ptr<grpc::Server> server = Serve(&service, &address);
  const Outcome run =
      Vagtctl("worker:anna", address, {"call", "note", "c-1", "Called back"},
              /*stdout_only=*/false);
  server->Shutdown();
  EXPECT_EQ(run.exit_code, 0) << run.output;
  EXPECT_EQ(run.output, "Note added to call c-1.\n");
  const std::vector<std::string> attempts = service.attempts();
  ASSERT_EQ(attempts.size(), 3u);
  EXPECT_EQ(attempts[0].substr(37), "Bearer " + TokenFor("worker:anna"));
  EXPECT_THAT(attempts[0].substr(0, 36), MatchesRegex(kUuid));
  EXPECT_EQ(attempts[1], attempts[0]);
  EXPECT_EQ(attempts[2], attempts[0]);
}

TEST_F(VagtctlTest, RefusedCommandIsSentOnceAndExitsWith3) {
  FlakyCallService service(
      /*failures=*/0, grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                                   "the call is closed"));
  std::string address;
  std::unique_ptr<grpc::Server> server = Serve(&service, &address);
  const Outcome run =
      Vagtctl("worker:anna", address, {"call", "note", "c-1", "Called back"},
              /*stdout_only=*/false);
  server->Shutdown();
  EXPECT_EQ(run.exit_code, 3);
  EXPECT_EQ(run.output,
            "vagtctl: the server refused: FAILED_PRECONDITION: the call is "
            "closed\n");
  EXPECT_EQ(service.attempts().size(), 1u);
}

// Issue 3, item 5: the duty worker takes the line, logs three calls, one
// escalates to the social emergency service, the phone is handed over to the
// night partner for 22:00 with a note, and the night partner accepts.
TEST_F(VagtctlTest, EveningFromTakingTheLineToTheNightPartnerAccepting) {
  // The emergency service has its account (and the team works with it)
  // before anyone escalates to it.
  ASSERT_FALSE(TokenFor("partner:akut-ishoj").empty());
  ASSERT_FALSE(TokenFor("partner:natpartner").empty());
  // Earlier, citizen-7f3a consented to the night partner seeing handover
  // notes about her; citizen-9b2c did not.
  const Outcome consent =
      Ctl({"citizen", "consent", "citizen-7f3a", "--form", "written", "--share",
           "night-partner=handover,crisis-plan"});
  ASSERT_EQ(consent.exit_code, 0) << consent.output;
  const std::string consent_id = WordAfter(consent.output, "Consent ");

  // 15:00: Anna takes the line.
  const Outcome take = Ctl({"line", "take", "ishoj-bos"});
  ASSERT_EQ(take.exit_code, 0) << take.output;
  EXPECT_THAT(take.output,
              HasSubstr("Line ishoj-bos is now held by worker:anna"));

  // Call 1: citizen-7f3a, in crisis. Escalated to the social emergency
  // service, which acknowledges.
  const Outcome call1 =
      Ctl({"call", "receive", "--line", "ishoj-bos", "--from", "citizen",
           "--citizen", "citizen-7f3a", "--reason", "Voices are back"});
  ASSERT_EQ(call1.exit_code, 0) << call1.output;
  const std::string c1 = WordAfter(call1.output, "Call ");
  ASSERT_EQ(
      Ctl({"call", "risk", c1, "high", "Cannot be alone tonight"}).exit_code,
      0);
  ASSERT_EQ(Ctl({"call", "plan", c1, "consulted"}).exit_code, 0);
  const Outcome escalate =
      Ctl({"escalate", c1, "social-emergency", "--to", "partner:akut-ishoj",
           "--reason", "Needs a place tonight", "--ack-within", "10m"});
  ASSERT_EQ(escalate.exit_code, 0) << escalate.output;
  EXPECT_THAT(escalate.output,
              HasSubstr(absl::StrCat(" raised from call ", c1,
                                     " to social-emergency partner:akut-ishoj "
                                     "(urgent). Acknowledge within 10m.")));
  const std::string e1 = WordAfter(escalate.output, "Escalation ");
  const Outcome ack = CtlAs("partner:akut-ishoj", {"escalation", "ack", e1});
  ASSERT_EQ(ack.exit_code, 0) << ack.output;

  // Call 2: a relative of citizen-9b2c; resolved on the phone.
  const Outcome call2 =
      Ctl({"call", "receive", "--line", "ishoj-bos", "--from", "relative",
           "--citizen", "citizen-9b2c", "--caller-relation", "mother"});
  ASSERT_EQ(call2.exit_code, 0) << call2.output;
  const std::string c2 = WordAfter(call2.output, "Call ");
  ASSERT_EQ(Ctl({"call", "risk", c2, "low", "Worried, no danger"}).exit_code,
            0);
  const Outcome close2 =
      Ctl({"call", "close", c2, "resolved", "--follow-up-by", "worker:bo",
           "--follow-up-due", "tomorrow 10:00"});
  ASSERT_EQ(close2.exit_code, 0) << close2.output;
  EXPECT_THAT(close2.output, HasSubstr("Follow-up by worker:bo due "));

  // Call 3: an anonymous text message, not for the line.
  const Outcome call3 = Ctl({"call", "receive", "--line", "ishoj-bos", "--from",
                             "anonymous", "--channel", "sms"});
  ASSERT_EQ(call3.exit_code, 0) << call3.output;
  const std::string c3 = WordAfter(call3.output, "Call ");
  ASSERT_EQ(Ctl({"call", "close", c3, "not-relevant"}).exit_code, 0);

  // The handover to the night partner, due at 22:00, with the evening note.
  const Outcome handover =
      Ctl({"line", "handover", "ishoj-bos", "--to", "partner:natpartner",
           "--to-name", "Natteravnen ApS", "--respond-by", NextTenPm(),
           "--note", "Two calls closed, one open", "--call",
           c1 + ",citizen-7f3a,Call her back before midnight", "--escalation",
           e1 + ",citizen-7f3a", "--watch", "citizen-9b2c,Mother is worried"});
  ASSERT_EQ(handover.exit_code, 0) << handover.output;
  EXPECT_THAT(handover.output,
              HasSubstr("offered to partner:natpartner (Natteravnen ApS) with "
                        "a note of 4 items."));
  const std::string h = WordAfter(handover.output, "Handover ");
  EXPECT_THAT(handover.output,
              HasSubstr(absl::StrCat("vagtctl line accept ishoj-bos ", h)));

  // Only the night partner can accept it; it does.
  const Outcome wrong = CtlAs("worker:bo", {"line", "accept", "ishoj-bos", h});
  EXPECT_EQ(wrong.exit_code, 3) << wrong.output;
  const Outcome accept =
      CtlAs("partner:natpartner", {"line", "accept", "ishoj-bos", h});
  ASSERT_EQ(accept.exit_code, 0) << accept.output;
  EXPECT_THAT(accept.output,
              HasSubstr("line ishoj-bos is now held by partner:natpartner"));

  // What vagtd recorded.
  std::unique_ptr<eventstore::EventStore> store = StopAndOpenStore();
  ASSERT_NE(store, nullptr);
  auto line = store->ReadStream("line-ishoj-bos", 1, 100);
  ASSERT_TRUE(line.ok()) << line.status();
  ASSERT_THAT(EventCases(*line),
              ElementsAre(v1::EventPayload::kLineCoverageTaken,
                          v1::EventPayload::kLineHandoverOffered,
                          v1::EventPayload::kLineHandoverAccepted));
  const v1::LineHandoverOffered& offer =
      (*line)[1].payload().line_handover_offered();
  EXPECT_EQ(offer.offered_to().kind(), v1::PARTY_KIND_NIGHT_PARTNER);
  ASSERT_EQ(offer.items_size(), 4);
  // Shared with the night partner: what citizen-7f3a consented to, and the
  // remark; not the item about citizen-9b2c.
  for (const v1::HandoverItem& item : offer.items()) {
    SCOPED_TRACE(item.ShortDebugString());
    if (item.citizen_ref() == "citizen-7f3a") {
      EXPECT_TRUE(item.shared_with_recipient());
      EXPECT_EQ(item.consent_id(), consent_id);
    } else if (item.citizen_ref() == "citizen-9b2c") {
      EXPECT_FALSE(item.shared_with_recipient());
    } else {
      EXPECT_EQ(item.kind(), v1::HANDOVER_ITEM_KIND_REMARK);
      EXPECT_TRUE(item.shared_with_recipient());
    }
  }
  EXPECT_EQ((*line)[2].actor(), "partner:natpartner");

  auto escalation = store->ReadStream("escalation-" + e1, 1, 100);
  ASSERT_TRUE(escalation.ok()) << escalation.status();
  ASSERT_THAT(EventCases(*escalation),
              ElementsAre(v1::EventPayload::kEscalationRaised,
                          v1::EventPayload::kEscalationAcknowledged));
  EXPECT_EQ((*escalation)[0].payload().escalation_raised().level(),
            v1::ESCALATION_LEVEL_SOCIAL_EMERGENCY_SERVICE);
  EXPECT_EQ((*escalation)[0].payload().escalation_raised().call_id(), c1);
  // "tomorrow 10:00" is 10:00 local time on the next day in Copenhagen.
  auto relative = store->ReadStream("call-" + c2, 1, 100);
  ASSERT_TRUE(relative.ok() && relative->size() == 3) << relative.status();
  const absl::Time due = absl::FromUnixSeconds(
      (*relative)[2].payload().call_closed().follow_up().due_at().seconds());
  absl::TimeZone zone;
  ASSERT_TRUE(absl::LoadTimeZone("Europe/Copenhagen", &zone));
  EXPECT_EQ(
      absl::ToCivilMinute(due, zone),
      absl::CivilMinute(absl::ToCivilDay(absl::Now(), zone) + 1) + 10 * 60);
  for (const std::string& call : {c1, c2, c3}) {
    auto events = store->ReadStream("call-" + call, 1, 100);
    ASSERT_TRUE(events.ok());
    ASSERT_FALSE(events->empty());
    EXPECT_EQ((*events)[0].payload().call_received().line_id(), "ishoj-bos");
  }
}

}  // namespace
}  // namespace vagt
