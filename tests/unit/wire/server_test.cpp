// The Asio server through real sockets: libpq clients and raw bytes, with a
// fake Session.
#include "wire/server.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "tests/unit/wire/fake_session.h"
#include "tests/unit/wire/wire_test_util.h"

namespace tessera::wire::testing {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ServerOptions options;
    options.port = 0;
    options.worker_threads = 4;
    options.shutdown_grace_ms = 1000;
    server_ = std::make_unique<Server>(factory_, options);
    server_->Start();
  }
  void TearDown() override { server_->Stop(); }

  PGconn* Connect(const std::string& extra = "") {
    std::string conninfo = "host=127.0.0.1 port=" + std::to_string(server_->Port()) +
                           " user=alice dbname=db connect_timeout=5 " + extra;
    PGconn* conn = PQconnectdb(conninfo.c_str());
    EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
    return conn;
  }

  // A raw TCP socket to the server.
  int RawSocket() {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(server_->Port());
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    return fd;
  }

  static void SendAll(int fd, const std::string& bytes) {
    ASSERT_EQ(send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL), static_cast<ssize_t>(bytes.size()));
  }

  // Everything the server sends until it closes the connection (or 5 s pass).
  static std::string ReadUntilClosed(int fd) {
    std::string data;
    char buf[4096];
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{fd, POLLIN, 0};
      if (poll(&p, 1, 100) <= 0) continue;
      ssize_t n = recv(fd, buf, sizeof buf, 0);
      if (n <= 0) return data;
      data.append(buf, n);
    }
    ADD_FAILURE() << "server did not close the connection";
    return data;
  }

  // Expects a single FATAL ErrorResponse with `code`, then a close.
  void ExpectFatalAndClose(int fd, const std::string& code) {
    std::string data = ReadUntilClosed(fd);
    auto messages = ParseBackend(data);
    ASSERT_FALSE(messages.empty());
    EXPECT_EQ(messages.back().type, 'E');
    EXPECT_EQ(messages.back().Field('S'), "FATAL");
    EXPECT_EQ(messages.back().Field('C'), code);
    close(fd);
  }

  void ExpectStillServing(PGconn* conn) {
    PGresult* res = PQexec(conn, "rows 2");
    EXPECT_EQ(PQresultStatus(res), PGRES_TUPLES_OK) << PQerrorMessage(conn);
    EXPECT_EQ(PQntuples(res), 2);
    PQclear(res);
  }

  FakeFactory factory_;
  std::unique_ptr<Server> server_;
};

TEST_F(ServerTest, LibpqConnectsAndQueries) {
  PGconn* conn = Connect("sslmode=prefer gssencmode=prefer application_name=t1");
  EXPECT_EQ(PQserverVersion(conn), 150000);
  EXPECT_STREQ(PQparameterStatus(conn, "application_name"), "t1");
  EXPECT_GT(PQbackendPID(conn), 0);
  PGresult* res = PQexec(conn, "rows 3");
  ASSERT_EQ(PQresultStatus(res), PGRES_TUPLES_OK);
  EXPECT_EQ(PQntuples(res), 3);
  EXPECT_EQ(PQftype(res, 0), 23u);
  EXPECT_STREQ(PQgetvalue(res, 2, 1), "row 3");
  EXPECT_STREQ(PQcmdTuples(res), "3");
  PQclear(res);
  res = PQexec(conn, "fail");
  EXPECT_EQ(PQresultStatus(res), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(res, PG_DIAG_SQLSTATE), "42601");
  EXPECT_STREQ(PQresultErrorField(res, PG_DIAG_STATEMENT_POSITION), "1");
  PQclear(res);
  ExpectStillServing(conn);
  PQfinish(conn);
}

TEST_F(ServerTest, LibpqExtendedProtocolWithBinary) {
  PGconn* conn = Connect();
  uint32_t be = htonl(static_cast<uint32_t>(-42));
  const char* values[2] = {reinterpret_cast<const char*>(&be), "hello"};
  int lengths[2] = {4, 5};
  int formats[2] = {1, 0};
  Oid types[2] = {23, 25};
  PGresult* res = PQexecParams(conn, "echo $1 $2", 2, types, values, lengths, formats, 1);
  ASSERT_EQ(PQresultStatus(res), PGRES_TUPLES_OK) << PQerrorMessage(conn);
  ASSERT_EQ(PQgetlength(res, 0, 0), 4);
  uint32_t got;
  memcpy(&got, PQgetvalue(res, 0, 0), 4);
  EXPECT_EQ(static_cast<int32_t>(ntohl(got)), -42);
  EXPECT_EQ(std::string(PQgetvalue(res, 0, 1), PQgetlength(res, 0, 1)), "hello");
  PQclear(res);
  // Named prepared statement, text result.
  res = PQprepare(conn, "s", "rows 4", 0, nullptr);
  ASSERT_EQ(PQresultStatus(res), PGRES_COMMAND_OK);
  PQclear(res);
  res = PQexecPrepared(conn, "s", 0, nullptr, nullptr, nullptr, 0);
  EXPECT_EQ(PQntuples(res), 4);
  PQclear(res);
  PQfinish(conn);
}

TEST_F(ServerTest, PipelinedSyncBatchesAllAnswered) {
  // Several Sync batches in one packet run as one worker batch; each still
  // gets its own ReadyForQuery, in order, with nothing lost or duplicated.
  int fd = RawSocket();
  std::string batch = Bind("", "s", {}, {}, {}) + Execute("", 0) + Sync();
  std::string bytes = DefaultStartup() + Parse("s", "rows 2") + Sync();
  for (int i = 0; i < 50; ++i) bytes += batch;
  SendAll(fd, bytes + Typed('X', ""));
  auto messages = ParseBackend(ReadUntilClosed(fd));
  size_t ready = 0, rows = 0;
  for (auto& m : messages) {
    ready += m.type == 'Z';
    rows += m.type == 'D';
    EXPECT_NE(m.type, 'E') << m.Field('M');
  }
  EXPECT_EQ(ready, 52u);  // startup, Parse's Sync, 50 batches
  EXPECT_EQ(rows, 100u);
  close(fd);
}

TEST_F(ServerTest, LargeResultStreams) {
  PGconn* conn = Connect();
  PGresult* res = PQexec(conn, "rows 100000");
  ASSERT_EQ(PQresultStatus(res), PGRES_TUPLES_OK);
  EXPECT_EQ(PQntuples(res), 100000);
  EXPECT_STREQ(PQgetvalue(res, 99999, 1), "row 100000");
  PQclear(res);
  PQfinish(conn);
}

TEST_F(ServerTest, GarbageStartupIsRejectedOthersKeepWorking) {
  PGconn* good = Connect();
  int fd = RawSocket();
  SendAll(fd, std::string("\x00\x00\x00\x02garbage", 11));
  ExpectFatalAndClose(fd, "08P01");
  ExpectStillServing(good);
  PQfinish(good);
}

TEST_F(ServerTest, MalformedMessagesCloseOnlyThatConnection) {
  PGconn* good = Connect();
  const std::vector<std::string> bad = {
      std::string("Q\x7f\xff\xff\xff", 5),           // absurd length
      std::string("Q\x00\x00\x00\x02", 5),           // length < 4
      Typed('z', "whatever"),                         // unknown type
      Typed('B', std::string("\0\0\0\0\0\5", 6)),     // truncated Bind body
      Typed('Q', "no terminator"),                    // string without NUL
  };
  for (const auto& bytes : bad) {
    int fd = RawSocket();
    SendAll(fd, DefaultStartup() + bytes);
    ExpectFatalAndClose(fd, "08P01");
    ExpectStillServing(good);
  }
  PQfinish(good);
}

TEST_F(ServerTest, BadProtocolVersion) {
  int fd = RawSocket();
  SendAll(fd, Startup({{"user", "a"}}, 4 << 16));
  ExpectFatalAndClose(fd, "0A000");
}

TEST_F(ServerTest, TruncatedMessageThenHangUp) {
  PGconn* good = Connect();
  int fd = RawSocket();
  SendAll(fd, DefaultStartup() + std::string("Q\x00\x00\x00\x64select", 11));
  shutdown(fd, SHUT_WR);
  std::string data = ReadUntilClosed(fd);  // the server notices and closes
  close(fd);
  EXPECT_EQ(ParseBackend(data).back().type, 'Z');
  ExpectStillServing(good);
  PQfinish(good);
}

TEST_F(ServerTest, CancelInterruptsRunningStatement) {
  PGconn* conn = Connect();
  PGconn* other = Connect();
  ASSERT_EQ(PQsendQuery(conn, "sleep"), 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  // Another connection keeps running while the first one's statement waits.
  ExpectStillServing(other);
  PGcancel* cancel = PQgetCancel(conn);
  char err[256];
  ASSERT_EQ(PQcancel(cancel, err, sizeof err), 1) << err;
  PQfreeCancel(cancel);
  auto start = std::chrono::steady_clock::now();
  PGresult* res = PQgetResult(conn);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(PQresultStatus(res), PGRES_FATAL_ERROR);
  EXPECT_STREQ(PQresultErrorField(res, PG_DIAG_SQLSTATE), "57014");
  PQclear(res);
  while ((res = PQgetResult(conn)) != nullptr) PQclear(res);
  ExpectStillServing(conn);
  PQfinish(conn);
  PQfinish(other);
}

TEST_F(ServerTest, ShutdownTellsClientsAndEndsSessions) {
  PGconn* conn = Connect();
  ExpectStillServing(conn);
  server_->Stop();
  EXPECT_EQ(factory_.stats.terminated, 1);
  PGresult* res = PQexec(conn, "rows 1");
  EXPECT_NE(PQresultStatus(res), PGRES_TUPLES_OK);
  EXPECT_NE(std::string(PQerrorMessage(conn)).find("terminating connection due to administrator command"),
            std::string::npos)
      << PQerrorMessage(conn);
  PQclear(res);
  PQfinish(conn);
}

}  // namespace
}  // namespace tessera::wire::testing
