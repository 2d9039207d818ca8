// The server side of one SCRAM-SHA-256 exchange (RFC 5802, RFC 7677), as
// PostgreSQL's auth-scram.c runs it over SASLInitialResponse/SASLResponse:
//   client-first  "n,,n=,r=<client nonce>"
//   server-first  "r=<client nonce><server nonce>,s=<salt>,i=<iterations>"
//   client-final  "c=biws,r=<nonce>,p=<proof>"
//   server-final  "v=<server signature>"
// Channel binding (SCRAM-SHA-256-PLUS) needs TLS, which Tessera does not
// have yet: a client asking for it ("p=") is refused. A role that does not
// exist or has no password gets a mock exchange (a salt derived from its name
// and a per-process secret), which fails only at the proof, so a client
// cannot tell a missing role from a wrong password.
#pragma once

#include <optional>
#include <string>

#include "common/scram.h"

namespace tessera::wire {

class ScramExchange {
 public:
  // `verifier`: the role's stored verifier; nullopt (or one that does not
  // parse) runs the mock exchange for `user`.
  ScramExchange(const std::string& user, const std::optional<std::string>& verifier);

  // The client-first-message in; the server-first-message out. Throws
  // SqlError (08P01 malformed, 0A000 authorization identity or channel binding).
  std::string First(const std::string& client_first);
  // The client-final-message in; the server-final-message out, or nullopt
  // when the proof is wrong (or the exchange was a mock). Throws 08P01 on a
  // malformed message.
  std::optional<std::string> Final(const std::string& client_final);
  // Why the last Final failed, for the server log (PostgreSQL's logdetail).
  const std::string& FailureDetail() const { return detail_; }

 private:
  std::string user_;
  scram::Verifier verifier_;
  bool mock_ = false;
  std::string gs2_header_;
  std::string client_first_bare_;
  std::string server_first_;
  std::string nonce_;  // client nonce + server nonce
  std::string detail_;
};

}  // namespace tessera::wire
