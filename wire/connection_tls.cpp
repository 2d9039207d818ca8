// The TLS upgrade of a client connection (wire/connection.h). PostgreSQL's
// order: the client sends SSLRequest and waits; the server answers one byte
// ('S') in plain text; the TLS handshake follows, then the startup packet
// inside TLS. All of it runs on the socket's strand; the worker side learns
// of it from a kTlsStarted item, queued before any message read over TLS.
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include "wire/connection.h"
#include "wire/frontend_messages.h"

namespace tessera::wire {

namespace {

namespace asio = boost::asio;

// "/CN=alice/O=Example", as PostgreSQL 15 writes a certificate's names in
// pg_stat_ssl (its X509_NAME_to_cstring): each entry's short name and its
// value, RFC 2253 escaping, UTF-8.
std::string NameToString(X509_NAME* name) {
  BIO* bio = BIO_new(BIO_s_mem());
  if (bio == nullptr) return {};
  for (int i = 0; i < X509_NAME_entry_count(name); ++i) {
    X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
    int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(entry));
    const char* field = OBJ_nid2sn(nid);
    if (field == nullptr) field = OBJ_nid2ln(nid);
    if (field == nullptr) continue;
    BIO_printf(bio, "/%s=", field);
    ASN1_STRING_print_ex(bio, X509_NAME_ENTRY_get_data(entry),
                         (ASN1_STRFLGS_RFC2253 & ~ASN1_STRFLGS_ESC_MSB) | ASN1_STRFLGS_UTF8_CONVERT);
  }
  char* data = nullptr;
  long size = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<size_t>(size));
  BIO_free(bio);
  return out;
}

std::string CommonName(X509_NAME* name) {
  int index = X509_NAME_get_index_by_NID(name, NID_commonName, -1);
  if (index < 0) return {};
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, index));
  std::string cn(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)), static_cast<size_t>(ASN1_STRING_length(data)));
  // A CN with an embedded NUL names nobody (PostgreSQL refuses it too).
  return cn.find('\0') == std::string::npos ? cn : std::string();
}

std::string SerialDecimal(X509* cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr);
  if (bn == nullptr) return "0";
  char* text = BN_bn2dec(bn);
  std::string out = text != nullptr ? text : "0";
  OPENSSL_free(text);
  BN_free(bn);
  return out;
}

// RFC 5929's tls-server-end-point: the server certificate hashed with its
// signature's hash function, SHA-256 in place of MD5 and SHA-1 (PostgreSQL's
// be_tls_get_certificate_hash). Empty when it cannot be told: then
// SCRAM-SHA-256-PLUS is not offered.
std::string ServerEndPoint(SSL* ssl) {
  X509* cert = SSL_get_certificate(ssl);
  int digest_nid = NID_undef;
  if (cert == nullptr || !OBJ_find_sigid_algs(X509_get_signature_nid(cert), &digest_nid, nullptr)) return {};
  const EVP_MD* digest = digest_nid == NID_md5 || digest_nid == NID_sha1 ? EVP_sha256() : EVP_get_digestbynid(digest_nid);
  if (digest == nullptr) return {};
  unsigned char hash[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!X509_digest(cert, digest, hash, &size)) return {};
  return std::string(reinterpret_cast<const char*>(hash), size);
}

TlsSessionInfo Describe(SSL* ssl) {
  TlsSessionInfo info;
  info.ssl = true;
  info.version = SSL_get_version(ssl);
  info.server_end_point = ServerEndPoint(ssl);
  const SSL_CIPHER* cipher = SSL_get_current_cipher(ssl);
  if (cipher != nullptr) {
    info.cipher = SSL_CIPHER_get_name(cipher);
    SSL_CIPHER_get_bits(cipher, &info.bits);  // the algorithm's bits, as PostgreSQL reports
  }
  // Present only when the client sent one and it verified against --tls-ca
  // (without a CA none is requested).
  X509* peer = SSL_get1_peer_certificate(ssl);
  if (peer != nullptr) {
    info.client_certificate = true;
    info.client_cn = CommonName(X509_get_subject_name(peer));
    info.client_dn = NameToString(X509_get_subject_name(peer));
    info.issuer_dn = NameToString(X509_get_issuer_name(peer));
    info.client_serial = SerialDecimal(peer);
    X509_free(peer);
  }
  return info;
}

}  // namespace

bool Connection::HandleSslRequest(const RawMessage& message) {
  if (tls_context_ == nullptr || tls_ || message.type != RawMessage::kStartupType) return false;
  try {
    if (StartupPacket::Decode(message.body).kind != StartupPacket::Kind::kSslRequest) return false;
  } catch (const SqlError&) {
    return false;  // let the handler report it
  }
  read_stopped_ = true;  // until the handshake is done
  {
    std::lock_guard lock(mutex_);
    tls_active_ = true;  // from now on the worker leaves every write to the strand
  }
  tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, *tls_context_);
  static const char kAccept = 'S';
  asio::async_write(socket_, asio::buffer(&kAccept, 1),
                    [self = shared_from_this()](const boost::system::error_code& ec, size_t) {
                      if (ec) {
                        self->OnHandshake(ec);
                        return;
                      }
                      self->tls_->async_handshake(
                          asio::ssl::stream_base::server,
                          [self](const boost::system::error_code& ec) { self->OnHandshake(ec); });
                    });
  return true;
}

void Connection::OnHandshake(const boost::system::error_code& ec) {
  if (ec) {
    // This client only: log it and close its socket; the session never started.
    spdlog::warn("could not accept SSL connection from host {}: {}", client_address_, ec.message());
    CloseSocket();
    Enqueue(Item{Item::Kind::kEof, {}, {}});
    return;
  }
  Item started{Item::Kind::kTlsStarted, {}, {}};
  started.tls = Describe(tls_->native_handle());
  Enqueue(std::move(started));
  if (framer_.Buffered() > 0) {
    // Bytes sent after the SSLRequest, before the answer, were not
    // encrypted and may have been injected by a man in the middle
    // (CVE-2021-23214): refuse them over TLS, as PostgreSQL does.
    Enqueue(Item{Item::Kind::kFramingError, {},
                 SqlError(sqlstate::kProtocolViolation, "received unencrypted data after SSL request",
                          "This could be either a client-software bug or evidence of an attempted "
                          "man-in-the-middle attack.")});
    return;
  }
  read_stopped_ = false;
  ReadMore();
}

}  // namespace tessera::wire
