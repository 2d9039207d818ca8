// The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677), as
// PostgreSQL's auth-scram.c runs it over SASLInitialResponse/SASLResponse:
//   client-first  "n,,n=,r=<client nonce>"
//   server-first  "r=<client nonce><server nonce>,s=<salt>,i=<iterations>"
//   client-final  "c=biws,r=<nonce>,p=<proof>"
//   server-final  "v=<server signature>"
// Over TLS the server also offers SCRAM-SHA-256-PLUS with channel binding
// type tls-server-end-point (RFC 5929: a hash of the server's certificate),
// as PostgreSQL does: the client-first then starts "p=tls-server-end-point,,"
// and the client-final's c= carries that header plus the hash, binding the
// proof to this TLS connection (a man in the middle has another
// certificate). A client that supports binding but thinks the server does
// not ("y") is refused over TLS, as RFC 5802 asks. A role that does not
// exist or has no password gets a mock exchange (a salt derived from its name
// and a per-process secret), which fails only at the proof, so a client
// cannot tell a missing role from a wrong password.
#pragma once

#include <optional>
#include <string>

#include "common/scram.h"

namespace tessera::wire {

// What the connection offers for channel binding.
struct ChannelBinding {
  // The tls-server-end-point data (the server certificate's hash); empty
  // without TLS, where only SCRAM-SHA-256 is offered.
  std::string server_end_point;
  // The client chose SCRAM-SHA-256-PLUS.
  bool selected = false;
};

inline constexpr const char* kScramSha256 = "SCRAM-SHA-256";
inline constexpr const char* kScramSha256Plus = "SCRAM-SHA-256-PLUS";

class ScramExchange {
 public:
  // `verifier`: the role's stored verifier; nullopt (or one that does not
  // parse) runs the mock exchange for `user`.
  ScramExchange(const std::string& user, const std::optional<std::string>& verifier, ChannelBinding binding = {});

  // The client-first-message in; the server-first-message out. Throws
  // SqlError (08P01 malformed or a binding flag that contradicts the chosen
  // mechanism, 28000 "y" over TLS, 0A000 authorization identity).
  std::string First(const std::string& client_first);
  // The client-final-message in; the server-final-message out, or nullopt
  // when the proof is wrong (or the exchange was a mock). Throws 08P01 on a
  // malformed message, 28000 for channel binding data that does not match.
  std::optional<std::string> Final(const std::string& client_final);
  // Why the last Final failed, for the server log (PostgreSQL's logdetail).
  const std::string& FailureDetail() const { return detail_; }

 private:
  std::string user_;
  scram::Verifier verifier_;
  bool mock_ = false;
  ChannelBinding binding_;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;  // client nonce + server nonce
  std::string detail_;
};

}  // namespace tessera::wire
