// Entry point of planner/: a parsed DML statement in, an optimised logical
// plan out, already cut into fragments (LogicalFragmentScan, LogicalInsert,
// LogicalWrite) that run next to the data. The plan is immutable and can be
// shared by every execution of a prepared statement.
#pragma once

#include <functional>

#include <string>
#include <vector>

#include "planner/binder.h"

namespace tessera::planner {

struct PlannedQuery {
  ast::StmtKind kind = ast::StmtKind::kSelect;
  LogicalRef plan;
  std::vector<OutputColumn> columns;  // result columns (RETURNING for writes)
  std::vector<Type> param_types;
  // Subqueries in expressions, by slot (binder.h SubqueryPlan). Uncorrelated
  // ones run once before `plan`, in order (a slot's own subqueries have
  // lower slots); correlated ones whenever a row evaluates them.
  std::vector<SubqueryPlan> subqueries;
  bool returns_rows = true;           // SELECT, or a write with RETURNING
};

// SELECT, INSERT, UPDATE, DELETE. `param_types`: the client's (kUnknown where
// not given); `user`: current_user, whose privileges are checked (42501);
// `session_user`: the role logged in (default: `user`). Throws SqlError.
PlannedQuery PlanQuery(const ast::Statement& stmt, const catalog::CatalogSnapshot& catalog,
                       std::vector<Type> param_types, const std::string& user = {},
                       const std::string& session_user = {});

// Rewrites: predicate pushdown, access paths, cutting into fragments, limit
// and top-N pushdown.
LogicalRef Optimize(const LogicalRef& plan);
// Chooses a point, range or full scan for `table` from `conjuncts`, removing
// the conjuncts the scan bounds make redundant.
ScanSpec ChooseAccessPath(const TableLayout& table, std::vector<ExprRef>* conjuncts);

// The scan fragment that runs `join` of two base tables on the shards, when
// its condition equates their whole primary keys (see colocated_join.cpp);
// null otherwise. The filters are each table's pushed-down conjuncts.
FragmentRef PlanColocatedJoin(const LogicalJoin& join, const TableLayout& left_table, const ExprRef& left_filter,
                              const TableLayout& right_table, const ExprRef& right_filter);

// EXPLAIN text, one line per node, indented as PostgreSQL's.
std::vector<std::string> ExplainPlan(const LogicalOperator& plan);
// The statement's plan followed by its subqueries ("SubPlan 1", ...).
// `fragment_details`, if set, adds lines under each fragment's node (where
// it runs, and what EXPLAIN ANALYZE measured there).
// `node_details`, if set, adds lines under any node (EXPLAIN ANALYZE's
// "Sort Method:").
using FragmentDetails = std::function<std::vector<std::string>(const Fragment& fragment)>;
using NodeDetails = std::function<std::vector<std::string>(const LogicalOperator& node)>;
std::vector<std::string> ExplainQuery(const PlannedQuery& query, const FragmentDetails& fragment_details = {},
                                      const NodeDetails& node_details = {});
std::string SortKeysText(const std::vector<SortKey>& keys);

}  // namespace tessera::planner
