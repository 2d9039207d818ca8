#include "cluster/transport/rpc_server.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <stdexcept>

#include "cluster/transport/server_connection.h"
#include "cluster/transport/server_core.h"
#include "cluster/transport/transport_errors.h"
#include "common/fiber.h"

namespace tessera::cluster::transport {

namespace asio = boost::asio;
using asio::ip::tcp;

// ---- RpcServer: a thin handle on ServerCore, so this header needs no Asio ----

RpcServer::RpcServer(std::string host, uint16_t port, size_t io_threads, size_t workers, const LinkTls& tls)
    : core_(std::make_unique<detail::ServerCore>(std::move(host), port, io_threads, workers, tls)) {}
RpcServer::~RpcServer() { core_->Stop(); }
void RpcServer::Register(uint16_t method, Handler handler) { core_->Register(method, std::move(handler)); }
void RpcServer::RunInline(uint16_t method, InlineFilter run_inline) { core_->RunInline(method, std::move(run_inline)); }
void RpcServer::OnDisconnect(std::function<void(uint64_t)> hook) { core_->OnDisconnect(std::move(hook)); }
void RpcServer::Start() { core_->Start(); }
void RpcServer::Stop() { core_->Stop(); }
uint16_t RpcServer::Port() const { return core_->Port(); }
ServerStats RpcServer::Stats() const { return core_->Stats(); }

namespace detail {

namespace {

std::vector<std::unique_ptr<asio::io_context>> MakeIoContexts(size_t count) {
  std::vector<std::unique_ptr<asio::io_context>> ios;
  for (size_t i = 0; i < std::max<size_t>(count, 1); ++i) ios.push_back(std::make_unique<asio::io_context>(1));
  return ios;
}

}  // namespace

ServerCore::ServerCore(std::string host, uint16_t port, size_t io_threads, size_t workers, const LinkTls& tls)
    : ios_(MakeIoContexts(io_threads)),
      acceptor_strand_(asio::make_strand(*ios_.front())),
      acceptor_(acceptor_strand_),
      workers_(std::max<size_t>(workers, 1)),
      host_(std::move(host)),
      port_(port),
      tls_(MakeLinkServerContext(tls)) {}

ServerCore::~ServerCore() { Stop(); }

void ServerCore::Register(uint16_t method, RpcServer::Handler handler) {
  if (started_) throw std::logic_error("RpcServer::Register after Start");
  handlers_[method] = std::move(handler);
}

void ServerCore::RunInline(uint16_t method, RpcServer::InlineFilter run_inline) {
  if (started_) throw std::logic_error("RpcServer::RunInline after Start");
  inline_filters_[method] = std::move(run_inline);
}

bool ServerCore::RunsInline(uint16_t method, std::string_view payload) const {
  auto it = inline_filters_.find(method);
  return it != inline_filters_.end() && it->second(payload);
}

void ServerCore::OnDisconnect(std::function<void(uint64_t)> hook) {
  if (started_) throw std::logic_error("RpcServer::OnDisconnect after Start");
  on_disconnect_ = std::move(hook);
}

void ServerCore::Start() {
  if (started_) throw std::logic_error("RpcServer::Start called twice");
  boost::system::error_code ec;
  const auto address = asio::ip::make_address(host_, ec);
  if (ec) throw SqlError(kConnectionFailure, fmt::format("invalid listen address \"{}\": {}", host_, ec.message()));
  const tcp::endpoint endpoint(address, port_);
  acceptor_.open(endpoint.protocol(), ec);
  // Lets a restarted node bind its port while old connections sit in TIME_WAIT.
  if (!ec) acceptor_.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor_.bind(endpoint, ec);
  if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    throw SqlError(kConnectionFailure, fmt::format("could not listen on {}:{}: {}", host_, port_, ec.message()));
  }
  port_ = acceptor_.local_endpoint().port();
  {
    std::lock_guard lock(mutex_);
    accepting_ = true;
    started_ = true;
  }
  for (auto& io : ios_) work_.emplace_back(io->get_executor());
  asio::post(acceptor_strand_, [this] { Accept(); });
  for (auto& io : ios_) io_threads_.emplace_back([io = io.get()] { io->run(); });
}

void ServerCore::Accept() {
  asio::io_context& io = *ios_[next_io_++ % ios_.size()];
  auto connection = std::make_shared<ServerConnection>(io, *this, next_connection_id_++);
  acceptor_.async_accept(connection->Socket(), [this, connection](const boost::system::error_code& ec) {
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor_.is_open()) return;
      spdlog::warn("transport: accept on port {} failed: {}", port_, ec.message());
      Accept();  // e.g. EMFILE: keep serving the connections we have
      return;
    }
    {
      std::lock_guard lock(mutex_);
      if (!accepting_) return;  // stopping: the socket closes with `connection`
      connections_.emplace(connection->Id(), connection);
    }
    ++accepted_;
    connection->Start();
    Accept();
  });
}

void ServerCore::Stop() {
  std::vector<std::shared_ptr<ServerConnection>> live;
  {
    std::lock_guard lock(mutex_);
    if (!started_ || stopped_) return;
    stopped_ = true;
    accepting_ = false;
    for (auto& [id, connection] : connections_) live.push_back(connection);
  }
  asio::post(acceptor_strand_, [this] {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
  });
  for (auto& connection : live) connection->Close("server stopping");
  live.clear();
  {
    // Each close cancels its requests and posts the OnDisconnect hook first,
    // so after this wait the worker pool has all the work it will ever get.
    std::unique_lock lock(mutex_);
    connections_gone_.wait(lock, [this] { return connections_.empty(); });
  }
  workers_.join();  // running handlers see Cancelled() or a throwing Send
  work_.clear();
  for (auto& io : ios_) io->stop();
  for (auto& thread : io_threads_) thread.join();
  io_threads_.clear();
  boost::system::error_code ignored;
  acceptor_.close(ignored);  // in case the posted close never ran; no thread uses it now
}

ServerStats ServerCore::Stats() const {
  return ServerStats{.connections_accepted = accepted_.load(),
                     .send_waits = send_waits_.load(),
                     .peak_queued_bytes = peak_queued_bytes_.load()};
}

const RpcServer::Handler* ServerCore::FindHandler(uint16_t method) const {
  auto it = handlers_.find(method);
  return it == handlers_.end() ? nullptr : &it->second;
}

// Handlers run on fibers, so one that waits for a row lock parks and gives
// its worker back (common/fiber.h): no number of waiters can starve the
// lock holder's commit of a worker.
void ServerCore::RunOnWorker(std::function<void()> task) {
  asio::post(workers_, [this, task = std::move(task)]() mutable {
    Fiber::Run([this](std::function<void()> next) { asio::post(workers_, std::move(next)); }, std::move(task));
  });
}

void ServerCore::CountQueued(size_t queued_bytes) {
  uint64_t peak = peak_queued_bytes_.load(std::memory_order_relaxed);
  while (queued_bytes > peak && !peak_queued_bytes_.compare_exchange_weak(peak, queued_bytes)) {
  }
}

void ServerCore::ConnectionClosed(uint64_t connection_id) {
  std::lock_guard lock(mutex_);
  if (connections_.erase(connection_id) == 0) return;
  if (on_disconnect_) {
    asio::post(workers_, [this, connection_id] {
      try {
        on_disconnect_(connection_id);
      } catch (const std::exception& e) {
        spdlog::error("transport: OnDisconnect hook for connection {} threw: {}", connection_id, e.what());
      }
    });
  }
  connections_gone_.notify_all();
}

}  // namespace detail
}  // namespace tessera::cluster::transport
