#include "tests/support/vagtd_process.h"

#include "absl/strings/str_cat.h"

namespace vagt::testing {

absl::StatusOr<RunningVagtd> StartVagtd(const std::string& vagtd_path,
                                        const std::string& data_dir,
                                        absl::Time deadline,
                                        const std::vector<std::string>& more) {
  std::vector<std::string> argv = {vagtd_path, "--listen=127.0.0.1:0",
                                   "--data_dir=" + data_dir};
  argv.insert(argv.end(), more.begin(), more.end());
  absl::StatusOr<std::unique_ptr<ChildProcess>> child =
      ChildProcess::Start(argv);
  if (!child.ok()) return child.status();
  constexpr char kListening[] = "vagtd listening on ";
  absl::StatusOr<std::string> line = (*child)->ReadUntil(kListening, deadline);
  if (!line.ok()) {
    return absl::UnavailableError(
        absl::StrCat("vagtd did not start: ", line.status().message(),
                     "; it printed: ", (*child)->transcript()));
  }
  const std::string rest =
      line->substr(line->find(kListening) + std::string(kListening).size());
  return RunningVagtd{.process = std::move(*child),
                      .address = rest.substr(0, rest.find(' '))};
}

}  // namespace vagt::testing
