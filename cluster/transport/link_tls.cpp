#include "cluster/transport/link_tls.h"

#include <arpa/inet.h>
#include <openssl/ssl.h>

#include <stdexcept>

#include "cluster/transport/link_tls_context.h"

namespace tessera::cluster::transport {

namespace asio = boost::asio;

namespace detail {

namespace {

void Load(const char* flag, const std::string& file, auto&& action) {
  if (file.empty()) throw std::runtime_error(std::string("cluster TLS needs ") + flag);
  try {
    action();
  } catch (const boost::system::system_error& error) {
    throw std::runtime_error(std::string("cannot use ") + flag + " " + file + ": " + error.what());
  }
}

// TLS 1.3 only: every process of a cluster runs this code, so there is no
// older peer to talk to, and 1.3 saves a round trip per new connection.
// No session resumption: a resumed session would skip the certificate check.
TlsContext MakeContext(const LinkTls& tls, asio::ssl::context::method method) {
  auto context = std::make_shared<asio::ssl::context>(method);
  SSL_CTX* ctx = context->native_handle();
  SSL_CTX_set_min_proto_version(ctx, TLS1_3_VERSION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
  SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
  SSL_CTX_set_num_tickets(ctx, 0);  // no tickets after the handshake either
  Load("--cluster-cert", tls.cert_file, [&] { context->use_certificate_chain_file(tls.cert_file); });
  Load("--cluster-key", tls.key_file, [&] { context->use_private_key_file(tls.key_file, asio::ssl::context::pem); });
  Load("--cluster-ca", tls.ca_file, [&] { context->load_verify_file(tls.ca_file); });
  if (SSL_CTX_check_private_key(ctx) != 1) {
    throw std::runtime_error("--cluster-key " + tls.key_file + " does not match --cluster-cert " + tls.cert_file);
  }
  return context;
}

}  // namespace

TlsContext MakeLinkServerContext(const LinkTls& tls) {
  if (!tls.Enabled()) return nullptr;
  TlsContext context = MakeContext(tls, asio::ssl::context::tls_server);
  context->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
  return context;
}

TlsContext MakeLinkClientContext(const LinkTls& tls) {
  if (!tls.Enabled()) return nullptr;
  TlsContext context = MakeContext(tls, asio::ssl::context::tls_client);
  context->set_verify_mode(asio::ssl::verify_peer);
  return context;
}

}  // namespace detail

bool IsIpAddress(const std::string& host) {
  unsigned char address[16];
  return inet_pton(AF_INET, host.c_str(), address) == 1 || inet_pton(AF_INET6, host.c_str(), address) == 1;
}

void CheckLinkTls(const LinkTls& tls) {
  detail::MakeLinkServerContext(tls);
  detail::MakeLinkClientContext(tls);
}

}  // namespace tessera::cluster::transport
