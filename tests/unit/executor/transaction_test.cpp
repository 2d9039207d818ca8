// Transactions through the Session: autocommit, blocks, the failed state,
// warnings, and isolation of uncommitted writes from other sessions.
#include "tests/unit/executor/sql_test_util.h"

namespace tessera::testing {

class TransactionTest : public SqlTest {};

TEST_F(TransactionTest, CommitAndRollback) {
  Query("CREATE TABLE t (id int PRIMARY KEY)");
  EXPECT_EQ(Tag("BEGIN"), "BEGIN");
  EXPECT_EQ(session_->Status(), TxnStatus::kInBlock);
  Query("INSERT INTO t VALUES (1)");
  EXPECT_EQ(Tag("ROLLBACK"), "ROLLBACK");
  EXPECT_EQ(session_->Status(), TxnStatus::kIdle);
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"0"}));
  Query("BEGIN");
  Query("INSERT INTO t VALUES (2)");
  EXPECT_EQ(Query("SELECT id FROM t"), (Rows{"2"}));  // sees its own writes
  EXPECT_EQ(Tag("COMMIT"), "COMMIT");
  EXPECT_EQ(Query("SELECT id FROM t"), (Rows{"2"}));
}

TEST_F(TransactionTest, UncommittedInvisibleToOthers) {
  Query("CREATE TABLE t (id int PRIMARY KEY)");
  auto other = db_->NewSession();
  other->Start({{"user", "tessera"}});
  Query("BEGIN");
  Query("INSERT INTO t VALUES (1)");
  CollectingSink sink;
  other->ExecuteSimple("SELECT count(*) FROM t", sink);
  EXPECT_EQ(sink.rows_[0][0], "0");
  Query("COMMIT");
  CollectingSink after;
  other->ExecuteSimple("SELECT count(*) FROM t", after);
  EXPECT_EQ(after.rows_[0][0], "1");
}

TEST_F(TransactionTest, FailedBlock) {
  Query("CREATE TABLE t (id int PRIMARY KEY)");
  Query("BEGIN");
  Query("INSERT INTO t VALUES (1)");
  EXPECT_EQ(ErrorCode("SELECT * FROM missing"), "42P01");
  EXPECT_EQ(session_->Status(), TxnStatus::kFailed);
  EXPECT_EQ(ErrorCode("SELECT 1"), "25P02");
  EXPECT_EQ(last_error_, "current transaction is aborted, commands ignored until end of transaction block");
  EXPECT_EQ(Tag("COMMIT"), "ROLLBACK");
  EXPECT_EQ(session_->Status(), TxnStatus::kIdle);
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"0"}));
}

TEST_F(TransactionTest, Warnings) {
  Query("BEGIN");
  EXPECT_EQ(Tag("BEGIN"), "BEGIN");
  ASSERT_EQ(last_.notices_.size(), 1u);
  EXPECT_EQ(last_.notices_[0], "WARNING 25001 there is already a transaction in progress");
  Query("COMMIT");
  EXPECT_EQ(Tag("COMMIT"), "COMMIT");
  ASSERT_EQ(last_.notices_.size(), 1u);
  EXPECT_EQ(last_.notices_[0], "WARNING 25P01 there is no transaction in progress");
}

TEST_F(TransactionTest, AutocommitErrorRollsBackStatement) {
  Query("CREATE TABLE t (id int PRIMARY KEY)");
  EXPECT_EQ(ErrorCode("INSERT INTO t VALUES (1), (1)"), "23505");
  EXPECT_EQ(session_->Status(), TxnStatus::kIdle);
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"0"}));
}

TEST_F(TransactionTest, MultiStatementQueryIsOneTransaction) {
  Query("CREATE TABLE t (id int PRIMARY KEY)");
  EXPECT_EQ(ErrorCode("INSERT INTO t VALUES (1); INSERT INTO t VALUES (1)"), "23505");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"0"}));
  Query("INSERT INTO t VALUES (1); INSERT INTO t VALUES (2)");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"2"}));
}

}  // namespace tessera::testing

namespace tessera::testing {

TEST_F(TransactionTest, StatementTimeout) {
  Query("SET statement_timeout = 20");
  EXPECT_EQ(ErrorCode("SELECT count(*) FROM generate_series(1, 2000000000)"), "57014");
  EXPECT_EQ(last_error_, "canceling statement due to statement timeout");
  Query("SET statement_timeout = 0");
  EXPECT_EQ(Query("SELECT count(*) FROM generate_series(1, 3000)"), (Rows{"3000"}));
}

}  // namespace tessera::testing
