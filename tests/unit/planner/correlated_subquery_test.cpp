// Correlated subqueries: how the binder marks them (outer references,
// outer values, nested levels), where the optimiser leaves them, and how
// the evaluator turns a subquery's rows into its value.
#include <gtest/gtest.h>

#include "common/error.h"
#include "planner/expr_evaluator.h"
#include "tests/unit/planner/planner_test_util.h"

namespace tessera::testing {

using planner::BoundExpr;
using planner::BoundExprKind;
using planner::ExprRef;
using planner::LogicalKind;
using planner::SubqueryKind;

namespace {

// The first expression of kind `kind` in `e`, or null.
const BoundExpr* Find(const BoundExpr& e, BoundExprKind kind) {
  if (e.kind == kind) return &e;
  for (auto& a : e.args)
    if (const BoundExpr* found = Find(*a, kind)) return found;
  return nullptr;
}

// The kSubPlan of the top projection's output `i`.
const BoundExpr* OutputSubPlan(const planner::PlannedQuery& q, size_t i) {
  const planner::LogicalOperator* op = q.plan.get();
  while (op->Kind() != LogicalKind::kProjection) op = &op->Child();
  return Find(*op->Cast<planner::LogicalProjection>().Exprs().at(i), BoundExprKind::kSubPlan);
}

std::string SubPlanText(const planner::PlannedQuery& q, size_t slot) {
  std::string out;
  for (auto& line : planner::ExplainPlan(*q.subqueries.at(slot).plan)) out += line + "\n";
  return out;
}

std::string Sqlstate(const catalog::CatalogSnapshot& snap, const std::string& sql) {
  try {
    PlanSql(snap, sql);
  } catch (const SqlError& e) {
    return e.Sqlstate();
  }
  return "";
}

}  // namespace

TEST(CorrelatedSubqueryTest, OuterColumnsBecomeOuterValues) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "SELECT a, (SELECT count(*) FROM pgbench_accounts x WHERE x.bid = t.a) FROM t");
  ASSERT_EQ(q.subqueries.size(), 1u);
  EXPECT_TRUE(q.subqueries[0].correlated);
  EXPECT_TRUE(q.subqueries[0].cacheable);
  const BoundExpr* sub = OutputSubPlan(q, 1);
  ASSERT_NE(sub, nullptr);
  EXPECT_EQ(static_cast<SubqueryKind>(sub->op), SubqueryKind::kScalar);
  ASSERT_EQ(sub->args.size(), 1u);  // t.a, over the outer row
  EXPECT_EQ(sub->args[0]->kind, BoundExprKind::kColumn);
  EXPECT_EQ(sub->args[0]->index, 0);
  // Inside, t.a is outer value 0, and the filter reaches the fragment.
  EXPECT_NE(SubPlanText(q, 0).find("Filter: (x.bid = t.a)"), std::string::npos) << SubPlanText(q, 0);
}

TEST(CorrelatedSubqueryTest, UncorrelatedSubqueriesStaySlotsRunOnce) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(
      snap, "SELECT a, (SELECT count(*) FROM pgbench_accounts) FROM t WHERE a IN (SELECT bid FROM pgbench_branches)");
  ASSERT_EQ(q.subqueries.size(), 2u);
  EXPECT_FALSE(q.subqueries[0].correlated);
  EXPECT_FALSE(q.subqueries[1].correlated);
  // Their values are statement inputs: the projection still moves into the fragment.
  EXPECT_EQ(q.plan->Kind(), LogicalKind::kFragmentScan) << ExplainText(q);
}

TEST(CorrelatedSubqueryTest, OuterValueBoundsTheInnerKey) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "SELECT (SELECT abalance FROM pgbench_accounts x WHERE x.aid = t.c) FROM t");
  std::string text = SubPlanText(q, 0);
  EXPECT_NE(text.find("Point Lookup using pgbench_accounts_pkey"), std::string::npos) << text;
  EXPECT_NE(text.find("Key: (t.c)"), std::string::npos) << text;
}

TEST(CorrelatedSubqueryTest, TwoLevelsOutPassesThroughTheMiddle) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "SELECT (SELECT (SELECT t.a + b.bid) FROM pgbench_branches b) FROM t");
  ASSERT_EQ(q.subqueries.size(), 2u);  // the inner one first
  EXPECT_TRUE(q.subqueries[0].correlated);
  EXPECT_TRUE(q.subqueries[1].correlated);
  const BoundExpr* middle = OutputSubPlan(q, 0);
  ASSERT_NE(middle, nullptr);
  EXPECT_EQ(middle->index, 1);
  ASSERT_EQ(middle->args.size(), 1u);
  EXPECT_EQ(middle->args[0]->kind, BoundExprKind::kColumn);  // t.a
  // The middle query evaluates the inner one with its own outer value
  // (t.a, an outer reference there) and its own column b.bid.
  std::string text = SubPlanText(q, 1);
  EXPECT_NE(text.find("SubPlan 1"), std::string::npos) << text;
}

TEST(CorrelatedSubqueryTest, StaysAboveTheFragments) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "SELECT a FROM t WHERE a > 1 AND EXISTS (SELECT 1 FROM pgbench_accounts x WHERE x.bid = t.a)");
  std::string text = ExplainText(q);
  size_t filter = text.find("(EXISTS SubPlan 1)");
  size_t fragment = text.find("Fragment 1");
  ASSERT_NE(filter, std::string::npos) << text;
  ASSERT_NE(fragment, std::string::npos) << text;
  EXPECT_LT(filter, fragment) << text;                            // a filter above the fragment
  EXPECT_NE(text.find("Range Scan"), std::string::npos) << text;  // a > 1 went down
}

TEST(CorrelatedSubqueryTest, VolatileCallsAreNotCached) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "SELECT (SELECT random() + t.a) FROM t");
  ASSERT_EQ(q.subqueries.size(), 1u);
  EXPECT_TRUE(q.subqueries[0].correlated);
  EXPECT_FALSE(q.subqueries[0].cacheable);
}

TEST(CorrelatedSubqueryTest, NamesAndRefusals) {
  auto snap = PgbenchCatalog();
  // The inner level's own column wins over the outer one of that name.
  auto q = PlanSql(snap, "SELECT (SELECT count(*) FROM pgbench_branches WHERE bid = 1) FROM pgbench_tellers");
  EXPECT_FALSE(q.subqueries.at(0).correlated);
  EXPECT_EQ(Sqlstate(snap, "SELECT (SELECT x.nope FROM pgbench_branches x) FROM t x"), "42703");
  EXPECT_EQ(Sqlstate(snap, "SELECT (SELECT nope FROM pgbench_branches) FROM t"), "42703");
  // An aggregate of outer columns belongs to the outer query: its rules apply.
  EXPECT_EQ(Sqlstate(snap, "SELECT (SELECT max(t.a)) FROM t"), "");
  EXPECT_EQ(Sqlstate(snap, "SELECT a, (SELECT max(t.a)) FROM t"), "42803");
  EXPECT_EQ(Sqlstate(snap, "SELECT a FROM t WHERE (SELECT max(t.a)) > 1"), "42803");
  EXPECT_EQ(Sqlstate(snap, "DELETE FROM pgbench_history h WHERE EXISTS (SELECT 1 FROM t WHERE t.a = h.aid)"),
            "0A000");  // no one-column key to write by
  EXPECT_EQ(Sqlstate(snap, "UPDATE t SET c = (SELECT b.bid FROM pgbench_branches b WHERE b.bid = t.a)"), "0A000");
  EXPECT_EQ(Sqlstate(snap, "DELETE FROM t WHERE a IN (SELECT bid FROM pgbench_branches)"), "");
}

TEST(CorrelatedSubqueryTest, WriteWhereFindsKeysOnTheGateway) {
  auto snap = PgbenchCatalog();
  auto q = PlanSql(snap, "DELETE FROM t WHERE c > 1 AND EXISTS (SELECT 1 FROM pgbench_branches b WHERE b.bid = t.a)");
  ASSERT_EQ(q.subqueries.size(), 2u);
  EXPECT_TRUE(q.subqueries[0].correlated);   // the EXISTS
  EXPECT_FALSE(q.subqueries[1].correlated);  // the keys of the rows it keeps, run once
  std::string text = ExplainText(q);
  EXPECT_NE(text.find("(a IN (SubPlan 2))"), std::string::npos) << text;
  EXPECT_EQ(text.find("EXISTS"), std::string::npos) << text;  // not in the write fragment
  std::string keys = SubPlanText(q, 1);
  EXPECT_NE(keys.find("(EXISTS SubPlan 1)"), std::string::npos) << keys;
}

TEST(CorrelatedSubqueryTest, EvaluationAsPostgreSQL) {
  Type i4 = Type::Of(TypeId::kInt4);
  std::vector<Value> rows;
  std::vector<std::vector<Value>> seen;
  planner::EvalContext ctx;
  ctx.run_subplan = [&](int, std::vector<Value> outer, size_t max_rows) {
    seen.push_back(outer);
    std::vector<Value> out = rows;
    if (max_rows != 0 && out.size() > max_rows) out.resize(max_rows);
    return std::make_shared<const std::vector<Value>>(std::move(out));
  };
  auto node = [&](SubqueryKind kind, std::vector<ExprRef> args, bool negated = false) {
    auto e = std::make_shared<BoundExpr>();
    e->kind = BoundExprKind::kSubPlan;
    e->op = static_cast<uint8_t>(kind);
    e->type = kind == SubqueryKind::kScalar ? i4 : Type::Of(TypeId::kBool);
    e->args = std::move(args);
    e->negated = negated;
    return e;
  };
  ExprRef col = planner::MakeColumnExpr(0, i4);
  Row row = {Value::Int4(7)};
  rows = {Value::Int4(1), Value::Int4(2)};
  EXPECT_THROW(planner::Evaluate(*node(SubqueryKind::kScalar, {col}), row, ctx), SqlError);
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].at(0).GetInt(), 7);
  EXPECT_TRUE(planner::Evaluate(*node(SubqueryKind::kExists, {col}), row, ctx).GetBool());
  // NOT IN: a NULL among the rows makes a miss NULL; no rows make it true even for NULL.
  ExprRef null_x = planner::MakeConstantExpr(Value::Null(i4));
  rows = {Value::Int4(1), Value::Null(i4)};
  EXPECT_TRUE(
      planner::Evaluate(*node(SubqueryKind::kIn, {col, planner::MakeConstantExpr(Value::Int4(5))}, true), row, ctx)
          .IsNull());
  EXPECT_FALSE(
      planner::Evaluate(*node(SubqueryKind::kIn, {col, planner::MakeConstantExpr(Value::Int4(1))}, true), row, ctx)
          .GetBool());
  rows = {};
  EXPECT_TRUE(planner::Evaluate(*node(SubqueryKind::kIn, {col, null_x}, true), row, ctx).GetBool());
  EXPECT_FALSE(planner::Evaluate(*node(SubqueryKind::kIn, {col, null_x}), row, ctx).GetBool());
  EXPECT_TRUE(planner::Evaluate(*node(SubqueryKind::kScalar, {col}), row, ctx).IsNull());
  // Outside the gateway (no runner) a kSubPlan is an error, never a wrong value.
  planner::EvalContext fragment_ctx;
  EXPECT_THROW(planner::Evaluate(*node(SubqueryKind::kExists, {col}), row, fragment_ctx), SqlError);
}

TEST(CorrelatedSubqueryTest, InOverAManyRowSlotIsSearchedSorted) {
  Type i4 = Type::Of(TypeId::kInt4);
  std::vector<std::vector<Value>> slots(1);
  for (int i = 40; i > 0; --i) slots[0].push_back(Value::Int4(i * 2));
  planner::EvalContext ctx;
  ctx.subquery_rows = &slots;
  auto in = [&](Value x, bool negated) {
    auto e = std::make_shared<BoundExpr>();
    e->kind = BoundExprKind::kInSubquery;
    e->type = Type::Of(TypeId::kBool);
    e->args = {planner::MakeConstantExpr(std::move(x))};
    e->negated = negated;
    return planner::Evaluate(*e, {}, ctx);
  };
  EXPECT_TRUE(in(Value::Int4(14), false).GetBool());
  EXPECT_FALSE(in(Value::Int4(15), false).GetBool());
  EXPECT_TRUE(in(Value::Int4(15), true).GetBool());
  EXPECT_TRUE(in(Value::Null(i4), false).IsNull());
  slots[0].push_back(Value::Null(i4));
  ctx.sorted_slots.reset();  // the slot changed: sort again
  EXPECT_TRUE(in(Value::Int4(15), true).IsNull());
  EXPECT_FALSE(in(Value::Int4(16), true).GetBool());
}

}  // namespace tessera::testing
