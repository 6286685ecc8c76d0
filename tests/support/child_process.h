// ChildProcess: runs another program of this project for a test, with its
// stdout and stderr read through a pipe, so tests can wait for what it prints
// (with a deadline, never a sleep), signal it and collect its exit status.
//
//   ASSERT_OK_AND_ASSIGN(auto child, ChildProcess::Start({kVagtd,
//   "--listen=127.0.0.1:0"})); absl::StatusOr<std::string> line =
//   child->ReadLine(absl::Now() + absl::Seconds(30)); child->Signal(SIGTERM);
//   absl::StatusOr<int> status = child->Wait(absl::Now() + absl::Seconds(30));
//
// Threading: one thread uses a ChildProcess at a time. Destroying it kills the
// child with SIGKILL if it still runs, and reaps it.
#ifndef VAGT_TESTS_SUPPORT_CHILD_PROCESS_H_
#define VAGT_TESTS_SUPPORT_CHILD_PROCESS_H_

#include <sys/types.h>

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vagt::testing {

class ChildProcess {
 public:
  // Starts argv[0] (a path) with argv. stdout and stderr both go to the pipe
  // that ReadLine reads.
  static absl::StatusOr<std::unique_ptr<ChildProcess>> Start(
      const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next full line of output without its newline. DEADLINE_EXCEEDED when
  // none arrives by `deadline`, OUT_OF_RANGE once the output has ended.
  absl::StatusOr<std::string> ReadLine(absl::Time deadline);
  // Reads lines until one contains `text`; returns that line.
  absl::StatusOr<std::string> ReadUntil(const std::string& text,
                                        absl::Time deadline);
  // Everything read so far, for failure messages.
  const std::string& transcript() const { return transcript_; }

  void Signal(int signal);
  // The raw wait status (see WIFEXITED) once the child has ended.
  absl::StatusOr<int> Wait(absl::Time deadline);
  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, int pidfd, int out_fd)
      : pid_(pid), pidfd_(pidfd), out_fd_(out_fd) {}

  pid_t pid_;
  int pidfd_;
  int out_fd_;
  bool reaped_ = false;
  bool eof_ = false;
  std::string buffer_;
  std::string transcript_;
};

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SUPPORT_CHILD_PROCESS_H_
