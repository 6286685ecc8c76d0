// RunVagtctl: runs the vagtctl binary as a user would, for a test: in a clean
// environment of its own (VAGT_SERVER, VAGT_TOKEN when given, and no
// credentials file), its output read with a deadline, never a sleep.
//
//   absl::StatusOr<VagtctlOutcome> run = RunVagtctl(
//       VagtctlArgv(VAGTCTL_PATH, anna_token, address, {"line", "take",
//       "ishoj-bos"}, /*stdout_only=*/false), absl::Now() + absl::Seconds(60));
//
// For a command that keeps running (board --watch), start the argv with
// ChildProcess::Start and read its lines.
#ifndef VAGT_TESTS_SUPPORT_VAGTCTL_PROCESS_H_
#define VAGT_TESTS_SUPPORT_VAGTCTL_PROCESS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"

namespace vagt::testing {

// The argv that runs `vagtctl_path` with `args` with the vagt access token
// `token` (empty: none) against `server`. With `stdout_only`, what vagtctl
// writes to stderr is dropped; otherwise both go to the ChildProcess's output.
std::vector<std::string> VagtctlArgv(const std::string& vagtctl_path,
                                     const std::string& token,
                                     const std::string& server,
                                     const std::vector<std::string>& args,
                                     bool stdout_only);

// What one run of vagtctl printed and how it ended.
struct VagtctlOutcome {
  // The exit code; -1 when it did not exit normally (a signal).
  int exit_code;
  std::string output;
};

// Runs `argv` to its end. DEADLINE_EXCEEDED when it does not end by
// `deadline` (it is then killed).
absl::StatusOr<VagtctlOutcome> RunVagtctl(const std::vector<std::string>& argv,
                                          absl::Time deadline);

// The word in vagtctl's `text` right after `marker` (up to a space, comma,
// full stop or newline), e.g. the id after "Call "; empty if absent.
std::string WordAfter(const std::string& text, const std::string& marker);

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SUPPORT_VAGTCTL_PROCESS_H_
