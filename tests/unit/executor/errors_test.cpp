// SQLSTATEs and PostgreSQL's wording for binder and constraint errors.
#include "tests/unit/executor/sql_test_util.h"

namespace tessera::testing {

class ErrorsTest : public SqlTest {
 protected:
  void SetUp() override {
    SqlTest::SetUp();
    Query("CREATE TABLE t (id int PRIMARY KEY, v varchar(3) NOT NULL, n int)");
    Query("CREATE TABLE u (id int, v text)");
    Query("INSERT INTO t VALUES (1, 'a', 1)");
  }
};

TEST_F(ErrorsTest, Names) {
  EXPECT_EQ(ErrorCode("SELECT * FROM nope"), "42P01");
  EXPECT_EQ(last_error_, "relation \"nope\" does not exist");
  EXPECT_EQ(ErrorCode("SELECT nope FROM t"), "42703");
  EXPECT_EQ(last_error_, "column \"nope\" does not exist");
  EXPECT_EQ(ErrorCode("SELECT id FROM t, u"), "42702");
  EXPECT_EQ(last_error_, "column reference \"id\" is ambiguous");
  EXPECT_EQ(ErrorCode("SELECT x.id FROM t"), "42P01");
}

TEST_F(ErrorsTest, Types) {
  EXPECT_EQ(ErrorCode("SELECT * FROM t WHERE id = 'a'::text"), "42883");
  EXPECT_EQ(last_error_, "operator does not exist: integer = text");
  EXPECT_EQ(ErrorCode("SELECT * FROM t WHERE n"), "42804");
  EXPECT_EQ(last_error_, "argument of WHERE must be type boolean, not type integer");
  EXPECT_EQ(ErrorCode("SELECT * FROM t WHERE id = 'abc'"), "22P02");
  EXPECT_EQ(Query("SELECT id FROM t WHERE id = '1'"), (Rows{"1"}));
  EXPECT_EQ(ErrorCode("SELECT 1/0"), "22012");
}

TEST_F(ErrorsTest, Grouping) {
  EXPECT_EQ(ErrorCode("SELECT id, count(*) FROM t"), "42803");
  EXPECT_EQ(last_error_, "column \"t.id\" must appear in the GROUP BY clause or be used in an aggregate function");
  EXPECT_EQ(ErrorCode("SELECT * FROM t WHERE count(*) > 1"), "42803");
  EXPECT_EQ(last_error_, "aggregate functions are not allowed in WHERE");
  EXPECT_EQ(ErrorCode("SELECT sum(v) FROM t"), "42883");
}

TEST_F(ErrorsTest, Constraints) {
  EXPECT_EQ(ErrorCode("INSERT INTO t VALUES (1, 'b', 2)"), "23505");
  EXPECT_EQ(last_error_, "duplicate key value violates unique constraint \"t_pkey\"");
  EXPECT_EQ(ErrorCode("INSERT INTO t VALUES (2, NULL, 2)"), "23502");
  EXPECT_EQ(last_error_, "null value in column \"v\" of relation \"t\" violates not-null constraint");
  EXPECT_EQ(ErrorCode("INSERT INTO t VALUES (3, 'abcd', 2)"), "22001");
  EXPECT_EQ(ErrorCode("UPDATE t SET v = NULL"), "23502");
  Query("CREATE TABLE q (a int UNIQUE)");
  Query("INSERT INTO q VALUES (1), (NULL), (NULL)");
  EXPECT_EQ(ErrorCode("INSERT INTO q VALUES (1)"), "23505");
  EXPECT_EQ(last_error_, "duplicate key value violates unique constraint \"q_a_key\"");
  EXPECT_EQ(ErrorCode("INSERT INTO t (nope) VALUES (1)"), "42703");
  EXPECT_EQ(ErrorCode("INSERT INTO t VALUES (9, 'a', 1, 5)"), "42601");
  EXPECT_EQ(ErrorCode("INSERT INTO t (id, n) VALUES (9, 'x'::text)"), "42804");
}

TEST_F(ErrorsTest, Settings) {
  EXPECT_EQ(ErrorCode("SET nope = 1"), "42704");
  EXPECT_EQ(last_error_, "unrecognized configuration parameter \"nope\"");
  EXPECT_EQ(ErrorCode("SHOW nope"), "42704");
  EXPECT_EQ(ErrorCode("SET client_encoding = 'LATIN1'"), "0A000");
  EXPECT_EQ(ErrorCode("SET client_encoding = 'bogus'"), "22023");
  EXPECT_EQ(Tag("SET application_name = 'x'"), "SET");
  EXPECT_EQ(Query("SHOW application_name"), (Rows{"x"}));
  EXPECT_EQ(last_.columns_[0].name, "application_name");
  Query("SET DateStyle = 'German, DMY'");
  EXPECT_EQ(Query("SHOW datestyle"), (Rows{"German, DMY"}));
  auto changed = session_->TakeChangedParameters();
  bool saw = false;
  for (auto& [k, v] : changed) saw = saw || (k == "DateStyle" && v == "German, DMY");
  EXPECT_TRUE(saw);
  Query("RESET ALL");
  EXPECT_EQ(Query("SHOW application_name"), (Rows{""}));
}

}  // namespace tessera::testing
