#include "cluster/transport/tls_session.h"


#include <openssl/err.h>
#include <openssl/x509v3.h>

#include <stdexcept>

#include "cluster/transport/link_tls.h"

namespace tessera::cluster::transport::detail {

namespace {

// The reason OpenSSL queued for the last failure, as text.
std::string LastError(const char* fallback) {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return fallback;
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  // "error:0A000086:SSL routines::certificate verify failed" → the reason.
  std::string reason(text);
  const size_t colon = reason.rfind(':');
  return colon == std::string::npos ? reason : reason.substr(colon + 1);
}

}  // namespace

TlsSession::TlsSession(SSL_CTX* context, bool server, const std::string& verify_host)
    : ssl_(SSL_new(context)), in_(BIO_new(BIO_s_mem())), out_(BIO_new(BIO_s_mem())) {
  if (ssl_ == nullptr || in_ == nullptr || out_ == nullptr) throw std::runtime_error("out of memory for TLS");
  // An empty memory BIO means "no data yet", not end of file.
  BIO_set_mem_eof_return(in_, -1);
  SSL_set_bio(ssl_, in_, out_);  // the session owns both BIOs now
  if (server) {
    SSL_set_accept_state(ssl_);
  } else {
    SSL_set_connect_state(ssl_);
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl_);
    if (IsIpAddress(verify_host)) {
      X509_VERIFY_PARAM_set1_ip_asc(param, verify_host.c_str());
    } else {
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      X509_VERIFY_PARAM_set1_host(param, verify_host.c_str(), 0);
      SSL_set_tlsext_host_name(ssl_, verify_host.c_str());
    }
  }
}

TlsSession::~TlsSession() { SSL_free(ssl_); }

void TlsSession::TakeOutput(std::string& output) {
  char chunk[16384];
  int n;
  while ((n = BIO_read(out_, chunk, sizeof chunk)) > 0) output.append(chunk, static_cast<size_t>(n));
}

void TlsSession::Feed(const char* data, size_t size) {
  // A memory BIO grows as needed; writes of at most INT_MAX bytes at a time.
  while (size > 0) {
    const int n = BIO_write(in_, data, static_cast<int>(std::min<size_t>(size, 1 << 30)));
    if (n <= 0) throw std::runtime_error("out of memory for TLS input");
    data += n;
    size -= static_cast<size_t>(n);
  }
}

TlsSession::Step TlsSession::Handshake(std::string_view input, std::string& output, std::string& error) {
  Feed(input.data(), input.size());
  const int result = SSL_do_handshake(ssl_);
  TakeOutput(output);  // the alert that tells the peer why, on failure too
  if (result == 1) return Step::kDone;
  const int reason = SSL_get_error(ssl_, result);
  if (reason == SSL_ERROR_WANT_READ) return Step::kWantInput;
  error = LastError("handshake failed");
  if (SSL_get_verify_result(ssl_) != X509_V_OK) {
    error += std::string(" (") + X509_verify_cert_error_string(SSL_get_verify_result(ssl_)) + ")";
  }
  return Step::kFailed;
}

bool TlsSession::Encrypt(std::string_view plaintext, std::string& output, std::string& error) {
  size_t done = 0;
  while (done < plaintext.size()) {
    size_t written = 0;
    if (SSL_write_ex(ssl_, plaintext.data() + done, plaintext.size() - done, &written) != 1) {
      error = LastError("TLS write failed");
      return false;
    }
    done += written;
  }
  TakeOutput(output);
  return true;
}

long TlsSession::Decrypt(char* out, size_t capacity, std::string& output, std::string& error) {
  if (capacity == 0) return 0;
  size_t read = 0;
  const int result = SSL_read_ex(ssl_, out, capacity, &read);
  TakeOutput(output);
  if (result == 1) return static_cast<long>(read);
  const int reason = SSL_get_error(ssl_, result);
  if (reason == SSL_ERROR_WANT_READ) return 0;
  error = reason == SSL_ERROR_ZERO_RETURN ? "connection closed by peer" : LastError("TLS read failed");
  return -1;
}

bool TlsSession::HasBuffered() const { return SSL_pending(ssl_) > 0 || BIO_ctrl_pending(in_) > 0; }

}  // namespace tessera::cluster::transport::detail
