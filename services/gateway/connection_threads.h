// How the gateway runs connections: each on a thread of its own, at most
// `max` at once, so that a long-lived stream holds one thread and never
// keeps an ordinary request waiting behind it (a fixed pool of N threads
// would be taken by N open streams). A connection beyond `max` waits until
// one ends. Threads are made as connections need them and kept for the next.
#ifndef VAGT_SERVICES_GATEWAY_CONNECTION_THREADS_H_
#define VAGT_SERVICES_GATEWAY_CONNECTION_THREADS_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

#include "httplib.h"

namespace vagt::gateway {

class ConnectionThreads final : public httplib::TaskQueue {
 public:
  explicit ConnectionThreads(int max) : max_(max) {}
  ~ConnectionThreads() override { shutdown(); }

  void enqueue(std::function<void()> connection) override;
  // Lets queued and running connections finish, then joins every thread.
  void shutdown() override;

 private:
  void Work();

  const int max_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> waiting_;
  std::vector<std::thread> threads_;
  int idle_ = 0;
  bool stopping_ = false;
};

}  // namespace vagt::gateway

#endif  // VAGT_SERVICES_GATEWAY_CONNECTION_THREADS_H_
