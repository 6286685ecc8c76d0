#include "services/gateway/connection_threads.h"

#include <utility>

namespace vagt::gateway {

void ConnectionThreads::enqueue(std::function<void()> connection) {
  std::lock_guard lock(mutex_);
  waiting_.push_back(std::move(connection));
  // Each idle thread takes one waiting connection; the rest need new ones.
  if (static_cast<int>(waiting_.size()) > idle_ &&
      static_cast<int>(threads_.size()) < max_) {
    threads_.emplace_back([this] { Work(); });
  }
  wake_.notify_one();
}

void ConnectionThreads::shutdown() {
  std::vector<std::thread> threads;
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    threads.swap(threads_);
  }
  wake_.notify_all();
  for (std::thread& t : threads) t.join();
}

void ConnectionThreads::Work() {
  std::unique_lock lock(mutex_);
  for (;;) {
    ++idle_;
    wake_.wait(lock, [this] { return stopping_ || !waiting_.empty(); });
    --idle_;
    if (waiting_.empty()) return;  // stopping, nothing left
    std::function<void()> connection = std::move(waiting_.front());
    waiting_.pop_front();
    lock.unlock();
    connection();
    lock.lock();
  }
}

}  // namespace vagt::gateway
