// The server side of one request in flight: what a transport handler uses to
// stream parts of its response and to notice that nobody wants it any more.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace tessera::cluster::transport {

namespace detail {
class ServerConnection;
}

class ResponseStream {
 public:
  // Made by the server for each request; handlers only receive it.
  ResponseStream(std::shared_ptr<detail::ServerConnection> connection, uint64_t request_id, uint16_t method);
  ResponseStream(const ResponseStream&) = delete;
  ResponseStream& operator=(const ResponseStream&) = delete;

  // Sends one chunk of the response now. Blocks the handler's (worker) thread
  // while this connection has more than ~8 MiB queued unsent (backpressure: a
  // slow client slows the handler instead of filling memory); throws SqlError
  // 57014 if the request was cancelled or the connection closed meanwhile, and
  // 54000 for a chunk over kMaxPayloadSize.
  void Send(std::string chunk);
  // The client sent kCancel or disconnected (or the server is stopping). A
  // long handler should check this between steps: the transport cannot
  // interrupt it otherwise.
  bool Cancelled() const { return cancelled_.load(std::memory_order_relaxed); }
  // The flag itself, for work that polls a std::atomic<bool> (a fragment
  // scan checks it every thousand rows). Only the transport sets it.
  std::atomic<bool>* CancelFlag() { return &cancelled_; }
  // Stable per accepted connection (also passed to RpcServer::OnDisconnect),
  // so a handler can tie state such as open transactions to its gateway.
  uint64_t ConnectionId() const;
  uint64_t RequestId() const { return request_id_; }
  // True while the handler runs on the I/O thread (RpcServer::RunInline): it
  // must not wait for anything, since every connection of that thread waits
  // with it.
  bool OnIoThread() const { return on_io_thread_; }
  uint16_t Method() const { return method_; }

 private:
  friend class detail::ServerConnection;

  std::shared_ptr<detail::ServerConnection> connection_;
  const uint64_t request_id_;
  const uint16_t method_;
  std::atomic<bool> cancelled_{false};
  bool on_io_thread_ = false;
};

}  // namespace tessera::cluster::transport
