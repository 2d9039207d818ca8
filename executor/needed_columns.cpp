#include "executor/needed_columns.h"

namespace tessera::executor {

namespace {

// False when `e` refers to the row in a way other than by column index.
bool Collect(const planner::BoundExpr& e, std::vector<bool>& needed) {
  if (e.kind == planner::BoundExprKind::kColumn) {
    if (e.index < 0 || static_cast<size_t>(e.index) >= needed.size()) return false;
    needed[static_cast<size_t>(e.index)] = true;
  }
  // A window never reaches a fragment (binder-only); if one did, read
  // everything. An aggregate (kAggregate) reads its args, like any node.
  if (e.kind == planner::BoundExprKind::kWindow) return false;
  for (const planner::ExprRef& arg : e.args)
    if (arg && !Collect(*arg, needed)) return false;
  return true;
}

bool CollectAll(const std::vector<planner::ExprRef>& exprs, std::vector<bool>& needed) {
  for (const planner::ExprRef& e : exprs)
    if (e && !Collect(*e, needed)) return false;
  return true;
}

void CountColumnRefs(const planner::BoundExpr& e, std::vector<int>& counts) {
  if (e.kind == planner::BoundExprKind::kColumn && e.index >= 0) {
    if (static_cast<size_t>(e.index) >= counts.size()) counts.resize(static_cast<size_t>(e.index) + 1, 0);
    ++counts[static_cast<size_t>(e.index)];
  }
  for (const planner::ExprRef& arg : e.args)
    if (arg) CountColumnRefs(*arg, counts);
}

}  // namespace

std::vector<bool> MovableProjections(const std::vector<planner::ExprRef>& projection) {
  std::vector<int> counts;
  for (const planner::ExprRef& e : projection)
    if (e) CountColumnRefs(*e, counts);
  std::vector<bool> movable(projection.size(), false);
  for (size_t i = 0; i < projection.size(); ++i) {
    const planner::ExprRef& e = projection[i];
    movable[i] = e && e->kind == planner::BoundExprKind::kColumn && e->index >= 0 &&
                 counts[static_cast<size_t>(e->index)] == 1;
  }
  return movable;
}

std::optional<std::vector<bool>> NeededColumns(const planner::Fragment& f) {
  if (f.kind != planner::FragmentKind::kScan || f.join || f.lock_rows) return std::nullopt;
  const bool aggregating = !f.aggregates.empty() || !f.group_by.empty();
  if (!aggregating && f.projection.empty()) return std::nullopt;  // the whole row is the output
  std::vector<bool> needed(f.table.column_types.size(), false);
  if (f.filter && !Collect(*f.filter, needed)) return std::nullopt;
  if (aggregating) {
    if (!CollectAll(f.group_by, needed) || !CollectAll(f.aggregates, needed)) return std::nullopt;
  } else if (!CollectAll(f.projection, needed)) {
    return std::nullopt;
  }
  for (bool column : needed)
    if (!column) return needed;
  return std::nullopt;  // all of them: the plain decode is as good
}

}  // namespace tessera::executor
