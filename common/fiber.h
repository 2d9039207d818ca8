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

}  // namespace tessera
