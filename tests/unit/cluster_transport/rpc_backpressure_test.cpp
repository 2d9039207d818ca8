// A large streamed response to a slow consumer: memory stays bounded on both
// sides because the server's Send blocks and the client stops reading.
#include <atomic>
#include <cstdio>
#include <thread>

#include "tests/unit/cluster_transport/transport_test_util.h"

namespace tessera::cluster::transport::testing {
namespace {

constexpr uint16_t kBig = 1;
constexpr size_t kChunkSize = 256 * 1024;
constexpr int kChunks = 240;  // 60 MiB: well above what the buffers in between can hold (~30 MiB seen)

TEST(RpcBackpressureTest, LargeStreamToSlowConsumerBlocksTheSender) {
  RpcServer server("127.0.0.1", 0);
  std::atomic<int> sent{0};
  server.Register(kBig, [&](std::string_view, ResponseStream& stream) {
    for (int i = 0; i < kChunks; ++i) {
      stream.Send(std::string(kChunkSize, static_cast<char>('a' + i % 26)));
      ++sent;
    }
    return std::string("done");
  });
  server.Start();
  RpcClient client;
  int received = 0;
  int sent_while_stalled = -1;
  bool intact = true;
  const std::string end = client.Call(AddressOf(server), kBig, "", {}, [&](std::string&& chunk) {
    if (received == 0) {
      // Stall on the first chunk until the client stopped reading and the
      // producer stopped making progress: everything in between is full.
      WaitUntil([&] { return client.Stats().read_pauses > 0; }, 5000ms);
      const auto deadline = Clock::now() + 5s;
      int before;
      do {
        before = sent.load();
        std::this_thread::sleep_for(100ms);
      } while (sent.load() != before && Clock::now() < deadline);
      sent_while_stalled = sent.load();
    }
    intact &= chunk.size() == kChunkSize && chunk.front() == 'a' + received % 26 && chunk.back() == chunk.front();
    ++received;
  });
  EXPECT_EQ(end, "done");
  EXPECT_EQ(received, kChunks);
  EXPECT_TRUE(intact);
  std::printf("[ info     ] %d of %d chunks sent while the consumer stalled\n", sent_while_stalled, kChunks);
  EXPECT_GE(sent_while_stalled, 0);
  EXPECT_LT(sent_while_stalled, kChunks) << "the server ran ahead of a stalled client: no end-to-end backpressure";
  EXPECT_GT(client.Stats().read_pauses, 0u) << "the client never stopped reading";
  const ServerStats stats = server.Stats();
  EXPECT_GT(stats.send_waits, 0u) << "Send never blocked";
  // ~8 MiB queue limit, plus the chunk that crossed it.
  EXPECT_LE(stats.peak_queued_bytes, (size_t{8} << 20) + 2 * kChunkSize);
}

TEST(RpcBackpressureTest, StopUnblocksAHandlerWaitingInSend) {
  RpcServer server("127.0.0.1", 0);
  std::atomic<bool> send_threw{false};
  server.Register(kBig, [&](std::string_view, ResponseStream& stream) {
    try {
      for (int i = 0; i < 4 * kChunks; ++i) stream.Send(std::string(kChunkSize, 'x'));
    } catch (const SqlError& e) {
      send_threw = e.Sqlstate() == "57014";
      throw;
    }
    return std::string("done");
  });
  server.Start();
  RpcClient client;
  auto pending = client.Start(AddressOf(server), kBig, "");  // never waited for: the stream backs up
  ASSERT_TRUE(WaitUntil([&] { return server.Stats().send_waits > 0; }, 5000ms));
  const auto start = Clock::now();
  server.Stop();
  EXPECT_LT(ElapsedMs(start), 1000);
  EXPECT_TRUE(send_threw);
  EXPECT_EQ(CatchSqlError([&] { pending->Wait(); }).Sqlstate(), "08006");
}

}  // namespace
}  // namespace tessera::cluster::transport::testing
