// WITH in the planner: a CTE read once is inlined (its predicates reach the
// fragment), one read twice is one shared scan, WITH RECURSIVE becomes a
// recursive union over a work table; EXPLAIN lists each CTE once.
#include <gtest/gtest.h>

#include "common/error.h"
#include "planner/planner.h"
#include "tests/unit/planner/planner_test_util.h"

namespace tessera::testing {

using planner::LogicalKind;

namespace {

int Count(const planner::LogicalOperator& node, LogicalKind kind) {
  int n = node.Kind() == kind;
  for (auto& child : node.Children()) n += Count(*child, kind);
  return n;
}

std::string ErrorOf(const catalog::CatalogSnapshot& snap, const std::string& sql) {
  try {
    PlanSql(snap, sql);
  } catch (const SqlError& e) {
    return e.Sqlstate() + " " + e.what();
  }
  return "no error";
}

}  // namespace

TEST(CtePlanTest, ReadOnceIsInlinedAndItsFilterReachesTheFragment) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "WITH x AS (SELECT * FROM t) SELECT b FROM x WHERE a = 5");
  EXPECT_EQ(Count(*q.plan, LogicalKind::kCteScan), 0);
  const planner::LogicalOperator* node = q.plan.get();
  while (node->Kind() != LogicalKind::kFragmentScan) node = &node->Child();
  EXPECT_EQ(node->Cast<planner::LogicalFragmentScan>().GetFragment()->scan.kind, planner::ScanKind::kPoint);
}

TEST(CtePlanTest, ReadTwiceOrMaterializedIsOneSharedScan) {
  auto snap = PgbenchCatalog();
  auto twice = PlanSql(snap, "WITH x AS (SELECT a FROM t) SELECT * FROM x JOIN x y ON x.a = y.a");
  ASSERT_EQ(Count(*twice.plan, LogicalKind::kCteScan), 2);
  const auto& join = twice.plan->Kind() == LogicalKind::kJoin ? *twice.plan : twice.plan->Child();
  ASSERT_EQ(join.Kind(), LogicalKind::kJoin);
  EXPECT_EQ(join.Child(0).Cast<planner::LogicalCteScan>().Cte(), join.Child(1).Cast<planner::LogicalCteScan>().Cte());
  auto materialized = PlanSql(snap, "WITH x AS MATERIALIZED (SELECT a FROM t) SELECT * FROM x");
  EXPECT_EQ(Count(*materialized.plan, LogicalKind::kCteScan), 1);
}

TEST(CtePlanTest, RecursiveCteIsARecursiveUnionOverAWorkTable) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 3) SELECT n FROM r");
  EXPECT_EQ(Count(*q.plan, LogicalKind::kCteScan), 1);
  EXPECT_EQ(Count(*q.plan, LogicalKind::kRecursiveUnion), 1);
  EXPECT_EQ(Count(*q.plan, LogicalKind::kWorkTableScan), 1);
  auto lines = planner::ExplainQuery(q);
  ASSERT_GE(lines.size(), 4u);
  EXPECT_EQ(lines[0], "CTE Scan on r");
  EXPECT_EQ(lines[1], "  CTE r");
  EXPECT_EQ(lines[2], "    ->  Recursive Union All");
}

TEST(CtePlanTest, RecursionErrorsArePostgresOnes) {
  auto snap = PgbenchCatalog();
  EXPECT_EQ(ErrorOf(snap, "WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n FROM r, r r2) SELECT * FROM r"),
            "42P19 recursive reference to query \"r\" must not appear more than once");
  EXPECT_EQ(ErrorOf(snap, "WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT n FROM t LEFT JOIN r ON true) SELECT * FROM r"),
            "42P19 recursive reference to query \"r\" must not appear within an outer join");
  EXPECT_EQ(ErrorOf(snap, "WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1::bigint FROM r) SELECT * FROM r"),
            "42804 recursive query \"r\" column 1 has type integer in non-recursive term but type bigint overall");
}

}  // namespace tessera::testing
