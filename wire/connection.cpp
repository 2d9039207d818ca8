#include "wire/connection.h"

#include <sys/socket.h>

#include <cerrno>

#include "common/fiber.h"
#include "wire/frontend_messages.h"
#include "wire/wire_buffer.h"

namespace tessera::wire {

namespace {

namespace asio = boost::asio;

// Reading pauses while this much input waits for the worker (a client
// pipelining faster than statements run) and resumes below the low mark.
constexpr size_t kInboxHigh = 4 << 20;
constexpr size_t kInboxLow = 1 << 20;
// Send() blocks the worker while this much output waits for the socket.
constexpr size_t kMaxPendingWrite = 256 << 10;
// Drain() runs at most this many messages before returning to the pool.
constexpr int kDrainBudget = 256;

constexpr size_t kWriteFailed = static_cast<size_t>(-1);

// Writes what the socket takes without blocking; returns the byte count, or
// kWriteFailed if the connection is broken.
size_t WriteDirect(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_DONTWAIT | MSG_NOSIGNAL);
    if (n >= 0) {
      sent += static_cast<size_t>(n);
      continue;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    return kWriteFailed;
  }
  return sent;
}

}  // namespace

Connection::Connection(asio::ip::tcp::socket socket, asio::thread_pool& workers, SessionFactory& factory,
                       CancelRegistry& registry, const HandlerOptions& options, asio::ssl::context* tls,
                       std::function<void(Connection*)> on_destroyed)
    : socket_(std::move(socket)),
      tls_context_(tls),
      workers_(workers),
      registry_(registry),
      on_destroyed_(std::move(on_destroyed)),
      authentication_timeout_ms_(options.authentication_timeout_ms),
      auth_timer_(socket_.get_executor()),
      idle_timer_(socket_.get_executor()),
      framer_(options.limits),
      handler_(std::make_unique<ProtocolHandler>(factory, *this, registry, options)) {
  handler_->SetMessageSource(this);
  // Authentication chooses its method by the client's address; one that
  // cannot be read matches no rule (28000), never trust.
  boost::system::error_code ec;
  auto peer = socket_.remote_endpoint(ec);
  client_address_ = ec ? std::string("unknown") : peer.address().to_string();
  handler_->SetClientAddress(client_address_, ec ? 0 : peer.port());
}

Connection::~Connection() {
  handler_.reset();  // terminates the session before the server forgets us
  if (on_destroyed_) on_destroyed_(this);
}

void Connection::Start() {
  boost::system::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  native_fd_ = socket_.native_handle();
  handler_->SetTerminate([weak = weak_from_this()] {
    if (auto self = weak.lock()) self->Shutdown();
  });
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    self->ArmAuthenticationTimer();
    self->ReadMore();
  });
}

void Connection::ArmAuthenticationTimer() {
  if (authentication_timeout_ms_ <= 0) return;
  auth_timer_.expires_after(std::chrono::milliseconds(authentication_timeout_ms_));
  auth_timer_.async_wait([weak = weak_from_this()](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self || self->session_started_.load()) return;
    self->read_stopped_ = true;
    self->CloseSocket();  // as PostgreSQL: the socket is dropped without a message
  });
}

void Connection::ArmIdleTimer(uint64_t epoch, int64_t ms) {
  asio::post(socket_.get_executor(), [weak = weak_from_this(), epoch, ms] {
    auto self = weak.lock();
    if (!self) return;
    self->idle_timer_.expires_after(std::chrono::milliseconds(ms));
    self->idle_timer_.async_wait([weak, epoch](const boost::system::error_code& ec) {
      auto self = weak.lock();
      if (ec || !self) return;
      {
        std::lock_guard lock(self->mutex_);
        if (self->input_epoch_ != epoch || self->socket_dead_) return;  // the client spoke meanwhile
      }
      self->Enqueue(Item{Item::Kind::kIdleTimeout, {}, {}, epoch});
    });
  });
}

void Connection::ReadMore() {
  if (read_stopped_) return;
  auto on_read = [self = shared_from_this()](const boost::system::error_code& ec, size_t n) { self->OnRead(ec, n); };
  if (tls_) {
    tls_->async_read_some(asio::buffer(read_buffer_), std::move(on_read));
  } else {
    socket_.async_read_some(asio::buffer(read_buffer_), std::move(on_read));
  }
}

void Connection::OnRead(const boost::system::error_code& ec, size_t n) {
  if (ec) {
    read_stopped_ = true;
    // The client is gone: stop its running statement now rather than let
    // it run (and hold its locks) to the end for nobody.
    if (session_started_.load()) registry_.Cancel(key_pid_.load(), key_secret_.load());
    Enqueue(Item{Item::Kind::kEof, {}, {}});
    return;
  }
  framer_.Append(std::string_view(read_buffer_, n));
  // Everything framed from one read goes to the worker in one hand-over, so
  // a pipelined Bind/Execute/Sync runs as one batch on one worker.
  std::vector<Item> batch;
  while (true) {
    std::optional<RawMessage> message;
    try {
      message = framer_.Next();
    } catch (const SqlError& error) {
      // The stream cannot be resynchronised: report and stop reading.
      read_stopped_ = true;
      batch.push_back(Item{Item::Kind::kFramingError, {}, error});
      EnqueueBatch(batch);
      return;
    }
    if (!message) break;
    if (HandleSslRequest(*message)) {
      EnqueueBatch(batch);
      return;
    }
    if (HandleCancelRequest(*message)) {
      EnqueueBatch(batch);
      return;
    }
    batch.push_back(Item{Item::Kind::kMessage, std::move(*message), {}});
  }
  EnqueueBatch(batch);
  std::lock_guard lock(mutex_);
  if (inbox_bytes_ > kInboxHigh) {
    read_paused_ = true;  // Drain() resumes reading
    return;
  }
  ReadMore();
}

// A CancelRequest is served right here on the I/O thread: the worker pool
// may be busy with the very statement it is meant to cancel.
bool Connection::HandleCancelRequest(const RawMessage& message) {
  if (message.type != RawMessage::kStartupType) return false;
  try {
    StartupPacket packet = StartupPacket::Decode(message.body);
    if (packet.kind != StartupPacket::Kind::kCancel) return false;
    registry_.Cancel(packet.process_id, packet.secret_key);
  } catch (const SqlError&) {
    return false;  // let the handler report it
  }
  read_stopped_ = true;
  CloseSocket();
  return true;
}

void Connection::Enqueue(Item item, bool front) {
  bool schedule = false;
  {
    std::lock_guard lock(mutex_);
    inbox_bytes_ += item.message.body.size();
    if (front) {
      inbox_.push_front(std::move(item));
    } else {
      inbox_.push_back(std::move(item));
    }
    schedule = !worker_scheduled_;
    worker_scheduled_ = true;
  }
  WakeWorker();  // a COPY FROM STDIN may be waiting in NextMessage()
  if (schedule) ScheduleDrain();
}

void Connection::EnqueueBatch(std::vector<Item>& items) {
  if (items.empty()) return;
  bool schedule = false;
  {
    std::lock_guard lock(mutex_);
    ++input_epoch_;
    for (Item& item : items) {
      inbox_bytes_ += item.message.body.size();
      inbox_.push_back(std::move(item));
    }
    schedule = !worker_scheduled_;
    worker_scheduled_ = true;
  }
  items.clear();
  WakeWorker();  // a COPY FROM STDIN may be waiting in NextMessage()
  if (schedule) ScheduleDrain();
}

void Connection::Drain() {
  // Runs one item at a time, so a connection never has two statements
  // running, and keeps going while items are queued (a whole pipelined
  // batch per pool task); it returns to the pool when the inbox is empty or
  // the budget is spent. Items are popped one by one, so Shutdown() still
  // jumps the queue.
  for (int budget = kDrainBudget; budget > 0; --budget) {
    Item item;
    {
      std::unique_lock lock(mutex_);
      if (inbox_.empty()) {
        // Out of input: the idle timeouts start now. Asked outside the
        // lock (the session reads its settings), then checked again.
        lock.unlock();
        const int64_t idle_ms = handler_ ? handler_->IdleTimeoutMs() : 0;
        lock.lock();
        if (inbox_.empty()) {
          worker_scheduled_ = false;
          const uint64_t epoch = input_epoch_;
          lock.unlock();
          if (idle_ms > 0) ArmIdleTimer(epoch, idle_ms);
          return;
        }
      }
      item = std::move(inbox_.front());
      inbox_.pop_front();
      inbox_bytes_ -= item.message.body.size();
      if (read_paused_ && inbox_bytes_ < kInboxLow) {
        read_paused_ = false;
        asio::post(socket_.get_executor(), [self = shared_from_this()] { self->ReadMore(); });
      }
    }
    Process(item);
  }
  ScheduleDrain();
}

// The worker side runs on a fiber, so a statement that waits for a lock
// parks and gives its worker back (common/fiber.h).
void Connection::ScheduleDrain() {
  asio::post(workers_, [self = shared_from_this()] {
    asio::thread_pool& pool = self->workers_;
    Fiber::Run([&pool](std::function<void()> task) { asio::post(pool, std::move(task)); },
               [self] { self->Drain(); });
  });
}

void Connection::Process(Item& item) {
  if (!handler_) return;
  switch (item.kind) {
    case Item::Kind::kMessage: handler_->Handle(item.message); break;
    case Item::Kind::kFramingError: handler_->FailFraming(*item.error); break;
    case Item::Kind::kShutdown: handler_->AdminShutdown(); break;
    case Item::Kind::kTlsStarted: handler_->SetTls(std::move(*item.tls)); break;
    case Item::Kind::kIdleTimeout: {
      bool still_idle;
      {
        std::lock_guard lock(mutex_);
        still_idle = input_epoch_ == item.epoch;
      }
      if (still_idle) handler_->IdleTimeout();
      break;
    }
    case Item::Kind::kEof:
      // The client is gone: end the session now rather than when the last
      // reference to this connection drops.
      handler_.reset();
      Close();
      return;
  }
  if (!session_started_.load() && handler_->Started()) {
    key_pid_.store(handler_->Key().process_id);
    key_secret_.store(handler_->Key().secret_key);
    session_started_.store(true);
  }
  if (handler_->Closed()) {
    std::lock_guard lock(mutex_);
    inbox_.clear();
    inbox_bytes_ = 0;
  }
}

void Connection::Shutdown() {
  {
    std::lock_guard lock(mutex_);
    inbox_.clear();  // pending statements are not started
    inbox_bytes_ = 0;
  }
  Enqueue(Item{Item::Kind::kShutdown, {}, {}}, /*front=*/true);
}

void Connection::ForceClose() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] { self->CloseSocket(); });
}

void Connection::Send(std::string bytes) {
  std::unique_lock lock(mutex_);
  if (socket_dead_ || bytes.empty()) return;
  size_t sent = 0;
  if (tls_active_) {
    // TLS output is written by the strand only.
    pending_write_bytes_ += bytes.size();
    write_queue_.push_back(std::move(bytes));
    if (!writing_) {
      writing_ = true;
      asio::post(socket_.get_executor(), [self = shared_from_this()] { self->WriteNext(); });
    }
  } else if (!writing_) {
    // Nothing is queued, so writing here keeps the order. Under mutex_, so
    // CloseSocket() (which sets socket_dead_ under it) cannot close the fd
    // between the check above and this call.
    sent = WriteDirect(native_fd_, bytes);
    if (sent == kWriteFailed) {
      socket_dead_ = true;
      lock.unlock();
      WakeWorker();
      asio::post(socket_.get_executor(), [self = shared_from_this()] { self->CloseSocket(); });
      return;
    }
    if (sent == bytes.size()) return;
    writing_ = true;
    bytes.erase(0, sent);
    pending_write_bytes_ += bytes.size();
    write_queue_.push_back(std::move(bytes));
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->WriteNext(); });
  } else {
    pending_write_bytes_ += bytes.size();
    write_queue_.push_back(std::move(bytes));  // the strand's WriteNext() picks it up
  }
  WaitForWorker(lock, [this] { return socket_dead_ || pending_write_bytes_ <= kMaxPendingWrite; });
}

void Connection::Close() {
  asio::post(socket_.get_executor(), [self = shared_from_this()] {
    bool close_now = false;
    {
      std::lock_guard lock(self->mutex_);
      self->close_after_write_ = true;
      close_now = !self->writing_;
    }
    if (close_now) self->CloseSocket();
  });
}

void Connection::WriteNext() {
  const std::string* front = nullptr;
  bool close_now = false;
  {
    std::lock_guard lock(mutex_);
    if (write_queue_.empty()) {
      writing_ = false;
      close_now = close_after_write_;
    } else {
      front = &write_queue_.front();  // deque push_back keeps it valid
    }
  }
  if (front == nullptr) {
    if (close_now) CloseSocket();
    return;
  }
  auto on_written = [self = shared_from_this()](const boost::system::error_code& ec, size_t n) {
                      {
                        std::lock_guard lock(self->mutex_);
                        self->pending_write_bytes_ -= n <= self->pending_write_bytes_ ? n : self->pending_write_bytes_;
                        self->write_queue_.pop_front();
                        if (ec) {
                          self->socket_dead_ = true;
                          self->write_queue_.clear();
                          self->writing_ = false;
                        }
                      }
                      self->WakeWorker();
                      if (ec) {
                        self->CloseSocket();
                        return;
                      }
                      self->WriteNext();
  };
  if (tls_) {
    asio::async_write(*tls_, asio::buffer(*front), std::move(on_written));
  } else {
    asio::async_write(socket_, asio::buffer(*front), std::move(on_written));
  }
}

void Connection::CloseSocket() {
  {
    std::lock_guard lock(mutex_);
    socket_dead_ = true;
  }
  WakeWorker();
  boost::system::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

void Connection::WakeWorker() {
  std::vector<std::shared_ptr<WaitSlot>> waiters;
  {
    std::lock_guard lock(mutex_);
    waiters = worker_waiters_.Take();
  }
  WaitList::WakeAll(waiters);
}

}  // namespace tessera::wire
