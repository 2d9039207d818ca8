// RpcServer's state: the listener, the I/O threads, the worker pool, the
// registered handlers and the live connections. Internal to the transport.
#pragma once

// clang-format off
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
// clang-format on
#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "cluster/transport/link_tls_context.h"
#include "cluster/transport/rpc_server.h"

namespace tessera::cluster::transport::detail {

class ServerConnection;

class ServerCore {
 public:
  ServerCore(std::string host, uint16_t port, size_t io_threads, size_t workers, const LinkTls& tls);
  ~ServerCore();

  void Register(uint16_t method, RpcServer::Handler handler);
  void RunInline(uint16_t method, RpcServer::InlineFilter run_inline);
  bool RunsInline(uint16_t method, std::string_view payload) const;
  void OnDisconnect(std::function<void(uint64_t)> hook);
  void Start();
  void Stop();
  uint16_t Port() const { return port_; }
  const TlsContext& Tls() const { return tls_; }  // null: plain TCP
  ServerStats Stats() const;

  // For connections. Handlers never change after Start, so no lock.
  const RpcServer::Handler* FindHandler(uint16_t method) const;
  void RunOnWorker(std::function<void()> task);
  std::atomic<uint64_t>& SendWaits() { return send_waits_; }
  void CountQueued(size_t queued_bytes);
  // On the connection's strand, once per connection, after its requests were cancelled.
  void ConnectionClosed(uint64_t connection_id);

 private:
  void Accept();

  using WorkGuard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;

  // Declared first, destroyed last: every socket, strand and timer belongs to
  // one of them. One io_context per I/O thread, connections spread over them:
  // an io_context run by several threads wakes a second thread for every
  // event (to take over the reactor while the first runs the handler), which
  // doubles the wake-ups of a point lookup answered on the I/O thread.
  std::vector<std::unique_ptr<boost::asio::io_context>> ios_;
  boost::asio::strand<boost::asio::io_context::executor_type> acceptor_strand_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::thread_pool workers_;
  std::vector<WorkGuard> work_;
  std::vector<std::thread> io_threads_;
  size_t next_io_ = 0;  // acceptor strand only
  const std::string host_;
  uint16_t port_;
  const TlsContext tls_;

  std::unordered_map<uint16_t, RpcServer::Handler> handlers_;
  std::unordered_map<uint16_t, RpcServer::InlineFilter> inline_filters_;
  std::function<void(uint64_t)> on_disconnect_;

  std::atomic<uint64_t> next_connection_id_{1};
  std::atomic<uint64_t> accepted_{0};
  std::atomic<uint64_t> send_waits_{0};
  std::atomic<uint64_t> peak_queued_bytes_{0};

  std::mutex mutex_;
  std::condition_variable connections_gone_;
  std::unordered_map<uint64_t, std::shared_ptr<ServerConnection>> connections_;
  bool accepting_ = false;
  bool started_ = false;
  bool stopped_ = false;
};

}  // namespace tessera::cluster::transport::detail
