#include "wire/server.h"

#include <openssl/ssl.h>

#include <chrono>
#include <stdexcept>

#include "wire/backend_messages.h"
#include "wire/connection.h"
#include "wire/wire_buffer.h"

namespace tessera::wire {

namespace asio = boost::asio;
using asio::ip::tcp;

Server::Server(SessionFactory& factory, ServerOptions options)
    : factory_(factory),
      options_(std::move(options)),
      acceptor_(io_),
      workers_(static_cast<size_t>(options_.worker_threads > 0 ? options_.worker_threads : 1)),
      slots_(options_.limits) {
  options_.handler.slots = &slots_;
}

Server::~Server() { Stop(); }

namespace {

// As PostgreSQL's defaults: TLS 1.2 or later, no session cache (a resumed
// session would skip the client certificate check), the CA's names sent
// to clients so they pick the right certificate.
std::unique_ptr<asio::ssl::context> MakeTlsContext(const TlsOptions& options) {
  auto context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_server);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  auto load = [](const std::string& what, const std::string& file, auto&& action) {
    try {
      action();
    } catch (const boost::system::system_error& error) {
      throw std::runtime_error("cannot use " + what + " " + file + ": " + error.what());
    }
  };
  load("--tls-cert", options.cert_file, [&] { context->use_certificate_chain_file(options.cert_file); });
  load("--tls-key", options.key_file,
       [&] { context->use_private_key_file(options.key_file, asio::ssl::context::pem); });
  if (!options.ca_file.empty()) {
    load("--tls-ca", options.ca_file, [&] { context->load_verify_file(options.ca_file); });
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(options.ca_file.c_str());
    if (names != nullptr) SSL_CTX_set_client_CA_list(ctx, names);
    context->set_verify_mode(asio::ssl::verify_peer);  // requested, not required
  } else {
    context->set_verify_mode(asio::ssl::verify_none);
  }
  return context;
}

}  // namespace

void Server::Start() {
  if (options_.tls.Enabled()) tls_ = MakeTlsContext(options_.tls);
  tcp::endpoint endpoint(asio::ip::make_address(options_.host), options_.port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen(asio::socket_base::max_listen_connections);
  port_ = acceptor_.local_endpoint().port();
  work_.emplace(io_.get_executor());
  Accept();
  for (int i = 0; i < std::max(1, options_.io_threads); ++i) io_threads_.emplace_back([this] { io_.run(); });
  started_ = true;
}

void Server::Accept() {
  // Each socket gets its own strand, so its reads and writes never overlap.
  acceptor_.async_accept(asio::make_strand(io_), [this](const boost::system::error_code& ec, tcp::socket socket) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
      Accept();  // e.g. EMFILE: keep serving the connections we have
      return;
    }
    // Declared before the lock: if the connection is already finished when
    // this scope ends, its destructor calls Forget(), which takes the lock.
    std::shared_ptr<Connection> connection;
    {
      std::lock_guard lock(mutex_);
      if (!accepting_) return;
      if (connections_.size() >= MaxSockets()) {
        // Far past max_connections (sockets that have not started, or are
        // being refused): refuse at once, before spending a session on it.
        RefuseSocket(std::move(socket));
        Accept();
        return;
      }
      connection = std::make_shared<Connection>(std::move(socket), workers_, factory_, registry_, options_.handler,
                                                tls_.get(), [this](Connection* gone) { Forget(gone); });
      connections_[connection.get()] = connection;
    }
    connection->Start();
    Accept();
  });
}

void Server::SetHba(std::shared_ptr<const HbaRules> rules) {
  std::lock_guard lock(mutex_);  // Accept copies the handler options under it
  options_.handler.hba = std::move(rules);
}

size_t Server::MaxSockets() const {
  // As PostgreSQL's postmaster: room for twice the sessions, so clients
  // refused at startup with 53300 still get their message.
  return 2 * static_cast<size_t>(std::max(1, options_.limits.max_connections)) + 16;
}

void Server::RefuseSocket(asio::ip::tcp::socket socket) {
  WriteBuffer out;
  ErrorFields::From(SqlError("53300", "sorry, too many clients already"), "FATAL").Encode(out, 'E');
  auto bytes = std::make_shared<std::string>(out.Take());
  auto sock = std::make_shared<tcp::socket>(std::move(socket));
  asio::async_write(*sock, asio::buffer(*bytes), [sock, bytes](const boost::system::error_code&, size_t) {
    boost::system::error_code ignored;
    sock->shutdown(tcp::socket::shutdown_both, ignored);
    sock->close(ignored);
  });
}

void Server::Forget(Connection* connection) {
  std::lock_guard lock(mutex_);
  connections_.erase(connection);
  cv_.notify_all();
}

void Server::Stop() {
  if (!started_ || stopped_) return;
  stopped_ = true;
  std::vector<std::shared_ptr<Connection>> live;
  {
    std::lock_guard lock(mutex_);
    accepting_ = false;
    for (auto& [raw, weak] : connections_) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  asio::post(acceptor_.get_executor(), [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  // Interrupt running statements first, so the goodbye is not stuck behind them.
  registry_.CancelAll();
  for (auto& c : live) c->Shutdown();
  live.clear();
  {
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, std::chrono::milliseconds(options_.shutdown_grace_ms), [this] { return connections_.empty(); });
    for (auto& [raw, weak] : connections_) {
      if (auto c = weak.lock()) live.push_back(std::move(c));
    }
  }
  for (auto& c : live) c->ForceClose();
  live.clear();
  workers_.join();
  work_.reset();  // the I/O threads return once every socket is closed
  for (auto& t : io_threads_) t.join();
  io_threads_.clear();
}

}  // namespace tessera::wire
