#include "cluster/transport/rpc_client.h"

#include <fmt/format.h>

#include <algorithm>

#include "cluster/transport/call_state.h"
#include "cluster/transport/client_connection.h"
#include "cluster/transport/client_core.h"
#include "cluster/transport/frame.h"
#include "cluster/transport/transport_errors.h"
#include "common/fiber.h"

namespace tessera::cluster::transport {

namespace asio = boost::asio;

namespace detail {

namespace {

// How often a waiting caller looks at CallOptions::cancel.
constexpr std::chrono::milliseconds kCancelPoll{10};
// A caller on a session fiber reads its own reply for this long at most
// (nearly every answer comes within it, and reading it here saves two thread
// hops); past it the fiber parks, its worker goes back to the pool and the
// connection's strand reads. A row-lock wait on a node can last seconds, and
// a gateway whose workers all sat in such waits could not run the lock
// holder's COMMIT.
constexpr std::chrono::milliseconds kFiberInlineRead{2};
constexpr std::chrono::milliseconds kParkedCancelPoll{40};
// A call whose node has been silent this long asks CallOptions::replaced.
constexpr std::chrono::milliseconds kReplacedPollAfter{250};

// Waits for `call` on the calling thread, delivering its chunks, until kEnd,
// an error, the timeout or a cancel. On every way out but a server's answer
// the call is abandoned, which tells the server to stop.
std::string WaitForCall(ClientConnection& connection, CallState& call, const CallOptions& options,
                        const RpcClient::ChunkCallback& on_chunk) {
  struct AbandonGuard {
    ClientConnection& connection;
    CallState& call;
    bool armed = true;
    ~AbandonGuard() {
      if (armed) connection.Abandon(call);
    }
  } guard{connection, call};

  std::unique_lock lock(call.mutex);
  bool read_before_judging = false;
  const bool on_fiber = Fiber::Current() != nullptr;
  bool read_inline = false;  // on a fiber: the short inline read was tried
  while (true) {
    if (!call.chunks.empty()) {
      std::string chunk = std::move(call.chunks.front());
      call.chunks.pop_front();
      call.queued_bytes -= chunk.size();
      call.progress = std::chrono::steady_clock::now();
      read_before_judging = false;
      read_inline = false;  // a stream keeps the inline fast path while chunks keep coming
      const bool resume = call.paused_reading && call.queued_bytes < kCallResumeMark;
      if (resume) call.paused_reading = false;
      lock.unlock();
      if (resume) connection.CallDrained();
      if (on_chunk) on_chunk(std::move(chunk));
      lock.lock();
      continue;
    }
    if (call.done) {
      guard.armed = false;
      return std::move(call.result);
    }
    if (call.error) {
      guard.armed = false;  // the call is already forgotten: it ended with kError or the connection failed
      throw SqlError(*call.error);
    }
    if (options.cancel != nullptr && options.cancel->load()) throw CanceledByUser();
    const auto now = std::chrono::steady_clock::now();
    if (options.replaced && now - call.progress >= kReplacedPollAfter && options.replaced())
      throw ReplacedByFailover(connection.Address());
    const auto deadline = call.progress + options.timeout;
    const bool poll = options.cancel != nullptr || options.replaced;
    if (now >= deadline) {
      // Frames may lie unread in the socket (nobody read it while this
      // caller was busy elsewhere): deliver them before judging the node.
      if (!read_before_judging && connection.ReadForCall(call, lock, now)) {
        read_before_judging = true;
        continue;
      }
      if (!connection.Connected()) {
        throw CouldNotConnect(connection.Address(), fmt::format("timed out after {} ms", options.timeout.count()));
      }
      throw DidNotAnswer(connection.Address(), options.timeout);
    }
    if (on_fiber) {
      if (!read_inline) {
        read_inline = true;
        if (connection.ReadForCall(call, lock, std::min(deadline, now + kFiberInlineRead))) continue;
      }
      const auto until = poll ? std::min(deadline, now + kParkedCancelPoll) : deadline;
      auto slot = WaitSlot::Make();
      call.waiter = slot;
      lock.unlock();
      connection.ReadForLaterCall();  // someone must read while we are parked
      slot->Wait(std::chrono::duration_cast<std::chrono::milliseconds>(until - now) + std::chrono::milliseconds(1));
      lock.lock();
      call.waiter.reset();
      continue;
    }
    const auto until = poll ? std::min(deadline, now + kCancelPoll) : deadline;
    if (!connection.ReadForCall(call, lock, until)) call.cv.wait_until(lock, until);
  }
}

}  // namespace

// ---- ClientCore ----

ClientCore::ClientCore(size_t io_threads, const LinkTls& tls)
    : io_(static_cast<int>(std::max<size_t>(io_threads, 1))), tls_(MakeLinkClientContext(tls)) {
  work_.emplace(io_.get_executor());
  for (size_t i = 0; i < std::max<size_t>(io_threads, 1); ++i) threads_.emplace_back([this] { io_.run(); });
}

ClientCore::~ClientCore() { Shutdown(); }

std::shared_ptr<ClientConnection> ClientCore::Get(const std::string& address, std::chrono::milliseconds timeout) {
  std::lock_guard lock(mutex_);
  if (shut_down_) throw ConnectionLost(address, kShutdownReason);
  auto it = connections_.find(address);
  if (it != connections_.end()) return it->second;
  std::string host;
  uint16_t port;
  if (!SplitAddress(address, host, port)) throw CouldNotConnect(address, "invalid address, expected host:port");
  auto connection = std::make_shared<ClientConnection>(io_, *this, address);
  connections_.emplace(address, connection);
  connection->Connect(timeout);
  return connection;
}

void ClientCore::Forget(const std::string& address, const ClientConnection* connection) {
  std::lock_guard lock(mutex_);
  auto it = connections_.find(address);
  if (it != connections_.end() && it->second.get() == connection) connections_.erase(it);
}

void ClientCore::Reset(const std::string& address) {
  std::shared_ptr<ClientConnection> connection;
  {
    std::lock_guard lock(mutex_);
    auto it = connections_.find(address);
    if (it == connections_.end()) return;
    connection = std::move(it->second);
    connections_.erase(it);
  }
  connection->Close(kResetReason);
}

void ClientCore::Shutdown() {
  std::unordered_map<std::string, std::shared_ptr<ClientConnection>> connections;
  {
    std::lock_guard lock(mutex_);
    if (shut_down_) return;
    shut_down_ = true;
    connections.swap(connections_);
  }
  for (auto& [address, connection] : connections) {
    // Fail the calls here rather than in OnClosed, so no waiter depends on the
    // I/O threads still running.
    connection->FailAll(ConnectionLost(address, kShutdownReason));
    connection->Close(kShutdownReason);
  }
  connections.clear();
  work_.reset();  // run() returns once the closes have cancelled every socket operation
  for (auto& thread : threads_) thread.join();
  threads_.clear();
}

}  // namespace detail

// ---- RpcClient ----

RpcClient::RpcClient(size_t io_threads, const LinkTls& tls)
    : core_(std::make_shared<detail::ClientCore>(io_threads, tls)) {}

RpcClient::~RpcClient() { core_->Shutdown(); }

namespace {

struct Begun {
  std::shared_ptr<detail::ClientConnection> connection;
  std::shared_ptr<detail::CallState> call;
};

Begun BeginCall(detail::ClientCore& core, const std::string& address, uint16_t method, std::string& payload,
                std::chrono::milliseconds timeout) {
  if (payload.size() > kMaxPayloadSize) throw PayloadTooLarge(payload.size());
  for (int attempt = 0; attempt < 3; ++attempt) {
    auto connection = core.Get(address, timeout);
    if (auto call = connection->Begin(method, payload)) return Begun{std::move(connection), std::move(call)};
    // It failed between Get and Begin. A failed connect is this call's answer;
    // an established connection that broke never saw this request, so a new
    // one (the failed one is already forgotten) may carry it.
    if (!connection->Connected()) throw connection->Failure();
  }
  throw ConnectionLost(address, "the connection kept closing");
}

}  // namespace

std::string RpcClient::Call(const std::string& address, uint16_t method, std::string_view payload,
                            const CallOptions& options, const ChunkCallback& on_chunk) {
  std::string owned(payload);
  Begun begun = BeginCall(*core_, address, method, owned, options.timeout);
  return detail::WaitForCall(*begun.connection, *begun.call, options, on_chunk);
}

std::shared_ptr<RpcClient::Pending> RpcClient::Start(const std::string& address, uint16_t method, std::string payload,
                                                     const CallOptions& options, ChunkCallback on_chunk) {
  Begun begun;
  try {
    begun = BeginCall(*core_, address, method, payload, options.timeout);
    begun.connection->ReadForLaterCall();
  } catch (const SqlError& e) {
    // Fan-out code handles every node's failure at Wait(), in one place.
    begun.call = std::make_shared<detail::CallState>(0);
    begun.call->error = e;
  }
  return std::shared_ptr<Pending>(
      new Pending(core_, std::move(begun.connection), std::move(begun.call), options, std::move(on_chunk)));
}

void RpcClient::Reset(const std::string& address) { core_->Reset(address); }

ClientStats RpcClient::Stats() const { return core_->Stats(); }

// ---- Pending ----

RpcClient::Pending::Pending(std::shared_ptr<detail::ClientCore> core,
                            std::shared_ptr<detail::ClientConnection> connection,
                            std::shared_ptr<detail::CallState> call, const CallOptions& options, ChunkCallback on_chunk)
    : core_(std::move(core)),
      connection_(std::move(connection)),
      call_(std::move(call)),
      options_(options),
      on_chunk_(std::move(on_chunk)) {}

RpcClient::Pending::~Pending() {
  if (!waited_ && connection_ != nullptr) connection_->Abandon(*call_);
}

std::string RpcClient::Pending::Wait() {
  if (waited_) throw SqlError(sqlstate::kInternalError, "RpcClient::Pending::Wait called twice");
  waited_ = true;
  if (connection_ == nullptr) throw SqlError(*call_->error);  // Start could not even send it
  return detail::WaitForCall(*connection_, *call_, options_, on_chunk_);
}

}  // namespace tessera::cluster::transport
