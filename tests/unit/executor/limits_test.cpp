// Memory accounting and cancellation in the operators: every operator that
// buffers is charged (53200 past tessera.statement_memory_limit), and a
// statement_timeout stops a nested loop inside its pairs, not between batches.
#include <chrono>

#include "common/memory_account.h"
#include "tests/unit/executor/sql_test_util.h"

namespace tessera::testing {

class LimitsTest : public SqlTest {
 protected:
  void SetUp() override {
    SqlTest::SetUp();
    Query("CREATE TABLE big (k int PRIMARY KEY, v int)");
    Query("INSERT INTO big SELECT g, g % 1000 FROM generate_series(1, 50000) AS g");
    Query("SET tessera.statement_memory_limit = '1MB'");
  }
};

TEST_F(LimitsTest, EveryBufferingOperatorIsCharged) {
  const char* queries[] = {
      "SELECT g FROM generate_series(1, 100000) AS g ORDER BY g DESC",              // sort
      "SELECT g, count(*) FROM generate_series(1, 100000) AS g GROUP BY g",         // hash aggregate
      "SELECT DISTINCT g FROM generate_series(1, 100000) AS g",                     // DISTINCT
      "SELECT g FROM generate_series(1, 100000) AS g UNION SELECT 1",               // UNION
      "SELECT 1 EXCEPT SELECT g FROM generate_series(1, 100000) AS g",              // set operation build
      "SELECT count(*) FROM generate_series(1, 10) AS a JOIN big b ON a.a = b.v",   // hash join build
      "SELECT k, count(*) FROM big GROUP BY k",                                     // fragment's partial aggregate
      "SELECT k FROM big ORDER BY v LIMIT 40000",                                   // fragment's top-N
      "SELECT count(*) FROM generate_series(1, 10) AS a WHERE a.a IN (SELECT k FROM big)",  // subquery values
  };
  for (const char* sql : queries) {
    EXPECT_EQ(ErrorCode(sql), sqlstate::kOutOfMemory) << sql;
    EXPECT_EQ(last_error_, "out of memory") << sql;
  }
  // The failures gave their memory back: a small statement still runs.
  EXPECT_EQ(Query("SELECT count(*) FROM big WHERE k <= 100"), Rows({"100"}));
  // A top-N keeps LIMIT rows, not its input: 50,000 rows sorted under 1MB,
  // in the fragment and in the gateway's sort.
  EXPECT_EQ(Query("SELECT k FROM big ORDER BY v DESC, k LIMIT 2"), Rows({"999", "1999"}));
  EXPECT_EQ(Query("SELECT g FROM generate_series(1, 100000) AS g ORDER BY g DESC LIMIT 2 OFFSET 1"),
            Rows({"99999", "99998"}));
  Query("RESET tessera.statement_memory_limit");
  EXPECT_EQ(Query("SELECT g FROM generate_series(1, 100000) AS g ORDER BY g DESC LIMIT 1"), Rows({"100000"}));
}

TEST_F(LimitsTest, SettingIsASize) {
  EXPECT_EQ(Query("SHOW tessera.statement_memory_limit"), Rows({"1MB"}));
  EXPECT_EQ(ErrorCode("SET tessera.statement_memory_limit = 'much'"), "22023");
  Query("SET tessera.statement_memory_limit = 0");
  EXPECT_EQ(Query("SELECT count(*) FROM (SELECT DISTINCT g FROM generate_series(1, 100000) AS g) AS s"),
            Rows({"100000"}));
}

TEST_F(LimitsTest, TimeoutStopsNestedLoopInsideItsPairs) {
  Query("RESET tessera.statement_memory_limit");
  Query("SET statement_timeout = '200ms'");
  // 50,000 x 50,000 pairs: minutes of work, with 50 million pairs per left
  // batch between the checks an operator made before it polled per pair.
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ErrorCode("SELECT count(*) FROM big a JOIN big b ON a.k < b.v"), sqlstate::kQueryCanceled);
  EXPECT_EQ(last_error_, "canceling statement due to statement timeout");
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::milliseconds(1000));
}

}  // namespace tessera::testing
