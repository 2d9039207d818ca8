// The pgwire server: accepts TCP connections on a few I/O threads and runs
// their sessions on a separate worker pool (Session calls do disk I/O and
// may take long; I/O threads must never wait for them).
#pragma once

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "executor/session.h"
#include "wire/cancel_registry.h"
#include "wire/connection_slots.h"
#include "wire/protocol_handler.h"

namespace tessera::wire {

class Connection;

// TLS for client connections (--tls-cert, --tls-key, --tls-ca). Without a
// certificate an SSLRequest is answered 'N', as before.
struct TlsOptions {
  std::string cert_file;  // PEM, the server's certificate (chain)
  std::string key_file;   // PEM, its private key
  // PEM, CAs whose client certificates are accepted (and requested): the
  // `cert` method needs it. A client certificate is optional unless a
  // `cert` rule applies, as with PostgreSQL's ssl_ca_file.
  std::string ca_file;
  bool Enabled() const { return !cert_file.empty(); }
};

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 5433;  // 0: any free port (tests)
  int io_threads = 2;
  // Statements wait for locks on parked fibers, not on workers
  // (common/fiber.h); the pool still absorbs short blocking waits (fsync,
  // a slow client's socket).
  int worker_threads = 64;
  HandlerOptions handler;
  ConnectionLimits limits;
  TlsOptions tls;
  // How long Stop() lets connections say goodbye before closing them hard.
  int shutdown_grace_ms = 3000;
};

class Server {
 public:
  Server(SessionFactory& factory, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Loads the TLS certificate and key (if any), binds, listens and starts
  // the threads. Throws boost::system::system_error when the address cannot
  // be bound or a TLS file cannot be used.
  void Start();
  // The bound port (useful with port 0).
  uint16_t Port() const { return port_; }
  // Graceful shutdown: stop accepting, cancel running statements, tell every
  // client FATAL 57P01, end the sessions, join the threads. Idempotent.
  void Stop();
  // The authentication rules for connections accepted from now on (a reload
  // on SIGHUP); sessions already started keep theirs, as in PostgreSQL.
  void SetHba(std::shared_ptr<const HbaRules> rules);

 private:
  void Accept();
  void Forget(Connection* connection);
  size_t MaxSockets() const;
  void RefuseSocket(boost::asio::ip::tcp::socket socket);

  SessionFactory& factory_;
  ServerOptions options_;
  boost::asio::io_context io_;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> work_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::thread_pool workers_;
  std::unique_ptr<boost::asio::ssl::context> tls_;  // null: no TLS
  std::vector<std::thread> io_threads_;
  CancelRegistry registry_;
  ConnectionSlots slots_;
  uint16_t port_ = 0;
  bool started_ = false;
  bool stopped_ = false;

  std::mutex mutex_;
  std::condition_variable cv_;
  std::unordered_map<Connection*, std::weak_ptr<Connection>> connections_;
  bool accepting_ = true;
};

}  // namespace tessera::wire
