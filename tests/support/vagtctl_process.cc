#include "tests/support/vagtctl_process.h"

#include <sys/wait.h>

#include "tests/support/child_process.h"

namespace vagt::testing {

std::vector<std::string> VagtctlArgv(const std::string& vagtctl_path,
                                     const std::string& token,
                                     const std::string& server,
                                     const std::vector<std::string>& args,
                                     bool stdout_only) {
  std::vector<std::string> argv = {
      "/bin/sh", "-c", stdout_only ? "exec \"$@\" 2>/dev/null" : "exec \"$@\"",
      "sh", "/usr/bin/env", "-u", "VAGT_TOKEN", "-u", "VAGT_SERVER",
      // No credentials file: only the token given here (if any) is used.
      "VAGT_CREDENTIALS=/nonexistent/vagt-test-credentials"};
  if (!token.empty()) argv.push_back("VAGT_TOKEN=" + token);
  argv.push_back("VAGT_SERVER=" + server);
  argv.push_back(vagtctl_path);
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}

absl::StatusOr<VagtctlOutcome> RunVagtctl(const std::vector<std::string>& argv,
                                          absl::Time deadline) {
  absl::StatusOr<std::unique_ptr<ChildProcess>> child =
      ChildProcess::Start(argv);
  if (!child.ok()) return child.status();
  absl::StatusOr<std::string> line;
  do {
    line = (*child)->ReadLine(deadline);
  } while (line.ok());
  if (absl::IsDeadlineExceeded(line.status())) return line.status();
  absl::StatusOr<int> status = (*child)->Wait(deadline);
  if (!status.ok()) return status.status();
  return VagtctlOutcome{
      .exit_code = WIFEXITED(*status) ? WEXITSTATUS(*status) : -1,
      .output = (*child)->transcript()};
}

std::string WordAfter(const std::string& text, const std::string& marker) {
  const size_t at = text.find(marker);
  if (at == std::string::npos) return "";
  const size_t start = at + marker.size();
  const size_t end = text.find_first_of(" ,.\n", start);
  return text.substr(start, end - start);
}

}  // namespace vagt::testing
