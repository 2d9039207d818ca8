#include "common/blocking_call.h"

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "common/fiber.h"

namespace tessera {
namespace {

// Threads for blocking calls, started as calls need them, up to kMaxThreads;
// further calls queue (their fibers stay parked, holding no worker). Never
// destroyed: a call may still be running when the process exits.
class BlockingThreads {
 public:
  static BlockingThreads& Instance() {
    static auto* instance = new BlockingThreads();
    return *instance;
  }

  void Post(std::function<void()> task) {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(task));
    if (static_cast<int>(queue_.size()) > idle_ && threads_ < kMaxThreads) {
      ++threads_;
      std::thread([this] { Loop(); }).detach();
    }
    cv_.notify_one();
  }

 private:
  static constexpr int kMaxThreads = 16;

  void Loop() {
    std::unique_lock lock(mutex_);
    for (;;) {
      ++idle_;
      cv_.wait(lock, [this] { return !queue_.empty(); });
      --idle_;
      auto task = std::move(queue_.front());
      queue_.pop_front();
      lock.unlock();
      task();
      lock.lock();
    }
  }

  std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  int threads_ = 0;
  int idle_ = 0;
};

}  // namespace

void RunBlockingTask(const std::function<void()>& call) {
  if (Fiber::Current() == nullptr) {
    call();
    return;
  }
  auto done = WaitSlot::Make();
  // `call` lives on the parked fiber's stack, which stays put until Wake().
  BlockingThreads::Instance().Post([&call, done] {
    call();
    done->Wake();
  });
  done->Wait(std::chrono::milliseconds(0));
}

}  // namespace tessera
