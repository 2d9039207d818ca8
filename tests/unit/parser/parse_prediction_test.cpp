// The parser is on every simple query's path: pgbench's statements parse fast
// only if SLL prediction succeeds (no LL fallback). Speed itself is measured
// by tests/bench/parse_plan_bench.cpp, never by a timed test.
#include <gtest/gtest.h>


#include "parser/parser.h"

namespace tessera {
namespace {

TEST(ParsePrediction, CommonStatementsNeedNoLlFallback) {
  const char* statements[] = {
      "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2",
      "SELECT abalance FROM pgbench_accounts WHERE aid = 42",
      "INSERT INTO t (a, b) VALUES (1, 'x'), (2, 'y') RETURNING a",
      "DELETE FROM t WHERE a BETWEEN 1 AND 10 AND b IS NOT NULL",
      "SELECT a, count(*) FROM t JOIN u ON t.id = u.id WHERE x IN (1, 2) GROUP BY a ORDER BY 2 DESC LIMIT 5",
      "BEGIN", "COMMIT", "END", "ROLLBACK",
      "SET application_name = 'psql'",
      "CREATE TABLE pgbench_tellers(tid int not null,bid int,tbalance int,filler char(84)) with (fillfactor=100)",
      "copy pgbench_accounts from stdin with (freeze on)",
      "alter table pgbench_branches add primary key (bid)",
      "vacuum analyze pgbench_branches",
  };
  uint64_t before = ParserLlFallbackCount();
  for (const char* sql : statements) ParseSql(sql);
  EXPECT_EQ(ParserLlFallbackCount(), before);
  EXPECT_THROW(ParseSql("SELECT FROM FROM"), std::exception);
  EXPECT_EQ(ParserLlFallbackCount(), before + 1);  // errors are reported by the LL stage
}

}  // namespace
}  // namespace tessera
