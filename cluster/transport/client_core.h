// RpcClient's state: the io_context and its threads, and the connection per
// address. Shared with every Pending, so a Pending that outlives its RpcClient
// still finds the io_context its connection's socket belongs to. Internal.
#pragma once

// clang-format off
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
// clang-format on
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "cluster/transport/link_tls_context.h"
#include "cluster/transport/rpc_client.h"

namespace tessera::cluster::transport::detail {

class ClientConnection;

class ClientCore {
 public:
  ClientCore(size_t io_threads, const LinkTls& tls);
  ~ClientCore();  // Shutdown()

  // The live connection to `address`, connecting a new one if there is none.
  // Throws 08006 after Shutdown.
  std::shared_ptr<ClientConnection> Get(const std::string& address, std::chrono::milliseconds connect_timeout);
  // On the connection's strand when it closes: the next Get makes a new one.
  void Forget(const std::string& address, const ClientConnection* connection);
  void Reset(const std::string& address);
  // Fails all calls, closes all connections, joins the I/O threads. Idempotent.
  void Shutdown();

  const TlsContext& Tls() const { return tls_; }  // null: plain TCP
  void CountReadPause() { ++read_pauses_; }
  void CountOpened() { ++opened_; }
  ClientStats Stats() const { return ClientStats{opened_.load(), read_pauses_.load()}; }

 private:
  // Declared first, destroyed last: every socket, strand and timer belongs to it.
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  std::vector<std::thread> threads_;
  const TlsContext tls_;
  std::atomic<uint64_t> opened_{0};
  std::atomic<uint64_t> read_pauses_{0};

  std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<ClientConnection>> connections_;
  bool shut_down_ = false;
};

}  // namespace tessera::cluster::transport::detail
