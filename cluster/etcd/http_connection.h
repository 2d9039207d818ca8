// One HTTP/1.1 keep-alive connection to one etcd endpoint. Calls are synchronous for the caller
// but run Beast's async operations on a private io_context: Beast's tcp_stream timeouts only
// apply to async operations, and no call here may outlive its deadline (nor, for the watch
// stream, a stop request). Not thread-safe: one thread uses a connection at a time (the Client
// keeps a pool of them). An https:// endpoint gets TLS over the same TCP stream (etcd_tls.h), so
// the deadlines apply to the handshake and every read and write alike. Internal to cluster/etcd.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "cluster/etcd/endpoint.h"
#include "cluster/etcd/etcd_types.h"

namespace tessera::cluster::etcd {

using Clock = std::chrono::steady_clock;

// Could not talk to the endpoint (resolve, connect, send, receive, deadline): the request may or
// may not have reached etcd, and another attempt (or endpoint) may succeed.
struct TransportError : EtcdError {
  using EtcdError::EtcdError;
};

// The caller's stop predicate turned true while waiting.
struct StoppedError : EtcdError {
  using EtcdError::EtcdError;
};

struct HttpReply {
  unsigned status = 0;
  std::string body;
  bool keep_alive = false;
};

class HttpConnection {
 public:
  using StopFn = std::function<bool()>;

  explicit HttpConnection(Endpoint endpoint);
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  const Endpoint& endpoint() const { return endpoint_; }
  bool IsOpen() const;
  void Close();

  // POSTs a JSON body and reads the whole reply, connecting first if needed. Throws
  // TransportError (the connection is then closed) or StoppedError.
  HttpReply Post(std::string_view target, const std::string& body, Clock::time_point deadline, const StopFn& stop = {});

  // For streamed replies (watch): POSTs and reads only the reply header; returns the HTTP status.
  unsigned OpenStream(std::string_view target, const std::string& body, Clock::time_point deadline,
                      const StopFn& stop = {});
  // The next bytes of the streamed body (possibly none), or nullopt once it has ended. A stream
  // may stay idle for hours, so the default deadline is none; `stop` is polled every 100 ms.
  std::optional<std::string> ReadStream(const StopFn& stop, Clock::time_point deadline = Clock::time_point::max());

 private:
  void Connect(Clock::time_point deadline, const StopFn& stop);
  void Send(std::string_view target, const std::string& body, Clock::time_point deadline, const StopFn& stop);
  // Runs the io_context until `done`; past the deadline or on stop it aborts the operation.
  void Await(const bool& done, Clock::time_point deadline, const StopFn& stop, const char* what);
  [[noreturn]] void Fail(const char* what, const boost::system::error_code& ec);
  void SetExpiry(Clock::time_point deadline);
  // Runs op(stream) on the TLS stream for https://, else on the TCP stream.
  template <typename Op>
  void OnStream(Op&& op);

  Endpoint endpoint_;
  std::string target_;  // of the request in flight, for messages
  boost::asio::io_context ioc_;
  boost::asio::ip::tcp::resolver resolver_;
  boost::beast::tcp_stream stream_;
  std::unique_ptr<boost::asio::ssl::stream<boost::beast::tcp_stream&>> tls_;  // https://, per connection
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::response_parser<boost::beast::http::buffer_body>> stream_parser_;
  bool open_ = false;
};

}  // namespace tessera::cluster::etcd
