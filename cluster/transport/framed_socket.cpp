#include "cluster/transport/framed_socket.h"

#include <poll.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tessera::cluster::transport::detail {

namespace asio = boost::asio;

namespace {

constexpr size_t kReadBufferSize = 64 * 1024;
// Frames bigger than this are read into their own string rather than through
// the buffer, which saves a copy and keeps the buffer small.
constexpr size_t kLargeFrame = 16 * 1024;

std::string DescribeReadError(const boost::system::error_code& ec) {
  if (ec == asio::error::eof) return "connection closed by peer";
  return ec.message();
}

}  // namespace

FramedSocket::FramedSocket(asio::io_context& io, TlsContext tls)
    : strand_(asio::make_strand(io)),
      socket_(strand_),
      tls_context_(std::move(tls)),
      tls_(tls_context_ ? std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *tls_context_)
                        : nullptr),
      buffer_(kReadBufferSize) {}

template <typename Handler>
void FramedSocket::AsyncReadSome(asio::mutable_buffer buffer, Handler&& handler) {
  if (tls_) {
    tls_->async_read_some(buffer, std::forward<Handler>(handler));
  } else {
    socket_.async_read_some(buffer, std::forward<Handler>(handler));
  }
}

template <typename Handler>
void FramedSocket::AsyncReadExactly(asio::mutable_buffer buffer, Handler&& handler) {
  if (tls_) {
    asio::async_read(*tls_, buffer, std::forward<Handler>(handler));
  } else {
    asio::async_read(socket_, buffer, std::forward<Handler>(handler));
  }
}

void FramedSocket::Handshake(asio::ssl::stream_base::handshake_type side, const std::string& host,
                             std::chrono::milliseconds timeout, std::function<void(const std::string&)> done) {
  boost::system::error_code ec;
  const auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) peer_ = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  if (side == asio::ssl::stream_base::client) tls_->set_verify_callback(asio::ssl::host_name_verification(host));
  // A peer that connects and then says nothing must not hold the connection.
  auto timer = std::make_shared<asio::steady_timer>(strand_, timeout);
  if (timeout.count() > 0) {
    timer->async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
      if (ec || self->closed_on_strand_) return;
      boost::system::error_code ignored;
      self->socket_.cancel(ignored);  // the handshake then fails with operation_aborted
    });
  }
  tls_->async_handshake(side, [self = shared_from_this(), timer, timeout, done = std::move(done)](
                                  const boost::system::error_code& ec) {
    const bool timed_out = timeout.count() > 0 && timer->expiry() <= std::chrono::steady_clock::now();
    timer->cancel();
    if (!ec) {
      done({});
    } else if (timed_out && ec == asio::error::operation_aborted) {
      done(fmt::format("TLS handshake not finished within {} ms", timeout.count()));
    } else {
      done("TLS handshake failed: " + ec.message());
    }
  });
}

size_t FramedSocket::Send(FrameKind kind, uint16_t method, uint64_t request_id, std::string payload) {
  const size_t bytes = kFrameHeaderSize + payload.size();
  OutFrame frame{EncodeFrameHeader(kind, method, request_id, payload.size()), std::move(payload)};
  std::lock_guard lock(mutex_);
  if (closed_) return kClosed;
  if (io_started_ && !writing_ && pending_.empty() && !tls_) {
    frame.sent = TrySendNow(frame);
    if (frame.sent == bytes) return queued_bytes_;
  }
  queued_bytes_ += bytes - frame.sent;
  pending_.push_back(std::move(frame));
  if (io_started_ && !writing_) {
    writing_ = true;
    asio::post(strand_, [self = shared_from_this()] { self->WriteNext(); });
  }
  return queued_bytes_;
}

size_t FramedSocket::TrySendNow(const OutFrame& frame) {
  iovec parts[2] = {{const_cast<char*>(frame.header.data()), frame.header.size()},
                    {const_cast<char*>(frame.payload.data()), frame.payload.size()}};
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = frame.payload.empty() ? 1 : 2;
  const ssize_t n = ::sendmsg(fd_, &message, MSG_NOSIGNAL | MSG_DONTWAIT);
  // EAGAIN or an error: the strand's write retries and reports the error.
  return n > 0 ? static_cast<size_t>(n) : 0;
}

bool FramedSocket::WaitQueueBelow(size_t limit, const std::atomic<bool>& abort, std::atomic<uint64_t>& waits) {
  std::unique_lock lock(mutex_);
  if (!closed_ && !abort.load() && queued_bytes_ >= limit) ++waits;
  while (!closed_ && !abort.load() && queued_bytes_ >= limit) {
    ++waiters_;
    drained_.wait(lock);
    --waiters_;
  }
  return !closed_ && !abort.load();
}

void FramedSocket::WakeWaiters() {
  // Taking the lock orders this after a waiter's check of the abort flag.
  std::lock_guard lock(mutex_);
  drained_.notify_all();
}

bool FramedSocket::Closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

void FramedSocket::Close(std::string reason) {
  asio::post(strand_, [self = shared_from_this(), reason = std::move(reason)] { self->CloseOnStrand(reason); });
}

void FramedSocket::ResumeReading() {
  asio::post(strand_, [self = shared_from_this()] {
    if (!self->paused_ || self->closed_on_strand_) return;
    self->paused_ = false;
    self->ProcessBuffer();
  });
}

void FramedSocket::StartIo() {
  if (closed_on_strand_) return;
  boost::system::error_code ec;
  const auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) peer_ = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  {
    std::lock_guard lock(mutex_);
    io_started_ = true;
    fd_ = socket_.native_handle();
    if (!pending_.empty() && !writing_) {
      writing_ = true;
      asio::post(strand_, [self = shared_from_this()] { self->WriteNext(); });
    }
  }
  ReadMore();
}

void FramedSocket::CloseOnStrand(const std::string& reason) {
  if (closed_on_strand_) return;
  closed_on_strand_ = true;
  {
    std::lock_guard lock(mutex_);  // see fd_
    closed_ = true;
    fd_ = -1;
    pending_.clear();
    queued_bytes_ = 0;
    drained_.notify_all();
    boost::system::error_code ignored;
    socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }
  OnClosed(reason);
}

// ---- reading ----

void FramedSocket::ProcessBuffer() {
  while (!paused_ && !closed_on_strand_) {
    const size_t available = end_ - begin_;
    if (available < kFrameHeaderSize) break;
    FrameHeader header;
    const FrameCheck check = DecodeFrameHeader(buffer_.data() + begin_, header);
    if (check != FrameCheck::kOk || !Accepts(header.kind)) {
      const std::string what = check != FrameCheck::kOk ? DescribeFrameCheck(check) : "unexpected frame kind";
      spdlog::warn("transport: closing connection from {}: protocol violation: {}", PeerName(), what);
      CloseOnStrand("protocol violation: " + what);
      return;
    }
    const size_t total = kFrameHeaderSize + header.payload_size;
    if (available >= total) {
      std::string payload(buffer_.data() + begin_ + kFrameHeaderSize, header.payload_size);
      begin_ += total;
      Deliver(header, std::move(payload));
      continue;
    }
    if (total > kLargeFrame) {
      ReadLargePayload(header);
      return;
    }
    break;  // a small frame, not all here yet
  }
  if (paused_ || closed_on_strand_) return;
  if (begin_ == end_ && !tls_ && StopReadingWhenIdle()) return;
  ReadMore();
}

void FramedSocket::CompactBuffer() {
  if (begin_ == end_) {
    begin_ = end_ = 0;
  } else if (begin_ > 0 && buffer_.size() - end_ < kLargeFrame) {
    // The partial frame is at most kLargeFrame bytes, so it fits once moved to the front.
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
}

void FramedSocket::ReadMore() {
  CompactBuffer();
  AsyncReadSome(asio::buffer(buffer_.data() + end_, buffer_.size() - end_),
                [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
                            if (self->closed_on_strand_) return;
                            if (ec) {
                              self->CloseOnStrand(DescribeReadError(ec));
                              return;
                            }
                            self->end_ += n;
                            self->ProcessBuffer();
                          });
}

void FramedSocket::ReadLargePayload(const FrameHeader& header) {
  const size_t have = end_ - begin_ - kFrameHeaderSize;
  large_header_ = header;
  large_payload_.resize(header.payload_size);
  std::memcpy(large_payload_.data(), buffer_.data() + begin_ + kFrameHeaderSize, have);
  begin_ = end_ = 0;
  AsyncReadExactly(asio::buffer(large_payload_.data() + have, header.payload_size - have),
                   [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                     if (self->closed_on_strand_) return;
                     if (ec) {
                       self->CloseOnStrand(DescribeReadError(ec));
                       return;
                     }
                     std::string payload = std::move(self->large_payload_);
                     self->large_payload_ = {};
                     self->Deliver(self->large_header_, std::move(payload));
                     self->ProcessBuffer();
                   });
}

void FramedSocket::Deliver(const FrameHeader& header, std::string payload) {
  if (!OnFrame(header, std::move(payload))) paused_ = true;
}

// ---- reading on a caller's thread ----

FramedSocket::InlineRead FramedSocket::ReadInline(int fd, std::chrono::nanoseconds wait) {
  // Frames a previous owner left complete in the buffer come first.
  size_t delivered = 0;
  InlineRead result = DeliverInline(delivered);
  if (result.to_strand || delivered > 0) return result;
  const int64_t ns = std::max<int64_t>(wait.count(), 0);
  timespec timeout{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
  pollfd ready{fd, POLLIN, 0};
  if (::ppoll(&ready, 1, &timeout, nullptr) <= 0) return {};  // nothing yet (or a signal)
  CompactBuffer();
  if (end_ == buffer_.size()) return {true, {}};
  const ssize_t n = ::recv(fd, buffer_.data() + end_, buffer_.size() - end_, MSG_DONTWAIT);
  if (n == 0) return {true, "connection closed by peer"};
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {};
    return {true, std::strerror(errno)};
  }
  end_ += static_cast<size_t>(n);
  return DeliverInline(delivered);
}

FramedSocket::InlineRead FramedSocket::DeliverInline(size_t& delivered) {
  while (end_ - begin_ >= kFrameHeaderSize) {
    FrameHeader header;
    const FrameCheck check = DecodeFrameHeader(buffer_.data() + begin_, header);
    if (check != FrameCheck::kOk || !Accepts(header.kind)) {
      const std::string what = check != FrameCheck::kOk ? DescribeFrameCheck(check) : "unexpected frame kind";
      spdlog::warn("transport: closing connection from {}: protocol violation: {}", PeerName(), what);
      return {true, "protocol violation: " + what};
    }
    const size_t total = kFrameHeaderSize + header.payload_size;
    if (end_ - begin_ < total) {
      if (total > kLargeFrame) return {true, {}};  // the strand reads it into a string of its own
      break;
    }
    std::string payload(buffer_.data() + begin_ + kFrameHeaderSize, header.payload_size);
    begin_ += total;
    ++delivered;
    // A call queued too much: the strand reads on and pauses for it properly.
    if (!OnFrame(header, std::move(payload))) return {true, {}};
  }
  return {};
}

void FramedSocket::ReadOnStrand() {
  asio::post(strand_, [self = shared_from_this()] { self->ProcessBuffer(); });
}

// ---- writing ----

void FramedSocket::WriteNext() {
  {
    std::lock_guard lock(mutex_);
    if (closed_ || pending_.empty()) {
      writing_ = false;
      return;
    }
    in_flight_.swap(pending_);  // in_flight_ is empty here; pending_ keeps its capacity for reuse
  }
  write_buffers_.clear();
  for (const OutFrame& frame : in_flight_) {
    // Only the first frame can have been partly written by TrySendNow.
    if (frame.sent < frame.header.size()) {
      write_buffers_.emplace_back(frame.header.data() + frame.sent, frame.header.size() - frame.sent);
    }
    const size_t payload_sent = frame.sent > frame.header.size() ? frame.sent - frame.header.size() : 0;
    if (payload_sent < frame.payload.size()) {
      write_buffers_.emplace_back(frame.payload.data() + payload_sent, frame.payload.size() - payload_sent);
    }
  }
  auto on_written = [self = shared_from_this()](const boost::system::error_code& ec, size_t bytes) {
    self->OnWritten(ec, bytes);
  };
  if (tls_) {
    tls_write_.clear();
    for (const asio::const_buffer& part : write_buffers_) {
      tls_write_.append(static_cast<const char*>(part.data()), part.size());
    }
    asio::async_write(*tls_, asio::buffer(tls_write_), std::move(on_written));
  } else {
    asio::async_write(socket_, write_buffers_, std::move(on_written));
  }
}

void FramedSocket::OnWritten(const boost::system::error_code& ec, size_t bytes) {
  in_flight_.clear();
  if (closed_on_strand_) return;
  if (ec) {
    CloseOnStrand(ec.message());
    return;
  }
  {
    std::lock_guard lock(mutex_);
    queued_bytes_ -= bytes;
    if (waiters_ > 0) drained_.notify_all();
  }
  WriteNext();
}

}  // namespace tessera::cluster::transport::detail
