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
    : strand_(asio::make_strand(io)), socket_(strand_), tls_context_(std::move(tls)), buffer_(kReadBufferSize) {
  if (tls_context_) cipher_in_.resize(kReadBufferSize);
}

// ---- TLS handshake ----

struct HandshakeState {
  std::function<void(const std::string&)> done;
  std::shared_ptr<asio::steady_timer> timer;
  std::chrono::milliseconds timeout;
  std::string output;  // ciphertext being written
  bool finished = false;

  void Finish(const std::string& error) {
    if (finished) return;
    finished = true;
    timer->cancel();
    done(error);
  }
};

void FramedSocket::Handshake(bool server, const std::string& host, std::chrono::milliseconds timeout,
                             std::function<void(const std::string&)> done) {
  boost::system::error_code ec;
  const auto endpoint = socket_.remote_endpoint(ec);
  if (!ec) peer_ = endpoint.address().to_string() + ":" + std::to_string(endpoint.port());
  auto state = std::make_shared<HandshakeState>();
  state->done = std::move(done);
  state->timer = std::make_shared<asio::steady_timer>(strand_);
  state->timeout = timeout;
  try {
    tls_ = std::make_unique<TlsSession>(tls_context_->native_handle(), server, host);
  } catch (const std::exception& error) {
    state->Finish(error.what());
    return;
  }
  // A peer that connects and then says nothing must not hold the connection.
  if (timeout.count() > 0) {
    state->timer->expires_after(timeout);
    state->timer->async_wait([self = shared_from_this(), state](const boost::system::error_code& ec) {
      if (ec || state->finished) return;
      boost::system::error_code ignored;
      self->socket_.cancel(ignored);
      state->Finish(fmt::format("TLS handshake not finished within {} ms", state->timeout.count()));
    });
  }
  HandshakeStep({}, state);
}

// Nobody else touches tls_ before the handshake is done, so no lock.
void FramedSocket::HandshakeStep(std::string_view input, std::shared_ptr<HandshakeState> state) {
  if (state->finished || closed_on_strand_) return;
  std::string error;
  state->output.clear();
  const TlsSession::Step step = tls_->Handshake(input, state->output, error);
  auto next = [self = shared_from_this(), state, step, error] {
    if (step == TlsSession::Step::kDone) {
      state->Finish({});
    } else if (step == TlsSession::Step::kFailed) {
      state->Finish("TLS handshake failed: " + error);
    } else {
      self->socket_.async_read_some(asio::buffer(self->cipher_in_),
                                    [self, state](const boost::system::error_code& ec, size_t n) {
                                      if (state->finished) return;
                                      if (ec) {
                                        state->Finish("TLS handshake failed: " + DescribeReadError(ec));
                                        return;
                                      }
                                      self->HandshakeStep(std::string_view(self->cipher_in_.data(), n), state);
                                    });
    }
  };
  if (state->output.empty()) {
    next();
    return;
  }
  // Written even when the handshake failed: the alert tells the peer why.
  asio::async_write(socket_, asio::buffer(state->output),
                    [state, next = std::move(next)](const boost::system::error_code& ec, size_t) {
                      if (state->finished) return;
                      if (ec) {
                        state->Finish("TLS handshake failed: " + ec.message());
                        return;
                      }
                      next();
                    });
}

// ---- sending ----

bool FramedSocket::EncryptLocked(OutFrame& frame, std::string& error) {
  std::string cipher;
  // One record for a small frame; a large one costs a second record for its
  // header rather than a copy of its payload.
  bool ok;
  if (frame.payload.size() <= 4096) {
    std::string plain(frame.header.data(), frame.header.size());
    plain += frame.payload;
    ok = tls_->Encrypt(plain, cipher, error);
  } else {
    ok = tls_->Encrypt(std::string_view(frame.header.data(), frame.header.size()), cipher, error) &&
         tls_->Encrypt(frame.payload, cipher, error);
  }
  if (!ok) return false;
  frame.payload = std::move(cipher);
  frame.sent = frame.header.size();
  frame.cipher = true;
  return true;
}

void FramedSocket::QueueLocked(OutFrame frame) {
  const size_t bytes = frame.header.size() + frame.payload.size() - frame.sent;
  if (io_started_ && !writing_ && pending_.empty()) {
    const size_t sent = TrySendNow(frame);
    if (sent == bytes) return;
    frame.sent += sent;
    queued_bytes_ += bytes - sent;
  } else {
    queued_bytes_ += bytes;
  }
  pending_.push_back(std::move(frame));
  if (io_started_ && !writing_) {
    writing_ = true;
    asio::post(strand_, [self = shared_from_this()] { self->WriteNext(); });
  }
}

size_t FramedSocket::Send(FrameKind kind, uint16_t method, uint64_t request_id, std::string payload) {
  OutFrame frame{EncodeFrameHeader(kind, method, request_id, payload.size()), std::move(payload)};
  std::lock_guard lock(mutex_);
  if (closed_) return kClosed;
  if (tls_context_ && io_started_) {
    std::string error;
    if (!EncryptLocked(frame, error)) {
      Close("TLS: " + error);
      return kClosed;
    }
  }
  QueueLocked(std::move(frame));
  return queued_bytes_;
}

size_t FramedSocket::TrySendNow(const OutFrame& frame) {
  iovec parts[2];
  int count = 0;
  if (frame.sent < frame.header.size()) {
    parts[count++] = {const_cast<char*>(frame.header.data() + frame.sent), frame.header.size() - frame.sent};
  }
  const size_t payload_sent = frame.sent > frame.header.size() ? frame.sent - frame.header.size() : 0;
  if (payload_sent < frame.payload.size()) {
    parts[count++] = {const_cast<char*>(frame.payload.data() + payload_sent), frame.payload.size() - payload_sent};
  }
  if (count == 0) return 0;
  msghdr message{};
  message.msg_iov = parts;
  message.msg_iovlen = count;
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
  std::string error;
  {
    std::lock_guard lock(mutex_);
    io_started_ = true;
    fd_ = socket_.native_handle();
    // Frames queued while connecting wait as plaintext: encrypt them now.
    for (OutFrame& frame : pending_) {
      if (!tls_ || frame.cipher) continue;
      const size_t plain = frame.header.size() + frame.payload.size() - frame.sent;
      if (!EncryptLocked(frame, error)) break;
      queued_bytes_ = queued_bytes_ - plain + frame.payload.size();
    }
    if (!pending_.empty() && !writing_) {
      writing_ = true;
      asio::post(strand_, [self = shared_from_this()] { self->WriteNext(); });
    }
  }
  if (!error.empty()) {
    CloseOnStrand("TLS: " + error);
    return;
  }
  // Under TLS the handshake's last read may have brought frames already.
  if (tls_) {
    ProcessBuffer();
  } else {
    ReadMore();
  }
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
    if (available >= kFrameHeaderSize) {
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
    }
    // Not a whole frame here: under TLS the session may hold more.
    if (tls_) {
      std::string error;
      if (PullPlaintext(error)) continue;
      if (!error.empty()) {
        CloseOnStrand(error);
        return;
      }
    }
    break;
  }
  if (paused_ || closed_on_strand_) return;
  if (begin_ == end_ && StopReadingWhenIdle()) return;
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

// ---- TLS: the session between the socket and the frame buffer ----

void FramedSocket::FeedCipher(size_t bytes) {
  std::lock_guard lock(mutex_);
  tls_->Feed(cipher_in_.data(), bytes);
}

long FramedSocket::DecryptInto(char* out, size_t capacity, std::string& error) {
  std::lock_guard lock(mutex_);
  std::string reply;
  const long got = tls_->Decrypt(out, capacity, reply, error);
  if (!reply.empty() && !closed_) {
    OutFrame frame{};
    frame.payload = std::move(reply);
    frame.sent = frame.header.size();
    frame.cipher = true;
    QueueLocked(std::move(frame));
  }
  return got;
}

bool FramedSocket::PullPlaintext(std::string& error) {
  CompactBuffer();
  const long got = DecryptInto(buffer_.data() + end_, buffer_.size() - end_, error);
  if (got <= 0) return false;
  end_ += static_cast<size_t>(got);
  return true;
}

void FramedSocket::ReadCipherThen(void (FramedSocket::*next)()) {
  socket_.async_read_some(asio::buffer(cipher_in_),
                          [self = shared_from_this(), next](const boost::system::error_code& ec, size_t n) {
                            if (self->closed_on_strand_) return;
                            if (ec) {
                              self->CloseOnStrand(DescribeReadError(ec));
                              return;
                            }
                            self->FeedCipher(n);
                            ((*self).*next)();
                          });
}

void FramedSocket::ReadMore() {
  CompactBuffer();
  if (tls_) {
    ReadCipherThen(&FramedSocket::ProcessBuffer);
    return;
  }
  socket_.async_read_some(asio::buffer(buffer_.data() + end_, buffer_.size() - end_),
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
  if (tls_) {
    large_filled_ = have;
    FillLargeTls();
    return;
  }
  asio::async_read(socket_, asio::buffer(large_payload_.data() + have, header.payload_size - have),
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

// Decrypts straight into the large frame's string, reading as needed.
void FramedSocket::FillLargeTls() {
  while (large_filled_ < large_payload_.size()) {
    std::string error;
    const long got = DecryptInto(large_payload_.data() + large_filled_, large_payload_.size() - large_filled_, error);
    if (got < 0) {
      CloseOnStrand(error);
      return;
    }
    if (got == 0) {
      ReadCipherThen(&FramedSocket::FillLargeTls);
      return;
    }
    large_filled_ += static_cast<size_t>(got);
  }
  std::string payload = std::move(large_payload_);
  large_payload_ = {};
  Deliver(large_header_, std::move(payload));
  ProcessBuffer();
}

void FramedSocket::Deliver(const FrameHeader& header, std::string payload) {
  if (!OnFrame(header, std::move(payload))) paused_ = true;
}

// ---- reading on a caller's thread ----

FramedSocket::InlineRead FramedSocket::ReadInline(int fd, std::chrono::nanoseconds wait) {
  // Frames a previous owner left complete in the buffer (or, under TLS, in
  // the session) come first.
  size_t delivered = 0;
  InlineRead result = DeliverInline(delivered);
  if (result.to_strand || delivered > 0) return result;
  const int64_t ns = std::max<int64_t>(wait.count(), 0);
  timespec timeout{static_cast<time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
  pollfd ready{fd, POLLIN, 0};
  if (::ppoll(&ready, 1, &timeout, nullptr) <= 0) return {};  // nothing yet (or a signal)
  CompactBuffer();
  char* into = tls_ ? cipher_in_.data() : buffer_.data() + end_;
  const size_t room = tls_ ? cipher_in_.size() : buffer_.size() - end_;
  if (room == 0) return {true, {}};
  const ssize_t n = ::recv(fd, into, room, MSG_DONTWAIT);
  if (n == 0) return {true, "connection closed by peer"};
  if (n < 0) {
    if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return {};
    return {true, std::strerror(errno)};
  }
  if (tls_) {
    FeedCipher(static_cast<size_t>(n));
  } else {
    end_ += static_cast<size_t>(n);
  }
  return DeliverInline(delivered);
}

FramedSocket::InlineRead FramedSocket::DeliverInline(size_t& delivered) {
  while (true) {
    if (end_ - begin_ >= kFrameHeaderSize) {
      FrameHeader header;
      const FrameCheck check = DecodeFrameHeader(buffer_.data() + begin_, header);
      if (check != FrameCheck::kOk || !Accepts(header.kind)) {
        const std::string what = check != FrameCheck::kOk ? DescribeFrameCheck(check) : "unexpected frame kind";
        spdlog::warn("transport: closing connection from {}: protocol violation: {}", PeerName(), what);
        return {true, "protocol violation: " + what};
      }
      const size_t total = kFrameHeaderSize + header.payload_size;
      if (end_ - begin_ >= total) {
        std::string payload(buffer_.data() + begin_ + kFrameHeaderSize, header.payload_size);
        begin_ += total;
        ++delivered;
        // A call queued too much: the strand reads on and pauses for it properly.
        if (!OnFrame(header, std::move(payload))) return {true, {}};
        continue;
      }
      if (total > kLargeFrame) return {true, {}};  // the strand reads it into a string of its own
    }
    if (tls_) {
      std::string error;
      if (PullPlaintext(error)) continue;
      if (!error.empty()) return {true, error};
    }
    return {};
  }
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
  asio::async_write(
      socket_, write_buffers_,
      [self = shared_from_this()](const boost::system::error_code& ec, size_t bytes) { self->OnWritten(ec, bytes); });
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
