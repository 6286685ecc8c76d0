// StartVagtd: runs the vagtd binary on a free loopback port for a test and
// waits (with a deadline, never a sleep) for the address it prints.
#ifndef VAGT_TESTS_SUPPORT_VAGTD_PROCESS_H_
#define VAGT_TESTS_SUPPORT_VAGTD_PROCESS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "tests/support/child_process.h"

namespace vagt::testing {

struct RunningVagtd {
  std::unique_ptr<ChildProcess> process;  // SIGKILLed when destroyed
  std::string address;                    // "127.0.0.1:<port>"
};

// Starts `vagtd_path` with --listen=127.0.0.1:0, --data_dir=`data_dir` and
// the `more` flags. The error carries what vagtd printed when it did not
// come up.
absl::StatusOr<RunningVagtd> StartVagtd(
    const std::string& vagtd_path, const std::string& data_dir,
    absl::Time deadline, const std::vector<std::string>& more = {});

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SUPPORT_VAGTD_PROCESS_H_
