// Client authentication, between the startup packet and AuthenticationOk:
// the first pg_hba.conf rule matching the client (wire/hba.h) names the
// method. `trust` completes the startup; `reject` and no matching rule
// refuse it (28000); `password` asks for the cleartext password and checks
// it against the role's SCRAM verifier; `scram-sha-256` runs SASL
// (AuthenticationSASL 10, SASLContinue 11, SASLFinal 12; wire/scram_exchange.h),
// offering SCRAM-SHA-256-PLUS (channel binding) too over TLS.
// `cert` (hostssl rules, with --tls-ca) completes the startup when the
// client certificate, already verified against the CA during the TLS
// handshake, names the user in its CN; else 28000.
// A wrong password, a missing role and a role without a password all end
// in the same 28P01, as in PostgreSQL; the server log says which it was,
// with the client's address.
//
// The handler runs on a worker fiber (wire/connection.h), never on an I/O
// thread, so the PBKDF2 of `password` and the HMACs of SCRAM cost no other
// connection its I/O; between messages nothing waits at all.
#include <spdlog/spdlog.h>

#include "common/error.h"
#include "common/scram.h"
#include "wire/backend_messages.h"
#include "wire/protocol_handler.h"
#include "wire/scram_exchange.h"

namespace tessera::wire {

namespace {

constexpr int32_t kCleartextPassword = 3;
constexpr int32_t kSasl = 10;
constexpr int32_t kSaslContinue = 11;
constexpr int32_t kSaslFinal = 12;

const HbaRules& DefaultRules() {
  static const HbaRules rules = HbaRules::Default();
  return rules;
}

// "fe80::1%eth0" -> "fe80::1": the rules match addresses, not scopes.
std::string WithoutScope(const std::string& address) { return address.substr(0, address.find('%')); }

}  // namespace

void ProtocolHandler::BeginAuthentication() {
  if (client_address_.empty()) {  // fed in-process (unit tests)
    CompleteStartup();
    return;
  }
  const std::string& user = startup_["user"];
  const std::string& database = startup_["database"];
  const HbaRules& rules = options_.hba ? *options_.hba : DefaultRules();
  auto address = IpAddress::Parse(WithoutScope(client_address_));
  const HbaRule* rule = address ? rules.Match(database, user, *address, tls_.ssl) : nullptr;
  std::string who = "host \"" + client_address_ + "\", user \"" + user + "\", database \"" + database + "\", " +
                    (tls_.ssl ? "SSL encryption" : "no encryption");
  if (rule == nullptr) {
    spdlog::warn("connection refused: no pg_hba.conf entry for {}", who);
    SendFatalAndClose(SqlError("28000", "no pg_hba.conf entry for " + who));
    return;
  }
  switch (rule->method) {
    case AuthMethod::kTrust: CompleteStartup(); return;
    case AuthMethod::kReject:
      spdlog::warn("connection refused: pg_hba.conf line {} rejects {}", rule->line, who);
      SendFatalAndClose(SqlError("28000", "pg_hba.conf rejects connection for " + who));
      return;
    case AuthMethod::kCert:
      auth_ = std::make_unique<Authentication>();
      auth_->method = rule->method;
      auth_->rule_line = rule->line;
      CheckCertificate();
      return;
    case AuthMethod::kPassword:
    case AuthMethod::kScramSha256: break;
  }
  auth_ = std::make_unique<Authentication>();
  auth_->method = rule->method;
  auth_->rule_line = rule->line;
  try {
    auth_->verifier = factory_.RolePassword(user);
  } catch (const SqlError& error) {
    auth_.reset();
    SendFatalAndClose(error);
    return;
  }
  if (rule->method == AuthMethod::kPassword) {
    AuthenticationRequest{kCleartextPassword, {}, {}}.Encode(out_);
  } else {
    // Over TLS, SCRAM-SHA-256-PLUS first, as PostgreSQL lists them.
    std::vector<std::string> mechanisms;
    if (!tls_.server_end_point.empty()) mechanisms.push_back(kScramSha256Plus);
    mechanisms.push_back(kScramSha256);
    AuthenticationRequest{kSasl, mechanisms, {}}.Encode(out_);
  }
  Flush();
}

void ProtocolHandler::HandleAuthentication(const RawMessage& message) {
  if (message.type == 'X') {  // the client gave up (psql without a password does)
    auth_.reset();
    CloseConnection();
    return;
  }
  try {
    if (message.type != 'p') {
      bool sasl = auth_->method == AuthMethod::kScramSha256;
      throw ProtocolViolation(std::string("expected ") + (sasl ? "SASL" : "password") +
                              " response, got message type " + std::to_string(static_cast<int>(message.type)));
    }
    if (auth_->method == AuthMethod::kPassword) {
      HandlePasswordMessage(message.body);
    } else {
      HandleSaslMessage(message.body);
    }
  } catch (const SqlError& error) {
    spdlog::warn("authentication of user \"{}\" from host {} failed: {}", startup_["user"], client_address_,
                 error.Message());
    auth_.reset();
    SendFatalAndClose(error);
  }
}

void ProtocolHandler::HandlePasswordMessage(const std::string& body) {
  ReadBuffer in(body);
  std::string password = in.GetCString();
  in.ExpectEnd();
  // As PostgreSQL: an empty password is never accepted, nor even checked.
  if (password.empty()) throw SqlError("28P01", "empty password returned by client");
  const std::optional<std::string>& verifier = auth_->verifier;
  std::string detail = !verifier           ? "Role \"" + startup_["user"] + "\" does not exist."
                       : verifier->empty() ? "User \"" + startup_["user"] + "\" has no password assigned."
                                           : "Password does not match for user \"" + startup_["user"] + "\".";
  bool ok = verifier && !verifier->empty() && scram::CheckPassword(*verifier, password);
  if (!ok) {
    FailAuthentication(SqlError("28P01", "password authentication failed for user \"" + startup_["user"] + "\""),
                       detail);
    return;
  }
  auth_.reset();
  CompleteStartup();
}

void ProtocolHandler::HandleSaslMessage(const std::string& body) {
  if (!auth_->scram) {  // SASLInitialResponse: the mechanism and the client-first-message
    ReadBuffer in(body);
    std::string mechanism = in.GetCString();
    int32_t length = in.GetInt32();
    std::string data = length < 0 ? std::string() : std::string(in.GetBytes(static_cast<size_t>(length)));
    in.ExpectEnd();
    bool plus = mechanism == kScramSha256Plus && !tls_.server_end_point.empty();
    if (mechanism != kScramSha256 && !plus)
      throw ProtocolViolation("client selected an invalid SASL authentication mechanism");
    std::optional<std::string> verifier = auth_->verifier;
    auth_->scram = std::make_unique<ScramExchange>(startup_["user"], verifier,
                                                   ChannelBinding{tls_.server_end_point, plus});
    AuthenticationRequest{kSaslContinue, {}, auth_->scram->First(data)}.Encode(out_);
    Flush();
    return;
  }
  std::optional<std::string> server_final = auth_->scram->Final(body);  // SASLResponse: client-final-message
  if (!server_final) {
    FailAuthentication(SqlError("28P01", "password authentication failed for user \"" + startup_["user"] + "\""),
                       auth_->scram->FailureDetail());
    return;
  }
  AuthenticationRequest{kSaslFinal, {}, *server_final}.Encode(out_);
  auth_.reset();
  CompleteStartup();
}

void ProtocolHandler::CheckCertificate() {
  const std::string& user = startup_["user"];
  // As PostgreSQL: without a certificate the rule cannot be satisfied; the
  // handshake has already refused one the CA did not sign.
  if (!tls_.client_certificate) {
    FailAuthentication(SqlError("28000", "connection requires a valid client certificate"),
                       "no client certificate");
    return;
  }
  if (tls_.client_cn != user) {
    FailAuthentication(SqlError("28000", "certificate authentication failed for user \"" + user + "\""),
                       tls_.client_cn.empty() ? "client certificate contains no user name"
                                              : "provided user name (" + user + ") and authenticated user name (" +
                                                    tls_.client_cn + ") do not match");
    return;
  }
  auth_.reset();
  CompleteStartup();
}

void ProtocolHandler::FailAuthentication(const SqlError& error, const std::string& detail) {
  spdlog::warn("{} (host {}, {} authentication, pg_hba.conf line {}): {}", error.Message(), client_address_,
               AuthMethodName(auth_->method), auth_->rule_line, detail);
  auth_.reset();
  SendFatalAndClose(error);
}

}  // namespace tessera::wire
