// The frame format as another implementation would speak it, and peers that
// break it: a bad frame closes that one connection, nothing else.
#include <thread>

#include "tests/unit/cluster_transport/transport_test_util.h"

namespace tessera::cluster::transport::testing {
namespace {

constexpr uint16_t kEcho = 7;
constexpr uint16_t kSlow = 8;

class RpcProtocolTest : public ::testing::Test {
 protected:
  void SetUp() override {
    server_.Register(kEcho, [](std::string_view payload, ResponseStream& stream) {
      stream.Send("chunk");
      return std::string(payload);
    });
    server_.Register(kSlow, [](std::string_view, ResponseStream&) {
      std::this_thread::sleep_for(300ms);
      return std::string();
    });
    server_.Start();
  }
  RpcServer server_{"127.0.0.1", 0};
  RpcClient client_;
};

TEST_F(RpcProtocolTest, RawFramesFollowTheDocumentedFormat) {
  RawConnection raw(server_.Port());
  raw.Write(EncodeFrame(FrameKind::kRequest, kEcho, 42, "ping"));
  FrameHeader header;
  const std::string chunk = raw.Read(kFrameHeaderSize + 5);
  ASSERT_EQ(DecodeFrameHeader(chunk.data(), header), FrameCheck::kOk);
  EXPECT_EQ(header.kind, FrameKind::kChunk);
  EXPECT_EQ(header.method, kEcho);
  EXPECT_EQ(header.request_id, 42u);
  EXPECT_EQ(chunk.substr(kFrameHeaderSize), "chunk");
  const std::string end = raw.Read(kFrameHeaderSize + 4);
  ASSERT_EQ(DecodeFrameHeader(end.data(), header), FrameCheck::kOk);
  EXPECT_EQ(header.kind, FrameKind::kEnd);
  EXPECT_EQ(header.request_id, 42u);
  EXPECT_EQ(end.substr(kFrameHeaderSize), "ping");
}

TEST_F(RpcProtocolTest, BadFramesCloseOnlyTheirConnection) {
  const std::string address = AddressOf(server_);
  EXPECT_EQ(client_.Call(address, kEcho, "before"), "before");

  std::string wrong_version = EncodeFrame(FrameKind::kRequest, kEcho, 1, "x");
  wrong_version[4] = 2;
  std::string oversize = EncodeFrame(FrameKind::kRequest, kEcho, 1, "");
  oversize.replace(0, 4, std::string("\x7f\xff\xff\xff", 4));
  const std::string wrong_direction = EncodeFrame(FrameKind::kEnd, kEcho, 1, "x");
  const std::string duplicate_id = EncodeFrame(FrameKind::kRequest, 999, 5, "") +  // unknown method: answered
                                   EncodeFrame(FrameKind::kRequest, kSlow, 6, "") +
                                   EncodeFrame(FrameKind::kRequest, kSlow, 6, "");
  for (const std::string& bad : {wrong_version, oversize, wrong_direction}) {
    RawConnection raw(server_.Port());
    raw.Write(bad);
    EXPECT_TRUE(raw.ClosedByPeerWithin(2000ms));
  }
  {
    // Two live requests with one id could not be told apart: refused too.
    RawConnection raw(server_.Port());
    raw.Write(duplicate_id);
    EXPECT_TRUE(raw.ClosedByPeerWithin(2000ms));
  }
  {
    // A valid frame is not closed (the check above is not vacuous).
    RawConnection raw(server_.Port());
    raw.Write(EncodeFrame(FrameKind::kCancel, 0, 12345, ""));
    EXPECT_FALSE(raw.ClosedByPeerWithin(100ms));
  }
  // The shared client connection and new ones keep working.
  EXPECT_EQ(client_.Call(address, kEcho, "after"), "after");
  RpcClient fresh;
  EXPECT_EQ(fresh.Call(address, kEcho, "fresh"), "fresh");
}

TEST(RpcClientProtocolTest, ServerSendingABadFrameLosesTheConnection) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  const uint16_t port = acceptor.local_endpoint().port();
  std::thread fake_server([&] {
    boost::asio::ip::tcp::socket socket(io);
    acceptor.accept(socket);
    std::string request(kFrameHeaderSize + 1, '\0');
    boost::asio::read(socket, boost::asio::buffer(request));
    std::string reply = EncodeFrame(FrameKind::kEnd, 1, 1, "");
    reply[4] = 9;  // version 9
    boost::asio::write(socket, boost::asio::buffer(reply));
    char byte;
    boost::system::error_code ec;
    socket.read_some(boost::asio::buffer(&byte, 1), ec);  // until the client closes
  });
  RpcClient client;
  const SqlError error = CatchSqlError([&] { client.Call(AddressOf(port), 1, "x"); });
  fake_server.join();
  EXPECT_EQ(error.Sqlstate(), "08006");
  EXPECT_EQ(error.Message(), "connection to storage node " + AddressOf(port) + " lost");
  EXPECT_EQ(error.Detail(), "protocol violation: unsupported protocol version");
}

}  // namespace
}  // namespace tessera::cluster::transport::testing
