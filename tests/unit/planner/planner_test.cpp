// Binder and optimiser: parameter inference, types, access paths, pushdown,
// and the EXPLAIN shape.
#include <gtest/gtest.h>

#include "common/error.h"
#include "tests/unit/planner/planner_test_util.h"

namespace tessera::testing {

using planner::LogicalKind;

TEST(PlannerTest, InfersParameterTypesForPgbenchUpdate) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "UPDATE pgbench_accounts SET abalance = abalance + $1 WHERE aid = $2");
  ASSERT_EQ(q.param_types.size(), 2u);
  EXPECT_EQ(q.param_types[0].id, TypeId::kInt4);
  EXPECT_EQ(q.param_types[1].id, TypeId::kInt4);
  ASSERT_EQ(q.plan->Kind(), LogicalKind::kUpdate);
  const auto& f = *static_cast<const planner::LogicalWrite&>(*q.plan).GetFragment();
  EXPECT_EQ(f.scan.kind, planner::ScanKind::kPoint);
  EXPECT_EQ(f.filter, nullptr);  // the key lookup makes the predicate redundant
}

TEST(PlannerTest, PointRangeAndIndexScans) {
  auto snap = PgbenchCatalog();
  auto scan_of = [&](const std::string& sql) {
    auto q = PlanSql(snap, sql);
    const planner::LogicalOperator* node = q.plan.get();
    while (node->Kind() != LogicalKind::kFragmentScan) node = &node->Child();
    return *node->Cast<planner::LogicalFragmentScan>().GetFragment();
  };
  EXPECT_EQ(scan_of("SELECT * FROM t WHERE a = 5").scan.kind, planner::ScanKind::kPoint);
  auto range = scan_of("SELECT * FROM t WHERE a > 5 AND a <= 9 AND b = 'x'");
  EXPECT_EQ(range.scan.kind, planner::ScanKind::kRange);
  EXPECT_FALSE(range.scan.lower_inclusive);
  EXPECT_TRUE(range.scan.upper_inclusive);
  ASSERT_NE(range.filter, nullptr);  // b = 'x' stays
  auto index = scan_of("SELECT * FROM t WHERE c = 3");
  EXPECT_EQ(index.scan.index_id, 7u);
  EXPECT_EQ(scan_of("SELECT * FROM t WHERE b = 'x'").scan.kind, planner::ScanKind::kFull);
}

// A parameter typed by the driver (pgjdbc's setLong sends int8, numeric
// for BigDecimal, int2 for setShort) against an int4 key: the plan, made
// once for every later value, still looks the key up; the comparison
// stays as a filter, and the value becomes a key bound at run time.
TEST(PlannerTest, KeysUsedWhateverTheParameterType) {
  auto snap = PgbenchCatalog();
  auto fragment_of = [&](const std::string& sql, TypeId param) {
    auto q = PlanSql(snap, sql, {Type::Of(param)});
    const planner::LogicalOperator* node = q.plan.get();
    while (node->Kind() != LogicalKind::kFragmentScan) node = &node->Child();
    return *node->Cast<planner::LogicalFragmentScan>().GetFragment();
  };
  for (TypeId param : {TypeId::kInt2, TypeId::kInt4, TypeId::kInt8, TypeId::kNumeric}) {
    SCOPED_TRACE(FormatType(Type::Of(param)));
    auto point = fragment_of("SELECT * FROM pgbench_accounts WHERE aid = $1", param);
    EXPECT_EQ(point.scan.kind, planner::ScanKind::kPoint);
    EXPECT_EQ(point.scan.equalities, 1u);
    EXPECT_EQ(point.filter != nullptr, param != TypeId::kInt4);  // re-checked when converted
    auto range = fragment_of("SELECT * FROM pgbench_accounts WHERE aid > $1 AND aid < 100", param);
    EXPECT_EQ(range.scan.kind, planner::ScanKind::kRange);
    EXPECT_EQ(range.scan.equalities, 0u);
    auto list = fragment_of("SELECT * FROM pgbench_accounts WHERE aid IN ($1, 7)", param);
    EXPECT_EQ(list.scan.kind, planner::ScanKind::kKeyList);
    auto index = fragment_of("SELECT * FROM t WHERE c = $1", param);
    EXPECT_EQ(index.scan.index_id, 7u);
  }
  // Not of the key's family, or not exact: no key (PostgreSQL casts the key).
  EXPECT_EQ(fragment_of("SELECT * FROM pgbench_accounts WHERE aid = $1", TypeId::kFloat8).scan.kind,
            planner::ScanKind::kFull);
  auto timed = fragment_of("SELECT * FROM pgbench_history WHERE mtime = $1", TypeId::kDate);
  EXPECT_EQ(timed.scan.kind, planner::ScanKind::kFull);  // no key there at all
}

TEST(PlannerTest, PushesPredicatesIntoJoinSides) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap,
                   "SELECT a.aid FROM pgbench_accounts a, pgbench_branches b WHERE a.bid = b.bid AND b.bid = 1 "
                   "AND a.abalance > 0");
  std::string text = ExplainText(q);
  EXPECT_NE(text.find("Hash Join (Inner)"), std::string::npos) << text;
  EXPECT_NE(text.find("Point Lookup using pgbench_branches_pkey"), std::string::npos) << text;
  EXPECT_NE(text.find("Filter: (a.abalance > 0)"), std::string::npos) << text;
}

// Joins on both whole primary keys (same types) run inside one fragment; the
// method follows from the access paths of the two sides.
TEST(PlannerTest, ColocatedJoinsOnBothPrimaryKeys) {
  auto snap = PgbenchCatalog();
  auto join_of = [&](const std::string& sql) -> const planner::FragmentJoin* {
    auto q = PlanSql(snap, sql, {Type::Of(TypeId::kInt4)});
    const planner::LogicalOperator* node = q.plan.get();
    while (node->Kind() != planner::LogicalKind::kFragmentScan) {
      if (node->Children().size() != 1) return nullptr;  // a gateway join has two inputs
      node = &node->Child();
    }
    static planner::FragmentRef keep;
    keep = node->Cast<planner::LogicalFragmentScan>().GetFragment();
    return keep->join.get();
  };
  const planner::FragmentJoin* j = join_of("SELECT * FROM pgbench_accounts a JOIN t ON t.a = a.aid");
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(j->method, planner::FragmentJoinMethod::kHashInner);
  EXPECT_EQ(j->kind, planner::FragmentJoinKind::kInner);
  EXPECT_EQ(j->table.table_name, "t");
  EXPECT_EQ(j->condition, nullptr);

  j = join_of("SELECT * FROM pgbench_accounts a LEFT JOIN t ON a.aid = t.a AND t.b <> a.filler WHERE a.aid = $1");
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(j->method, planner::FragmentJoinMethod::kLookupInner);
  EXPECT_EQ(j->kind, planner::FragmentJoinKind::kLeft);
  EXPECT_NE(j->condition, nullptr);

  // A point on the inner side's key becomes the outer side's point.
  auto q = PlanSql(snap, "SELECT * FROM pgbench_accounts a JOIN t ON t.a = a.aid WHERE t.a = 5");
  std::string text = ExplainText(q);
  EXPECT_EQ(text,
            "Fragment 1\n"
            "  ->  Key Lookup Join (co-located, on primary key)\n"
            "        ->  Point Lookup using pgbench_accounts_pkey on pgbench_accounts\n"
            "              Key: (5)\n"
            "        ->  Point Lookup using t_pkey on t\n"
            "              Key: the partner's primary key\n")
      << text;

  // An index on the inner side drives an inner join.
  j = join_of("SELECT * FROM pgbench_accounts a JOIN t ON t.a = a.aid WHERE t.c = 3");
  ASSERT_NE(j, nullptr);
  EXPECT_EQ(j->method, planner::FragmentJoinMethod::kLookupOuter);
  EXPECT_EQ(j->scan.index_id, 7u);

  // Not co-located: a non-key column, a table without a key, a right join.
  EXPECT_EQ(join_of("SELECT * FROM pgbench_accounts a JOIN pgbench_branches b ON a.bid = b.bid"), nullptr);
  EXPECT_EQ(join_of("SELECT * FROM pgbench_accounts a JOIN pgbench_history h ON a.aid = h.aid"), nullptr);
  EXPECT_EQ(join_of("SELECT * FROM pgbench_accounts a RIGHT JOIN t ON t.a = a.aid"), nullptr);
  EXPECT_EQ(join_of("SELECT * FROM pgbench_accounts a JOIN t ON t.a = a.aid + 0"), nullptr);
}

TEST(PlannerTest, ExplainShowsFragmentsAndTopN) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "SELECT a, b FROM t WHERE b = 'x' ORDER BY a DESC LIMIT 3");
  std::string text = ExplainText(q);
  EXPECT_EQ(text,
            "Limit\n"
            "  ->  Sort\n"
            "        Sort Key: a DESC\n"
            "        ->  Fragment 1\n"
            "              ->  Top-N 3\n"
            "                    Sort Key: a DESC\n"
            "                    ->  Project (t.a, t.b)\n"
            "                          ->  Seq Scan on t\n"
            "                                Filter: (t.b = 'x'::text)\n")
      << text;
}

TEST(PlannerTest, AggregateTypes) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "SELECT count(*), sum(abalance), avg(aid), min(filler), sum(aid::int8) FROM pgbench_accounts");
  ASSERT_EQ(q.columns.size(), 5u);
  EXPECT_EQ(q.columns[0].type.id, TypeId::kInt8);
  EXPECT_EQ(q.columns[1].type.id, TypeId::kInt8);
  EXPECT_EQ(q.columns[2].type.id, TypeId::kNumeric);
  EXPECT_EQ(q.columns[3].type.id, TypeId::kText);
  EXPECT_EQ(q.columns[4].type.id, TypeId::kNumeric);
  EXPECT_EQ(q.columns[0].name, "count");
  EXPECT_EQ(q.columns[1].name, "sum");
}

TEST(PlannerTest, ConstantFolding) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "SELECT 1 + 2 * 3");
  ASSERT_EQ(q.plan->Kind(), LogicalKind::kProjection);
  const auto& e = *q.plan->Cast<planner::LogicalProjection>().Exprs()[0];
  ASSERT_TRUE(e.IsConstant());
  EXPECT_EQ(e.value.GetInt(), 7);
}

TEST(PlannerTest, BinderErrors) {
  auto snap = PgbenchCatalog();
  auto code = [&](const std::string& sql) {
    try {
      PlanSql(snap, sql);
    } catch (const SqlError& e) {
      return e.Sqlstate();
    }
    return std::string();
  };
  EXPECT_EQ(code("SELECT * FROM nope"), "42P01");
  EXPECT_EQ(code("SELECT nope FROM t"), "42703");
  EXPECT_EQ(code("SELECT bid FROM pgbench_accounts, pgbench_branches"), "42702");
  EXPECT_EQ(code("SELECT * FROM t WHERE a = b"), "42883");
  EXPECT_EQ(code("SELECT * FROM t WHERE a"), "42804");
  EXPECT_EQ(code("SELECT a, count(*) FROM t"), "42803");
  EXPECT_EQ(code("SELECT a FROM t GROUP BY b"), "42803");
  EXPECT_EQ(code("SELECT b FROM t GROUP BY b HAVING count(*) > 1"), "");
}

}  // namespace tessera::testing
