// Evaluates bound expressions over one row, with SQL's three-valued logic.
// It lives beside the expressions rather than in executor/ because both the
// planner (constant folding) and the fragment runner on a shard need it.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/builtin_functions.h"
#include "planner/bound_expr.h"

namespace tessera::planner {

struct EvalContext {
  const std::vector<Value>* params = nullptr;
  FunctionContext functions;
  // nextval(sequence); unset where sequences cannot be reached (0A000).
  std::function<int64_t(const std::string& sequence)> next_val;
  // currval, setval (value, is_called) and lastval (sequence empty); unset: 0A000.
  std::function<int64_t(SequenceOp op, const std::string& sequence, int64_t value, bool is_called)> sequence_op;
  // First column of every row of each subquery slot, computed before the statement runs.
  const std::vector<std::vector<Value>>* subquery_rows = nullptr;
  // x IN (slot) over many rows: the slot's values sorted once, on first use,
  // and searched (an UPDATE/DELETE whose WHERE has a correlated subquery
  // writes the rows whose keys a slot holds). Shared by copies of the context.
  struct SortedSlot {
    std::vector<Value> values;  // the non-NULL ones
    bool has_null = false;
  };
  mutable std::shared_ptr<std::map<int, SortedSlot>> sorted_slots;
  // The outer values of the correlated subquery whose plan is running
  // (kOuterRef reads them); null outside one.
  const std::vector<Value>* outer_values = nullptr;
  // Runs correlated subquery `slot` for `outer_values` and returns the
  // first column of its first `max_rows` rows (0: all). Set on the gateway
  // only: in a fragment a kSubPlan is an internal error (the planner keeps
  // them out).
  using SubPlanRows = std::shared_ptr<const std::vector<Value>>;
  std::function<SubPlanRows(int slot, std::vector<Value> outer_values, size_t max_rows)> run_subplan;
};

Value Evaluate(const BoundExpr& e, const Row& row, const EvalContext& ctx);
// WHERE semantics: NULL counts as false.
bool EvaluatePredicate(const BoundExpr& e, const Row& row, const EvalContext& ctx);

// Cast kinds stored in BoundExpr::op of a kCast node.
inline constexpr uint8_t kCastExplicit = 0;
inline constexpr uint8_t kCastAssignment = 1;
inline constexpr uint8_t kCastImplicit = 2;

}  // namespace tessera::planner
