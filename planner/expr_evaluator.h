// Evaluates bound expressions over one row, with SQL's three-valued logic.
// It lives beside the expressions rather than in executor/ because both the
// planner (constant folding) and the fragment runner on a shard need it.
#pragma once

#include <functional>
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
};

Value Evaluate(const BoundExpr& e, const Row& row, const EvalContext& ctx);
// WHERE semantics: NULL counts as false.
bool EvaluatePredicate(const BoundExpr& e, const Row& row, const EvalContext& ctx);

// Cast kinds stored in BoundExpr::op of a kCast node.
inline constexpr uint8_t kCastExplicit = 0;
inline constexpr uint8_t kCastAssignment = 1;
inline constexpr uint8_t kCastImplicit = 2;

}  // namespace tessera::planner
