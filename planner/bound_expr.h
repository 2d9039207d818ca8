// Bound expressions: the binder's output. Every name is resolved to a column
// position in the input row of the operator that evaluates the expression,
// every operand already has the type its operator needs (the binder inserts
// the casts), so evaluation never looks at the catalog. The same tree is
// evaluated on the gateway and, serialised, inside fragments on a shard.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/builtin_functions.h"
#include "common/value.h"

namespace tessera::planner {

// Fixed width: serialised inside fragments.
enum class BoundExprKind : uint8_t {
  kConstant,
  kColumn,        // index: position in the input row
  kParam,         // index: 0-based parameter number
  kCast,          // args[0] cast to `type`
  kCompare,       // op: CompareOp
  kArith,         // op: ArithOp (common/value_ops.h)
  kNegate,
  kConcat,
  kAnd,
  kOr,
  kNot,
  kIsNull,        // negated: IS NOT NULL
  kBoolTest,      // op: BoolTestKind; negated: IS NOT ...
  kLike,          // negated: NOT LIKE; op 1: ILIKE
  kInList,        // args[0] IN (args[1..]); negated: NOT IN
  kDistinctFrom,  // negated: IS NOT DISTINCT FROM
  kCase,          // args: when1, then1, ..., else (always present)
  kCoalesce,
  kNullIf,
  kGreatest,
  kLeast,
  kFunction,      // name + fn (resolved from common/builtin_functions.h)
  kNextVal,       // op: SequenceOp; name: the sequence ("public.t_id_seq"); args: setval's value, is_called
  kAggregate,     // binder-only marker, replaced by a column of the aggregate's output
  // Uncorrelated subqueries, run once before the statement (PostgreSQL's
  // InitPlans); `index` is the subquery's slot in the statement's results.
  kSubqueryValue,  // op: SubqueryKind::kScalar or kExists
  kInSubquery,     // args[0] [NOT] IN (the slot's rows)
  kWindow,         // binder-only: f(...) OVER (...) (bound_window.h), replaced by a LogicalWindow column
  kArray,          // ARRAY[args...] of `type`
  kSubscript,      // args[0][args[1]] or, op & kSubscriptSlice, args[0][args[1]:args[2]]
  kAnyAll,         // args[0] op ANY (args[1]); negated: ALL. op: CompareOp
  // Correlated subqueries (PostgreSQL's SubPlans), run for each row that
  // evaluates them, on the gateway only. Inside the subquery's plan an
  // outer column is a kOuterRef: `index` is its position in the outer
  // values the subquery is run with (EvalContext::outer_values), like a
  // parameter of that plan; `name` is the outer column's, for EXPLAIN.
  kOuterRef,
  // The subquery itself, in the enclosing query: `index` is its slot, op a
  // SubqueryKind, args the outer values (expressions over the enclosing
  // row, in kOuterRef order) followed, for kIn, by the tested value;
  // negated: NOT IN.
  kSubPlan,
  // Binder-only: a set-returning function in a select list or ORDER BY
  // (generate_series, unnest, ...; `name` is its bare name, `type` the type
  // of its rows). SelectBinder::PlanSetFunctions replaces each with a
  // column of the LogicalProjectSet that runs it (logical_project_set.h).
  kSetFunction,
};

// kSubscript's op bits: a slice, and which of its bounds were written.
inline constexpr uint8_t kSubscriptSlice = 1;
inline constexpr uint8_t kSubscriptLower = 2;
inline constexpr uint8_t kSubscriptUpper = 4;

enum class SequenceOp : uint8_t { kNextVal, kCurrVal, kSetVal, kLastVal };

enum class SubqueryKind : uint8_t { kScalar, kExists, kIn, kArray };

enum class CompareOp : uint8_t { kEq, kNe, kLt, kLe, kGt, kGe };
enum class BoolTestKind : uint8_t { kTrue, kFalse, kUnknown };
// kStringAgg: args are the value and the delimiter (both text).
// kEvery is bool_and under its SQL-standard name (kept apart for EXPLAIN).
enum class AggKind : uint8_t { kCountStar, kCount, kSum, kAvg, kMin, kMax, kArrayAgg, kStringAgg, kBoolAnd, kBoolOr, kEvery };

struct BoundExpr;
struct BoundWindow;  // bound_window.h
using ExprRef = std::shared_ptr<const BoundExpr>;

struct BoundExpr {
  BoundExprKind kind = BoundExprKind::kConstant;
  Type type;
  Value value;           // kConstant
  int32_t index = 0;     // kColumn, kParam
  uint8_t op = 0;        // CompareOp / ArithOp / BoolTestKind / AggKind / like flags
  bool negated = false;
  bool distinct = false;  // aggregate DISTINCT
  std::string name;      // function, sequence or aggregate name; column name for EXPLAIN
  std::vector<ExprRef> args;
  const FunctionOverload* fn = nullptr;  // kFunction
  std::shared_ptr<const BoundWindow> window;  // kWindow
  // 0-based offset in the statement text of constants, columns and
  // parameters, for error positions; -1 when unknown. Not serialised.
  int32_t location = -1;

  bool IsConstant() const { return kind == BoundExprKind::kConstant; }
};

ExprRef MakeConstantExpr(Value v);
// A node of `kind` over `args` (the binder's and tests' building block).
ExprRef MakeNode(BoundExprKind kind, Type type, std::vector<ExprRef> args, uint8_t op = 0, bool negated = false);
ExprRef MakeColumnExpr(int index, Type type, std::string name = {});
ExprRef MakeCastExpr(ExprRef arg, Type type);
ExprRef MakeCompareExpr(CompareOp op, ExprRef left, ExprRef right);
ExprRef MakeAndExpr(std::vector<ExprRef> conjuncts);  // one conjunct: itself

// Structural equality (GROUP BY matching, common sub-expressions).
bool ExprEquals(const BoundExpr& a, const BoundExpr& b);
// Does the expression reference a column in [begin, end)? Any column at all?
bool ReferencesOnly(const BoundExpr& e, int begin, int end);
bool HasColumnRefs(const BoundExpr& e);
bool HasVolatile(const BoundExpr& e);
bool HasParams(const BoundExpr& e);
// A correlated subquery (kSubPlan) anywhere in `e`: it must be evaluated
// on the gateway, never inside a fragment.
bool HasSubPlan(const BoundExpr& e);
bool HasOuterRefs(const BoundExpr& e);
// A set-returning function call (kSetFunction) anywhere in `e`.
bool HasSetFunction(const BoundExpr& e);
// kSubPlan's outer values: its args without IN's tested value.
size_t SubPlanOuterCount(const BoundExpr& e);
// A copy with every column index shifted by `delta`, or remapped through `map` (old -> new).
ExprRef ShiftColumns(const ExprRef& e, int delta);
ExprRef RemapColumns(const ExprRef& e, const std::vector<int>& map);
// Splits nested ANDs into a list.
void SplitConjuncts(const ExprRef& e, std::vector<ExprRef>* out);
// SQL-like text for EXPLAIN: (a > 5), count(*), $1.
std::string ExprToText(const BoundExpr& e);
const char* CompareOpText(CompareOp op);
const char* AggName(AggKind kind);

}  // namespace tessera::planner
