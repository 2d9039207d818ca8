// Authentication: SCRAM-SHA-256 primitives against RFC 7677's example,
// pg_hba.conf rules, and the handler's SASL and cleartext exchanges driven
// by bytes (a client written here from the RFC, with the primitives).
#include <gtest/gtest.h>

#include "common/scram.h"
#include "tests/unit/wire/fake_session.h"
#include "tests/unit/wire/wire_test_util.h"
#include "wire/hba.h"
#include "wire/protocol_handler.h"
#include "wire/scram_exchange.h"

namespace tessera::wire::testing {
namespace {

std::string Xor(const std::string& a, const std::string& b) {
  std::string out = a;
  for (size_t i = 0; i < out.size(); ++i) out[i] = static_cast<char>(a[i] ^ b[i]);
  return out;
}

// RFC 7677 section 3: user "user", password "pencil".
TEST(Scram, Rfc7677Example) {
  std::string salt = *scram::Base64Decode("W22ZaJ0SNY7soEsUEjb6gQ==");
  std::string salted = scram::SaltedPassword("pencil", salt, 4096);
  std::string client_key = scram::HmacSha256(salted, "Client Key");
  std::string auth_message =
      "n=user,r=rOprNGfwEbeRWgbNEkqO,"
      "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096,"
      "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0";
  std::string proof = Xor(client_key, scram::HmacSha256(scram::Sha256(client_key), auth_message));
  EXPECT_EQ(scram::Base64Encode(proof), "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=");
  std::string server_signature = scram::HmacSha256(scram::HmacSha256(salted, "Server Key"), auth_message);
  EXPECT_EQ(scram::Base64Encode(server_signature), "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
}

TEST(Scram, VerifierFormatAndCheck) {
  std::string v = scram::MakeVerifier("pencil");
  ASSERT_TRUE(v.starts_with("SCRAM-SHA-256$4096:"));
  auto parsed = scram::ParseVerifier(v);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->salt.size(), 16u);
  EXPECT_EQ(parsed->stored_key.size(), 32u);
  EXPECT_TRUE(scram::CheckPassword(v, "pencil"));
  EXPECT_FALSE(scram::CheckPassword(v, "pencil "));
  EXPECT_NE(scram::MakeVerifier("pencil"), v);  // a fresh salt each time
  // The same salt and iterations give PostgreSQL's verifier for them.
  EXPECT_EQ(scram::MakeVerifier("pencil", parsed->salt, 4096), v);
  EXPECT_FALSE(scram::ParseVerifier("md5abcdef").has_value());
  EXPECT_FALSE(scram::ParseVerifier("SCRAM-SHA-256$4096:abc$def:ghi").has_value());
  EXPECT_FALSE(scram::Base64Decode("a=bc").has_value());
}

IpAddress Ip(const std::string& text) { return *IpAddress::Parse(text); }

TEST(Hba, FirstMatchingRuleDecides) {
  HbaRules rules = HbaRules::Parse(
      "# comment\n"
      "local all all trust\n"
      "host all mallory 127.0.0.1/32 reject\n"
      "hostnossl db1,\"All\" carol 10.0.0.0 255.0.0.0 password\n"
      "host sameuser all ::1/128 trust   # trailing comment\n"
      "hostssl all all 0.0.0.0/0 trust\n"
      "host all \"all\" 0.0.0.0/0 trust\n"
      "host all alice,bob 127.0.0.0/8 scram-sha-256\n",
      "test_hba.conf");
  const HbaRule* r = rules.Match("db", "mallory", Ip("127.0.0.1"), false);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->method, AuthMethod::kReject);
  EXPECT_EQ(r->line, 3);
  r = rules.Match("db1", "carol", Ip("10.1.2.3"), false);
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->method, AuthMethod::kPassword);
  EXPECT_NE(rules.Match("All", "carol", Ip("10.1.2.3"), false), nullptr);  // quoted: a database named All
  EXPECT_EQ(rules.Match("db2", "carol", Ip("10.1.2.3"), false), nullptr);
  EXPECT_EQ(rules.Match("db1", "carol", Ip("11.1.2.3"), false), nullptr);
  EXPECT_EQ(rules.Match("alice", "alice", Ip("::1"), false)->method, AuthMethod::kTrust);  // sameuser
  EXPECT_EQ(rules.Match("db", "alice", Ip("::1"), false), nullptr);
  // hostssl matches TLS connections only; a quoted "all" is a role named all.
  EXPECT_EQ(rules.Match("db", "all", Ip("192.168.0.1"), false)->method, AuthMethod::kTrust);
  EXPECT_EQ(rules.Match("db", "all", Ip("192.168.0.1"), true)->line, 6);
  EXPECT_EQ(rules.Match("db", "bob", Ip("127.0.0.9"), false)->method, AuthMethod::kScramSha256);
  EXPECT_EQ(rules.Match("db", "bob", Ip("::ffff:127.0.0.9"), false)->method, AuthMethod::kScramSha256);
  EXPECT_EQ(rules.Match("db", "bob", Ip("192.168.0.1"), false), nullptr);
}

TEST(Hba, SslTypesMatchByTransport) {
  HbaRules rules = HbaRules::Parse(
      "hostnossl all plain 0.0.0.0/0 trust\n"
      "hostssl all alice 0.0.0.0/0 cert\n"
      "host all all 0.0.0.0/0 password\n",
      "f");
  EXPECT_EQ(rules.Match("d", "plain", Ip("10.0.0.1"), false)->method, AuthMethod::kTrust);
  EXPECT_EQ(rules.Match("d", "plain", Ip("10.0.0.1"), true)->method, AuthMethod::kPassword);  // host: both
  EXPECT_EQ(rules.Match("d", "alice", Ip("10.0.0.1"), true)->method, AuthMethod::kCert);
  EXPECT_EQ(rules.Match("d", "alice", Ip("10.0.0.1"), false)->method, AuthMethod::kPassword);
  EXPECT_TRUE(rules.UsesCert());
  EXPECT_FALSE(HbaRules::Default().UsesCert());
  // As PostgreSQL: cert needs a TLS connection, so only hostssl may name it.
  EXPECT_THROW(HbaRules::Parse("host all all 0.0.0.0/0 cert", "f"), std::runtime_error);
}

// The gs2 flag must agree with the mechanism the client chose, and a "y"
// (binding supported, thought unsupported) is refused where binding exists.
TEST(ScramChannelBinding, FlagMustMatchTheMechanism) {
  auto state = [](ScramExchange& exchange, const std::string& first) {
    try {
      exchange.First(first);
      return std::string("ok");
    } catch (const SqlError& e) {
      return e.Sqlstate() + " " + e.Message();
    }
  };
  const std::string hash(32, 'h');
  ScramExchange plus("u", std::nullopt, ChannelBinding{hash, true});
  EXPECT_EQ(state(plus, "n,,n=,r=abc"), "08P01 malformed SCRAM message");
  ScramExchange plus_ok("u", std::nullopt, ChannelBinding{hash, true});
  EXPECT_EQ(state(plus_ok, "p=tls-server-end-point,,n=,r=abc"), "ok");
  ScramExchange unique("u", std::nullopt, ChannelBinding{hash, true});
  EXPECT_EQ(state(unique, "p=tls-unique,,n=,r=abc"), "08P01 unsupported SCRAM channel-binding type \"tls-unique\"");
  ScramExchange plain_over_tls("u", std::nullopt, ChannelBinding{hash, false});
  EXPECT_EQ(state(plain_over_tls, "y,,n=,r=abc"), "28000 SCRAM channel binding negotiation error");
  ScramExchange plain_with_p("u", std::nullopt, ChannelBinding{hash, false});
  EXPECT_EQ(state(plain_with_p, "p=tls-server-end-point,,n=,r=abc"), "08P01 malformed SCRAM message");
  ScramExchange no_tls("u", std::nullopt);
  EXPECT_EQ(state(no_tls, "y,,n=,r=abc"), "ok");  // we cannot bind without TLS: fine
}

TEST(Hba, DefaultTrustsLoopbackOnly) {
  HbaRules rules = HbaRules::Default();
  EXPECT_EQ(rules.Match("d", "u", Ip("127.0.0.1"), false)->method, AuthMethod::kTrust);
  EXPECT_EQ(rules.Match("d", "u", Ip("::1"), false)->method, AuthMethod::kTrust);
  EXPECT_EQ(rules.Match("d", "u", Ip("10.0.0.1"), false)->method, AuthMethod::kScramSha256);
  EXPECT_EQ(rules.Match("d", "u", Ip("fe80::1"), false)->method, AuthMethod::kScramSha256);
}

TEST(Hba, WhatCannotBeHonouredIsAnError) {
  for (const char* line : {"host all all 127.0.0.1/32 ident", "host all all localhost trust",
                           "host all +admins 127.0.0.1/32 trust", "host @dbs all 127.0.0.1/32 trust",
                           "host all all 127.0.0.1/32 scram-sha-256 clientcert=verify-full",
                           "host all all 127.0.0.1/33 trust", "host all all samenet trust", "hots all all all trust",
                           "host all all 127.0.0.1/32"}) {
    EXPECT_THROW(HbaRules::Parse(line, "f"), std::runtime_error) << line;
  }
}

HandlerOptions WithRules(const std::string& rules) {
  HandlerOptions options;
  options.hba = std::make_shared<const HbaRules>(HbaRules::Parse(rules, "t"));
  return options;
}

// A handler with rules and a client address, over a factory knowing one
// role's verifier.
class AuthFactory final : public SessionFactory {
 public:
  std::unique_ptr<Session> NewSession() override { return std::make_unique<FakeSession>(stats); }
  std::optional<std::string> RolePassword(const std::string& name) override {
    if (name == "alice" || name == "carol") return verifier;
    if (name == "nopass") return std::string();
    return std::nullopt;
  }
  std::string verifier = scram::MakeVerifier("pencil");
  FakeStats stats;
};

class AuthTest : public ::testing::Test {
 protected:
  explicit AuthTest() {
    HandlerOptions options;
    options.hba = std::make_shared<const HbaRules>(HbaRules::Parse(
        "host all carol 127.0.0.1/32 password\n"
        "host all mallory 127.0.0.1/32 reject\n"
        "host all alice,ghost,nopass 127.0.0.1/32 scram-sha-256\n",
        "t"));
    handler_ = std::make_unique<ProtocolHandler>(factory_, out_, registry_, options);
    handler_->SetClientAddress("127.0.0.1");
  }
  std::vector<BackendMessage> Send(const std::string& bytes) {
    handler_->Feed(bytes);
    return out_.Take();
  }
  // Runs SCRAM as a client would; returns the server's last messages.
  std::vector<BackendMessage> Scram(const std::string& user, const std::string& password) {
    auto messages = Send(Startup({{"user", user}, {"database", "db"}}));
    EXPECT_EQ(Types(messages), "R");
    ReadBuffer sasl(messages[0].body);
    EXPECT_EQ(sasl.GetInt32(), 10);
    EXPECT_EQ(sasl.GetCString(), "SCRAM-SHA-256");
    std::string first_bare = "n=,r=clientnonce123";
    std::string first = "n,," + first_bare;
    WriteBuffer initial;
    initial.PutCString("SCRAM-SHA-256");
    initial.PutInt32(static_cast<int32_t>(first.size()));
    initial.PutBytes(first);
    messages = Send(Typed('p', initial.Take()));
    EXPECT_EQ(Types(messages), "R");
    ReadBuffer cont(messages[0].body);
    EXPECT_EQ(cont.GetInt32(), 11);
    std::string server_first(cont.GetBytes(cont.Remaining()));
    EXPECT_TRUE(server_first.starts_with("r=clientnonce123")) << server_first;
    std::string nonce = server_first.substr(2, server_first.find(',') - 2);
    size_t s_at = server_first.find(",s=") + 3;
    std::string salt = *scram::Base64Decode(server_first.substr(s_at, server_first.find(",i=") - s_at));
    EXPECT_TRUE(server_first.ends_with(",i=4096"));
    std::string salted = scram::SaltedPassword(password, salt, 4096);
    std::string client_key = scram::HmacSha256(salted, "Client Key");
    std::string without_proof = "c=biws,r=" + nonce;
    std::string auth_message = first_bare + "," + server_first + "," + without_proof;
    std::string proof = Xor(client_key, scram::HmacSha256(scram::Sha256(client_key), auth_message));
    expected_server_final_ =
        "v=" + scram::Base64Encode(scram::HmacSha256(scram::HmacSha256(salted, "Server Key"), auth_message));
    return Send(Typed('p', without_proof + ",p=" + scram::Base64Encode(proof)));
  }

  AuthFactory factory_;
  StringOutput out_;
  CancelRegistry registry_;
  std::unique_ptr<ProtocolHandler> handler_;
  std::string expected_server_final_;
};

TEST_F(AuthTest, ScramRightPassword) {
  auto messages = Scram("alice", "pencil");
  ASSERT_GE(messages.size(), 3u);
  ReadBuffer final(messages[0].body);
  EXPECT_EQ(final.GetInt32(), 12);
  EXPECT_EQ(std::string(final.GetBytes(final.Remaining())), expected_server_final_);
  EXPECT_EQ(messages[1].body, std::string(4, '\0'));  // AuthenticationOk
  EXPECT_EQ(messages.back().type, 'Z');
  EXPECT_FALSE(out_.closed);
}

TEST_F(AuthTest, ScramWrongPasswordMissingRoleAndNoPasswordFailAlike) {
  for (const char* user : {"alice", "ghost", "nopass"}) {
    out_.closed = false;
    handler_ = std::make_unique<ProtocolHandler>(factory_, out_, registry_,
                                                 WithRules("host all all all scram-sha-256"));
    handler_->SetClientAddress("127.0.0.1");
    auto messages = Scram(user, "wrong");
    ASSERT_EQ(Types(messages), "E") << user;
    EXPECT_EQ(messages[0].Field('S'), "FATAL");
    EXPECT_EQ(messages[0].Field('C'), "28P01");
    EXPECT_EQ(messages[0].Field('M'), std::string("password authentication failed for user \"") + user + "\"");
    EXPECT_TRUE(out_.closed);
  }
  EXPECT_EQ(factory_.stats.sessions, 0);
}

TEST_F(AuthTest, CleartextPassword) {
  auto messages = Send(Startup({{"user", "carol"}, {"database", "db"}}));
  ASSERT_EQ(Types(messages), "R");
  EXPECT_EQ(messages[0].body, std::string("\0\0\0\3", 4));
  messages = Send(Typed('p', std::string("pencil") + '\0'));
  ASSERT_GE(messages.size(), 2u);
  EXPECT_EQ(messages[0].body, std::string(4, '\0'));  // AuthenticationOk
  EXPECT_EQ(messages.back().type, 'Z');

  handler_ = std::make_unique<ProtocolHandler>(factory_, out_, registry_,
                                               WithRules("host all all all password"));
  handler_->SetClientAddress("127.0.0.1");
  Send(Startup({{"user", "carol"}, {"database", "db"}}));
  messages = Send(Typed('p', std::string("wrong") + '\0'));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('C'), "28P01");
  EXPECT_EQ(messages[0].Field('M'), "password authentication failed for user \"carol\"");
}

TEST_F(AuthTest, RejectAndNoRule) {
  auto messages = Send(Startup({{"user", "mallory"}, {"database", "db"}}));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('C'), "28000");
  EXPECT_EQ(messages[0].Field('M'),
            "pg_hba.conf rejects connection for host \"127.0.0.1\", user \"mallory\", database \"db\", no encryption");
  out_.closed = false;
  handler_ = std::make_unique<ProtocolHandler>(factory_, out_, registry_, HandlerOptions{});
  handler_->SetClientAddress("10.9.8.7");  // default rules: scram-sha-256 off loopback
  messages = Send(Startup({{"user", "alice"}, {"database", "db"}}));
  ASSERT_EQ(Types(messages), "R");
  EXPECT_EQ(ReadBuffer(messages[0].body).GetInt32(), 10);
  handler_ = std::make_unique<ProtocolHandler>(
      factory_, out_, registry_,
      WithRules("host all alice ::1/128 trust"));
  handler_->SetClientAddress("127.0.0.1");
  messages = Send(Startup({{"user", "bob"}, {"database", "db"}}));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('C'), "28000");
  EXPECT_EQ(messages[0].Field('M'),
            "no pg_hba.conf entry for host \"127.0.0.1\", user \"bob\", database \"db\", no encryption");
}

TEST_F(AuthTest, QueryBeforeAuthenticationIsAProtocolViolation) {
  Send(Startup({{"user", "alice"}, {"database", "db"}}));
  auto messages = Send(Query("SELECT 1"));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('C'), "08P01");
  EXPECT_EQ(factory_.stats.sessions, 0);
}

}  // namespace
}  // namespace tessera::wire::testing
