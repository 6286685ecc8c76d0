// PostgresCluster: a throwaway PostgreSQL server for the benchmark's
// comparison case. Start() runs initdb into a fresh ScratchDir and starts
// `postgres` with fsync=on and synchronous_commit=on, listening on 127.0.0.1
// (a free port) and on a Unix socket inside that directory. Destroying the
// cluster stops the server (fast shutdown, then SIGKILL after 30 s) and
// removes the directory, on every path out of the caller.
//
// PostgreSQL refuses to run as root: when the benchmark runs as root, initdb
// and postgres run as the `postgres` system user, which must exist and be able
// to reach the scratch directory's parent.
//
// Lifecycle and threading: created and destroyed on one thread; ConnInfo() is
// safe from any thread. If the benchmark process dies, the server gets
// SIGINT (PR_SET_PDEATHSIG) and stops; the directory is then left behind.
//
//   ASSIGN_OR_RETURN(std::unique_ptr<PostgresCluster> pg,
//                    PostgresCluster::Start("/var/tmp"));
//   PQconnectdb(pg->ConnInfo().c_str());
#ifndef VAGT_TESTS_BENCH_POSTGRES_CLUSTER_H_
#define VAGT_TESTS_BENCH_POSTGRES_CLUSTER_H_

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "tests/bench/scratch_dir.h"

namespace vagt::bench {
namespace internal {

// Who a child process runs as.
struct ProcessUser {
  uid_t uid;
  gid_t gid;
};

}  // namespace internal

// The newest /usr/lib/postgresql/<version>/bin holding initdb and postgres;
// NOT_FOUND when there is none.
absl::StatusOr<std::string> FindPostgresBinDir();

class PostgresCluster {
 public:
  // Creates the cluster under `parent_dir` and waits (up to 60 s) until it
  // accepts connections. Errors carry the tail of initdb's or the server's log.
  static absl::StatusOr<std::unique_ptr<PostgresCluster>> Start(
      const std::string& parent_dir);

  PostgresCluster(const PostgresCluster&) = delete;
  PostgresCluster& operator=(const PostgresCluster&) = delete;
  ~PostgresCluster();

  // libpq connection string for the benchmark database over TCP.
  std::string ConnInfo() const;
  const std::string& path() const { return dir_->path(); }
  const std::string& bin_dir() const { return bin_dir_; }

 private:
  PostgresCluster(std::unique_ptr<ScratchDir> dir, std::string bin_dir,
                  std::optional<internal::ProcessUser> run_as)
      : dir_(std::move(dir)), bin_dir_(std::move(bin_dir)), run_as_(run_as) {}

  absl::Status InitDb();
  absl::Status StartServer();
  absl::Status WaitUntilReady();
  void StopServer();

  std::string DataDir() const { return dir_->path() + "/data"; }
  std::string LogPath(absl::string_view program) const {
    return dir_->path() + "/" + std::string(program) + ".log";
  }

  // Declared first so that it is removed last, after the server stopped.
  std::unique_ptr<ScratchDir> dir_;
  std::string bin_dir_;
  // The user initdb and postgres run as; nullopt: the current user.
  std::optional<internal::ProcessUser> run_as_;
  int port_ = 0;
  pid_t server_pid_ = -1;  // -1: not running
};

}  // namespace vagt::bench

#endif  // VAGT_TESTS_BENCH_POSTGRES_CLUSTER_H_
