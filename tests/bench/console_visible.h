// The console case of vagt-bench: a call received through the browser
// gateway of a real vagtd process (Connect, JSON, over HTTP) until it shows
// on the board a browser watches through the same gateway (a Connect server
// stream of OnCallService.WatchBoard), against the same call's arrival on a
// gRPC WatchBoard stream of the same vagtd in the same run (the baseline:
// what the board costs without the gateway).
#ifndef VAGT_TESTS_BENCH_CONSOLE_VISIBLE_H_
#define VAGT_TESTS_BENCH_CONSOLE_VISIBLE_H_

#include <string>

namespace vagt::bench {

struct ConsoleVisibleOptions {
  std::string vagtd_path;  // the vagtd binary to start
  int calls = 300;         // received one after the other, each then closed
};

// Runs the case in a fresh scratch directory under `parent` and prints its
// lines, the last one
//   console_visible_p99_ms=<n> grpc_visible_p99_ms=<n>
//   console_p99_vs_grpc_p99=<ratio>
// Returns false if it failed.
bool RunConsoleGroup(const std::string& parent,
                     const ConsoleVisibleOptions& options);

}  // namespace vagt::bench

#endif  // VAGT_TESTS_BENCH_CONSOLE_VISIBLE_H_
