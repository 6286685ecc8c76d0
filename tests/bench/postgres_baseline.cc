// The PostgreSQL comparison: one autocommitted INSERT per event, one
// connection per thread.
#include <memory>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "eventstore/status_macros.h"
#include "libpq-fe.h"
#include "tests/bench/cases.h"

namespace vagt::bench {
namespace {

constexpr char kCreateTable[] =
    "DROP TABLE IF EXISTS events;"
    "CREATE TABLE events (position bigserial PRIMARY KEY,"
    " stream_id text NOT NULL, payload bytea NOT NULL)";
constexpr char kInsertStatement[] = "append_event";
constexpr char kInsert[] =
    "INSERT INTO events (stream_id, payload) VALUES ($1, $2)";

struct ConnectionCloser {
  void operator()(PGconn* connection) const { PQfinish(connection); }
};
using Connection = std::unique_ptr<PGconn, ConnectionCloser>;

struct ResultClearer {
  void operator()(PGresult* result) const { PQclear(result); }
};
using Result = std::unique_ptr<PGresult, ResultClearer>;

// Server notices ("table does not exist, skipping") are dropped, not printed.
void IgnoreNotice(void*, const char*) {}

absl::StatusOr<Connection> Connect(const std::string& conninfo) {
  Connection connection(PQconnectdb(conninfo.c_str()));
  if (connection == nullptr || PQstatus(connection.get()) != CONNECTION_OK) {
    return absl::UnavailableError(absl::StrCat(
        "postgres connect: ",
        connection ? PQerrorMessage(connection.get()) : "out of memory"));
  }
  PQsetNoticeProcessor(connection.get(), &IgnoreNotice, nullptr);
  return connection;
}

// OK when `result` has status `expected`; the server's message otherwise.
absl::Status Check(PGconn* connection, const Result& result,
                   ExecStatusType expected, absl::string_view what) {
  if (result != nullptr && PQresultStatus(result.get()) == expected) {
    return absl::OkStatus();
  }
  return absl::UnavailableError(
      absl::StrCat("postgres ", what, ": ", PQerrorMessage(connection)));
}

// Fails unless the server makes every commit durable before acknowledging it.
absl::Status CheckDurability(PGconn* connection) {
  for (const char* setting : {"fsync", "synchronous_commit"}) {
    Result result(PQexec(connection, absl::StrCat("SHOW ", setting).c_str()));
    RETURN_IF_ERROR(Check(connection, result, PGRES_TUPLES_OK, setting));
    const std::string value = PQgetvalue(result.get(), 0, 0);
    if (value != "on") {
      return absl::FailedPreconditionError(
          absl::StrCat("postgres runs with ", setting, "=", value));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Throughput> MeasurePostgresInsert(const std::string& conninfo,
                                                 int threads,
                                                 absl::Duration duration) {
  {
    ASSIGN_OR_RETURN(Connection admin, Connect(conninfo));
    RETURN_IF_ERROR(CheckDurability(admin.get()));
    Result created(PQexec(admin.get(), kCreateTable));
    RETURN_IF_ERROR(
        Check(admin.get(), created, PGRES_COMMAND_OK, "create table"));
  }

  // Connected and prepared before the clock starts; connection t is used
  // only by thread t.
  std::vector<Connection> connections;
  for (int t = 0; t < threads; ++t) {
    ASSIGN_OR_RETURN(Connection connection, Connect(conninfo));
    Result prepared(
        PQprepare(connection.get(), kInsertStatement, kInsert, 0, nullptr));
    RETURN_IF_ERROR(
        Check(connection.get(), prepared, PGRES_COMMAND_OK, "prepare insert"));
    connections.push_back(std::move(connection));
  }

  std::vector<std::string> stream_ids;
  for (int t = 0; t < threads; ++t) {
    stream_ids.push_back(absl::StrCat("call-bench-", t));
  }
  const std::string& payload = EventBytes();

  return RunThreads(
      threads, duration, [&](int thread, uint64_t) -> absl::Status {
        const auto t = static_cast<size_t>(thread);
        PGconn* connection = connections[t].get();
        const char* values[] = {stream_ids[t].c_str(), payload.data()};
        const int lengths[] = {0, static_cast<int>(payload.size())};
        const int formats[] = {0, 1};  // text stream id, binary bytea
        Result inserted(PQexecPrepared(connection, kInsertStatement, 2, values,
                                       lengths, formats, /*resultFormat=*/0));
        return Check(connection, inserted, PGRES_COMMAND_OK, "insert");
      });
}

}  // namespace vagt::bench
