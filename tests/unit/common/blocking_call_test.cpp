// RunBlocking (common/blocking_call.h): a call that blocks its thread, made
// on a fiber, runs elsewhere while the fiber is parked, so the fiber's worker
// serves other fibers; results and exceptions reach the caller.
#include "common/blocking_call.h"

#include <gtest/gtest.h>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
#include <atomic>
#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include "common/fiber.h"

namespace tessera {
namespace {

using namespace std::chrono_literals;

// One worker thread, as the server's pool is when every other worker is busy.
struct OneWorker {
  ~OneWorker() { pool.join(); }
  void Run(std::function<void()> body) {
    Fiber::Post post = [this](std::function<void()> task) { boost::asio::post(pool, std::move(task)); };
    boost::asio::post(pool, [post, body = std::move(body)] { Fiber::Run(post, body); });
  }
  boost::asio::thread_pool pool{1};
};

template <class Done>
bool WaitFor(Done done) {
  for (int i = 0; i < 300 && !done(); ++i) std::this_thread::sleep_for(10ms);
  return done();
}

TEST(BlockingCallTest, AFiberInABlockingCallLeavesItsWorkerToOthers) {
  OneWorker worker;
  std::atomic<bool> release{false}, blocked_done{false}, other_ran{false};
  std::thread::id caller_thread, call_thread;
  worker.Run([&] {
    caller_thread = std::this_thread::get_id();
    int got = RunBlocking([&] {
      call_thread = std::this_thread::get_id();
      while (!release.load()) std::this_thread::sleep_for(1ms);  // an etcd request that takes its time
      return 42;
    });
    EXPECT_EQ(got, 42);
    blocked_done = true;
  });
  worker.Run([&] { other_ran = true; });
  EXPECT_TRUE(WaitFor([&] { return other_ran.load(); })) << "the blocking call held the only worker";
  EXPECT_FALSE(blocked_done.load());
  release = true;
  EXPECT_TRUE(WaitFor([&] { return blocked_done.load(); })) << "the caller never resumed";
  EXPECT_NE(call_thread, caller_thread);
}

TEST(BlockingCallTest, ExceptionsReachTheCaller) {
  OneWorker worker;
  std::atomic<bool> caught{false};
  worker.Run([&] {
    try {
      RunBlocking([]() -> std::string { throw std::runtime_error("etcd is gone"); });
    } catch (const std::runtime_error& e) {
      caught = std::string(e.what()) == "etcd is gone";
    }
  });
  EXPECT_TRUE(WaitFor([&] { return caught.load(); }));
}

TEST(BlockingCallTest, ManyParkedCallersAllFinish) {
  // More callers than the blocking threads: the rest queue, parked.
  OneWorker worker;
  constexpr int kCallers = 40;
  std::atomic<int> done{0};
  for (int i = 0; i < kCallers; ++i)
    worker.Run([&, i] {
      int got = RunBlocking([i] {
        std::this_thread::sleep_for(20ms);
        return i;
      });
      if (got == i) ++done;
    });
  EXPECT_TRUE(WaitFor([&] { return done.load() == kCallers; })) << done.load() << " of " << kCallers;
}

TEST(BlockingCallTest, OffAFiberTheCallRunsOnTheCallingThread) {
  std::thread::id call_thread;
  RunBlocking([&] { call_thread = std::this_thread::get_id(); });
  EXPECT_EQ(call_thread, std::this_thread::get_id());
}

TEST(BlockingCallTest, AFiberWaitingForAFiberMutexLeavesItsWorkerToOthers) {
  // The holder parks inside a blocking call with the mutex held (the catalog
  // does this for DDL's etcd requests); the waiter must park too, or with one
  // worker the holder could never be resumed.
  OneWorker worker;
  FiberMutex mutex;
  std::atomic<bool> release{false}, holder_done{false}, waiter_done{false}, other_ran{false};
  worker.Run([&] {
    std::lock_guard lock(mutex);
    RunBlocking([&] {
      while (!release.load()) std::this_thread::sleep_for(1ms);
    });
    holder_done = true;
  });
  worker.Run([&] {
    std::lock_guard lock(mutex);
    EXPECT_TRUE(holder_done.load());
    waiter_done = true;
  });
  worker.Run([&] { other_ran = true; });
  EXPECT_TRUE(WaitFor([&] { return other_ran.load(); })) << "a waiter for the mutex held the only worker";
  release = true;
  EXPECT_TRUE(WaitFor([&] { return waiter_done.load(); })) << "the waiter never got the mutex";
}

}  // namespace
}  // namespace tessera
