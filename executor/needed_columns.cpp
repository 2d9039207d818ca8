#include "executor/needed_columns.h"

namespace tessera::executor {

namespace {

// Adds to `counts` (grown as needed), per row position, the column
// references in `e`. False when `e` reads the row other than by column
// index: a window never reaches a fragment (binder-only), and if one did,
// every column is read. An aggregate (kAggregate) reads its args, like any
// node.
bool CountColumnRefs(const planner::BoundExpr& e, std::vector<int>& counts) {
  if (e.kind == planner::BoundExprKind::kWindow) return false;
  if (e.kind == planner::BoundExprKind::kColumn) {
    if (e.index < 0) return false;
    if (static_cast<size_t>(e.index) >= counts.size()) counts.resize(static_cast<size_t>(e.index) + 1, 0);
    ++counts[static_cast<size_t>(e.index)];
  }
  for (const planner::ExprRef& arg : e.args)
    if (arg && !CountColumnRefs(*arg, counts)) return false;
  return true;
}

bool CountAll(const std::vector<planner::ExprRef>& exprs, std::vector<int>& counts) {
  for (const planner::ExprRef& e : exprs)
    if (e && !CountColumnRefs(*e, counts)) return false;
  return true;
}

}  // namespace

std::vector<bool> MovableProjections(const std::vector<planner::ExprRef>& projection) {
  std::vector<int> counts;
  const bool plain = CountAll(projection, counts);
  std::vector<bool> movable(projection.size(), false);
  if (!plain) return movable;
  for (size_t i = 0; i < projection.size(); ++i) {
    const planner::ExprRef& e = projection[i];
    movable[i] = e && e->kind == planner::BoundExprKind::kColumn && counts[static_cast<size_t>(e->index)] == 1;
  }
  return movable;
}

std::optional<std::vector<bool>> NeededColumns(const planner::Fragment& f) {
  if (f.kind != planner::FragmentKind::kScan || f.join || f.lock_rows) return std::nullopt;
  const bool aggregating = !f.aggregates.empty() || !f.group_by.empty();
  if (!aggregating && f.projection.empty()) return std::nullopt;  // the whole row is the output
  std::vector<int> counts;
  if (f.filter && !CountColumnRefs(*f.filter, counts)) return std::nullopt;
  const bool plain = aggregating ? CountAll(f.group_by, counts) && CountAll(f.aggregates, counts)
                                 : CountAll(f.projection, counts);
  const size_t width = f.table.column_types.size();
  if (!plain || counts.size() > width) return std::nullopt;
  std::vector<bool> needed(width, false);
  for (size_t i = 0; i < counts.size(); ++i) needed[i] = counts[i] > 0;
  for (bool column : needed)
    if (!column) return needed;
  return std::nullopt;  // all of them: the plain decode is as good
}

}  // namespace tessera::executor
