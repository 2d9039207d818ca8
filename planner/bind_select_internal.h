// Internal to the binder: the state of binding one SELECT (FROM scope, select
// list, grouping), shared by bind_select.cpp and bind_from.cpp.
#pragma once

#include <optional>

#include "planner/binder.h"

namespace tessera::planner {

struct FromResult {
  LogicalRef plan;
  Scope scope;
};

class SelectBinder {
 public:
  explicit SelectBinder(Binder& binder) : binder_(binder) {}
  BoundQuery Bind(const ast::SelectStmt& stmt);
  FromResult BindFrom(const std::vector<ast::TableRefPtr>& from);

 private:
  struct Target {
    ExprRef expr;
    OutputColumn column;
  };
  FromResult BindTableRef(const ast::TableRef& ref);
  FromResult BindJoin(const ast::TableRef& ref);
  FromResult BindTableFunction(const ast::TableRef& ref);
  // A FROM item naming a view: its query, as a subquery would be (bind_view.cpp).
  FromResult BindViewRef(const catalog::TableInfo& view, const ast::TableRef& ref);
  // A virtual pg_catalog/information_schema relation named by `ref`, when no
  // user table has that name (bind_system_relation.cpp); the caller applies
  // column aliases.
  std::optional<FromResult> BindSystemRelation(const ast::TableRef& ref);
  // A sequence named by `ref`: its one row (bind_sequence_relation.cpp).
  std::optional<FromResult> BindSequenceRelation(const ast::TableRef& ref);
  // The sort under an aggregate whose calls have ORDER BY (bind_aggregate_order.cpp).
  LogicalRef SortForAggregates(LogicalRef plan, const std::vector<ExprRef>& aggs);
  // generate_series(...), unnest(...), generate_subscripts(...) over constants, in FROM.
  FromResult BindSeries(const ast::Expr& call);
  FromResult BindPartitionAncestors(const ast::Expr& call);
  // pg_options_to_table(options) as the query over unnest it amounts to (bind_options_table.cpp).
  FromResult BindOptionsTable(const ast::TableRef& ref);
  BoundQuery BindValues(const ast::SelectStmt& stmt);
  BoundQuery BindSetOp(const ast::SelectStmt& stmt);
  void BindTargets(const ast::SelectStmt& stmt, const Scope& scope);
  ExprRef BindWithAggregates(const ast::Expr& e, const Scope& scope, const char* context);
  ExprRef ResolveGrouped(const ExprRef& e, const std::vector<ExprRef>& groups, std::vector<ExprRef>* aggs,
                         const Scope& scope);
  // FOR UPDATE ... (bind_locking.cpp): PostgreSQL's checks, then `from`
  // again, its table marked to lock the rows it returns.
  LogicalRef BindLocking(const ast::SelectStmt& stmt, const LogicalRef& from);
  // Window functions (bind_window_plan.cpp): the WindowAgg nodes over
  // `plan` computing the calls in `outputs`, which then read their columns.
  LogicalRef PlanWindows(LogicalRef plan, std::vector<ExprRef>* outputs);
  // WINDOW w AS (...), w AS (...): 42P20.
  static void CheckWindowClause(const ast::SelectStmt& stmt);
  // Binds with aggregates and window functions allowed: a select list, ORDER BY.
  ExprRef BindOutputExpr(const ast::Expr& e, const Scope& scope, const char* context);
  // ORDER BY / LIMIT over a bound query whose output is `columns`.
  LogicalRef ApplyLimit(LogicalRef plan, const ast::SelectStmt& stmt);
  static bool HasAggregate(const BoundExpr& e);
  // The first window function call in `e`, or null.
  static const BoundExpr* FindWindow(const BoundExpr& e);

  Binder& binder_;
  std::vector<Target> targets_;
  // The select list holds a set-returning function (FOR UPDATE refuses it).
  bool set_function_targets_ = false;
};

}  // namespace tessera::planner
