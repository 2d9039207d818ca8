// SQL cursors: command tags, BINARY, WITH HOLD, NO SCROLL by default,
// a data error of the first batch reported at FETCH, and DECLARE/FETCH
// through the extended protocol (bound parameters, described rows).
#include "tests/unit/executor/sql_test_util.h"

namespace tessera::testing {

class CursorTest : public SqlTest {
 protected:
  void SetUp() override {
    SqlTest::SetUp();
    Query("CREATE TABLE t (id int PRIMARY KEY, v text)");
    Query("INSERT INTO t SELECT g, 'v' || g FROM generate_series(1, 10) AS g");
  }
};

TEST_F(CursorTest, Tags) {
  Query("BEGIN");
  EXPECT_EQ(Tag("DECLARE c SCROLL CURSOR FOR SELECT id FROM t ORDER BY id"), "DECLARE CURSOR");
  EXPECT_EQ(Tag("FETCH 3 FROM c"), "FETCH 3");
  EXPECT_EQ(last_.columns_.size(), 1u);
  EXPECT_EQ(Tag("MOVE 4 IN c"), "MOVE 4");
  EXPECT_TRUE(last_.rows_.empty());
  EXPECT_EQ(Tag("MOVE 100 IN c"), "MOVE 3");
  EXPECT_EQ(Tag("FETCH c"), "FETCH 0");
  EXPECT_EQ(Tag("MOVE BACKWARD ALL IN c"), "MOVE 10");
  EXPECT_EQ(Tag("MOVE 0 IN c"), "MOVE 0");
  EXPECT_EQ(Query("FETCH ABSOLUTE -2 FROM c"), (Rows{"9"}));
  EXPECT_EQ(Tag("MOVE 0 IN c"), "MOVE 1");
  EXPECT_EQ(Tag("CLOSE c"), "CLOSE CURSOR");
  EXPECT_EQ(Tag("CLOSE ALL"), "CLOSE CURSOR ALL");
  Query("COMMIT");
}

TEST_F(CursorTest, BinaryCursorAsksForBinaryColumns) {
  struct BinarySink : CollectingSink {
    void BinaryColumns(const std::vector<ColumnDesc>& columns) override {
      binary = true;
      Columns(columns);
    }
    bool binary = false;
  };
  Query("BEGIN");
  Query("DECLARE b BINARY CURSOR FOR SELECT id FROM t ORDER BY id");
  Query("DECLARE c CURSOR FOR SELECT id FROM t ORDER BY id");
  BinarySink binary, text;
  session_->ExecuteSimple("FETCH 2 FROM b", binary);
  session_->ExecuteSimple("FETCH 2 FROM c", text);
  EXPECT_TRUE(binary.binary);
  EXPECT_FALSE(text.binary);
  EXPECT_EQ(binary.rows_.size(), 2u);
  EXPECT_EQ(Query("SELECT is_binary FROM pg_cursors ORDER BY name"), (Rows{"t", "f"}));
  Query("ROLLBACK");
}

TEST_F(CursorTest, RollbackToReadsOlderCursorsFirst) {
  // The rest of an older cursor's rows is read before the savepoint's
  // writes are undone; a write after DECLARE never shows in it.
  Query("BEGIN");
  Query("DECLARE c CURSOR FOR SELECT id FROM t ORDER BY id");
  EXPECT_EQ(Query("FETCH 2 FROM c"), (Rows{"1", "2"}));
  Query("SAVEPOINT s");
  Query("INSERT INTO t VALUES (11, 'v11')");
  Query("ROLLBACK TO s");
  EXPECT_EQ(Tag("MOVE ALL IN c"), "MOVE 8");
  Query("ROLLBACK");
}

TEST_F(CursorTest, WithHoldKeepsTheRestAtCommit) {
  // Declared in autocommit: its statement's COMMIT reads every row.
  EXPECT_EQ(Tag("DECLARE h CURSOR WITH HOLD FOR SELECT id FROM t ORDER BY id"), "DECLARE CURSOR");
  Query("DELETE FROM t");
  EXPECT_EQ(Query("FETCH 3 FROM h"), (Rows{"1", "2", "3"}));
  EXPECT_EQ(Tag("MOVE ALL IN h"), "MOVE 7");
  // A COMMIT that fails (a unique violation is not possible at COMMIT, so
  // an error before it) leaves held cursors as they were.
  Query("BEGIN");
  Query("DECLARE g CURSOR WITH HOLD FOR SELECT 1");
  EXPECT_EQ(ErrorCode("SELECT 1 / 0"), "22012");
  EXPECT_EQ(Tag("COMMIT"), "ROLLBACK");
  EXPECT_EQ(ErrorCode("FETCH g"), "34000");
  EXPECT_EQ(Tag("FETCH h"), "FETCH 0");
  EXPECT_EQ(Tag("DISCARD ALL"), "DISCARD ALL");
  EXPECT_EQ(ErrorCode("FETCH h"), "34000");
}

TEST_F(CursorTest, WhereCurrentOfIsRefused) {
  Query("BEGIN");
  Query("DECLARE c CURSOR FOR SELECT id FROM t ORDER BY id");
  Query("FETCH c");
  EXPECT_EQ(ErrorCode("UPDATE t SET v = 'x' WHERE CURRENT OF c"), "0A000");
  Query("ROLLBACK");
  Query("BEGIN");
  EXPECT_EQ(ErrorCode("DELETE FROM t WHERE CURRENT OF c"), "0A000");
  Query("ROLLBACK");
  // A column may still be called current.
  Query("CREATE TABLE cur_col (current int)");
  EXPECT_EQ(Tag("UPDATE cur_col SET current = 2 WHERE current = 1"), "UPDATE 0");
}

TEST_F(CursorTest, DefaultIsNoScroll) {
  Query("BEGIN");
  Query("DECLARE c CURSOR FOR SELECT id FROM t ORDER BY id");
  EXPECT_EQ(Query("FETCH 2 FROM c"), (Rows{"1", "2"}));
  EXPECT_EQ(ErrorCode("FETCH PRIOR FROM c"), "55000");
  EXPECT_EQ(last_error_, "cursor can only scan forward");
  Query("ROLLBACK");
}

TEST_F(CursorTest, DataErrorAtFetch) {
  Query("BEGIN");
  EXPECT_EQ(ErrorCode("DECLARE c CURSOR FOR SELECT 1 / (id - id) FROM t"), "");
  EXPECT_EQ(ErrorCode("FETCH c"), "22012");
  EXPECT_EQ(ErrorCode("FETCH c"), "25P02");
  Query("ROLLBACK");
  EXPECT_EQ(ErrorCode("FETCH c"), "34000");
}

TEST_F(CursorTest, ExtendedProtocol) {
  Query("BEGIN");
  auto declare = session_->Prepare("DECLARE c CURSOR FOR SELECT v FROM t WHERE id > $1 ORDER BY id", {});
  ASSERT_EQ(declare->ParamTypes().size(), 1u);
  EXPECT_EQ(declare->ParamTypes()[0].id, TypeId::kInt4);
  EXPECT_TRUE(declare->ResultColumns().empty());
  CollectingSink declared;
  EXPECT_TRUE(session_->Bind(declare, {Value::Int4(7)})->Execute(0, declared));
  EXPECT_EQ(declared.tags_.back(), "DECLARE CURSOR");
  const std::vector<ColumnDesc>* columns = session_->CursorColumns("c");
  ASSERT_NE(columns, nullptr);
  EXPECT_EQ((*columns)[0].name, "v");
  EXPECT_EQ(session_->CursorColumns("d"), nullptr);

  auto fetch = session_->Prepare("FETCH FORWARD 2 FROM c", {});
  ASSERT_EQ(fetch->ResultColumns().size(), 1u);
  EXPECT_TRUE(session_->Prepare("MOVE 1 IN c", {})->ResultColumns().empty());
  CollectingSink rows;
  EXPECT_TRUE(session_->Bind(fetch, {})->Execute(0, rows));
  EXPECT_EQ(rows.rows_, (std::vector<std::vector<std::string>>{{"v8"}, {"v9"}}));
  EXPECT_EQ(rows.tags_.back(), "FETCH 2");
  CollectingSink rest;
  EXPECT_TRUE(session_->Bind(fetch, {})->Execute(0, rest));
  EXPECT_EQ(rest.rows_.size(), 1u);
  EXPECT_EQ(rest.tags_.back(), "FETCH 1");
  session_->Sync();
  Query("COMMIT");
  EXPECT_EQ(session_->CursorColumns("c"), nullptr);
}

}  // namespace tessera::testing
