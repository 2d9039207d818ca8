// Round-trip cost of a 100-byte echo on an established loopback connection,
// with 1 and 8 calling threads. Prints calls/s; asserts only correctness, as
// timings depend on the machine.
#include <atomic>
#include <cstdio>
#include <thread>
#include <vector>

#include "tests/unit/cluster_transport/transport_test_util.h"

namespace tessera::cluster::transport::testing {
namespace {

double EchoCallsPerSecond(RpcClient& client, const std::string& address, int threads, int calls_per_thread) {
  const std::string payload(100, 'p');
  std::atomic<int> wrong{0};
  const auto start = Clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < calls_per_thread; ++i) {
        if (client.Call(address, 1, payload) != payload) ++wrong;
      }
    });
  }
  for (auto& worker : workers) worker.join();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  EXPECT_EQ(wrong.load(), 0);
  return threads * calls_per_thread / seconds;
}

TEST(RpcBenchTest, EchoRoundTrips) {
  RpcServer server("127.0.0.1", 0);
  server.Register(1, [](std::string_view payload, ResponseStream&) { return std::string(payload); });
  server.Start();
  RpcClient client;
  const std::string address = AddressOf(server);
  client.Call(address, 1, "warm up");
  const double one = EchoCallsPerSecond(client, address, 1, 4000);
  const double eight = EchoCallsPerSecond(client, address, 8, 1500);
  std::printf("[ bench    ] 100-byte echo: 1 thread %.0f calls/s (%.1f us/call), 8 threads %.0f calls/s\n", one,
              1e6 / one, eight);
  EXPECT_GT(one, 0);
}

}  // namespace
}  // namespace tessera::cluster::transport::testing
