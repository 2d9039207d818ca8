#include "cluster/etcd/etcd_tls.h"

#include <openssl/ssl.h>

#include <atomic>
#include <stdexcept>

#include "cluster/etcd/etcd_tls_context.h"

namespace tessera::cluster::etcd {

namespace asio = boost::asio;

namespace {

// Written once at start, before any thread reads it.
std::shared_ptr<asio::ssl::context>& Context() {
  static std::shared_ptr<asio::ssl::context> context;
  return context;
}

void Load(const char* flag, const std::string& file, auto&& action) {
  try {
    action();
  } catch (const boost::system::system_error& error) {
    throw std::runtime_error(std::string("cannot use ") + flag + " " + file + ": " + error.what());
  }
}

}  // namespace

void UseEtcdTls(const EtcdTlsFiles& files) {
  if (!files.Enabled()) {
    if (!files.cert_file.empty() || !files.key_file.empty()) throw std::runtime_error("--etcd-cert needs --etcd-ca");
    return;
  }
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_client);
  SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION);
  Load("--etcd-ca", files.ca_file, [&] { context->load_verify_file(files.ca_file); });
  if (!files.cert_file.empty()) {
    Load("--etcd-cert", files.cert_file, [&] { context->use_certificate_chain_file(files.cert_file); });
    Load("--etcd-key", files.key_file, [&] { context->use_private_key_file(files.key_file, asio::ssl::context::pem); });
  }
  context->set_verify_mode(asio::ssl::verify_peer);
  Context() = std::move(context);
}

std::shared_ptr<asio::ssl::context> EtcdTlsContext() { return Context(); }

}  // namespace tessera::cluster::etcd
