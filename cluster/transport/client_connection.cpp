#include "cluster/transport/client_connection.h"

#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <vector>

#include "cluster/transport/client_core.h"
#include "cluster/transport/transport_errors.h"

namespace tessera::cluster::transport::detail {

namespace asio = boost::asio;
using asio::ip::tcp;

bool SplitAddress(const std::string& address, std::string& host, uint16_t& port) {
  size_t colon;
  if (!address.empty() && address.front() == '[') {
    const size_t close = address.find(']');
    if (close == std::string::npos || close + 1 >= address.size() || address[close + 1] != ':') return false;
    host = address.substr(1, close - 1);
    colon = close + 1;
  } else {
    colon = address.rfind(':');
    if (colon == std::string::npos || colon == 0) return false;
    host = address.substr(0, colon);
  }
  const char* first = address.data() + colon + 1;
  const char* last = address.data() + address.size();
  const auto [end, ec] = std::from_chars(first, last, port);
  return ec == std::errc() && end == last && first != last && !host.empty();
}

ClientConnection::ClientConnection(asio::io_context& io, ClientCore& core, std::string address)
    : FramedSocket(io, core.Tls()), core_(core), address_(std::move(address)), connect_timer_(strand_), resolver_(strand_) {}

ClientConnection::~ClientConnection() {
  if (read_fd_ >= 0) ::close(read_fd_);
}

void ClientConnection::Connect(std::chrono::milliseconds timeout) {
  asio::post(strand_, [self = std::static_pointer_cast<ClientConnection>(shared_from_this()), timeout] {
    self->ConnectOnStrand(timeout);
  });
}

void ClientConnection::ConnectOnStrand(std::chrono::milliseconds timeout) {
  if (ClosedOnStrand()) return;
  auto self = std::static_pointer_cast<ClientConnection>(shared_from_this());
  std::string host;
  uint16_t port = 0;
  if (!SplitAddress(address_, host, port)) {
    CloseOnStrand("invalid address, expected host:port");
    return;
  }
  connect_timer_.expires_after(timeout);
  connect_timer_.async_wait([self, timeout](const boost::system::error_code& ec) {
    if (ec || self->ClosedOnStrand() || self->Connected()) return;
    self->CloseOnStrand(fmt::format("timed out after {} ms", timeout.count()));
  });
  boost::system::error_code ec;
  const auto ip = asio::ip::make_address(host, ec);
  if (!ec) {
    socket_.async_connect(tcp::endpoint(ip, port),
                          [self](const boost::system::error_code& ec) { self->OnConnected(ec); });
    return;
  }
  resolver_.async_resolve(host, std::to_string(port),
                          [self](const boost::system::error_code& ec, const tcp::resolver::results_type& results) {
                            if (self->ClosedOnStrand()) return;
                            if (ec) {
                              self->CloseOnStrand(ec.message());
                              return;
                            }
                            asio::async_connect(self->socket_, results,
                                                [self](const boost::system::error_code& ec, const tcp::endpoint&) {
                                                  self->OnConnected(ec);
                                                });
                          });
}

void ClientConnection::OnConnected(const boost::system::error_code& ec) {
  if (ClosedOnStrand()) return;
  if (ec) {
    CloseOnStrand(ec.message());
    return;
  }
  boost::system::error_code ignored;
  // Requests are small and latency-bound (one round trip per point query).
  socket_.set_option(tcp::no_delay(true), ignored);
  if (Secured()) {
    // connect_timer_ bounds the handshake too: it fires until Connected().
    std::string host;
    uint16_t port = 0;
    SplitAddress(address_, host, port);
    auto self = std::static_pointer_cast<ClientConnection>(shared_from_this());
    Handshake(/*server=*/false, host, std::chrono::milliseconds(0), [self](const std::string& error) {
      if (self->ClosedOnStrand()) return;
      if (!error.empty()) {
        spdlog::warn("transport: storage node {} refused or failed: {}", self->address_, error);
        self->CloseOnStrand(error);
        return;
      }
      self->OnReady();
    });
    return;
  }
  OnReady();
}

void ClientConnection::OnReady() {
  {
    std::lock_guard lock(calls_mutex_);
    read_fd_ = ::dup(socket_.native_handle());  // -1 (out of descriptors): the strand keeps reading
  }
  connected_.store(true, std::memory_order_release);
  connect_timer_.cancel();
  core_.CountOpened();
  StartIo();
}

std::shared_ptr<CallState> ClientConnection::Begin(uint16_t method, std::string& payload) {
  auto call = std::make_shared<CallState>(next_request_id_++);
  std::string gone;
  {
    std::lock_guard lock(calls_mutex_);
    if (failure_) return nullptr;
    // While nobody reads, nobody has seen the node close the connection (it
    // restarted, say): look before writing, so the request goes out on a new
    // connection instead of failing with this one.
    if (reader_ == Reader::kNobody) gone = PeerGone();
    if (gone.empty()) {
      calls_.emplace(call->id, call);
    } else {
      failure_ = ConnectionLost(address_, gone);
      reader_ = Reader::kStrand;
    }
  }
  if (!gone.empty()) {
    core_.Forget(address_, this);
    Close(gone);  // OnClosed fails the calls started and not yet waited for
    return nullptr;
  }
  // If the connection closes before this is written, OnClosed fails the call.
  Send(FrameKind::kRequest, method, call->id, std::move(payload));
  return call;
}

std::string ClientConnection::PeerGone() const {
  char byte;
  const ssize_t n = ::recv(read_fd_, &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n > 0) return {};
  if (n == 0) return "connection closed by peer";
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {};
  return std::strerror(errno);
}

bool ClientConnection::ReadForCall(CallState& call, std::unique_lock<std::mutex>& call_lock,
                                   std::chrono::steady_clock::time_point until) {
  {
    std::lock_guard lock(calls_mutex_);
    if (reader_ != Reader::kNobody || failure_) return false;
    reader_ = Reader::kCaller;
  }
  call_lock.unlock();  // delivering a frame of this call takes call.mutex
  InlineRead read;
  while (true) {
    read = ReadInline(read_fd_, until - std::chrono::steady_clock::now());
    if (read.to_strand) break;
    {
      std::lock_guard lock(call.mutex);
      if (!call.chunks.empty() || call.done || call.error) break;
    }
    if (std::chrono::steady_clock::now() >= until) break;
  }
  bool to_strand = read.to_strand;
  {
    std::lock_guard lock(calls_mutex_);
    // Other callers wait on their condvars: the strand reads for them now.
    if (!to_strand) to_strand = calls_.size() > calls_.count(call.id);
    reader_ = to_strand ? Reader::kStrand : Reader::kNobody;
  }
  if (!read.close_reason.empty()) {
    Close(read.close_reason);
  } else if (to_strand) {
    ReadOnStrand();
  }
  call_lock.lock();
  return true;
}

void ClientConnection::ReadForLaterCall() {
  {
    std::lock_guard lock(calls_mutex_);
    // A caller reading hands over to the strand itself when calls remain.
    if (reader_ != Reader::kNobody || failure_) return;
    reader_ = Reader::kStrand;
  }
  ReadOnStrand();
}

bool ClientConnection::StopReadingWhenIdle() {
  std::lock_guard lock(calls_mutex_);
  if (!calls_.empty() || failure_ || read_fd_ < 0) return false;
  reader_ = Reader::kNobody;
  return true;
}

SqlError ClientConnection::Failure() const {
  std::lock_guard lock(calls_mutex_);
  return failure_ ? *failure_ : ConnectionLost(address_, "closed");
}

void ClientConnection::Abandon(CallState& call) {
  bool running;
  {
    std::lock_guard lock(calls_mutex_);
    running = calls_.erase(call.id) > 0;
  }
  bool resume;
  {
    std::lock_guard lock(call.mutex);
    resume = call.paused_reading;
    call.paused_reading = false;
  }
  if (resume) ResumeReading();
  // Queued behind the request if that is not sent yet; the server ignores
  // cancels of requests it already finished.
  if (running) Send(FrameKind::kCancel, 0, call.id, {});
}

void ClientConnection::FailAll(const SqlError& error) {
  std::unordered_map<uint64_t, std::shared_ptr<CallState>> calls;
  {
    std::lock_guard lock(calls_mutex_);
    if (!failure_) failure_ = error;
    calls.swap(calls_);
    // Wakes a caller blocked reading (the socket is closing anyway).
    if (reader_ == Reader::kCaller) ::shutdown(read_fd_, SHUT_RDWR);
  }
  for (auto& [id, call] : calls) {
    std::shared_ptr<WaitSlot> waiter;
    {
      std::lock_guard lock(call->mutex);
      if (!call->done && !call->error) call->error = error;
      waiter = call->waiter;
    }
    call->cv.notify_all();
    if (waiter) waiter->Wake();
  }
}

bool ClientConnection::Accepts(FrameKind kind) const {
  return kind == FrameKind::kChunk || kind == FrameKind::kEnd || kind == FrameKind::kError;
}

bool ClientConnection::OnFrame(const FrameHeader& header, std::string payload) {
  std::shared_ptr<CallState> call;
  {
    std::lock_guard lock(calls_mutex_);
    auto it = calls_.find(header.request_id);
    if (it == calls_.end()) return true;  // the caller gave up on it
    call = it->second;
    if (header.kind != FrameKind::kChunk) calls_.erase(it);
  }
  bool keep_reading = true;
  std::shared_ptr<WaitSlot> waiter;
  {
    std::lock_guard lock(call->mutex);
    waiter = call->waiter;
    call->progress = std::chrono::steady_clock::now();
    if (header.kind == FrameKind::kChunk) {
      call->queued_bytes += payload.size();
      call->chunks.push_back(std::move(payload));
      if (call->queued_bytes > kCallQueueLimit) {
        call->paused_reading = true;
        keep_reading = false;
      }
    } else if (header.kind == FrameKind::kEnd) {
      call->done = true;
      call->result = std::move(payload);
    } else {
      call->error = DecodeErrorPayload(payload);
    }
  }
  call->cv.notify_one();
  if (waiter) waiter->Wake();
  if (!keep_reading) core_.CountReadPause();
  return keep_reading;
}

void ClientConnection::OnClosed(const std::string& reason) {
  connect_timer_.cancel();
  resolver_.cancel();
  core_.Forget(address_, this);
  if (Connected()) {
    const bool on_purpose = reason == kResetReason || reason == kShutdownReason;
    spdlog::log(on_purpose ? spdlog::level::debug : spdlog::level::info,
                "transport: connection to storage node {} closed: {}", address_, reason);
    FailAll(ConnectionLost(address_, reason));
  } else {
    spdlog::debug("transport: could not connect to storage node {}: {}", address_, reason);
    FailAll(CouldNotConnect(address_, reason));
  }
}

}  // namespace tessera::cluster::transport::detail
