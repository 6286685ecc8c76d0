// PostgresCluster: initdb, start, wait, stop; the process plumbing for it.
#include "tests/bench/postgres_cluster.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <grp.h>
#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "eventstore/status_macros.h"
#include "libpq-fe.h"

namespace vagt::bench {
namespace {

using internal::ProcessUser;

constexpr char kPostgresRoot[] = "/usr/lib/postgresql";
constexpr char kSystemUser[] = "postgres";
constexpr char kDatabaseUser[] = "vagt_bench";
constexpr absl::Duration kStartTimeout = absl::Seconds(60);
constexpr absl::Duration kStopTimeout = absl::Seconds(30);

absl::Status ErrnoError(absl::string_view what) {
  return absl::UnavailableError(absl::StrCat(what, ": ", std::strerror(errno)));
}

// The last `lines` lines of the file at `path`, indented, for error messages.
std::string LogTail(const std::string& path, size_t lines = 15) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<std::string> all =
      absl::StrSplit(text.str(), '\n', absl::SkipEmpty());
  if (all.size() > lines)
    all.erase(all.begin(), all.end() - static_cast<ptrdiff_t>(lines));
  return absl::StrCat("\n  [", path, "]\n  ", absl::StrJoin(all, "\n  "));
}

absl::StatusOr<ProcessUser> PostgresSystemUser() {
  struct passwd entry;
  struct passwd* found = nullptr;
  std::vector<char> buffer(16384);
  const int error =
      getpwnam_r(kSystemUser, &entry, buffer.data(), buffer.size(), &found);
  if (error != 0 || found == nullptr) {
    return absl::FailedPreconditionError(
        absl::StrCat("running as root and there is no `", kSystemUser,
                     "` system user to run PostgreSQL as (it refuses root)"));
  }
  return ProcessUser{.uid = entry.pw_uid, .gid = entry.pw_gid};
}

// Forks and execs `args` (args[0] an absolute path) as `run_as` with a
// minimal environment, stdin from /dev/null and stdout+stderr appended to
// `log_path`. If this process dies, the child gets SIGINT.
absl::StatusOr<pid_t> Spawn(const std::vector<std::string>& args,
                            const std::optional<ProcessUser>& run_as,
                            const std::string& log_path) {
  // Everything the child needs is prepared here: between fork() and execve()
  // only async-signal-safe calls are allowed.
  std::vector<char*> argv;
  for (const std::string& arg : args)
    argv.push_back(const_cast<char*>(arg.c_str()));
  argv.push_back(nullptr);
  std::vector<std::string> env = {"PATH=/usr/bin:/bin", "LC_ALL=C", "LANG=C",
                                  "TZ=UTC"};
  std::vector<char*> envp;
  for (std::string& var : env) envp.push_back(var.data());
  envp.push_back(nullptr);

  const int log_fd =
      open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) return ErrnoError(absl::StrCat("open ", log_path));
  if (run_as.has_value() && fchown(log_fd, run_as->uid, run_as->gid) != 0) {
    absl::Status status = ErrnoError(absl::StrCat("chown ", log_path));
    close(log_fd);
    return status;
  }
  const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (null_fd < 0) {
    close(log_fd);
    return ErrnoError("open /dev/null");
  }

  const pid_t pid = fork();
  if (pid == 0) {
    static constexpr char kSetUserFailed[] = "vagt-bench: cannot switch user\n";
    // dup2 leaves the new descriptors open across execve.
    if (dup2(null_fd, STDIN_FILENO) < 0 || dup2(log_fd, STDOUT_FILENO) < 0 ||
        dup2(log_fd, STDERR_FILENO) < 0) {
      _exit(126);
    }
    if (run_as.has_value() &&
        (setgroups(0, nullptr) != 0 || setgid(run_as->gid) != 0 ||
         setuid(run_as->uid) != 0)) {
      (void)!write(STDERR_FILENO, kSetUserFailed, sizeof(kSetUserFailed) - 1);
      _exit(126);
    }
    // After the user switch, which would clear it.
    prctl(PR_SET_PDEATHSIG, SIGINT);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  const int fork_errno = errno;
  close(log_fd);
  close(null_fd);
  if (pid < 0) {
    errno = fork_errno;
    return ErrnoError("fork");
  }
  return pid;
}

// Waits for `pid` to end; OK only when it exited with status 0.
absl::Status WaitForSuccess(pid_t pid, absl::string_view what) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return ErrnoError(absl::StrCat("waitpid ", what));
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return absl::OkStatus();
  if (WIFEXITED(status)) {
    return absl::UnavailableError(
        absl::StrCat(what, " exited with status ", WEXITSTATUS(status)));
  }
  return absl::UnavailableError(
      absl::StrCat(what, " killed by signal ", WTERMSIG(status)));
}

// A TCP port on 127.0.0.1 that was free a moment ago.
absl::StatusOr<int> FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return ErrnoError("socket");
  sockaddr_in address = {};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    absl::Status status = ErrnoError("bind 127.0.0.1:0");
    close(fd);
    return status;
  }
  close(fd);
  return static_cast<int>(ntohs(address.sin_port));
}

}  // namespace

absl::StatusOr<std::string> FindPostgresBinDir() {
  std::error_code error;
  std::string best;
  double best_version = -1;
  for (const auto& entry :
       std::filesystem::directory_iterator(kPostgresRoot, error)) {
    const std::string bin = (entry.path() / "bin").string();
    double version = 0;
    if (!absl::SimpleAtod(entry.path().filename().string(), &version) ||
        access((bin + "/initdb").c_str(), X_OK) != 0 ||
        access((bin + "/postgres").c_str(), X_OK) != 0) {
      continue;
    }
    if (version > best_version) {
      best_version = version;
      best = bin;
    }
  }
  if (best.empty()) {
    return absl::NotFoundError(absl::StrCat("no PostgreSQL server binaries (",
                                            kPostgresRoot, "/*/bin/initdb)"));
  }
  return best;
}

absl::StatusOr<std::unique_ptr<PostgresCluster>> PostgresCluster::Start(
    const std::string& parent_dir) {
  ASSIGN_OR_RETURN(std::string bin_dir, FindPostgresBinDir());
  std::optional<ProcessUser> run_as;
  if (geteuid() == 0) {
    ASSIGN_OR_RETURN(run_as, PostgresSystemUser());
  }
  ASSIGN_OR_RETURN(std::unique_ptr<ScratchDir> dir,
                   ScratchDir::Create(parent_dir, "vagt-bench-postgres"));
  if (run_as.has_value() &&
      chown(dir->path().c_str(), run_as->uid, run_as->gid) != 0) {
    return ErrnoError(absl::StrCat("chown ", dir->path()));
  }
  std::unique_ptr<PostgresCluster> cluster(
      new PostgresCluster(std::move(dir), std::move(bin_dir), run_as));
  RETURN_IF_ERROR(cluster->InitDb());
  RETURN_IF_ERROR(cluster->StartServer());
  RETURN_IF_ERROR(cluster->WaitUntilReady());
  return cluster;
}

PostgresCluster::~PostgresCluster() { StopServer(); }

std::string PostgresCluster::ConnInfo() const {
  return absl::StrCat("host=127.0.0.1 port=", port_, " user=", kDatabaseUser,
                      " dbname=postgres connect_timeout=10");
}

absl::Status PostgresCluster::InitDb() {
  // --no-sync only skips initdb's own final fsync of the fresh cluster; the
  // server below fsyncs its WAL on every commit.
  const std::vector<std::string> args = {
      bin_dir_ + "/initdb", "--pgdata",    DataDir(),
      "--username",         kDatabaseUser, "--auth=trust",
      "--encoding=UTF8",    "--no-locale", "--no-sync"};
  ASSIGN_OR_RETURN(pid_t pid, Spawn(args, run_as_, LogPath("initdb")));
  absl::Status status = WaitForSuccess(pid, "initdb");
  if (!status.ok()) {
    return absl::UnavailableError(
        absl::StrCat(status.message(), LogTail(LogPath("initdb"))));
  }
  return absl::OkStatus();
}

absl::Status PostgresCluster::StartServer() {
  ASSIGN_OR_RETURN(port_, FreeLoopbackPort());
  // The server's socket file is <dir>/.s.PGSQL.<port>; sun_path is short.
  const std::string socket_path =
      absl::StrCat(path(), "/.s.PGSQL.", port_, ".lock");
  if (socket_path.size() >= sizeof(sockaddr_un{}.sun_path)) {
    return absl::InvalidArgumentError(absl::StrCat(
        "scratch path too long for PostgreSQL's Unix socket: ", socket_path,
        " (pass a shorter --dir)"));
  }
  const std::vector<std::string> args = {
      bin_dir_ + "/postgres",
      "-D",
      DataDir(),
      "-c",
      "listen_addresses=127.0.0.1",
      "-c",
      absl::StrCat("port=", port_),
      "-c",
      absl::StrCat("unix_socket_directories=", path()),
      "-c",
      "fsync=on",
      "-c",
      "synchronous_commit=on",
      "-c",
      "full_page_writes=on"};
  ASSIGN_OR_RETURN(server_pid_, Spawn(args, run_as_, LogPath("server")));
  return absl::OkStatus();
}

absl::Status PostgresCluster::WaitUntilReady() {
  const absl::Time deadline = absl::Now() + kStartTimeout;
  const std::string conninfo = ConnInfo();
  while (absl::Now() < deadline) {
    int status = 0;
    if (waitpid(server_pid_, &status, WNOHANG) == server_pid_) {
      server_pid_ = -1;
      return absl::UnavailableError(absl::StrCat(
          "postgres exited while starting", LogTail(LogPath("server"))));
    }
    if (PQping(conninfo.c_str()) == PQPING_OK) return absl::OkStatus();
    absl::SleepFor(absl::Milliseconds(100));
  }
  return absl::DeadlineExceededError(absl::StrCat(
      "postgres not accepting connections after ",
      absl::FormatDuration(kStartTimeout), LogTail(LogPath("server"))));
}

void PostgresCluster::StopServer() {
  if (server_pid_ < 0) return;
  kill(server_pid_, SIGINT);  // fast shutdown: aborts sessions, checkpoints
  const absl::Time deadline = absl::Now() + kStopTimeout;
  int status = 0;
  while (waitpid(server_pid_, &status, WNOHANG) == 0) {
    if (absl::Now() >= deadline) {
      kill(server_pid_, SIGKILL);
      waitpid(server_pid_, &status, 0);
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  server_pid_ = -1;
}

}  // namespace vagt::bench
