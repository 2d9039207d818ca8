// Session fibers: how a waiting statement gives its worker thread back.
//
// A statement that must wait (for a row lock, most often) used to block its
// worker thread on a condition variable. With every worker so parked, the
// lock holder's COMMIT found no thread to run on and the server wedged for
// good (64 waiters on one row were enough). Now the worker side of each
// connection runs on a Fiber: its own stack (Boost.Context), switched in by
// a worker thread. A wait goes through a WaitSlot: on a fiber, Wait()
// switches back to the worker, which returns to its pool, and Wake() posts
// the fiber to the pool again, where any worker resumes it where it
// stopped, call stack and all. Off a fiber (a plain thread, a unit test)
// the same WaitSlot simply blocks the thread.
//
// Fibers also give sessions a deep stack: common/stack_depth.h checks
// recursion against the fiber stack's bounds, which Step() installs.
//
// Rules for code that may wait on a fiber: hold no mutex across the wait
// (the fiber may resume on another thread) and keep no thread_local state
// across it.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <condition_variable>
#include <utility>
#include <vector>

namespace tessera {

class Fiber : public std::enable_shared_from_this<Fiber> {
 public:
  // Schedules a task on the pool the fiber runs on.
  using Post = std::function<void(std::function<void()>)>;

  // Starts `body` on a new fiber at once, on the calling (worker) thread;
  // returns when the body has finished or parked. The fiber keeps itself
  // alive while parked.
  static void Run(Post post, std::function<void()> body);

  // The fiber running on this thread, or null.
  static Fiber* Current();

  // Stack size of every fiber (bytes of address space; pages are touched
  // only as deep as a statement goes).
  static size_t StackSize();

  ~Fiber();

  // Internal to WaitSlot: switches out to the worker; `after_switch` runs
  // on the worker once the fiber is off the stack (it decides whether the
  // fiber is resumed at once or parked).
  void Suspend(std::function<void()> after_switch);
  // Internal to WaitSlot: resumes the fiber on the pool.
  void Resume();

 private:
  struct State;
  Fiber(Post post, std::function<void()> body);
  void Step();

  std::unique_ptr<State> state_;
};

// One wait, woken once. Shared: the waker may run after the waiter gave up.
class WaitSlot : public std::enable_shared_from_this<WaitSlot> {
 public:
  static std::shared_ptr<WaitSlot> Make() { return std::shared_ptr<WaitSlot>(new WaitSlot()); }

  // From any thread, any number of times.
  void Wake();
  // Until Wake() or `timeout` (zero or less: no timeout). True if woken.
  bool Wait(std::chrono::milliseconds timeout);

 private:
  WaitSlot() = default;
  void Expire();

  std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false;
  bool expired_ = false;
  std::shared_ptr<Fiber> parked_;  // set while a fiber is switched out on this slot
};

// Callers waiting for a condition guarded by the caller's own mutex, each on
// a WaitSlot of its own, so that a waiting fiber gives its worker thread back
// (a condition variable would hold the thread: enough such waiters once took
// every worker from the session that would have woken them). The waker takes
// the slots under the mutex and wakes them after releasing it.
class WaitList {
 public:
  // With `lock` held (it is released while parked): until ready() holds, or
  // `timeout` passes (zero or less: no timeout). False on timeout.
  template <class Ready>
  bool Wait(std::unique_lock<std::mutex>& lock, Ready ready,
            std::chrono::milliseconds timeout = std::chrono::milliseconds(0)) {
    const bool forever = timeout.count() <= 0;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!ready()) {
      auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (!forever && left.count() <= 0) return false;
      WaitOnce(lock, forever ? std::chrono::milliseconds(0) : left);
    }
    return true;
  }

  // With `lock` held: parks once, until woken or `timeout` (zero or less:
  // none), for a caller that re-checks its own conditions after each wake.
  void WaitOnce(std::unique_lock<std::mutex>& lock, std::chrono::milliseconds timeout) {
    auto slot = WaitSlot::Make();
    slots_.push_back(slot);
    lock.unlock();
    slot->Wait(timeout);
    lock.lock();
  }

  // Under the caller's mutex: the waiting slots, to Wake() after releasing it.
  std::vector<std::shared_ptr<WaitSlot>> Take() { return std::exchange(slots_, {}); }
  static void WakeAll(const std::vector<std::shared_ptr<WaitSlot>>& slots) {
    for (const auto& slot : slots) slot->Wake();
  }

 private:
  std::vector<std::shared_ptr<WaitSlot>> slots_;
};

// A mutex whose waiters park. Held across a parked wait (an etcd request made
// through common/blocking_call.h, say), a std::mutex would make its waiters
// hold their workers, and with every worker so held the holder could never
// be resumed. Off a fiber, waiting blocks the thread, as a std::mutex does.
class FiberMutex {
 public:
  void lock() {
    std::unique_lock guard(mutex_);
    waiters_.Wait(guard, [this] { return !held_; });
    held_ = true;
  }
  bool try_lock() {
    std::lock_guard guard(mutex_);
    if (held_) return false;
    held_ = true;
    return true;
  }
  void unlock() {
    std::vector<std::shared_ptr<WaitSlot>> woken;
    {
      std::lock_guard guard(mutex_);
      held_ = false;
      woken = waiters_.Take();
    }
    WaitList::WakeAll(woken);
  }

 private:
  std::mutex mutex_;
  bool held_ = false;
  WaitList waiters_;
};

}  // namespace tessera
