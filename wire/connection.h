// One client connection on the Asio server. Two sides meet here:
//  - the I/O side (the socket's strand on an I/O thread) reads bytes, frames
//    them and writes queued output; it never calls the Session, so a slow
//    statement cannot stall other connections' I/O;
//  - the worker side (one task at a time on the worker pool) feeds framed
//    messages to the ProtocolHandler, which runs the Session.
// Output crosses back through Send(), which blocks the worker while too
// much is waiting for the socket, so a large result streams at the
// client's pace instead of filling memory.
//
// TLS: with a server certificate, the I/O side answers an SSLRequest 'S'
// itself and runs the handshake on the socket's strand; from then on reads
// and writes go through the TLS stream, always on the strand (an SSL
// object serves one thread at a time), so Send() queues instead of writing
// from the worker. Plain connections keep the direct write and pay nothing.
#pragma once

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <atomic>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/fiber.h"
#include "wire/cancel_registry.h"
#include "wire/copy_input.h"
#include "wire/framer.h"
#include "wire/output.h"
#include "wire/protocol_handler.h"

namespace tessera::wire {

class Connection final : public std::enable_shared_from_this<Connection>, public Output, public MessageSource {
 public:
  Connection(boost::asio::ip::tcp::socket socket, boost::asio::thread_pool& workers, SessionFactory& factory,
             CancelRegistry& registry, const HandlerOptions& options, boost::asio::ssl::context* tls,
             std::function<void(Connection*)> on_destroyed);
  ~Connection() override;

  void Start();
  // Server shutdown: the handler sends FATAL 57P01 and closes. Thread-safe.
  void Shutdown();
  // Closes the socket now, whatever is pending. Thread-safe.
  void ForceClose();

 private:
  struct Item {
    enum class Kind { kMessage, kFramingError, kShutdown, kEof, kIdleTimeout, kTlsStarted };
    Kind kind;
    RawMessage message;
    std::optional<SqlError> error;  // kFramingError
    uint64_t epoch = 0;  // kIdleTimeout: the input epoch it was armed at
    std::optional<TlsSessionInfo> tls = std::nullopt;  // kTlsStarted
  };

  // I/O side.
  void ReadMore();
  void OnRead(const boost::system::error_code& ec, size_t n);
  bool HandleCancelRequest(const RawMessage& message);
  // An SSLRequest while the server has a certificate: 'S', then the
  // handshake (wire/connection_tls.cpp).
  bool HandleSslRequest(const RawMessage& message);
  void OnHandshake(const boost::system::error_code& ec);
  void Enqueue(Item item, bool front = false);
  void EnqueueBatch(std::vector<Item>& items);
  void WriteNext();
  void CloseSocket();
  // authentication_timeout: a client that has not finished its startup by
  // then is dropped (it holds a socket and a descriptor, not a session).
  void ArmAuthenticationTimer();
  // idle_in_transaction_session_timeout / idle_session_timeout, armed each
  // time the worker side runs out of input; any input since disarms it.
  void ArmIdleTimer(uint64_t epoch, int64_t ms);

  // Worker side.
  void ScheduleDrain();
  void Drain();
  void Process(Item& item);
  void Send(std::string bytes) override;
  void Close() override;
  // COPY FROM STDIN pulls the client's messages here (wire/copy_connection.cpp).
  std::optional<RawMessage> NextMessage() override;
  // With `lock` on mutex_ held: until `ready()` holds. The worker side runs
  // on a fiber, so the wait parks it and gives the worker thread back: a
  // client that stops sending in the middle of a COPY FROM STDIN, or stops
  // reading a big result, holds no thread (64 such clients wedged the
  // server when each held one).
  template <class Ready>
  void WaitForWorker(std::unique_lock<std::mutex>& lock, Ready ready) {
    worker_waiters_.Wait(lock, ready);
  }
  // Without mutex_ held: wakes the worker side's wait, if any (new input,
  // the write queue drained, the socket died).
  void WakeWorker();

  boost::asio::ip::tcp::socket socket_;
  boost::asio::ssl::context* tls_context_;  // null: SSLRequest is answered 'N'
  // Once the client asked for TLS; strand only (created before any TLS I/O).
  std::unique_ptr<boost::asio::ssl::stream<boost::asio::ip::tcp::socket&>> tls_;
  std::string client_address_;
  boost::asio::thread_pool& workers_;
  CancelRegistry& registry_;
  std::function<void(Connection*)> on_destroyed_;
  int authentication_timeout_ms_;
  boost::asio::steady_timer auth_timer_;  // strand only
  boost::asio::steady_timer idle_timer_;  // strand only
  // Set by the worker once the session started: the I/O side then cancels
  // the running statement when the client goes away.
  std::atomic<bool> session_started_{false};
  std::atomic<int32_t> key_pid_{0};
  std::atomic<int32_t> key_secret_{0};
  Framer framer_;
  std::unique_ptr<ProtocolHandler> handler_;  // worker side only
  char read_buffer_[16384];
  bool read_stopped_ = false;  // I/O side only

  std::mutex mutex_;
  WaitList worker_waiters_;  // the worker side's wait (WaitForWorker), under mutex_
  std::deque<Item> inbox_;
  size_t inbox_bytes_ = 0;
  uint64_t input_epoch_ = 0;  // counts batches of client messages
  bool worker_scheduled_ = false;
  bool read_paused_ = false;
  size_t pending_write_bytes_ = 0;
  bool socket_dead_ = false;

  // Write side, guarded by mutex_. While nothing is queued, Send() writes
  // straight from the worker (one send() per flush, no hop to the I/O
  // thread); what the socket does not take at once queues for the strand.
  int native_fd_ = -1;
  std::deque<std::string> write_queue_;
  bool writing_ = false;  // the strand owns the write side until the queue drains
  bool tls_active_ = false;  // every write goes through the strand (tls_)
  bool close_after_write_ = false;
};

}  // namespace tessera::wire
