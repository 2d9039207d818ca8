// The OpenSSL contexts behind LinkTls (link_tls.h). Internal to the transport.
#pragma once

// clang-format off
#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
// clang-format on
#include <memory>

#include "cluster/transport/link_tls.h"

namespace tessera::cluster::transport::detail {

using TlsContext = std::shared_ptr<boost::asio::ssl::context>;

// Null when `tls` is not enabled. The server context requires and verifies a
// client certificate; the client context verifies the server's certificate
// against the CA (the host name is checked per connection).
TlsContext MakeLinkServerContext(const LinkTls& tls);
TlsContext MakeLinkClientContext(const LinkTls& tls);

}  // namespace tessera::cluster::transport::detail
