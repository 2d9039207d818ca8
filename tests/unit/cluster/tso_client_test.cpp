// TsoClient (cluster/common/tso_client.h): callers that join a batch while
// another caller fetches it park their fibers instead of blocking their
// worker threads. Blocking, 64 statements starting at once on a gateway
// took every worker and the fetcher, parked in its RPC, never resumed.
#include "cluster/common/tso_client.h"

#include <gtest/gtest.h>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <thread>

#include "common/fiber.h"

namespace tessera::cluster {
namespace {

using namespace std::chrono_literals;

// Everything the callers touch, on the heap: if they do block, the test
// fails and leaves it (and the blocked threads) behind instead of hanging.
struct World {
  boost::asio::thread_pool pool{2};
  std::atomic<uint64_t> next{1000};
  // Nothing here reaches etcd or the network: the local oracle always answers.
  etcd::Client etcd{"http://127.0.0.1:1"};
  transport::RpcClient rpc{1};
  // The oracle's answer takes a while, and waiting for it parks the fetching
  // fiber, as an RPC does.
  TsoClient tso{etcd, rpc, [this](uint32_t count) {
                  WaitSlot::Make()->Wait(20ms);
                  return next.fetch_add(count);
                }};
  std::mutex mutex;
  std::set<uint64_t> seen;
  std::atomic<int> done{0};
};

TEST(TsoClientTest, WaitersParkWhileTheFetcherWaitsOnAFiber) {
  auto* world = new World;
  auto post = [world](std::function<void()> task) { boost::asio::post(world->pool, std::move(task)); };
  constexpr int kCallers = 40;  // many times the two workers
  for (int i = 0; i < kCallers; ++i) {
    boost::asio::post(world->pool, [world, post] {
      Fiber::Run(post, [world] {
        uint64_t ts = world->tso.Next();
        {
          std::lock_guard lock(world->mutex);
          world->seen.insert(ts);
        }
        ++world->done;
      });
    });
  }
  for (int i = 0; i < 500 && world->done.load() < kCallers; ++i) std::this_thread::sleep_for(10ms);
  ASSERT_EQ(world->done.load(), kCallers) << "callers blocked their workers behind the parked fetcher";
  EXPECT_EQ(world->seen.size(), static_cast<size_t>(kCallers));  // every timestamp distinct
  world->pool.join();
  delete world;
}

}  // namespace
}  // namespace tessera::cluster
