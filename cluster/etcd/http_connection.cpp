#include "cluster/etcd/http_connection.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <boost/asio/connect.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <limits>
#include <vector>

#include "cluster/etcd/etcd_tls_context.h"

namespace tessera::cluster::etcd {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr auto kPollSlice = std::chrono::milliseconds(100);

// A killed etcd resets its connections, but a vanished host (or a partition) would leave a
// watch stream waiting forever: TCP keepalive notices within ~15 s.
void TuneSocket(tcp::socket& socket) {
  error_code ignored;
  socket.set_option(tcp::no_delay(true), ignored);
  socket.set_option(asio::socket_base::keep_alive(true), ignored);
  int idle = 5, interval = 2, count = 5;
  ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  ::setsockopt(socket.native_handle(), IPPROTO_TCP, TCP_KEEPCNT, &count, sizeof count);
}

}  // namespace

HttpConnection::HttpConnection(Endpoint endpoint) : endpoint_(std::move(endpoint)), resolver_(ioc_), stream_(ioc_) {}

HttpConnection::~HttpConnection() { Close(); }

bool HttpConnection::IsOpen() const { return open_; }

template <typename Op>
void HttpConnection::OnStream(Op&& op) {
  if (tls_) {
    op(*tls_);
  } else {
    op(stream_);
  }
}

void HttpConnection::Close() {
  tls_.reset();  // an SSL session is not reused after its socket closed
  error_code ignored;
  stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream_.socket().close(ignored);
  buffer_.clear();
  stream_parser_.reset();
  open_ = false;
}

void HttpConnection::Fail(const char* what, const error_code& ec) {
  Close();
  throw TransportError("etcd " + endpoint_.url + " " + target_ + ": " + what + ": " + ec.message());
}

void HttpConnection::SetExpiry(Clock::time_point deadline) {
  if (deadline == Clock::time_point::max()) {
    stream_.expires_never();
  } else {
    stream_.expires_at(deadline);
  }
}

void HttpConnection::Await(const bool& done, Clock::time_point deadline, const StopFn& stop, const char* what) {
  ioc_.restart();
  while (!done) {
    auto until = std::min(deadline, Clock::now() + kPollSlice);
    ioc_.run_until(until);
    if (done) break;
    if (ioc_.stopped()) ioc_.restart();
    bool stopping = stop && stop();
    if (stopping || Clock::now() >= deadline) {
      // Closing the socket and cancelling the resolver completes every pending handler, which
      // must run before their captured locals go away.
      error_code ignored;
      resolver_.cancel();
      stream_.socket().close(ignored);
      ioc_.restart();
      ioc_.run();
      Close();
      if (stopping) throw StoppedError("etcd " + endpoint_.url + " " + target_ + ": stopped");
      throw TransportError("etcd " + endpoint_.url + " " + target_ + ": " + what + ": timed out");
    }
  }
}

void HttpConnection::Connect(Clock::time_point deadline, const StopFn& stop) {
  Close();
  std::vector<tcp::endpoint> addresses;
  error_code ec;
  auto port = static_cast<unsigned short>(std::stoul(endpoint_.port));
  auto address = asio::ip::make_address(endpoint_.host, ec);
  if (!ec) {
    addresses.emplace_back(address, port);
  } else {
    bool done = false;
    resolver_.async_resolve(endpoint_.host, endpoint_.port,
                            [&](const error_code& e, const tcp::resolver::results_type& results) {
                              ec = e;
                              for (const auto& r : results) addresses.push_back(r.endpoint());
                              done = true;
                            });
    Await(done, deadline, stop, "resolve");
    if (ec) Fail("resolve", ec);
  }
  bool done = false;
  SetExpiry(deadline);
  stream_.async_connect(addresses, [&](const error_code& e, const tcp::endpoint&) {
    ec = e;
    done = true;
  });
  Await(done, deadline, stop, "connect");
  if (ec) Fail("connect", ec);
  TuneSocket(stream_.socket());
  if (endpoint_.tls) {
    tls_ = std::make_unique<asio::ssl::stream<beast::tcp_stream&>>(stream_, *EtcdTlsContext());
    // SNI, and the server's certificate must name the host in the URL.
    SSL_set_tlsext_host_name(tls_->native_handle(), endpoint_.host.c_str());
    tls_->set_verify_callback(asio::ssl::host_name_verification(endpoint_.host));
    done = false;
    tls_->async_handshake(asio::ssl::stream_base::client, [&](const error_code& e) {
      ec = e;
      done = true;
    });
    Await(done, deadline, stop, "TLS handshake");
    if (ec) Fail("TLS handshake", ec);
  }
  open_ = true;
}

void HttpConnection::Send(std::string_view target, const std::string& body, Clock::time_point deadline,
                          const StopFn& stop) {
  target_ = std::string(target);
  if (!open_) Connect(deadline, stop);
  stream_parser_.reset();
  http::request<http::string_body> request{http::verb::post, beast::string_view(target.data(), target.size()), 11};
  bool ipv6 = endpoint_.host.find(':') != std::string::npos;
  request.set(http::field::host, (ipv6 ? "[" + endpoint_.host + "]" : endpoint_.host) + ":" + endpoint_.port);
  request.set(http::field::content_type, "application/json");
  request.keep_alive(true);
  request.body() = body;
  request.prepare_payload();
  bool done = false;
  error_code ec;
  SetExpiry(deadline);
  OnStream([&](auto& stream) {
    http::async_write(stream, request, [&](const error_code& e, std::size_t) {
      ec = e;
      done = true;
    });
  });
  Await(done, deadline, stop, "send");
  if (ec) Fail("send", ec);
}

HttpReply HttpConnection::Post(std::string_view target, const std::string& body, Clock::time_point deadline,
                               const StopFn& stop) {
  Send(target, body, deadline, stop);
  http::response_parser<http::string_body> parser;
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
  bool done = false;
  error_code ec;
  SetExpiry(deadline);
  OnStream([&](auto& stream) {
    http::async_read(stream, buffer_, parser, [&](const error_code& e, std::size_t) {
      ec = e;
      done = true;
    });
  });
  Await(done, deadline, stop, "receive");
  if (ec) Fail("receive", ec);
  HttpReply reply;
  reply.status = parser.get().result_int();
  reply.keep_alive = parser.get().keep_alive();
  reply.body = std::move(parser.get().body());
  if (!reply.keep_alive) Close();
  return reply;
}

unsigned HttpConnection::OpenStream(std::string_view target, const std::string& body, Clock::time_point deadline,
                                    const StopFn& stop) {
  Send(target, body, deadline, stop);
  stream_parser_.emplace();
  stream_parser_->body_limit(std::numeric_limits<std::uint64_t>::max());
  bool done = false;
  error_code ec;
  SetExpiry(deadline);
  OnStream([&](auto& stream) {
    http::async_read_header(stream, buffer_, *stream_parser_, [&](const error_code& e, std::size_t) {
      ec = e;
      done = true;
    });
  });
  Await(done, deadline, stop, "receive header");
  if (ec) Fail("receive header", ec);
  return stream_parser_->get().result_int();
}

std::optional<std::string> HttpConnection::ReadStream(const StopFn& stop, Clock::time_point deadline) {
  if (!stream_parser_ || stream_parser_->is_done()) return std::nullopt;
  std::array<char, 16384> chunk;
  auto& body = stream_parser_->get().body();
  body.data = chunk.data();
  body.size = chunk.size();
  bool done = false;
  error_code ec;
  SetExpiry(deadline);
  OnStream([&](auto& stream) {
    http::async_read_some(stream, buffer_, *stream_parser_, [&](const error_code& e, std::size_t) {
      ec = e;
      done = true;
    });
  });
  Await(done, deadline, stop, "receive stream");
  if (ec == http::error::need_buffer) ec = {};
  if (ec) Fail("receive stream", ec);
  return std::string(chunk.data(), chunk.size() - body.size);
}

}  // namespace tessera::cluster::etcd
