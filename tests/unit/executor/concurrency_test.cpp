// Two or more sessions in one process over the MVCC engine: isolation
// levels, write-write conflicts (waits, 40001, READ COMMITTED re-check),
// deadlocks, lock_timeout, cancel, and settings and DDL undone by ROLLBACK.
#include <chrono>
#include <future>
#include <thread>

#include "tests/unit/executor/sql_test_util.h"

namespace tessera::testing {

namespace {

using namespace std::chrono_literals;

// Runs `sql` on `session`; the SQLSTATE it fails with, "" on success.
std::string RunOn(Session& session, const std::string& sql, CollectingSink* sink = nullptr) {
  CollectingSink local;
  try {
    session.ExecuteSimple(sql, sink ? *sink : local);
  } catch (const SqlError& e) {
    return e.Sqlstate();
  }
  return "";
}

std::string Scalar(Session& session, const std::string& sql) {
  CollectingSink sink;
  EXPECT_EQ(RunOn(session, sql, &sink), "") << sql;
  return sink.rows_.empty() ? "" : sink.rows_[0][0];
}

}  // namespace

class ConcurrencyTest : public SqlTest {
 protected:
  void SetUp() override {
    SqlTest::SetUp();
    Query("CREATE TABLE acct (id int PRIMARY KEY, balance int)");
    Query("INSERT INTO acct VALUES (1, 100), (2, 100)");
    other_ = NewSession();
  }
  void TearDown() override {
    other_.reset();
    SqlTest::TearDown();
  }
  std::unique_ptr<Session> NewSession() {
    auto s = db_->NewSession();
    s->Start({{"user", "tessera"}});
    return s;
  }
  std::unique_ptr<Session> other_;
};

TEST_F(ConcurrencyTest, NoDirtyReadsAndReadersNeverBlock) {
  Query("BEGIN");
  Query("UPDATE acct SET balance = 0 WHERE id = 1");
  // The row is locked by an uncommitted writer; the reader neither waits nor sees it.
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(Scalar(*other_, "SELECT balance FROM acct WHERE id = 1"), "100");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  Query("COMMIT");
  EXPECT_EQ(Scalar(*other_, "SELECT balance FROM acct WHERE id = 1"), "0");
}

TEST_F(ConcurrencyTest, ConcurrentIncrementsAllCount) {
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([this] {
      auto s = NewSession();
      for (int i = 0; i < kEach; ++i) EXPECT_EQ(RunOn(*s, "UPDATE acct SET balance = balance + 1 WHERE id = 1"), "");
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(Query("SELECT balance FROM acct WHERE id = 1"), (Rows{std::to_string(100 + kThreads * kEach)}));
}

TEST_F(ConcurrencyTest, ReadCommittedWaitsThenRereads) {
  Query("BEGIN");
  Query("UPDATE acct SET balance = balance + 10 WHERE id = 1");
  auto waiter = std::async(std::launch::async, [this] {
    CollectingSink sink;
    std::string code = RunOn(*other_, "UPDATE acct SET balance = balance + 1 WHERE id = 1", &sink);
    return code + (sink.tags_.empty() ? "" : sink.tags_.back());
  });
  EXPECT_EQ(waiter.wait_for(200ms), std::future_status::timeout);  // blocked behind our lock
  Query("COMMIT");
  EXPECT_EQ(waiter.get(), "UPDATE 1");
  EXPECT_EQ(Query("SELECT balance FROM acct WHERE id = 1"), (Rows{"111"}));
}

TEST_F(ConcurrencyTest, ReadCommittedRechecksPredicate) {
  Query("BEGIN");
  Query("UPDATE acct SET balance = 500 WHERE id = 1");
  auto waiter = std::async(std::launch::async, [this] {
    CollectingSink sink;
    RunOn(*other_, "UPDATE acct SET balance = 0 WHERE id = 1 AND balance = 100", &sink);
    return sink.tags_.empty() ? std::string() : sink.tags_.back();
  });
  std::this_thread::sleep_for(100ms);
  Query("COMMIT");
  EXPECT_EQ(waiter.get(), "UPDATE 0");  // the committed row no longer matches
  EXPECT_EQ(Query("SELECT balance FROM acct WHERE id = 1"), (Rows{"500"}));
}

TEST_F(ConcurrencyTest, RepeatableReadSerializationFailure) {
  EXPECT_EQ(RunOn(*other_, "BEGIN ISOLATION LEVEL REPEATABLE READ"), "");
  EXPECT_EQ(Scalar(*other_, "SELECT balance FROM acct WHERE id = 1"), "100");
  Query("UPDATE acct SET balance = 7 WHERE id = 1");
  EXPECT_EQ(Scalar(*other_, "SELECT balance FROM acct WHERE id = 1"), "100");  // snapshot is stable
  EXPECT_EQ(RunOn(*other_, "UPDATE acct SET balance = balance + 1 WHERE id = 1"), "40001");
  EXPECT_EQ(RunOn(*other_, "SELECT 1"), "25P02");
  EXPECT_EQ(RunOn(*other_, "SELECT 1"), "25P02");
  EXPECT_EQ(RunOn(*other_, "ROLLBACK"), "");
  EXPECT_EQ(Scalar(*other_, "SELECT balance FROM acct WHERE id = 1"), "7");
}

TEST_F(ConcurrencyTest, ReadCommittedSeesNewCommitsPerStatement) {
  EXPECT_EQ(RunOn(*other_, "BEGIN"), "");
  EXPECT_EQ(Scalar(*other_, "SELECT balance FROM acct WHERE id = 2"), "100");
  Query("UPDATE acct SET balance = 42 WHERE id = 2");
  EXPECT_EQ(Scalar(*other_, "SELECT balance FROM acct WHERE id = 2"), "42");
  EXPECT_EQ(RunOn(*other_, "COMMIT"), "");
}

TEST_F(ConcurrencyTest, DeadlockFailsExactlyOne) {
  Query("BEGIN");
  EXPECT_EQ(RunOn(*other_, "BEGIN"), "");
  Query("UPDATE acct SET balance = 1 WHERE id = 1");
  EXPECT_EQ(RunOn(*other_, "UPDATE acct SET balance = 2 WHERE id = 2"), "");
  auto first = std::async(std::launch::async, [this] { return ErrorCode("UPDATE acct SET balance = 1 WHERE id = 2"); });
  std::this_thread::sleep_for(100ms);
  std::string second = RunOn(*other_, "UPDATE acct SET balance = 2 WHERE id = 1");
  EXPECT_EQ(second, "40P01");
  EXPECT_EQ(RunOn(*other_, "ROLLBACK"), "");  // frees row 2 for the first session
  EXPECT_EQ(first.get(), "");
  Query("COMMIT");
  EXPECT_EQ(Query("SELECT balance FROM acct ORDER BY id"), (Rows{"1", "1"}));
}

TEST_F(ConcurrencyTest, LockTimeoutAndCancel) {
  Query("BEGIN");
  Query("UPDATE acct SET balance = 1 WHERE id = 1");
  EXPECT_EQ(RunOn(*other_, "SET lock_timeout = 100"), "");
  EXPECT_EQ(RunOn(*other_, "UPDATE acct SET balance = 2 WHERE id = 1"), "55P03");
  EXPECT_EQ(RunOn(*other_, "SET lock_timeout = 0"), "");
  EXPECT_EQ(RunOn(*other_, "SET statement_timeout = 100"), "");
  EXPECT_EQ(RunOn(*other_, "UPDATE acct SET balance = 2 WHERE id = 1"), "57014");
  EXPECT_EQ(RunOn(*other_, "SET statement_timeout = 0"), "");
  auto waiter = std::async(std::launch::async, [this] { return RunOn(*other_, "DELETE FROM acct WHERE id = 1"); });
  std::this_thread::sleep_for(100ms);
  other_->Cancel();
  EXPECT_EQ(waiter.get(), "57014");
  Query("COMMIT");
  EXPECT_EQ(Query("SELECT balance FROM acct WHERE id = 1"), (Rows{"1"}));
}

TEST_F(ConcurrencyTest, DroppedSessionReleasesLocks) {
  EXPECT_EQ(RunOn(*other_, "BEGIN"), "");
  EXPECT_EQ(RunOn(*other_, "UPDATE acct SET balance = 5 WHERE id = 1"), "");
  other_.reset();  // the connection goes away mid-transaction
  Query("SET lock_timeout = 1000");
  EXPECT_EQ(ErrorCode("UPDATE acct SET balance = balance + 1 WHERE id = 1"), "");
  EXPECT_EQ(Query("SELECT balance FROM acct WHERE id = 1"), (Rows{"101"}));
}

TEST_F(ConcurrencyTest, IsolationSettings) {
  EXPECT_EQ(Query("SHOW transaction_isolation"), (Rows{"read committed"}));
  Query("BEGIN ISOLATION LEVEL SERIALIZABLE");
  EXPECT_EQ(Query("SHOW transaction_isolation"), (Rows{"serializable"}));
  Query("COMMIT");
  EXPECT_EQ(Query("SHOW transaction_isolation"), (Rows{"read committed"}));
  Query("START TRANSACTION");
  Query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  EXPECT_EQ(Query("SHOW transaction_isolation"), (Rows{"repeatable read"}));
  Query("SELECT 1");
  EXPECT_EQ(ErrorCode("SET TRANSACTION ISOLATION LEVEL READ COMMITTED"), "25001");
  EXPECT_EQ(last_error_, "SET TRANSACTION ISOLATION LEVEL must be called before any query");
  Query("ROLLBACK");
  Query("SET default_transaction_isolation = 'repeatable read'");
  EXPECT_EQ(Query("SHOW default_transaction_isolation"), (Rows{"repeatable read"}));
  EXPECT_EQ(Query("SHOW transaction_isolation"), (Rows{"repeatable read"}));
  Query("BEGIN");
  EXPECT_EQ(Query("SELECT balance FROM acct WHERE id = 1"), (Rows{"100"}));
  EXPECT_EQ(RunOn(*other_, "UPDATE acct SET balance = 3 WHERE id = 1"), "");
  EXPECT_EQ(Query("SELECT balance FROM acct WHERE id = 1"), (Rows{"100"}));  // one snapshot
  Query("COMMIT");
}

TEST_F(ConcurrencyTest, SetUndoneByRollback) {
  Query("SET application_name = 'before'");
  Query("BEGIN");
  Query("SET application_name = 'inside'");
  Query("ROLLBACK");
  EXPECT_EQ(Query("SHOW application_name"), (Rows{"before"}));
  Query("BEGIN");
  Query("SET LOCAL application_name = 'local'");
  EXPECT_EQ(Query("SHOW application_name"), (Rows{"local"}));
  Query("COMMIT");
  EXPECT_EQ(Query("SHOW application_name"), (Rows{"before"}));
  Query("BEGIN");
  Query("SET application_name = 'kept'");
  Query("COMMIT");
  EXPECT_EQ(Query("SHOW application_name"), (Rows{"kept"}));
}

TEST_F(ConcurrencyTest, DdlUndoneByRollback) {
  Query("BEGIN");
  Query("CREATE TABLE tmp (x int PRIMARY KEY, y int)");
  Query("INSERT INTO tmp VALUES (1, 1)");
  Query("CREATE INDEX acct_balance_idx ON acct (balance)");
  Query("ROLLBACK");
  EXPECT_EQ(ErrorCode("SELECT * FROM tmp"), "42P01");
  Query("CREATE TABLE tmp (x int)");  // the name is free again
  EXPECT_EQ(ErrorCode("DROP INDEX acct_balance_idx"), "42704");
  Query("BEGIN");
  Query("DROP TABLE tmp");
  Query("ROLLBACK");
  EXPECT_EQ(Query("SELECT count(*) FROM tmp"), (Rows{"0"}));
  Query("BEGIN");
  Query("DROP TABLE tmp");
  Query("COMMIT");
  EXPECT_EQ(ErrorCode("SELECT * FROM tmp"), "42P01");
}

}  // namespace tessera::testing
