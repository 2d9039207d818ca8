// The protocol handler driven by bytes, with a fake Session.
#include "wire/protocol_handler.h"
#include "wire/result_writer.h"

#include <gtest/gtest.h>

#include "tests/unit/wire/fake_session.h"
#include "tests/unit/wire/wire_test_util.h"

namespace tessera::wire::testing {
namespace {

class HandlerTest : public ::testing::Test {
 protected:
  void Connect() {
    handler_.Feed(DefaultStartup());
    auto messages = out_.Take();
    ASSERT_FALSE(messages.empty());
    ASSERT_EQ(messages.back().type, 'Z');
  }
  std::vector<BackendMessage> Send(const std::string& bytes) {
    handler_.Feed(bytes);
    return out_.Take();
  }

  FakeFactory factory_;
  StringOutput out_;
  CancelRegistry registry_;
  ProtocolHandler handler_{factory_, out_, registry_};
};

std::string ParamValue(const std::vector<BackendMessage>& messages, const std::string& name) {
  for (auto& m : messages) {
    if (m.type != 'S') continue;
    ReadBuffer in(m.body);
    if (in.GetCString() == name) return in.GetCString();
  }
  return "<missing>";
}

TEST_F(HandlerTest, StartupHandshake) {
  auto messages = Send(DefaultStartup());
  std::string types = Types(messages);
  ASSERT_GE(types.size(), 4u);
  EXPECT_EQ(types.front(), 'R');
  EXPECT_EQ(messages.front().body, std::string(4, '\0'));  // AuthenticationOk
  EXPECT_EQ(types.substr(types.size() - 2), "KZ");
  EXPECT_EQ(messages.back().body, "I");
  // The session's value wins over the default; missing ones get defaults.
  EXPECT_EQ(ParamValue(messages, "server_version"), "15.0 (Tessera test)");
  EXPECT_EQ(ParamValue(messages, "server_encoding"), "UTF8");
  EXPECT_EQ(ParamValue(messages, "integer_datetimes"), "on");
  EXPECT_EQ(ParamValue(messages, "standard_conforming_strings"), "on");
  EXPECT_EQ(ParamValue(messages, "session_authorization"), "alice");
  EXPECT_EQ(factory_.stats.sessions, 1);
}

TEST_F(HandlerTest, SslAndGssRequestsAreRefusedThenStartupProceeds) {
  handler_.Feed(SpecialRequest(kSslRequestCode));
  EXPECT_EQ(out_.data, "N");
  out_.data.clear();
  handler_.Feed(SpecialRequest(kGssEncRequestCode));
  EXPECT_EQ(out_.data, "N");
  out_.data.clear();
  auto messages = Send(DefaultStartup());
  EXPECT_EQ(messages.back().type, 'Z');
  EXPECT_FALSE(out_.closed);
}

TEST_F(HandlerTest, BadProtocolVersionIsFatal0A000) {
  auto messages = Send(Startup({{"user", "a"}}, 2 << 16));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('S'), "FATAL");
  EXPECT_EQ(messages[0].Field('C'), "0A000");
  EXPECT_EQ(messages[0].Field('M'), "unsupported frontend protocol 2.0: server supports 3.0 to 3.0");
  EXPECT_TRUE(out_.closed);
}

TEST_F(HandlerTest, NewerMinorVersionGetsNegotiateProtocolVersion) {
  auto messages = Send(Startup({{"user", "a"}, {"_pq_.magic", "1"}}, (3 << 16) | 2));
  ASSERT_FALSE(messages.empty());
  EXPECT_EQ(messages[0].type, 'v');
  ReadBuffer in(messages[0].body);
  EXPECT_EQ(in.GetInt32(), 3 << 16);
  EXPECT_EQ(in.GetInt32(), 1);
  EXPECT_EQ(in.GetCString(), "_pq_.magic");
  EXPECT_EQ(messages.back().type, 'Z');
}

TEST_F(HandlerTest, MissingUserIsFatal28000) {
  auto messages = Send(Startup({{"database", "db"}}));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('C'), "28000");
  EXPECT_TRUE(out_.closed);
}

TEST_F(HandlerTest, SessionStartErrorIsFatalWithItsCode) {
  auto messages = Send(Startup({{"user", "a"}, {"database", "nodb"}}));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('S'), "FATAL");
  EXPECT_EQ(messages[0].Field('C'), "3D000");
  EXPECT_TRUE(out_.closed);
}

TEST_F(HandlerTest, GarbageStartupLengthIsFatal08P01) {
  auto messages = Send(std::string("\x00\x00\x00\x02\xff\xff", 6));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('C'), "08P01");
  EXPECT_TRUE(out_.closed);
}

TEST_F(HandlerTest, HugeStartupPacketIsRejectedBeforeItArrives) {
  WriteBuffer b;
  b.PutInt32(1 << 20);  // 1 MiB announced, nothing sent
  b.PutInt32(kProtocolVersion3);
  auto messages = Send(b.Take());
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('C'), "08P01");
  EXPECT_TRUE(out_.closed);
}

TEST_F(HandlerTest, SimpleQueryReturnsRows) {
  Connect();
  auto messages = Send(Query("rows 3"));
  ASSERT_EQ(Types(messages), "TDDDCZ");
  ReadBuffer row(messages[1].body);
  EXPECT_EQ(row.GetInt16(), 2);
  EXPECT_EQ(row.GetInt32(), 1);
  EXPECT_EQ(row.GetBytes(1), "1");
  EXPECT_EQ(row.GetInt32(), 5);
  EXPECT_EQ(row.GetBytes(5), "row 1");
  EXPECT_EQ(messages[4].body, std::string("SELECT 3") + '\0');
  ReadBuffer desc(messages[0].body);
  EXPECT_EQ(desc.GetInt16(), 2);
  EXPECT_EQ(desc.GetCString(), "n");
  desc.GetInt32();
  desc.GetInt16();
  EXPECT_EQ(desc.GetInt32(), 23);  // int4 OID
}

TEST_F(HandlerTest, SimpleQueryErrorKeepsConnection) {
  Connect();
  auto messages = Send(Query("rows 1; fail; rows 2"));
  ASSERT_EQ(Types(messages), "TDCEZ");
  EXPECT_EQ(messages[3].Field('S'), "ERROR");
  EXPECT_EQ(messages[3].Field('V'), "ERROR");
  EXPECT_EQ(messages[3].Field('C'), "42601");
  EXPECT_EQ(messages[3].Field('M'), "syntax error at or near \"fail\"");
  EXPECT_EQ(messages[3].Field('P'), "1");
  EXPECT_FALSE(out_.closed);
  EXPECT_EQ(Types(Send(Query("rows 1"))), "TDCZ");
}

TEST_F(HandlerTest, NonSqlExceptionCostsTheStatementNotTheConnection) {
  Connect();
  auto messages = Send(Query("set x; crash"));
  ASSERT_EQ(Types(messages), "CESZ");  // the SET before it is still reported
  EXPECT_EQ(messages[1].Field('S'), "ERROR");
  EXPECT_EQ(messages[1].Field('C'), "XX000");
  EXPECT_FALSE(out_.closed);
  EXPECT_EQ(Types(Send(Query("rows 1"))), "TDCZ");
}

TEST_F(HandlerTest, EmptyQueryAndNotice) {
  Connect();
  EXPECT_EQ(Types(Send(Query("  "))), "IZ");
  auto messages = Send(Query("notice"));
  ASSERT_EQ(Types(messages), "NCZ");
  EXPECT_EQ(messages[0].Field('S'), "NOTICE");
  EXPECT_EQ(messages[0].Field('M'), "hello");
}

TEST_F(HandlerTest, TransactionStatusAndChangedParameters) {
  Connect();
  auto messages = Send(Query("begin"));
  EXPECT_EQ(messages.back().body, "T");
  messages = Send(Query("set myapp"));
  ASSERT_EQ(Types(messages), "CSZ");
  EXPECT_EQ(ParamValue(messages, "application_name"), "myapp");
  EXPECT_EQ(Send(Query("commit")).back().body, "I");
}

TEST_F(HandlerTest, ExtendedExecuteWithRowLimitSuspends) {
  Connect();
  auto messages = Send(Parse("", "rows 3") + Bind("", "", {}, {}, {}) + Describe('P', "") + Execute("", 2));
  // Nothing is flushed before Sync or Flush...
  EXPECT_TRUE(messages.empty());
  messages = Send(Typed('H', ""));
  ASSERT_EQ(Types(messages), "12TDDs");
  messages = Send(Execute("", 2) + Sync());
  ASSERT_EQ(Types(messages), "DCZ");
  ReadBuffer row(messages[0].body);
  row.GetInt16();
  EXPECT_EQ(row.GetBytes(row.GetInt32()), "3");
  EXPECT_EQ(factory_.stats.syncs, 1);
}

TEST_F(HandlerTest, EachSyncBatchIsOneWrite) {
  Connect();
  out_.chunks.clear();
  std::string batch = Bind("", "s", {}, {}, {}) + Describe('P', "") + Execute("", 0) + Sync();
  Send(Parse("s", "rows 2") + Sync() + batch + batch);
  // Parse+Sync, then two pipelined Bind/Describe/Execute/Sync: one Send() each.
  EXPECT_EQ(out_.chunks.size(), 3u);
}

TEST_F(HandlerTest, DescribeStatement) {
  Connect();
  auto messages = Send(Parse("s1", "echo $1 $2", {20, 0}) + Describe('S', "s1") + Parse("s2", "nothing") +
                       Describe('S', "s2") + Sync());
  ASSERT_EQ(Types(messages), "1tT1tnZ");
  ReadBuffer params(messages[1].body);
  EXPECT_EQ(params.GetInt16(), 2);
  EXPECT_EQ(params.GetInt32(), 20);
  EXPECT_EQ(params.GetInt32(), 23);  // 0 asked the session to infer: int4
}

TEST_F(HandlerTest, ErrorSkipsToSync) {
  Connect();
  auto messages = Send(Bind("", "missing", {}, {}, {}) + Execute("", 0) + Parse("x", "rows 1") + Sync());
  ASSERT_EQ(Types(messages), "EZ");
  EXPECT_EQ(messages[0].Field('C'), "26000");
  EXPECT_EQ(messages[0].Field('M'), "prepared statement \"missing\" does not exist");
  EXPECT_EQ(factory_.stats.on_error, 1);
  // The skipped Parse never ran: "x" does not exist after Sync.
  messages = Send(Describe('S', "x") + Sync());
  ASSERT_EQ(Types(messages), "EZ");
  // And the connection keeps working.
  EXPECT_EQ(Types(Send(Parse("", "rows 1") + Bind("", "", {}, {}, {}) + Execute("", 0) + Sync())), "12DCZ");
}

TEST_F(HandlerTest, ParseErrorReportsSessionError) {
  Connect();
  auto messages = Send(Parse("", "fail") + Sync());
  ASSERT_EQ(Types(messages), "EZ");
  EXPECT_EQ(messages[0].Field('C'), "42601");
}

TEST_F(HandlerTest, DuplicateNamedStatement) {
  Connect();
  auto messages = Send(Parse("a", "rows 1") + Parse("a", "rows 1") + Sync());
  ASSERT_EQ(Types(messages), "1EZ");
  EXPECT_EQ(messages[1].Field('C'), "42P05");
  // Close then Parse again works.
  WriteBuffer b;
  b.PutByte('S');
  b.PutCString("a");
  EXPECT_EQ(Types(Send(Typed('C', b.Data()) + Parse("a", "rows 1") + Sync())), "31Z");
}

TEST_F(HandlerTest, BindParameterCountMismatchIsError) {
  Connect();
  auto messages = Send(Parse("", "echo $1") + Bind("", "", {}, {}, {}) + Sync());
  ASSERT_EQ(Types(messages), "1EZ");
  EXPECT_EQ(messages[1].Field('C'), "08P01");
  EXPECT_EQ(messages[1].Field('S'), "ERROR");
  EXPECT_EQ(messages[1].Field('M'), "bind message supplies 0 parameters, but prepared statement \"\" requires 1");
  EXPECT_FALSE(out_.closed);
}

TEST_F(HandlerTest, ErrorIsFlushedBeforeSync) {
  Connect();
  // A client that sends Flush after its batch waits for the error before Sync.
  auto messages = Send(Parse("", "fail") + Bind("", "", {}, {}, {}) + Typed('H', ""));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('C'), "42601");
  EXPECT_EQ(Types(Send(Sync())), "Z");
}

TEST_F(HandlerTest, BindParameterCountIsUnsigned) {
  Connect();
  // 40,000 parameters: the count's sign bit is set; PostgreSQL reads it unsigned.
  std::vector<std::optional<std::string>> params(40000, std::string("x"));
  auto messages = Send(Parse("", "echo $1") + Bind("", "", {}, params, {}) + Sync());
  ASSERT_EQ(Types(messages), "1EZ");
  EXPECT_EQ(messages[1].Field('S'), "ERROR");  // not a FATAL "invalid message format"
  EXPECT_EQ(messages[1].Field('M'), "bind message supplies 40000 parameters, but prepared statement \"\" requires 1");
  EXPECT_FALSE(out_.closed);
}

TEST_F(HandlerTest, TextParameterWithNulIs22021) {
  Connect();
  auto messages = Send(Parse("", "echo $1", {25}) + Bind("", "", {}, {std::string("a\0b", 3)}, {}) + Sync());
  ASSERT_EQ(Types(messages), "1EZ");
  EXPECT_EQ(messages[1].Field('C'), "22021");
  EXPECT_EQ(messages[1].Field('M'), "invalid byte sequence for encoding \"UTF8\": 0x00");
}

TEST_F(HandlerTest, BinaryParametersAndResults) {
  Connect();
  WriteBuffer p;
  p.PutInt32(-7);
  auto messages = Send(Parse("", "echo $1 $2", {23, 25}) +
                       Bind("", "", {1, 0}, {p.Take(), std::nullopt}, {1}) + Describe('P', "") + Execute("", 0) +
                       Sync());
  ASSERT_EQ(Types(messages), "12TDCZ");
  ReadBuffer desc(messages[2].body);
  ASSERT_EQ(desc.GetInt16(), 2);
  desc.GetCString();
  desc.GetInt32();
  desc.GetInt16();
  desc.GetInt32();
  desc.GetInt16();
  desc.GetInt32();
  EXPECT_EQ(desc.GetInt16(), 1);  // binary, as requested for all columns
  ReadBuffer row(messages[3].body);
  ASSERT_EQ(row.GetInt16(), 2);
  ASSERT_EQ(row.GetInt32(), 4);
  EXPECT_EQ(row.GetInt32(), -7);
  EXPECT_EQ(row.GetInt32(), -1);  // NULL
}

TEST_F(HandlerTest, BadBinaryParameterLength) {
  Connect();
  auto messages = Send(Parse("", "echo $1", {23}) + Bind("", "", {1}, {std::string("ab")}, {}) + Sync());
  ASSERT_EQ(Types(messages), "1EZ");
  EXPECT_EQ(messages[1].Field('C'), "22P03");
  EXPECT_EQ(messages[1].Field('M'), "incorrect binary data format in bind parameter 1");
}

TEST_F(HandlerTest, UnknownMessageTypeIsFatal) {
  Connect();
  auto messages = Send(Typed('z', "abc"));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('S'), "FATAL");
  EXPECT_EQ(messages[0].Field('C'), "08P01");
  EXPECT_EQ(messages[0].Field('M'), "invalid frontend message type 122");
  EXPECT_TRUE(out_.closed);
  EXPECT_EQ(factory_.stats.terminated, 1);
}

TEST_F(HandlerTest, MalformedBodyIsFatal) {
  Connect();
  // A Bind claiming 5 parameters with none present.
  WriteBuffer b;
  b.PutCString("");
  b.PutCString("");
  b.PutInt16(0);
  b.PutInt16(5);
  auto messages = Send(Typed('B', b.Data()));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('C'), "08P01");
  EXPECT_TRUE(out_.closed);
}

TEST_F(HandlerTest, AbsurdMessageLengthIsFatal) {
  Connect();
  auto messages = Send(std::string("Q\x7f\xff\xff\xff", 5));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('C'), "08P01");
  EXPECT_TRUE(out_.closed);
}

TEST_F(HandlerTest, LengthBelowFourIsFatal) {
  Connect();
  auto messages = Send(std::string("Q\x00\x00\x00\x03", 5));
  ASSERT_EQ(Types(messages), "E");
  EXPECT_TRUE(out_.closed);
}

TEST_F(HandlerTest, MessagesSplitAcrossFeedsAreReassembled) {
  std::string bytes = DefaultStartup() + Query("rows 2");
  for (char c : bytes) handler_.Feed(std::string(1, c));
  std::string types = Types(out_.Take());
  EXPECT_EQ(types.substr(types.size() - 5), "TDDCZ");
}

TEST_F(HandlerTest, LargeResultsAreSentInChunks) {
  Connect();
  out_.chunks.clear();
  handler_.Feed(Query("rows 20000"));
  EXPECT_GT(out_.chunks.size(), 3u);
  for (size_t c : out_.chunks) EXPECT_LT(c, 2 * kFlushThreshold);
  EXPECT_EQ(out_.Take().size(), 20003u);
}

TEST_F(HandlerTest, CancelRequestReachesTheSession) {
  auto messages = Send(DefaultStartup());
  ReadBuffer key(messages[messages.size() - 2].body);
  int32_t pid = key.GetInt32();
  int32_t secret = key.GetInt32();
  EXPECT_FALSE(registry_.Cancel(pid, secret + 1));  // wrong secret: ignored
  EXPECT_EQ(factory_.stats.cancels, 0);
  // A second connection carrying the key cancels the first one's session.
  StringOutput other_out;
  ProtocolHandler other(factory_, other_out, registry_);
  other.Feed(SpecialRequest(kCancelRequestCode, {pid, secret}));
  EXPECT_EQ(factory_.stats.cancels, 1);
  EXPECT_TRUE(other_out.closed);
  EXPECT_TRUE(other_out.data.empty());
}

TEST_F(HandlerTest, TerminateEndsTheSession) {
  Connect();
  handler_.Feed(Typed('X', ""));
  EXPECT_TRUE(out_.closed);
  EXPECT_EQ(factory_.stats.terminated, 1);
}

TEST_F(HandlerTest, AdminShutdownIsFatal57P01) {
  Connect();
  handler_.AdminShutdown();
  auto messages = out_.Take();
  ASSERT_EQ(Types(messages), "E");
  EXPECT_EQ(messages[0].Field('C'), "57P01");
  EXPECT_EQ(messages[0].Field('M'), "terminating connection due to administrator command");
  EXPECT_TRUE(out_.closed);
}

TEST_F(HandlerTest, NamedPortalsLiveUntilTheTransactionEnds) {
  Connect();
  Send(Query("begin"));
  auto messages = Send(Parse("", "rows 3") + Bind("p", "", {}, {}, {}) + Execute("p", 1) + Sync());
  ASSERT_EQ(Types(messages), "12DsZ");
  EXPECT_EQ(messages.back().body, "T");
  EXPECT_EQ(Types(Send(Execute("p", 1) + Sync())), "DsZ");  // survives Sync inside the block
  Send(Query("commit"));
  messages = Send(Execute("p", 1) + Sync());
  ASSERT_EQ(Types(messages), "EZ");
  EXPECT_EQ(messages[0].Field('C'), "34000");
  EXPECT_EQ(messages[0].Field('M'), "portal \"p\" does not exist");
}

}  // namespace
}  // namespace tessera::wire::testing
