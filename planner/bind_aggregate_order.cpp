// ORDER BY in an aggregate's arguments: array_agg(x ORDER BY k),
// string_agg(s, ',' ORDER BY k) (pg_dump asks for array_agg(attnum ORDER
// BY attnum)). Tessera sorts the aggregate's input rows by the keys and
// aggregates them in that order, which the gateway's hash aggregator keeps
// within each group; the sort keeps the aggregate on the gateway, never
// split into a fragment. So the order-sensitive aggregates (array_agg,
// string_agg) of one query with an ORDER BY must all have the same one
// (else 0A000), and none may be DISTINCT; count, sum, min, max and avg
// give the same in any order, so theirs is ignored.
#include "common/error.h"
#include "parser/ast/select_stmt.h"
#include "planner/bind_select_internal.h"
#include "planner/logical_operators.h"

namespace tessera::planner {

void Binder::RecordAggregateOrder(const ast::Expr& e, const ExprRef& agg, const Scope& scope) {
  if (agg->kind != BoundExprKind::kAggregate)
    throw SqlError::FeatureNotSupported("ORDER BY in an aggregate of an outer query's columns is not supported")
        .WithPosition(e.location + 1);
  if (agg->distinct)
    throw SqlError::FeatureNotSupported("ORDER BY together with DISTINCT in an aggregate is not supported")
        .WithPosition(e.location + 1);
  AggregateOrder order{agg, {}};
  for (const ast::OrderItem& item : e.subquery->order_by) {
    SortKey key;
    key.expr = BindExpr(*item.expr, scope);  // inside_aggregate_: an aggregate here is nested (42803)
    key.descending = item.descending;
    key.nulls_first = item.nulls_first.value_or(item.descending);
    order.keys.push_back(key);
  }
  aggregate_orders_.push_back(std::move(order));
}

namespace {

bool SameKeys(const std::vector<SortKey>& a, const std::vector<SortKey>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].descending != b[i].descending || a[i].nulls_first != b[i].nulls_first ||
        !ExprEquals(*a[i].expr, *b[i].expr))
      return false;
  return true;
}

}  // namespace

LogicalRef SelectBinder::SortForAggregates(LogicalRef plan, const std::vector<ExprRef>& aggs) {
  const std::vector<SortKey>* chosen = nullptr;
  for (const Binder::AggregateOrder& order : binder_.aggregate_orders_) {
    // count, sum, min, max, avg give the same whatever the order: theirs is ignored.
    auto kind = static_cast<AggKind>(order.aggregate->op);
    if (kind != AggKind::kArrayAgg && kind != AggKind::kStringAgg) continue;
    bool used = false;
    for (const ExprRef& a : aggs) used = used || a == order.aggregate || ExprEquals(*a, *order.aggregate);
    if (!used) continue;
    if (chosen && !SameKeys(*chosen, order.keys))
      throw SqlError::FeatureNotSupported("aggregates with different ORDER BY in one query are not supported");
    chosen = &order.keys;
  }
  if (!chosen) return plan;
  return std::make_shared<LogicalSort>(plan, *chosen);
}

}  // namespace tessera::planner
