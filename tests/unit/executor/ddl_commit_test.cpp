// A transaction's DDL at COMMIT (executor/ddl_block_catalog.h), the simple
// protocol's order of CommandComplete and commit, COPY TO's messages, and
// what DDL refuses rather than accept and not do.
#include "tests/unit/executor/sql_test_util.h"

namespace tessera::testing {

class DdlCommitTest : public SqlTest {
 protected:
  std::unique_ptr<Session> Other() {
    auto other = db_->NewSession();
    other->Start({{"user", "tessera"}});
    return other;
  }
};

// Runs `on_row` when the first row arrives, in the middle of the statement.
class RowHookSink : public CollectingSink {
 public:
  std::function<void()> on_row;
  void Row(const tessera::Row& row) override {
    CollectingSink::Row(row);
    if (on_row) std::exchange(on_row, nullptr)();
  }
};

TEST_F(DdlCommitTest, FailedCommitSendsNoCommandCompleteFirst) {
  Query("CREATE TABLE t (id int PRIMARY KEY)");
  auto other = Other();
  CollectingSink ignore;
  other->ExecuteSimple("BEGIN; ALTER TABLE t ADD COLUMN c int", ignore);
  // The implicit transaction of this simple query alters t too; the other
  // session's ALTER commits first (while our SELECT runs), so ours fails at
  // COMMIT with 40001, after the INSERT ran.
  RowHookSink sink;
  sink.on_row = [&] { other->ExecuteSimple("COMMIT", ignore); };
  try {
    session_->ExecuteSimple("ALTER TABLE t ADD COLUMN d int; SELECT 1; INSERT INTO t SELECT 1, 2", sink);
    FAIL() << "the commit should have failed";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "40001") << e.Message();
  }
  EXPECT_EQ(sink.tags_, (std::vector<std::string>{"ALTER TABLE", "SELECT 1"}));
  EXPECT_EQ(session_->Status(), TxnStatus::kIdle);
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"0"}));
  EXPECT_EQ(ErrorCode("SELECT d FROM t"), "42703");
  EXPECT_EQ(Query("SELECT c FROM t"), (Rows{}));
}

TEST_F(DdlCommitTest, AutocommitTagFollowsTheCommit) {
  Query("CREATE TABLE t (id int PRIMARY KEY)");
  EXPECT_EQ(Tag("INSERT INTO t VALUES (1), (2)"), "INSERT 0 2");
  Query("INSERT INTO t VALUES (3); INSERT INTO t VALUES (4)");
  EXPECT_EQ(last_.tags_, (std::vector<std::string>{"INSERT 0 1", "INSERT 0 1"}));
}

TEST_F(DdlCommitTest, DdlInvisibleToOthersUntilCommit) {
  Query("CREATE TABLE t (id int PRIMARY KEY)");
  auto other = Other();
  Query("BEGIN");
  Query("ALTER TABLE t ADD COLUMN c int DEFAULT 7");
  Query("DROP TABLE IF EXISTS u");
  Query("CREATE TABLE u (x int)");
  CollectingSink before;
  other->ExecuteSimple("SELECT * FROM t", before);
  ASSERT_EQ(before.columns_.size(), 1u);  // no column c yet
  EXPECT_THROW(other->ExecuteSimple("SELECT * FROM u", before), SqlError);
  Query("COMMIT");
  CollectingSink after;
  other->ExecuteSimple("SELECT * FROM t", after);
  EXPECT_EQ(after.columns_.size(), 2u);
  other->ExecuteSimple("SELECT count(*) FROM u", after);
  EXPECT_EQ(after.rows_.back()[0], "0");
}

TEST_F(DdlCommitTest, ConcurrentCreateOfOneNameFailsTheLaterCommit) {
  auto other = Other();
  CollectingSink ignore;
  Query("BEGIN");
  Query("CREATE TABLE clash (a int)");
  other->ExecuteSimple("CREATE TABLE clash (b int)", ignore);
  EXPECT_EQ(ErrorCode("COMMIT"), "42P07");
  EXPECT_EQ(session_->Status(), TxnStatus::kIdle);
  EXPECT_EQ(Query("SELECT count(b) FROM clash"), (Rows{"0"}));
}

TEST_F(DdlCommitTest, ForeignKeysLiveAndDieWithTheirTransaction) {
  Query("CREATE TABLE parent (id int PRIMARY KEY)");
  Query("BEGIN");
  Query("CREATE TABLE child (id int, p int REFERENCES parent (id))");
  EXPECT_EQ(ErrorCode("INSERT INTO child VALUES (1, 1)"), "23503");
  Query("ROLLBACK");
  EXPECT_EQ(ErrorCode("SELECT * FROM child"), "42P01");
  // A parent dropped by one transaction while another adds a key to it:
  // the later COMMIT fails (40001), as for other concurrent DDL.
  Query("CREATE TABLE child (id int, p int)");
  auto other = Other();
  CollectingSink ignore;
  other->ExecuteSimple("BEGIN; DROP TABLE parent", ignore);
  Query("BEGIN");
  Query("ALTER TABLE child ADD CONSTRAINT fk FOREIGN KEY (p) REFERENCES parent (id)");
  other->ExecuteSimple("COMMIT", ignore);
  EXPECT_EQ(ErrorCode("COMMIT"), "40001");
  Query("INSERT INTO child VALUES (1, 1)");
  // DEFERRABLE is not enforced yet, so not accepted.
  Query("CREATE TABLE parent (id int PRIMARY KEY)");
  EXPECT_EQ(ErrorCode("ALTER TABLE child ADD FOREIGN KEY (p) REFERENCES parent DEFERRABLE"), "0A000");
}

TEST_F(DdlCommitTest, RenamingAColumnACheckUsesIsRefused) {
  Query("CREATE TABLE t (a int CHECK (a > 0), b int)");
  EXPECT_EQ(ErrorCode("ALTER TABLE t RENAME COLUMN a TO z"), "0A000");
  Query("ALTER TABLE t RENAME COLUMN b TO y");
  EXPECT_EQ(ErrorCode("INSERT INTO t VALUES (0, 1)"), "23514");
}

TEST_F(DdlCommitTest, IndexBuildNeedsReadCommittedUnlessTheTableIsItsOwn) {
  Query("CREATE TABLE t (id int PRIMARY KEY, v int)");
  Query("INSERT INTO t VALUES (1, 10), (2, 20)");
  Query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  // Others may write t: a build could miss what they commit after this snapshot.
  EXPECT_EQ(ErrorCode("CREATE INDEX t_v ON t (v)"), "0A000");
  Query("ROLLBACK");
  Query("BEGIN ISOLATION LEVEL REPEATABLE READ");
  Query("CREATE TABLE mine (id int PRIMARY KEY, v int)");
  Query("INSERT INTO mine VALUES (1, 5)");
  Query("CREATE INDEX mine_v ON mine (v)");
  Query("COMMIT");
  EXPECT_EQ(Query("SELECT id FROM mine WHERE v = 5"), (Rows{"1"}));
  Query("CREATE INDEX t_v ON t (v)");  // READ COMMITTED
  EXPECT_EQ(Query("SELECT id FROM t WHERE v = 20"), (Rows{"2"}));
}

// Counts the CopyData messages of a COPY TO STDOUT.
class CopyOutSink : public CollectingSink {
 public:
  void CopyOutBegin(bool, size_t) override {}
  void CopyOutData(std::string_view data) override { messages.emplace_back(data); }
  std::vector<std::string> messages;
};

// Feeds COPY FROM STDIN its data.
class CopyInSink : public CollectingSink {
 public:
  explicit CopyInSink(std::string data) : data_(std::move(data)) {}
  void CopyInBegin(bool, size_t) override {}
  bool CopyInNext(std::string& chunk) override {
    if (sent_) return false;
    chunk = data_;
    sent_ = true;
    return true;
  }

 private:
  std::string data_;
  bool sent_ = false;
};

TEST_F(DdlCommitTest, CopyFromChecksConstraintsAndEncoding) {
  Query("CREATE TABLE t (id int PRIMARY KEY, q int CHECK (q >= 0), s text NOT NULL)");
  auto copy = [&](const std::string& data) {
    CopyInSink sink(data);
    try {
      session_->ExecuteSimple("COPY t FROM STDIN", sink);
    } catch (const SqlError& e) {
      return e.Sqlstate();
    }
    return sink.tags_.empty() ? std::string() : sink.tags_.back();
  };
  EXPECT_EQ(copy("1\t5\ta\n2\t-1\tb\n"), "23514");
  EXPECT_EQ(copy("1\t5\t\\N\n"), "23502");
  EXPECT_EQ(copy("1\t5\ta\\000b\n"), "22021");  // an octal escape making NUL
  EXPECT_EQ(copy("1\t5\t\xff\n"), "22021");
  EXPECT_EQ(Query("SELECT count(*) FROM t"), (Rows{"0"}));
  EXPECT_EQ(copy("1\t5\t\xc3\xa9\n"), "COPY 1");
  EXPECT_EQ(Query("SELECT s FROM t"), (Rows{"\xc3\xa9"}));
}

TEST_F(DdlCommitTest, CopyToSendsOneMessagePerRow) {
  Query("CREATE TABLE t (id int PRIMARY KEY, v text)");
  Query("INSERT INTO t VALUES (1, 'a'), (2, NULL), (3, 'c')");
  CopyOutSink sink;
  session_->ExecuteSimple("COPY t TO STDOUT", sink);
  EXPECT_EQ(sink.messages, (std::vector<std::string>{"1\ta\n", "2\t\\N\n", "3\tc\n"}));
  EXPECT_EQ(sink.tags_, (std::vector<std::string>{"COPY 3"}));
}

}  // namespace tessera::testing
