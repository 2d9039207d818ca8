// Nodes that are down, slow, hung, stopped or restarted, cancels, and the
// cleanup that follows: every failure is a SqlError within a bounded time.
#include <atomic>
#include <future>
#include <thread>

#include "cluster/transport/transport_errors.h"
#include "tests/unit/cluster_transport/transport_test_util.h"

namespace tessera::cluster::transport::testing {
namespace {

constexpr uint16_t kEcho = 1;
constexpr uint16_t kWaitForCancel = 2;  // runs until cancelled (at most 3 s)

struct CancelProbe {
  std::atomic<bool> entered{false};
  std::atomic<bool> saw_cancel{false};
  std::atomic<uint64_t> connection_id{0};
};

void RegisterHandlers(RpcServer& server, CancelProbe& probe) {
  server.Register(kEcho, [](std::string_view payload, ResponseStream&) { return std::string(payload); });
  server.Register(kWaitForCancel, [&probe](std::string_view, ResponseStream& stream) {
    probe.connection_id = stream.ConnectionId();
    probe.entered = true;
    const auto deadline = Clock::now() + 3s;
    while (!stream.Cancelled() && Clock::now() < deadline) std::this_thread::sleep_for(2ms);
    probe.saw_cancel = stream.Cancelled();
    return std::string("finished");
  });
}

TEST(RpcFailureTest, ClosedPortFailsFast) {
  RpcClient client;
  const std::string address = AddressOf(FreePort());
  const auto start = Clock::now();
  const SqlError error = CatchSqlError([&] { client.Call(address, kEcho, "x"); });
  EXPECT_LT(ElapsedMs(start), 1000);
  EXPECT_EQ(error.Sqlstate(), "08006");
  EXPECT_EQ(error.Message().rfind("could not connect to storage node " + address + ": ", 0), 0u) << error.Message();
  EXPECT_TRUE(NotStarted(error)) << "nothing was sent: a gateway may send it again elsewhere";
}

TEST(RpcFailureTest, ARefusalOnArrivalSaysTheRequestWasNotStarted) {
  // A backup or a primary without its lease refuses with NotServing; the
  // gateway tells that from a failure whose request may have run.
  RpcServer server("127.0.0.1", 0);
  server.Register(kEcho, [](std::string_view, ResponseStream&) -> std::string {
    throw NotServing("storage node x is a backup of shard group 1");
  });
  server.Start();
  RpcClient client;
  const SqlError error = CatchSqlError([&] { client.Call(AddressOf(server), kEcho, "x"); });
  EXPECT_EQ(error.Sqlstate(), "08006");
  EXPECT_EQ(error.Message(), "storage node x is a backup of shard group 1");
  EXPECT_TRUE(NotStarted(error)) << error.Detail();
  EXPECT_FALSE(NotStarted(SqlError("08006", "storage node x is a backup of shard group 1")));
  server.Stop();
}

TEST(RpcFailureTest, StartDefersEveryErrorToWait) {
  RpcClient client;
  const std::string closed = AddressOf(FreePort());
  std::shared_ptr<RpcClient::Pending> refused, invalid;
  ASSERT_NO_THROW(refused = client.Start(closed, kEcho, "x"));
  ASSERT_NO_THROW(invalid = client.Start("nonsense", kEcho, "x"));
  const SqlError refused_error = CatchSqlError([&] { refused->Wait(); });
  EXPECT_EQ(refused_error.Sqlstate(), "08006");
  EXPECT_EQ(refused_error.Message().rfind("could not connect to storage node " + closed + ": ", 0), 0u);
  const SqlError invalid_error = CatchSqlError([&] { invalid->Wait(); });
  EXPECT_EQ(invalid_error.Sqlstate(), "08006");
  EXPECT_EQ(invalid_error.Message(), "could not connect to storage node nonsense: invalid address, expected host:port");
}

TEST(RpcFailureTest, SlowHandlerTimesOutAndIsCancelled) {
  CancelProbe probe;
  RpcServer server("127.0.0.1", 0);
  RegisterHandlers(server, probe);
  server.Start();
  RpcClient client;
  const auto start = Clock::now();
  const SqlError error = CatchSqlError([&] { client.Call(AddressOf(server), kWaitForCancel, "", {.timeout = 200ms}); });
  const long elapsed = ElapsedMs(start);
  EXPECT_GE(elapsed, 200);
  EXPECT_LT(elapsed, 600);
  EXPECT_EQ(error.Sqlstate(), "08006");
  EXPECT_EQ(error.Message(), "storage node " + AddressOf(server) + " did not answer within 200 ms");
  EXPECT_TRUE(WaitUntil([&] { return probe.saw_cancel.load(); })) << "the handler was not told to stop";
  // The connection is still usable.
  EXPECT_EQ(client.Call(AddressOf(server), kEcho, "after"), "after");
}

TEST(RpcFailureTest, NodeThatAcceptsButNeverAnswersTimesOut) {
  // What a SIGSTOPped node looks like: the kernel completes the handshake
  // (the listen backlog), nothing ever reads or answers.
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor hung(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const std::string address = AddressOf(hung.local_endpoint().port());
  RpcClient client;
  const auto start = Clock::now();
  const SqlError error = CatchSqlError([&] { client.Call(address, kEcho, "x", {.timeout = 150ms}); });
  EXPECT_LT(ElapsedMs(start), 500);
  EXPECT_EQ(error.Sqlstate(), "08006");
  EXPECT_EQ(error.Message(), "storage node " + address + " did not answer within 150 ms");
  EXPECT_FALSE(NotStarted(error)) << "a silent node may have run the request";
}

TEST(RpcFailureTest, CancelFlagStopsTheCallAndTheHandler) {
  CancelProbe probe;
  RpcServer server("127.0.0.1", 0);
  RegisterHandlers(server, probe);
  server.Start();
  RpcClient client;
  std::atomic<bool> cancel{false};
  std::thread canceller([&] {
    WaitUntil([&] { return probe.entered.load(); });
    cancel = true;
  });
  const auto start = Clock::now();
  const SqlError error =
      CatchSqlError([&] { client.Call(AddressOf(server), kWaitForCancel, "", {.cancel = &cancel}); });
  canceller.join();
  EXPECT_LT(ElapsedMs(start), 1000);
  EXPECT_EQ(error.Sqlstate(), "57014");
  EXPECT_EQ(error.Message(), "canceling statement due to user request");
  EXPECT_TRUE(WaitUntil([&] { return probe.saw_cancel.load(); })) << "the handler was not told to stop";
}

TEST(RpcFailureTest, ServerStoppedMidCallLosesTheConnection) {
  CancelProbe probe;
  RpcServer server("127.0.0.1", 0);
  RegisterHandlers(server, probe);
  server.Start();
  const std::string address = AddressOf(server);
  RpcClient client;
  auto call =
      std::async(std::launch::async, [&] { return CatchSqlError([&] { client.Call(address, kWaitForCancel, ""); }); });
  ASSERT_TRUE(WaitUntil([&] { return probe.entered.load(); }));
  const auto start = Clock::now();
  server.Stop();  // returns once the handler noticed the cancel
  const SqlError error = call.get();
  EXPECT_LT(ElapsedMs(start), 1000);
  EXPECT_TRUE(probe.saw_cancel);
  EXPECT_EQ(error.Sqlstate(), "08006");
  EXPECT_EQ(error.Message(), "connection to storage node " + address + " lost");
  EXPECT_FALSE(NotStarted(error)) << "the request was running when the connection went";
}

TEST(RpcFailureTest, ReconnectsAfterServerRestartOnTheSamePort) {
  CancelProbe probe;
  auto server = std::make_unique<RpcServer>("127.0.0.1", 0);
  RegisterHandlers(*server, probe);
  server->Start();
  const uint16_t port = server->Port();
  RpcClient client;
  EXPECT_EQ(client.Call(AddressOf(port), kEcho, "one"), "one");

  server.reset();
  const SqlError down = CatchSqlError([&] { client.Call(AddressOf(port), kEcho, "two"); });
  EXPECT_EQ(down.Sqlstate(), "08006");

  server = std::make_unique<RpcServer>("127.0.0.1", port);
  RegisterHandlers(*server, probe);
  server->Start();
  EXPECT_EQ(client.Call(AddressOf(port), kEcho, "three"), "three");
  EXPECT_EQ(client.Stats().connections_opened, 2u);
}

TEST(RpcFailureTest, ResetFailsCallsInFlightAndFiresOnDisconnectAfterCancelling) {
  constexpr uint16_t kWaitForHook = 3;
  CancelProbe probe;
  RpcServer server("127.0.0.1", 0);
  RegisterHandlers(server, probe);
  std::atomic<bool> hook_ran{false};
  std::atomic<bool> cancelled_before_hook{false};
  // Runs until the disconnect hook ran; by contract it must be cancelled by then.
  server.Register(kWaitForHook, [&](std::string_view, ResponseStream& stream) {
    probe.connection_id = stream.ConnectionId();
    probe.entered = true;
    WaitUntil([&] { return hook_ran.load(); }, 3000ms);
    cancelled_before_hook = stream.Cancelled();
    return std::string();
  });
  std::promise<uint64_t> disconnected;
  server.OnDisconnect([&](uint64_t id) {
    if (!hook_ran.exchange(true)) disconnected.set_value(id);  // the later "again" connection closes too
  });
  server.Start();
  const std::string address = AddressOf(server);
  RpcClient client;
  auto call =
      std::async(std::launch::async, [&] { return CatchSqlError([&] { client.Call(address, kWaitForHook, ""); }); });
  ASSERT_TRUE(WaitUntil([&] { return probe.entered.load(); }));
  client.Reset(address);

  const SqlError error = call.get();
  EXPECT_EQ(error.Sqlstate(), "08006");
  EXPECT_EQ(error.Message(), "connection to storage node " + address + " lost");
  auto id = disconnected.get_future();
  ASSERT_EQ(id.wait_for(2s), std::future_status::ready);
  EXPECT_EQ(id.get(), probe.connection_id.load());
  // The next call opens a new connection.
  EXPECT_EQ(client.Call(address, kEcho, "again"), "again");
  EXPECT_EQ(server.Stats().connections_accepted, 2u);
  server.Stop();  // waits for the handler
  EXPECT_TRUE(cancelled_before_hook);
}

TEST(RpcFailureTest, ClientDestroyedWithPendingCalls) {
  CancelProbe probe;
  RpcServer server("127.0.0.1", 0);
  RegisterHandlers(server, probe);
  std::atomic<int> disconnects{0};
  server.OnDisconnect([&](uint64_t) { ++disconnects; });
  server.Start();
  auto client = std::make_unique<RpcClient>();
  auto waiting = client->Start(AddressOf(server), kWaitForCancel, "");
  auto dropped = client->Start(AddressOf(server), kWaitForCancel, "");
  ASSERT_TRUE(WaitUntil([&] { return probe.entered.load(); }));
  client.reset();
  const SqlError error = CatchSqlError([&] { waiting->Wait(); });
  EXPECT_EQ(error.Sqlstate(), "08006");
  EXPECT_EQ(error.Message(), "connection to storage node " + AddressOf(server) + " lost");
  dropped.reset();
  waiting.reset();
  EXPECT_TRUE(WaitUntil([&] { return disconnects.load() == 1; }));
}

TEST(RpcFailureTest, DroppingAPendingCallCancelsItOnTheServer) {
  CancelProbe probe;
  RpcServer server("127.0.0.1", 0);
  RegisterHandlers(server, probe);
  server.Start();
  RpcClient client;
  auto pending = client.Start(AddressOf(server), kWaitForCancel, "");
  ASSERT_TRUE(WaitUntil([&] { return probe.entered.load(); }));
  pending.reset();
  EXPECT_TRUE(WaitUntil([&] { return probe.saw_cancel.load(); }));
}

}  // namespace
}  // namespace tessera::cluster::transport::testing
