#include "wire/scram_exchange.h"

#include "common/error.h"
#include "common/secure_random.h"

namespace tessera::wire {

namespace {

constexpr size_t kRawNonceLength = 18;  // PostgreSQL's SCRAM_RAW_NONCE_LEN

SqlError Malformed(const std::string& detail) {
  return SqlError(sqlstate::kProtocolViolation, "malformed SCRAM message", detail);
}

// The secret the mock salts derive from: one per process, from RAND_bytes.
const std::string& MockSecret() {
  static const std::string secret = [] {
    std::string s(32, '\0');
    SecureRandomBytes(s.data(), s.size());
    return s;
  }();
  return secret;
}

// "x=value" at `text[*pos]`, moving past it and the ',' after it.
std::string ReadAttribute(const std::string& text, size_t* pos, char name) {
  if (*pos >= text.size() || text.compare(*pos, 2, std::string{name, '='}) != 0)
    throw Malformed(std::string("Expected attribute \"") + name + "\" but found \"" + text.substr(*pos, 1) + "\".");
  size_t start = *pos + 2;
  size_t end = text.find(',', start);
  if (end == std::string::npos) end = text.size();
  *pos = end == text.size() ? end : end + 1;
  return text.substr(start, end - start);
}

bool PrintableNonce(const std::string& nonce) {
  if (nonce.empty()) return false;
  for (char c : nonce)
    if (c < 0x21 || c > 0x7e || c == ',') return false;
  return true;
}

}  // namespace

ScramExchange::ScramExchange(const std::string& user, const std::optional<std::string>& verifier,
                             ChannelBinding binding)
    : user_(user), binding_(std::move(binding)) {
  std::optional<scram::Verifier> parsed;
  if (verifier) parsed = scram::ParseVerifier(*verifier);
  if (parsed) {
    verifier_ = std::move(*parsed);
    return;
  }
  mock_ = true;
  detail_ = verifier ? "User \"" + user + "\" has no password assigned." : "Role \"" + user + "\" does not exist.";
  verifier_.iterations = scram::kIterations;
  verifier_.salt = scram::Sha256(MockSecret() + user).substr(0, scram::kSaltLength);
  verifier_.stored_key = std::string(scram::kKeyLength, '\0');
  verifier_.server_key = std::string(scram::kKeyLength, '\0');
}

std::string ScramExchange::First(const std::string& client_first) {
  size_t pos = 0;
  if (client_first.empty()) throw Malformed("The message is empty.");
  char cbind = client_first[0];
  const std::string kNoBindingData =
      "The client selected SCRAM-SHA-256-PLUS, but the SCRAM message does not include channel binding data.";
  if (cbind == 'n' || cbind == 'y') {
    if (binding_.selected) throw Malformed(kNoBindingData);
    // "y": the client could bind but thinks we cannot; we can over TLS, so
    // a downgrade is suspected (RFC 5802 section 6).
    if (cbind == 'y' && !binding_.server_end_point.empty())
      throw SqlError("28000", "SCRAM channel binding negotiation error",
                     "The client supports SCRAM channel binding but thinks the server does not.  However, this "
                     "server does support channel binding.");
    if (client_first.size() < 2 || client_first[1] != ',') throw Malformed("Comma expected, but found character.");
    pos = 2;
  } else if (cbind == 'p') {
    if (!binding_.selected)
      throw Malformed("The client selected SCRAM-SHA-256 without channel binding, but the SCRAM message includes "
                      "channel binding data.");
    std::string type = ReadAttribute(client_first, &pos, 'p');  // now at the authzid field, as after "n,"
    if (type != "tls-server-end-point")
      throw SqlError(sqlstate::kProtocolViolation, "unsupported SCRAM channel-binding type \"" + type + "\"");
  } else {
    throw Malformed("Unexpected channel-binding flag \"" + std::string(1, cbind) + "\".");
  }
  if (pos < client_first.size() && client_first[pos] == 'a')
    throw SqlError(sqlstate::kFeatureNotSupported, "client uses authorization identity, but it is not supported");
  if (pos >= client_first.size() || client_first[pos] != ',') throw Malformed("Unexpected attribute in client-first-message.");
  ++pos;
  gs2_header_ = client_first.substr(0, pos);
  client_first_bare_ = client_first.substr(pos);
  if (pos < client_first.size() && client_first[pos] == 'm')
    throw SqlError(sqlstate::kFeatureNotSupported, "client requires an unsupported SCRAM extension");
  ReadAttribute(client_first, &pos, 'n');  // PostgreSQL uses the startup packet's user name
  std::string client_nonce = ReadAttribute(client_first, &pos, 'r');
  if (!PrintableNonce(client_nonce)) throw Malformed("The client nonce contains invalid characters.");
  std::string raw(kRawNonceLength, '\0');
  SecureRandomBytes(raw.data(), raw.size());
  nonce_ = client_nonce + scram::Base64Encode(raw);
  server_first_ = "r=" + nonce_ + ",s=" + scram::Base64Encode(verifier_.salt) + ",i=" +
                  std::to_string(verifier_.iterations);
  return server_first_;
}

std::optional<std::string> ScramExchange::Final(const std::string& client_final) {
  size_t pos = 0;
  std::string channel = ReadAttribute(client_final, &pos, 'c');
  auto channel_raw = scram::Base64Decode(channel);
  if (binding_.selected) {
    // The gs2 header again, then the binding data: this connection's
    // server certificate hash, which a man in the middle cannot forge.
    if (!channel_raw || !scram::ConstantTimeEqual(*channel_raw, gs2_header_ + binding_.server_end_point))
      throw SqlError("28000", "SCRAM channel binding check failed");
  } else if (!channel_raw || *channel_raw != gs2_header_) {
    throw SqlError(sqlstate::kProtocolViolation, "SCRAM channel binding check failed");
  }
  std::string nonce = ReadAttribute(client_final, &pos, 'r');
  if (nonce != nonce_) throw Malformed("Nonce does not match.");
  // Extensions may follow the nonce; the proof is always last.
  size_t proof_at = client_final.rfind(",p=");
  if (proof_at == std::string::npos || proof_at + 1 < pos) throw Malformed("Could not find proof in client-final-message.");
  std::string final_without_proof = client_final.substr(0, proof_at);
  auto proof = scram::Base64Decode(client_final.substr(proof_at + 3));
  if (!proof || proof->size() != scram::kKeyLength) throw Malformed("Malformed proof in client-final-message.");

  std::string auth_message = client_first_bare_ + "," + server_first_ + "," + final_without_proof;
  std::string client_signature = scram::HmacSha256(verifier_.stored_key, auth_message);
  std::string client_key(scram::kKeyLength, '\0');
  for (size_t i = 0; i < scram::kKeyLength; ++i) client_key[i] = static_cast<char>((*proof)[i] ^ client_signature[i]);
  bool proof_ok = scram::ConstantTimeEqual(scram::Sha256(client_key), verifier_.stored_key);
  if (mock_ || !proof_ok) {
    if (!mock_) detail_ = "Password does not match for user \"" + user_ + "\".";
    return std::nullopt;
  }
  return "v=" + scram::Base64Encode(scram::HmacSha256(verifier_.server_key, auth_message));
}

}  // namespace tessera::wire
