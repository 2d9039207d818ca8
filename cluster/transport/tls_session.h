// One TLS connection's state, driven by hand: OpenSSL reads ciphertext from
// and writes it to memory buffers, and FramedSocket moves those bytes over
// the socket itself. That keeps the transport's shortcuts under TLS — the
// sending thread writes the encrypted frame straight to the socket, and a
// caller decrypts its own reply on its own thread — which an SSL stream
// owned by the I/O thread's strand would rule out (each of those hops costs
// a thread switch, about half again a point lookup's latency on 2 cores).
//
// Not thread-safe: the caller serialises every call (FramedSocket's mutex).
// Internal to the transport.
#pragma once

#include <openssl/ssl.h>

#include <cstddef>
#include <string>
#include <string_view>

namespace tessera::cluster::transport::detail {

class TlsSession {
 public:
  // `context`: a context of link_tls_context.h. On the client side the
  // server's certificate must name `verify_host` (an IP address or DNS name).
  TlsSession(SSL_CTX* context, bool server, const std::string& verify_host);
  ~TlsSession();
  TlsSession(const TlsSession&) = delete;
  TlsSession& operator=(const TlsSession&) = delete;

  enum class Step { kWantInput, kDone, kFailed };
  // Feeds ciphertext received during the handshake (possibly none, to
  // start it) and advances it. Appends what must be sent to `output`.
  // kFailed: `error` says why (the peer's certificate, a protocol error).
  Step Handshake(std::string_view input, std::string& output, std::string& error);

  // After the handshake. Appends the ciphertext of `plaintext` to `output`.
  // False on a broken session (`error` says why).
  bool Encrypt(std::string_view plaintext, std::string& output, std::string& error);
  // Ciphertext received.
  void Feed(const char* data, size_t size);
  // Decrypts into [out, out + capacity): the bytes written, 0 when more
  // ciphertext is needed (or capacity is 0), -1 when the peer closed the
  // session or broke it (`error` says which). Appends to `output` anything
  // the session must send back (rare in TLS 1.3: a key update's answer).
  long Decrypt(char* out, size_t capacity, std::string& output, std::string& error);
  // Whether plaintext or undecrypted ciphertext is buffered, so a Decrypt
  // may yield bytes without reading the socket.
  bool HasBuffered() const;

 private:
  void TakeOutput(std::string& output);

  SSL* ssl_;
  BIO* in_;   // ciphertext received, read by OpenSSL
  BIO* out_;  // ciphertext OpenSSL wrote, to send
};

}  // namespace tessera::cluster::transport::detail
