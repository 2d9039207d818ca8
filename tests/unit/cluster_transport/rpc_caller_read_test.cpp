// A caller that waits on an idle connection reads the socket itself
// (ClientConnection::ReadForCall): these tests run every call on a connection
// that already served one, so that path is the one taken, and check what it
// must get right: other callers' answers it reads, handing reading back to
// the I/O thread, frames too large for its buffer, timeouts, resets, and a
// node that closed the idle connection.
#include <atomic>
#include <future>
#include <thread>
#include <vector>

#include "tests/unit/cluster_transport/transport_test_util.h"

namespace tessera::cluster::transport::testing {
namespace {

constexpr uint16_t kEcho = 1;
constexpr uint16_t kGate = 2;   // answers once the test opens the gate (at most 3 s)
constexpr uint16_t kSleep = 3;  // sleeps payload-many microseconds on a worker, then echoes

class RpcCallerReadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Register(server_);
    server_.Start();
    address_ = AddressOf(server_);
    Warm();
  }

  void Register(RpcServer& server) {
    server.Register(kEcho, [](std::string_view payload, ResponseStream&) { return std::string(payload); });
    server.Register(kGate, [this](std::string_view payload, ResponseStream& stream) {
      gate_entered_ = true;
      const auto deadline = Clock::now() + 3s;
      while (!gate_open_ && !stream.Cancelled() && Clock::now() < deadline) std::this_thread::sleep_for(1ms);
      return "gate:" + std::string(payload);
    });
    server.Register(kSleep, [](std::string_view payload, ResponseStream&) {
      std::this_thread::sleep_for(std::chrono::microseconds(std::stoi(std::string(payload))));
      return "slept:" + std::string(payload);
    });
  }

  // After one call the I/O thread stops reading: the next caller reads.
  void Warm() { ASSERT_EQ(client_.Call(address_, kEcho, "warm"), "warm"); }

  RpcServer server_{"127.0.0.1", 0, 1, 16};
  RpcClient client_;
  std::string address_;
  std::atomic<bool> gate_entered_{false};
  std::atomic<bool> gate_open_{false};
};

TEST_F(RpcCallerReadTest, ManyThreadsShareOneConnection) {
  // Answers overlap and come back out of order: whoever reads delivers the
  // others' answers, and reading passes to the I/O thread and back.
  constexpr int kThreads = 8;
  constexpr int kCalls = 300;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        const std::string payload = std::to_string((t * 7 + i) % 5 == 0 ? 300 : 0);
        if (client_.Call(address_, kSleep, payload) != "slept:" + payload) ++wrong;
        const std::string echo = std::to_string(t) + "/" + std::to_string(i);
        if (client_.Call(address_, kEcho, echo) != echo) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(client_.Stats().connections_opened, 1u);
  // Quiet again: a caller reads once more.
  EXPECT_EQ(client_.Call(address_, kEcho, "after"), "after");
}

TEST_F(RpcCallerReadTest, ReadsItsAnswerWhileAnotherCallIsOutstanding) {
  auto slow = client_.Start(address_, kGate, "slow", {.timeout = 2000ms});
  ASSERT_TRUE(WaitUntil([&] { return gate_entered_.load(); }));
  // This caller reads while `slow` is in flight; when it has its answer the
  // I/O thread must read on for `slow`.
  const auto start = Clock::now();
  EXPECT_EQ(client_.Call(address_, kEcho, "fast"), "fast");
  EXPECT_LT(ElapsedMs(start), 1000);
  gate_open_ = true;
  EXPECT_EQ(slow->Wait(), "gate:slow");
}

TEST_F(RpcCallerReadTest, DeliversAnAnswerForAnotherCall) {
  // The caller waiting for `first` reads `second`'s answer (it comes first)
  // and must hand it over, not drop it.
  auto first = client_.Start(address_, kSleep, "20000", {.timeout = 2000ms});
  auto second = client_.Start(address_, kEcho, "second", {.timeout = 2000ms});
  EXPECT_EQ(first->Wait(), "slept:20000");
  EXPECT_EQ(second->Wait(), "second");
  EXPECT_EQ(client_.Call(address_, kEcho, "again"), "again");
}

TEST_F(RpcCallerReadTest, LargeAnswerGoesThroughTheIoThread) {
  std::string large(1 << 20, 'x');
  for (size_t i = 0; i < large.size(); i += 997) large[i] = static_cast<char>('a' + i % 26);
  EXPECT_EQ(client_.Call(address_, kEcho, large), large);
  EXPECT_EQ(client_.Call(address_, kEcho, "small"), "small");
  EXPECT_EQ(client_.Call(address_, kEcho, large), large);
}

TEST_F(RpcCallerReadTest, TimeoutWhileReadingLeavesTheConnectionUsable) {
  const auto start = Clock::now();
  const SqlError error = CatchSqlError([&] { client_.Call(address_, kGate, "", {.timeout = 200ms}); });
  EXPECT_GE(ElapsedMs(start), 200);
  EXPECT_LT(ElapsedMs(start), 1000);
  EXPECT_EQ(error.Message(), "storage node " + address_ + " did not answer within 200 ms");
  EXPECT_EQ(client_.Call(address_, kEcho, "usable"), "usable");
  EXPECT_EQ(client_.Stats().connections_opened, 1u);
}

// A node that stays silent (as a paused primary does) while the caller
// learns that its group has another primary: the call ends soon after,
// with 08006 saying so, not at its 5 s timeout.
TEST_F(RpcCallerReadTest, ASilentNodeReplacedMeanwhileEndsTheCall) {
  std::atomic<bool> replaced{false};
  std::thread elector([&] {
    WaitUntil([&] { return gate_entered_.load(); });
    replaced = true;
  });
  const auto start = Clock::now();
  CallOptions options;
  options.replaced = [&] { return replaced.load(); };
  const SqlError error = CatchSqlError([&] { client_.Call(address_, kGate, "", options); });
  elector.join();
  EXPECT_GE(ElapsedMs(start), 250);  // not while the node may merely be busy
  EXPECT_LT(ElapsedMs(start), 2000);
  EXPECT_EQ(error.Sqlstate(), "08006");
  EXPECT_EQ(error.Message(), "storage node " + address_ + " was replaced by a failover while it ran the request");
  EXPECT_EQ(client_.Call(address_, kEcho, "usable"), "usable");
}

TEST_F(RpcCallerReadTest, CancelWhileReading) {
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    WaitUntil([&] { return gate_entered_.load(); });
    cancel = true;
  });
  const auto start = Clock::now();
  const SqlError error = CatchSqlError([&] { client_.Call(address_, kGate, "", {.cancel = &cancel}); });
  canceller.join();
  EXPECT_LT(ElapsedMs(start), 1000);
  EXPECT_EQ(error.Sqlstate(), "57014");
  EXPECT_EQ(client_.Call(address_, kEcho, "usable"), "usable");
}

TEST_F(RpcCallerReadTest, ResetWakesACallerBlockedReading) {
  auto call = std::async(std::launch::async, [&] { return CatchSqlError([&] { client_.Call(address_, kGate, ""); }); });
  ASSERT_TRUE(WaitUntil([&] { return gate_entered_.load(); }));
  const auto start = Clock::now();
  client_.Reset(address_);
  const SqlError error = call.get();
  EXPECT_LT(ElapsedMs(start), 1000);
  EXPECT_EQ(error.Sqlstate(), "08006");
  EXPECT_EQ(error.Message(), "connection to storage node " + address_ + " lost");
  gate_open_ = true;
  EXPECT_EQ(client_.Call(address_, kEcho, "again"), "again");
}

TEST_F(RpcCallerReadTest, ClientDestroyedWhileACallerReads) {
  auto client = std::make_unique<RpcClient>();
  ASSERT_EQ(client->Call(address_, kEcho, "warm"), "warm");
  auto pending = client->Start(address_, kGate, "");
  auto call = std::async(std::launch::async, [&] { return CatchSqlError([&] { pending->Wait(); }); });
  ASSERT_TRUE(WaitUntil([&] { return gate_entered_.load(); }));
  std::this_thread::sleep_for(20ms);  // let Wait block in its read
  const auto start = Clock::now();
  client.reset();
  const SqlError error = call.get();
  EXPECT_LT(ElapsedMs(start), 1000);
  EXPECT_EQ(error.Sqlstate(), "08006");
}

TEST(RpcCallerReadRestartTest, IdleConnectionClosedByTheNodeIsReplacedBeforeSending) {
  // Nobody reads an idle connection, so nobody saw the node close it: the
  // next call must notice before writing and go out on a new connection
  // rather than fail.
  auto server = std::make_unique<RpcServer>("127.0.0.1", 0);
  auto echo = [](std::string_view payload, ResponseStream&) { return std::string(payload); };
  server->Register(kEcho, echo);
  server->Start();
  const uint16_t port = server->Port();
  RpcClient client;
  ASSERT_EQ(client.Call(AddressOf(port), kEcho, "one"), "one");
  ASSERT_EQ(client.Call(AddressOf(port), kEcho, "two"), "two");
  server.reset();
  server = std::make_unique<RpcServer>("127.0.0.1", port);
  server->Register(kEcho, echo);
  server->Start();
  EXPECT_EQ(client.Call(AddressOf(port), kEcho, "three"), "three");
  EXPECT_EQ(client.Stats().connections_opened, 2u);
}

// A fan-out (Start on several nodes, then Wait on each in turn): while the
// caller waits on the slow node, the quick node's answer must still be read
// and count as progress, or waiting on it afterwards would judge the quick
// node silent for as long as the slow one took.
TEST_F(RpcCallerReadTest, StartedCallIsReadWhileTheCallerWaitsOnAnother) {
  RpcServer other{"127.0.0.1", 0, 1, 16};
  Register(other);
  other.Start();
  const std::string other_address = AddressOf(other);
  ASSERT_EQ(client_.Call(other_address, kEcho, "warm"), "warm");  // idle: nobody reads it now
  const CallOptions options{.timeout = 500ms};
  auto quick = client_.Start(other_address, kEcho, "quick", options);
  auto slow = client_.Start(address_, kSleep, "300000", options);  // 0.3 s
  EXPECT_EQ(slow->Wait(), "slept:300000");
  std::this_thread::sleep_for(400ms);  // busy elsewhere: 0.7 s since the quick one answered
  EXPECT_EQ(quick->Wait(), "quick");
}

}  // namespace
}  // namespace tessera::cluster::transport::testing
