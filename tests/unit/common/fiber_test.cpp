// Session fibers and WaitSlot (common/fiber.h): a parked fiber frees its
// worker, a wake resumes it on the pool, timeouts expire, and the stack
// depth check sees the fiber's own (large) stack.
#include "common/fiber.h"

#include <gtest/gtest.h>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "common/error.h"
#include "common/stack_depth.h"

namespace tessera {
namespace {

using namespace std::chrono_literals;

struct Pool {
  explicit Pool(size_t threads) : pool(threads) {}
  ~Pool() { pool.join(); }
  Fiber::Post Poster() {
    return [this](std::function<void()> task) { boost::asio::post(pool, std::move(task)); };
  }
  void Run(std::function<void()> body) {
    boost::asio::post(pool, [this, body = std::move(body)] { Fiber::Run(Poster(), body); });
  }
  boost::asio::thread_pool pool;
};

TEST(FiberTest, ParkedFibersFreeTheirWorker) {
  // One worker thread, many waiters: each parks, so the waker (also on the
  // one worker) still runs; with blocking waits this would deadlock.
  Pool pool(1);
  constexpr int kWaiters = 50;
  auto slot = WaitSlot::Make();
  std::atomic<int> woken{0};
  std::vector<std::shared_ptr<WaitSlot>> slots;
  for (int i = 0; i < kWaiters; ++i) slots.push_back(WaitSlot::Make());
  for (int i = 0; i < kWaiters; ++i) {
    pool.Run([&, i] {
      EXPECT_NE(Fiber::Current(), nullptr);
      if (slots[i]->Wait(0ms)) ++woken;
    });
  }
  std::promise<void> all_woken;
  pool.Run([&] {
    for (auto& s : slots) s->Wake();
  });
  for (int i = 0; i < 200 && woken.load() < kWaiters; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(woken.load(), kWaiters);
}

TEST(FiberTest, WakeBeforeWaitReturnsAtOnce) {
  Pool pool(2);
  auto slot = WaitSlot::Make();
  slot->Wake();
  std::promise<bool> result;
  pool.Run([&] { result.set_value(slot->Wait(5000ms)); });
  auto future = result.get_future();
  ASSERT_EQ(future.wait_for(2s), std::future_status::ready);
  EXPECT_TRUE(future.get());
}

TEST(FiberTest, WaitTimesOutOnAFiber) {
  Pool pool(1);
  auto slot = WaitSlot::Make();
  std::promise<std::pair<bool, std::chrono::milliseconds>> result;
  pool.Run([&] {
    auto start = std::chrono::steady_clock::now();
    bool woken = slot->Wait(100ms);
    result.set_value({woken, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)});
  });
  auto future = result.get_future();
  ASSERT_EQ(future.wait_for(5s), std::future_status::ready);
  auto [woken, took] = future.get();
  EXPECT_FALSE(woken);
  EXPECT_GE(took.count(), 90);
  EXPECT_LT(took.count(), 2000);
}

TEST(FiberTest, RethrowAfterParkingInACatchBlockOnAnotherThread) {
  // A catch block that waits (a rollback after an error) and then rethrows:
  // the fiber resumes on whichever worker is free, and `throw;` must still
  // find the exception it is handling.
  Pool pool(4);
  constexpr int kFibers = 16;
  std::atomic<int> rethrown{0};
  std::vector<std::shared_ptr<WaitSlot>> slots;
  for (int i = 0; i < kFibers; ++i) slots.push_back(WaitSlot::Make());
  for (int i = 0; i < kFibers; ++i) {
    pool.Run([&, i] {
      try {
        try {
          throw SqlError("23502", "null value");
        } catch (const SqlError&) {
          slots[i]->Wait(0ms);
          throw;
        }
      } catch (const SqlError& e) {
        if (e.Sqlstate() == "23502") ++rethrown;
      }
    });
  }
  std::this_thread::sleep_for(50ms);
  for (auto& s : slots) {
    s->Wake();
    std::this_thread::sleep_for(1ms);
  }
  for (int i = 0; i < 300 && rethrown.load() < kFibers; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(rethrown.load(), kFibers);
}

TEST(FiberTest, WaitBlocksAPlainThread) {
  auto slot = WaitSlot::Make();
  std::thread waker([slot] {
    std::this_thread::sleep_for(50ms);
    slot->Wake();
  });
  EXPECT_EQ(Fiber::Current(), nullptr);
  EXPECT_TRUE(slot->Wait(5000ms));
  waker.join();
  EXPECT_FALSE(WaitSlot::Make()->Wait(20ms));
}

// Recurses until the depth check throws (the bound is never reached).
volatile int recursion_bound = 1 << 30;
int Recurse(int depth) {
  CheckStackDepth();
  volatile char frame[256];
  frame[depth % 256] = 1;
  if (depth > recursion_bound) return depth;
  return Recurse(depth + 1) + frame[0];
}

TEST(FiberTest, StackDepthCheckUsesTheFiberStack) {
  Pool pool(1);
  std::promise<std::string> result;
  std::promise<size_t> limit;
  pool.Run([&] {
    limit.set_value(StackDepthLimit());
    try {
      Recurse(0);
      result.set_value("no error");
    } catch (const SqlError& e) {
      result.set_value(e.Sqlstate());
    }
  });
  auto f = result.get_future();
  ASSERT_EQ(f.wait_for(20s), std::future_status::ready);
  EXPECT_EQ(f.get(), "54001");
  // Far more than a plain thread's 8 MB: the fiber's own stack.
  EXPECT_GT(limit.get_future().get(), size_t{32} << 20);
}

TEST(StackDepthTest, PlainThreadGets54001InsteadOfOverflow) {
  std::string state;
  std::thread t([&] {
    try {
      Recurse(0);
    } catch (const SqlError& e) {
      state = e.Sqlstate();
    }
  });
  t.join();
  EXPECT_EQ(state, "54001");
}

}  // namespace
}  // namespace tessera
