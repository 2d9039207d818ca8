// Calls that succeed or fail cleanly on a healthy server: echo, many threads
// sharing one connection, streamed chunks, fan-out, and server errors.
#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "tests/unit/cluster_transport/transport_test_util.h"

namespace tessera::cluster::transport::testing {
namespace {

constexpr uint16_t kEcho = 1;
constexpr uint16_t kStream = 2;
constexpr uint16_t kFail = 3;
constexpr uint16_t kShuffle = 4;

class RpcCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Register(kEcho, [](std::string_view payload, ResponseStream&) { return std::string(payload); });
    // Payload = chunk count; chunks "0", "1", ... then "end".
    server_.Register(kStream, [](std::string_view payload, ResponseStream& stream) {
      const int count = std::stoi(std::string(payload));
      for (int i = 0; i < count; ++i) stream.Send(std::to_string(i));
      return std::string("end");
    });
    server_.Register(kFail, [](std::string_view payload, ResponseStream& stream) -> std::string {
      if (payload == "sql") throw SqlError("23505", "duplicate key value violates unique constraint \"t_pkey\"");
      if (payload == "after-chunks") {
        stream.Send("a");
        stream.Send("b");
        throw SqlError("40001", "could not serialize access due to concurrent update");
      }
      throw std::runtime_error("disk on fire");
    });
    // Answers late for some ids, so responses come back out of request order.
    server_.Register(kShuffle, [](std::string_view payload, ResponseStream&) {
      if (payload.back() % 3 == 0) std::this_thread::sleep_for(200us);
      return "re:" + std::string(payload);
    });
    server_.Start();
  }

  RpcServer server_{"127.0.0.1", 0, 1, 8};
  RpcClient client_;
};

TEST_F(RpcCallTest, Echo) {
  EXPECT_EQ(client_.Call(AddressOf(server_), kEcho, "hello"), "hello");
  EXPECT_EQ(client_.Call(AddressOf(server_), kEcho, ""), "");
  const std::string binary("a\0b\xff", 4);
  EXPECT_EQ(client_.Call(AddressOf(server_), kEcho, binary), binary);
  // Larger than the read buffer: read straight into the payload on both sides.
  std::string large(3 << 20, 'x');
  for (size_t i = 0; i < large.size(); i += 4096) large[i] = static_cast<char>('a' + i % 26);
  EXPECT_EQ(client_.Call(AddressOf(server_), kEcho, large), large);
  EXPECT_EQ(server_.Stats().connections_accepted, 1u);
}

TEST_F(RpcCallTest, ConcurrentCallersShareOneConnectionAndGetTheirOwnAnswers) {
  constexpr int kThreads = 8;
  constexpr int kCalls = 300;
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCalls; ++i) {
        const std::string payload = std::to_string(t) + "/" + std::to_string(i);
        if (client_.Call(AddressOf(server_), kShuffle, payload) != "re:" + payload) ++wrong;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(wrong.load(), 0);
  EXPECT_EQ(server_.Stats().connections_accepted, 1u);
  EXPECT_EQ(client_.Stats().connections_opened, 1u);
}

TEST_F(RpcCallTest, StreamsManyChunksInOrderBeforeTheEnd) {
  constexpr int kChunks = 20000;
  int next = 0;
  bool in_order = true;
  const std::string end = client_.Call(AddressOf(server_), kStream, std::to_string(kChunks), {},
                                       [&](std::string&& chunk) { in_order &= chunk == std::to_string(next++); });
  EXPECT_EQ(end, "end");
  EXPECT_EQ(next, kChunks);
  EXPECT_TRUE(in_order);
}

TEST_F(RpcCallTest, FanOutToTwoServersWithPendingCalls) {
  RpcServer other("127.0.0.1", 0);
  other.Register(kStream, [](std::string_view, ResponseStream& stream) {
    stream.Send("other-chunk");
    return std::string("other-end");
  });
  other.Start();
  std::vector<std::string> chunks;
  auto first = client_.Start(AddressOf(server_), kStream, "3", {}, [&](std::string&& c) { chunks.push_back(c); });
  auto second = client_.Start(AddressOf(other), kStream, "", {}, [&](std::string&& c) { chunks.push_back(c); });
  EXPECT_EQ(second->Wait(), "other-end");
  EXPECT_EQ(first->Wait(), "end");
  EXPECT_EQ(chunks, (std::vector<std::string>{"other-chunk", "0", "1", "2"}));
  EXPECT_EQ(CatchSqlError([&] { first->Wait(); }).Sqlstate(), "XX000");  // only once
}

TEST_F(RpcCallTest, ServerErrorsKeepTheirSqlstateAndMessage) {
  const SqlError sql = CatchSqlError([&] { client_.Call(AddressOf(server_), kFail, "sql"); });
  EXPECT_EQ(sql.Sqlstate(), "23505");
  EXPECT_EQ(sql.Message(), "duplicate key value violates unique constraint \"t_pkey\"");

  const SqlError other = CatchSqlError([&] { client_.Call(AddressOf(server_), kFail, "other"); });
  EXPECT_EQ(other.Sqlstate(), "XX000");
  EXPECT_EQ(other.Message(), "disk on fire");

  std::vector<std::string> chunks;
  const SqlError late = CatchSqlError([&] {
    client_.Call(AddressOf(server_), kFail, "after-chunks", {}, [&](std::string&& c) { chunks.push_back(c); });
  });
  EXPECT_EQ(late.Sqlstate(), "40001");
  EXPECT_EQ(chunks, (std::vector<std::string>{"a", "b"}));

  const SqlError unknown = CatchSqlError([&] { client_.Call(AddressOf(server_), 999, ""); });
  EXPECT_EQ(unknown.Sqlstate(), "0A000");
  // The connection survives all of these.
  EXPECT_EQ(client_.Call(AddressOf(server_), kEcho, "still there"), "still there");
  EXPECT_EQ(server_.Stats().connections_accepted, 1u);
}

TEST_F(RpcCallTest, ExceptionFromOnChunkCancelsTheCall) {
  const auto call = [&] {
    client_.Call(AddressOf(server_), kStream, "100", {}, [](std::string&&) { throw SqlError("22012", "stop"); });
  };
  EXPECT_EQ(CatchSqlError(call).Sqlstate(), "22012");
  EXPECT_EQ(client_.Call(AddressOf(server_), kEcho, "next"), "next");
}

TEST_F(RpcCallTest, MalformedAddressIsAConnectError) {
  const SqlError error = CatchSqlError([&] { client_.Call("no-port-here", kEcho, ""); });
  EXPECT_EQ(error.Sqlstate(), "08006");
  EXPECT_EQ(error.Message(), "could not connect to storage node no-port-here: invalid address, expected host:port");
}

}  // namespace
}  // namespace tessera::cluster::transport::testing
