// The extended protocol: prepared plans, inferred parameter types, portals
// suspended by row limits, and the implicit transaction until Sync.
#include "tests/unit/executor/sql_test_util.h"

namespace tessera::testing {

class ExtendedTest : public SqlTest {};

TEST_F(ExtendedTest, InfersParameterTypes) {
  Query("CREATE TABLE acc (aid int PRIMARY KEY, abalance int)");
  Query("INSERT INTO acc VALUES (1, 0), (2, 0)");
  auto stmt = session_->Prepare("UPDATE acc SET abalance = abalance + $1 WHERE aid = $2", {});
  ASSERT_EQ(stmt->ParamTypes().size(), 2u);
  EXPECT_EQ(stmt->ParamTypes()[0].id, TypeId::kInt4);
  EXPECT_EQ(stmt->ParamTypes()[1].id, TypeId::kInt4);
  EXPECT_TRUE(stmt->ResultColumns().empty());
  for (int i = 0; i < 3; ++i) {
    CollectingSink sink;
    auto portal = session_->Bind(stmt, {Value::Int4(5), Value::Int4(2)});
    EXPECT_TRUE(portal->Execute(0, sink));
    EXPECT_EQ(sink.tags_.back(), "UPDATE 1");
  }
  session_->Sync();
  EXPECT_EQ(Query("SELECT abalance FROM acc WHERE aid = 2"), (Rows{"15"}));
}

TEST_F(ExtendedTest, PortalSuspends) {
  Query("CREATE TABLE n (v int)");
  Query("INSERT INTO n SELECT generate_series FROM generate_series(1, 5)");
  auto stmt = session_->Prepare("SELECT v FROM n ORDER BY v", {});
  ASSERT_EQ(stmt->ResultColumns().size(), 1u);
  auto portal = session_->Bind(stmt, {});
  CollectingSink first;
  EXPECT_FALSE(portal->Execute(2, first));
  EXPECT_EQ(first.rows_.size(), 2u);
  EXPECT_TRUE(first.tags_.empty());
  CollectingSink rest;
  EXPECT_TRUE(portal->Execute(0, rest));
  EXPECT_EQ(rest.rows_.size(), 3u);
  EXPECT_EQ(rest.rows_[0][0], "3");
  EXPECT_EQ(rest.tags_.back(), "SELECT 3");  // this Execute's rows, as PostgreSQL counts
  session_->Sync();
}

TEST_F(ExtendedTest, PortalSuspendsAtAnExactMultiple) {
  // PostgreSQL suspends a portal that sent max_rows even when nothing is
  // left; the next Execute completes it with "SELECT 0".
  Query("CREATE TABLE m (v int)");
  Query("INSERT INTO m SELECT generate_series FROM generate_series(1, 4)");
  auto portal = session_->Bind(session_->Prepare("SELECT v FROM m ORDER BY v", {}), {});
  CollectingSink first, second, last;
  EXPECT_FALSE(portal->Execute(2, first));
  EXPECT_FALSE(portal->Execute(2, second));
  EXPECT_EQ(second.rows_.size(), 2u);
  EXPECT_TRUE(second.tags_.empty());
  EXPECT_TRUE(portal->Execute(2, last));
  EXPECT_TRUE(last.rows_.empty());
  EXPECT_EQ(last.tags_.back(), "SELECT 0");
  session_->Sync();
}

TEST_F(ExtendedTest, ImplicitTransactionUntilSync) {
  Query("CREATE TABLE t (id int PRIMARY KEY)");
  auto stmt = session_->Prepare("INSERT INTO t VALUES ($1)", {});
  CollectingSink sink;
  session_->Bind(stmt, {Value::Int4(1)})->Execute(0, sink);
  auto other = db_->NewSession();
  other->Start({});
  CollectingSink before;
  other->ExecuteSimple("SELECT count(*) FROM t", before);
  EXPECT_EQ(before.rows_[0][0], "0");
  session_->Sync();
  CollectingSink after;
  other->ExecuteSimple("SELECT count(*) FROM t", after);
  EXPECT_EQ(after.rows_[0][0], "1");
}

TEST_F(ExtendedTest, Cancel) {
  Query("CREATE TABLE n (v int)");
  Query("INSERT INTO n SELECT * FROM generate_series(1, 5000)");
  auto stmt = session_->Prepare("SELECT v FROM n", {});
  auto portal = session_->Bind(stmt, {});
  CollectingSink sink;
  EXPECT_FALSE(portal->Execute(1, sink));
  session_->Cancel();
  try {
    portal->Execute(0, sink);
    FAIL() << "expected cancellation";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "57014");
    EXPECT_EQ(e.Message(), "canceling statement due to user request");
  }
}

}  // namespace tessera::testing

namespace tessera::testing {

// A parameter inside a correlated subquery reaches the subquery's
// fragments, run for each outer row; a suspended portal goes on running it.
TEST_F(ExtendedTest, ParametersInCorrelatedSubqueries) {
  Query("CREATE TABLE cd (id int PRIMARY KEY)");
  Query("CREATE TABLE ce (id int PRIMARY KEY, dept int, salary int)");
  Query("INSERT INTO cd VALUES (1), (2), (3)");
  Query("INSERT INTO ce VALUES (1, 1, 10), (2, 1, 20), (3, 2, 30)");
  auto stmt = session_->Prepare(
      "SELECT d.id, (SELECT count(*) FROM ce e WHERE e.dept = d.id AND e.salary > $1) FROM cd d ORDER BY d.id", {});
  ASSERT_EQ(stmt->ParamTypes().size(), 1u);
  const std::pair<int, std::vector<std::string>> cases[] = {{5, {"2", "1", "0"}}, {15, {"1", "1", "0"}}};
  for (const auto& [limit, counts] : cases) {
    auto portal = session_->Bind(stmt, {Value::Int4(limit)});
    CollectingSink first, rest;
    EXPECT_FALSE(portal->Execute(1, first));
    EXPECT_TRUE(portal->Execute(0, rest));
    ASSERT_EQ(first.rows_.size(), 1u);
    ASSERT_EQ(rest.rows_.size(), 2u);
    EXPECT_EQ(first.rows_[0][1], counts[0]);
    EXPECT_EQ(rest.rows_[0][1], counts[1]);
    EXPECT_EQ(rest.rows_[1][1], counts[2]);
  }
  session_->Sync();
}

}  // namespace tessera::testing
