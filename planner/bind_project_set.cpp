// Set-returning functions of a select list, ORDER BY or GROUP BY become
// LogicalProjectSet nodes (logical_project_set.h), as PostgreSQL's planner
// splits a target list at its SRFs: the calls whose arguments hold no other
// set-returning call run together in one node, in lockstep; the outputs then
// read their values as columns, and calls that were around them run in the
// next node up, once per row of the one below.
#include "common/stack_depth.h"
#include "planner/bind_select_internal.h"
#include "planner/logical_project_set.h"

namespace tessera::planner {

namespace {

// The set-returning calls of `e` whose arguments hold none (the innermost),
// each once.
void CollectInnermost(const ExprRef& e, std::vector<ExprRef>* calls) {
  CheckStackDepth();
  if (e->kind == BoundExprKind::kSetFunction) {
    bool inner_calls = false;
    for (auto& a : e->args) inner_calls = inner_calls || HasSetFunction(*a);
    if (!inner_calls) {
      for (auto& c : *calls)
        if (ExprEquals(*c, *e)) return;
      calls->push_back(e);
      return;
    }
  }
  for (auto& a : e->args) CollectInnermost(a, calls);
}

// `e` with each of `calls` replaced by its column (`first_column + i`).
ExprRef ReplaceCalls(const ExprRef& e, const std::vector<ExprRef>& calls, int first_column) {
  CheckStackDepth();
  if (e->kind == BoundExprKind::kSetFunction)
    for (size_t i = 0; i < calls.size(); ++i)
      if (ExprEquals(*calls[i], *e)) return MakeColumnExpr(first_column + static_cast<int>(i), e->type, e->name);
  if (e->args.empty()) return e;
  auto copy = std::make_shared<BoundExpr>(*e);
  for (auto& a : copy->args) a = ReplaceCalls(a, calls, first_column);
  return copy;
}

}  // namespace

LogicalRef PlanSetFunctions(LogicalRef plan, std::vector<ExprRef>* outputs) {
  for (;;) {
    std::vector<ExprRef> calls;
    for (auto& o : *outputs) CollectInnermost(o, &calls);
    if (calls.empty()) return plan;
    int first_column = static_cast<int>(plan->Types().size());
    plan = std::make_shared<LogicalProjectSet>(plan, calls);
    for (auto& o : *outputs) o = ReplaceCalls(o, calls, first_column);
  }
}

LogicalRef PlanValuesRow(std::vector<ExprRef> row) {
  LogicalRef one_row = std::make_shared<LogicalValues>(std::vector<std::vector<ExprRef>>{{}}, std::vector<Type>{});
  LogicalRef plan = PlanSetFunctions(one_row, &row);
  return std::make_shared<LogicalProjection>(plan, std::move(row));
}

}  // namespace tessera::planner
