// RunInline: requests the filter accepts are answered on the I/O thread, so
// they do not queue behind busy workers; the rest still go to the workers.
#include <atomic>
#include <chrono>
#include <thread>

#include "tests/unit/cluster_transport/transport_test_util.h"

namespace tessera::cluster::transport::testing {
namespace {

constexpr uint16_t kSlow = 1;
constexpr uint16_t kLookup = 2;

TEST(RpcInlineTest, AcceptedRequestsSkipTheBusyWorkers) {
  RpcServer server("127.0.0.1", 0, 1, 1);  // one worker
  std::atomic<bool> release{false};
  server.Register(kSlow, [&](std::string_view, ResponseStream&) {
    while (!release) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    return std::string("slow");
  });
  server.Register(kLookup, [](std::string_view payload, ResponseStream&) { return std::string(payload); });
  server.RunInline(kLookup, [](std::string_view payload) { return payload == "inline"; });
  server.Start();

  RpcClient client;
  auto slow = client.Start(AddressOf(server), kSlow, "x");  // occupies the only worker
  std::this_thread::sleep_for(std::chrono::milliseconds(50));

  CallOptions quick;
  quick.timeout = std::chrono::milliseconds(1000);
  EXPECT_EQ(client.Call(AddressOf(server), kLookup, "inline", quick), "inline");

  // Not accepted by the filter: waits for the worker, so it times out.
  const SqlError error = CatchSqlError([&] { client.Call(AddressOf(server), kLookup, "worker", quick); });
  EXPECT_EQ(error.Sqlstate(), "08006");

  release = true;
  EXPECT_EQ(slow->Wait(), "slow");
}

}  // namespace
}  // namespace tessera::cluster::transport::testing
