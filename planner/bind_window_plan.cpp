// The window functions of a SELECT become LogicalWindow nodes between the
// grouping (or WHERE) and the select list, as PostgreSQL's WindowAgg: one
// node per distinct window, each over a sort by its PARTITION BY and ORDER
// BY keys unless the node below it already has that order.
#include "common/error.h"
#include "common/stack_depth.h"
#include "planner/bind_select_internal.h"

namespace tessera::planner {

namespace {

// The calls of `kind` in `e` that no other one encloses, each once.
void CollectOutermost(const ExprRef& e, BoundExprKind kind, std::vector<ExprRef>* calls) {
  CheckStackDepth();
  if (e->kind == kind) {
    for (auto& c : *calls)
      if (ExprEquals(*c, *e)) return;
    calls->push_back(e);
    return;
  }
  for (auto& a : e->args) CollectOutermost(a, kind, calls);
}

void CollectWindows(const ExprRef& e, std::vector<ExprRef>* calls) { CollectOutermost(e, BoundExprKind::kWindow, calls); }

// `e` with each window call replaced by its column (`columns[i]` for calls[i]).
ExprRef ReplaceWindows(const ExprRef& e, const std::vector<ExprRef>& calls, const std::vector<int>& columns) {
  CheckStackDepth();
  if (e->kind == BoundExprKind::kWindow) {
    for (size_t i = 0; i < calls.size(); ++i)
      if (ExprEquals(*calls[i], *e)) return MakeColumnExpr(columns[i], e->type, e->name);
  }
  if (e->args.empty()) return e;
  auto copy = std::make_shared<BoundExpr>(*e);
  for (auto& a : copy->args) a = ReplaceWindows(a, calls, columns);
  return copy;
}

// The calls grouped by window; windows of the same ordering next to each
// other, so that they share one sort.
std::vector<std::vector<size_t>> GroupByWindow(const std::vector<ExprRef>& calls) {
  std::vector<std::vector<size_t>> groups;
  for (size_t i = 0; i < calls.size(); ++i) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const std::vector<size_t>& g) { return SameWindow(*calls[g[0]], *calls[i]); });
    if (it == groups.end())
      groups.push_back({i});
    else
      it->push_back(i);
  }
  std::vector<std::vector<size_t>> ordered;
  std::vector<bool> taken(groups.size(), false);
  for (size_t g = 0; g < groups.size(); ++g) {
    if (taken[g]) continue;
    for (size_t h = g; h < groups.size(); ++h) {
      if (taken[h] || !SameOrdering(*calls[groups[g][0]], *calls[groups[h][0]])) continue;
      taken[h] = true;
      ordered.push_back(groups[h]);
    }
  }
  return ordered;
}

std::vector<SortKey> WindowSortKeys(const BoundExpr& call) {
  std::vector<SortKey> keys;
  for (auto& p : WindowPartition(call)) keys.push_back({p, false, false});
  for (auto& o : WindowOrder(call)) keys.push_back(o);
  return keys;
}

// `e` with every expression equal to found[i] replaced by columns[i].
ExprRef ReplaceEqual(const ExprRef& e, const std::vector<ExprRef>& found, const std::vector<ExprRef>& columns) {
  CheckStackDepth();
  for (size_t i = 0; i < found.size(); ++i)
    if (ExprEquals(*found[i], *e)) return columns[i];
  if (e->args.empty()) return e;
  auto copy = std::make_shared<BoundExpr>(*e);
  for (auto& a : copy->args) a = ReplaceEqual(a, found, columns);
  return copy;
}

// Set-returning calls in windows' PARTITION BY / ORDER BY run in a
// ProjectSet below the WindowAgg nodes, as PostgreSQL computes them in the
// window's input; the same call elsewhere in the outputs reads that value
// too. (Calls in the outputs outside windows run above them.)
LogicalRef PlanWindowKeySetFunctions(LogicalRef plan, const std::vector<ExprRef>& calls,
                                     std::vector<ExprRef>* outputs) {
  std::vector<ExprRef> found;
  for (auto& call : calls)
    for (auto& key : call->args) CollectOutermost(key, BoundExprKind::kSetFunction, &found);
  if (found.empty()) return plan;
  std::vector<ExprRef> columns = found;
  plan = PlanSetFunctions(plan, &columns);
  for (auto& o : *outputs) o = ReplaceEqual(o, found, columns);
  return plan;
}

}  // namespace

void SelectBinder::CheckWindowClause(const ast::SelectStmt& stmt) {
  for (size_t i = 0; i < stmt.windows.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (stmt.windows[j].name == stmt.windows[i].name)
        throw SqlError(sqlstate::kWindowingError, "window \"" + stmt.windows[i].name + "\" is already defined", {}, {},
                       stmt.windows[i].location + 1);
}

LogicalRef SelectBinder::PlanWindows(LogicalRef plan, std::vector<ExprRef>* outputs) {
  std::vector<ExprRef> calls;
  for (auto& o : *outputs) CollectWindows(o, &calls);
  if (calls.empty()) return plan;
  LogicalRef input = plan;
  plan = PlanWindowKeySetFunctions(plan, calls, outputs);
  if (plan != input) {  // the calls read the ProjectSet's columns now
    calls.clear();
    for (auto& o : *outputs) CollectWindows(o, &calls);
  }
  std::vector<int> columns(calls.size());
  int next_column = static_cast<int>(plan->Types().size());
  const BoundExpr* sorted_by = nullptr;  // the last window whose ordering the rows have
  for (auto& group : GroupByWindow(calls)) {
    const BoundExpr& first = *calls[group[0]];
    std::vector<SortKey> keys = WindowSortKeys(first);
    if (!keys.empty() && (sorted_by == nullptr || !SameOrdering(*sorted_by, first)))
      plan = std::make_shared<LogicalSort>(plan, keys);
    sorted_by = &first;
    std::vector<ExprRef> node_calls;
    for (size_t i : group) {
      node_calls.push_back(calls[i]);
      columns[i] = next_column++;
    }
    plan = std::make_shared<LogicalWindow>(plan, std::move(node_calls));
  }
  for (auto& o : *outputs) o = ReplaceWindows(o, calls, columns);
  return plan;
}

}  // namespace tessera::planner
