// ConnectStream: a Connect server stream (application/connect+json) on a real
// vagtd's browser gateway, read by cpp-httplib's client on a thread of its
// own as the messages arrive; and GatewayPort, the port vagtd printed for
// its gateway.
//
//   ASSIGN_OR_RETURN(int port, GatewayPort(*vagtd.process, deadline));
//   ConnectStream board(port, "/vagt.v1.OnCallService/WatchBoard", token,
//                       R"({"lineId":"ishoj-bos"})");
//   board.WaitForMessages(1, deadline);
#ifndef VAGT_TESTS_SUPPORT_CONNECT_STREAM_H_
#define VAGT_TESTS_SUPPORT_CONNECT_STREAM_H_

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "httplib.h"
#include "tests/support/child_process.h"

namespace vagt::testing {

// Reads vagtd's output until the line naming its gateway ("console at
// http://127.0.0.1:PORT/" or "Connect gateway at ...") and returns PORT.
absl::StatusOr<int> GatewayPort(ChildProcess& vagtd, absl::Time deadline);

class ConnectStream {
 public:
  // Called on the stream's thread with each message's JSON as it arrives.
  using OnMessage = std::function<void(const std::string& json)>;

  // Opens the stream at once: POST `path` on 127.0.0.1:`port` with the
  // request `json` in one envelope, and `token` as bearer unless empty.
  ConnectStream(int port, const std::string& path, const std::string& token,
                const std::string& json, OnMessage on_message = nullptr);
  ~ConnectStream();  // Closes the connection and joins the thread.

  ConnectStream(const ConnectStream&) = delete;
  ConnectStream& operator=(const ConnectStream&) = delete;

  // Waits until `n` messages arrived (or the stream ended); how many did.
  size_t WaitForMessages(size_t n, absl::Time deadline);
  // Waits for the end-of-stream message; empty if none came by `deadline`.
  std::string WaitForEnd(absl::Time deadline);
  std::vector<std::string> messages();
  // The HTTP status once the response ended; 0 while it is open.
  int status();
  // What cpp-httplib's client reported when the request failed; empty if
  // it did not.
  std::string error();

 private:
  bool Ended() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  void Received(std::string_view bytes);

  httplib::Client client_;
  const OnMessage on_message_;
  std::thread thread_;
  absl::Mutex mu_;
  std::string buffer_ ABSL_GUARDED_BY(mu_);
  std::vector<std::string> messages_ ABSL_GUARDED_BY(mu_);
  std::string end_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
  int status_ ABSL_GUARDED_BY(mu_) = 0;
  std::string error_ ABSL_GUARDED_BY(mu_);
};

}  // namespace vagt::testing

#endif  // VAGT_TESTS_SUPPORT_CONNECT_STREAM_H_
