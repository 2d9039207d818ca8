// Helpers for the transport tests: addresses, free ports, error capture and
// a raw blocking socket for speaking (or breaking) the frame format by hand.
#pragma once

// clang-format off
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
// clang-format on
#include <gtest/gtest.h>
#include <poll.h>
#include <sys/socket.h>

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include "cluster/transport/frame.h"
#include "cluster/transport/rpc_client.h"
#include "cluster/transport/rpc_server.h"
#include "common/error.h"

namespace tessera::cluster::transport::testing {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

inline std::string AddressOf(uint16_t port) { return "127.0.0.1:" + std::to_string(port); }
inline std::string AddressOf(const RpcServer& server) { return AddressOf(server.Port()); }

// A port nothing listens on (bound once, then released).
inline uint16_t FreePort() {
  boost::asio::io_context io;
  boost::asio::ip::tcp::acceptor acceptor(io, {boost::asio::ip::make_address("127.0.0.1"), 0});
  return acceptor.local_endpoint().port();
}

// Runs `f`, which must throw SqlError; returns it.
inline SqlError CatchSqlError(const std::function<void()>& f) {
  try {
    f();
  } catch (const SqlError& e) {
    return e;
  }
  ADD_FAILURE() << "expected a SqlError";
  return SqlError("", "");
}

inline bool WaitUntil(const std::function<bool()>& done, std::chrono::milliseconds limit = 2000ms) {
  const auto deadline = Clock::now() + limit;
  while (!done()) {
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

inline long ElapsedMs(Clock::time_point since) {
  return static_cast<long>(std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - since).count());
}

// A blocking socket that writes raw bytes to a server.
class RawConnection {
 public:
  explicit RawConnection(uint16_t port) : socket_(io_) {
    socket_.connect({boost::asio::ip::make_address("127.0.0.1"), port});
  }
  void Write(const std::string& bytes) { boost::asio::write(socket_, boost::asio::buffer(bytes)); }
  // Reads exactly n bytes; empty when the peer closed first.
  std::string Read(size_t n) {
    std::string data(n, '\0');
    boost::system::error_code ec;
    boost::asio::read(socket_, boost::asio::buffer(data), ec);
    return ec ? std::string() : data;
  }
  // True when the peer closes the connection within `limit` (reading and
  // discarding anything it sends first).
  bool ClosedByPeerWithin(std::chrono::milliseconds limit) {
    const auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline) {
      pollfd fd{socket_.native_handle(), POLLIN, 0};
      if (::poll(&fd, 1, 10) <= 0) continue;
      char buffer[4096];
      const ssize_t n = ::recv(socket_.native_handle(), buffer, sizeof buffer, 0);
      if (n <= 0) return true;
    }
    return false;
  }

 private:
  boost::asio::io_context io_;
  boost::asio::ip::tcp::socket socket_;
};

}  // namespace tessera::cluster::transport::testing
