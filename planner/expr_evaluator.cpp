// Row-at-a-time expression evaluation. NULL handling is here and only here:
// value_ops.h and builtin functions see non-NULL operands of the right types.
#include "planner/expr_evaluator.h"

#include <algorithm>

#include "common/stack_depth.h"
#include "common/error.h"
#include "common/value_ops.h"

namespace tessera::planner {

namespace {

Value NullOf(const BoundExpr& e) { return Value::Null(e.type); }

bool CompareResult(CompareOp op, int c) {
  switch (op) {
    case CompareOp::kEq: return c == 0;
    case CompareOp::kNe: return c != 0;
    case CompareOp::kLt: return c < 0;
    case CompareOp::kLe: return c <= 0;
    case CompareOp::kGt: return c > 0;
    case CompareOp::kGe: return c >= 0;
  }
  return false;
}

// AND/OR over any number of operands: FALSE (AND) / TRUE (OR) wins over NULL.
Value EvalLogic(const BoundExpr& e, const Row& row, const EvalContext& ctx, bool is_and) {
  bool saw_null = false;
  for (auto& a : e.args) {
    Value v = Evaluate(*a, row, ctx);
    if (v.IsNull()) {
      saw_null = true;
      continue;
    }
    if (v.GetBool() != is_and) return Value::Bool(!is_and);
  }
  if (saw_null) return Value::Null(Type::Of(TypeId::kBool));
  return Value::Bool(is_and);
}

Value EvalInList(const BoundExpr& e, const Row& row, const EvalContext& ctx) {
  Value x = Evaluate(*e.args[0], row, ctx);
  if (x.IsNull()) return Value::Null(Type::Of(TypeId::kBool));
  bool saw_null = false;
  for (size_t i = 1; i < e.args.size(); ++i) {
    Value v = Evaluate(*e.args[i], row, ctx);
    if (v.IsNull()) {
      saw_null = true;
      continue;
    }
    if (x.Compare(v) == 0) return Value::Bool(!e.negated);
  }
  if (saw_null) return Value::Null(Type::Of(TypeId::kBool));
  return Value::Bool(e.negated);
}

Value EvalExtreme(const BoundExpr& e, const Row& row, const EvalContext& ctx, bool greatest) {
  Value best = NullOf(e);
  for (auto& a : e.args) {
    Value v = Evaluate(*a, row, ctx);
    if (v.IsNull()) continue;
    if (best.IsNull() || (greatest ? v.Compare(best) > 0 : v.Compare(best) < 0)) best = std::move(v);
  }
  return best;
}

// nextval, currval, setval, lastval (a kNextVal node, bound_expr.h).
Value EvalSequence(const BoundExpr& e, const Row& row, const EvalContext& ctx) {
  auto op = static_cast<SequenceOp>(e.op);
  if (op == SequenceOp::kNextVal) {
    if (!ctx.next_val) throw SqlError::FeatureNotSupported("nextval() is not available here");
    return Value::Int8(ctx.next_val(e.name));
  }
  if (!ctx.sequence_op) throw SqlError::FeatureNotSupported("sequence functions are not available here");
  if (op != SequenceOp::kSetVal) return Value::Int8(ctx.sequence_op(op, e.name, 0, true));
  // setval is strict: a NULL argument gives NULL and changes nothing.
  Value value = Evaluate(*e.args[0], row, ctx);
  Value called = e.args.size() > 1 ? Evaluate(*e.args[1], row, ctx) : Value::Bool(true);
  if (value.IsNull() || called.IsNull()) return Value::Null(e.type);
  return Value::Int8(ctx.sequence_op(op, e.name, value.GetInt(), called.GetBool()));
}

Value EvalFunction(const BoundExpr& e, const Row& row, const EvalContext& ctx) {
  std::vector<Value> args;
  args.reserve(e.args.size());
  for (auto& a : e.args) {
    args.push_back(Evaluate(*a, row, ctx));
    if (e.fn->strict && args.back().IsNull()) return NullOf(e);
  }
  Value v = e.fn->fn(args, ctx.functions);
  return v;
}

Value EvalCast(const BoundExpr& e, const Row& row, const EvalContext& ctx) {
  Value v = Evaluate(*e.args[0], row, ctx);
  if (v.IsNull()) return NullOf(e);
  TextFormat default_format;
  const TextFormat& fmt = ctx.functions.format ? *ctx.functions.format : default_format;
  return v.CastTo(e.type, fmt, e.op == kCastExplicit);
}

const std::vector<Value>& SubqueryRows(const BoundExpr& e, const EvalContext& ctx) {
  if (!ctx.subquery_rows || e.index >= static_cast<int>(ctx.subquery_rows->size()))
    throw SqlError::Internal("subquery result is not available");
  return (*ctx.subquery_rows)[e.index];
}

// A scalar, EXISTS or ARRAY subquery's value from its rows.
Value SubqueryValue(const BoundExpr& e, const std::vector<Value>& rows) {
  auto kind = static_cast<SubqueryKind>(e.op);
  if (kind == SubqueryKind::kExists) return Value::Bool(!rows.empty());
  if (kind == SubqueryKind::kArray) return Value::Array(e.type, rows);
  if (rows.size() > 1)
    throw SqlError(sqlstate::kCardinalityViolation, "more than one row returned by a subquery used as an expression");
  return rows.empty() ? NullOf(e) : rows[0];
}

// x [NOT] IN (rows), with SQL's NULLs: no match and a NULL among the rows
// is NULL, so is a NULL x, unless there are no rows (then IN is false).
Value InRows(const Value& x, const std::vector<Value>& rows, bool negated) {
  if (rows.empty()) return Value::Bool(negated);
  if (x.IsNull()) return Value::Null(Type::Of(TypeId::kBool));
  bool saw_null = false;
  for (const Value& v : rows) {
    if (v.IsNull()) {
      saw_null = true;
      continue;
    }
    if (x.Compare(v) == 0) return Value::Bool(!negated);
  }
  if (saw_null) return Value::Null(Type::Of(TypeId::kBool));
  return Value::Bool(negated);
}

// x [NOT] IN (slot): InRows, by binary search in the slot's sorted values
// once it holds more than a few.
Value InSlot(const BoundExpr& e, const Value& x, const EvalContext& ctx) {
  const std::vector<Value>& rows = SubqueryRows(e, ctx);
  if (rows.size() <= 16 || x.IsNull()) return InRows(x, rows, e.negated);
  if (!ctx.sorted_slots) ctx.sorted_slots = std::make_shared<std::map<int, EvalContext::SortedSlot>>();
  auto [it, created] = ctx.sorted_slots->try_emplace(e.index);
  EvalContext::SortedSlot& slot = it->second;
  auto less = [](const Value& a, const Value& b) { return a.Compare(b) < 0; };
  if (created) {
    for (const Value& v : rows) {
      slot.has_null = slot.has_null || v.IsNull();
      if (!v.IsNull()) slot.values.push_back(v);
    }
    std::sort(slot.values.begin(), slot.values.end(), less);
  }
  if (std::binary_search(slot.values.begin(), slot.values.end(), x, less)) return Value::Bool(!e.negated);
  if (slot.has_null) return Value::Null(Type::Of(TypeId::kBool));
  return Value::Bool(e.negated);
}

// A correlated subquery: its outer values from this row, then its plan.
// EXISTS needs one row and a scalar two (the second is the error); IN and
// ARRAY read them all.
Value EvalSubPlan(const BoundExpr& e, const Row& row, const EvalContext& ctx) {
  if (!ctx.run_subplan) throw SqlError::Internal("correlated subquery evaluated outside the gateway");
  auto kind = static_cast<SubqueryKind>(e.op);
  size_t outer_count = SubPlanOuterCount(e);
  std::vector<Value> outer;
  outer.reserve(outer_count);
  for (size_t i = 0; i < outer_count; ++i) outer.push_back(Evaluate(*e.args[i], row, ctx));
  if (kind == SubqueryKind::kIn) {
    Value x = Evaluate(*e.args.back(), row, ctx);
    return InRows(x, *ctx.run_subplan(e.index, std::move(outer), 0), e.negated);
  }
  size_t max_rows = kind == SubqueryKind::kExists ? 1 : kind == SubqueryKind::kScalar ? 2 : 0;
  return SubqueryValue(e, *ctx.run_subplan(e.index, std::move(outer), max_rows));
}

Value EvalArray(const BoundExpr& e, const Row& row, const EvalContext& ctx) {
  Value::Elements elements;
  elements.reserve(e.args.size());
  for (auto& a : e.args) elements.push_back(Evaluate(*a, row, ctx));
  return Value::Array(e.type, std::move(elements));
}

// x[i] (NULL outside the array) and x[lo:hi] (clamped to the array; empty
// when nothing is left), with 1-based subscripts as PostgreSQL's default.
Value EvalSubscript(const BoundExpr& e, const Row& row, const EvalContext& ctx) {
  Value array = Evaluate(*e.args[0], row, ctx);
  if (array.IsNull()) return NullOf(e);
  const Value::Elements& elements = array.GetArray();
  const auto size = static_cast<int64_t>(elements.size());
  if (!(e.op & kSubscriptSlice)) {
    Value i = Evaluate(*e.args[1], row, ctx);
    if (i.IsNull() || i.GetInt() < 1 || i.GetInt() > size) return NullOf(e);
    return elements[static_cast<size_t>(i.GetInt() - 1)];
  }
  int64_t lo = 1, hi = size;
  if (e.op & kSubscriptLower) {
    Value v = Evaluate(*e.args[1], row, ctx);
    if (v.IsNull()) return NullOf(e);
    lo = std::max<int64_t>(lo, v.GetInt());
  }
  if (e.op & kSubscriptUpper) {
    Value v = Evaluate(*e.args[2], row, ctx);
    if (v.IsNull()) return NullOf(e);
    hi = std::min<int64_t>(hi, v.GetInt());
  }
  Value::Elements out;
  for (int64_t i = lo; i <= hi; ++i) out.push_back(elements[static_cast<size_t>(i - 1)]);
  return Value::Array(e.type, std::move(out));
}

// x op ANY (array): true if some comparison is true, else NULL if one was
// NULL, else false; ALL the other way round. An empty array gives false
// (ANY) or true (ALL) even for a NULL x.
Value EvalAnyAll(const BoundExpr& e, const Row& row, const EvalContext& ctx) {
  Value x = Evaluate(*e.args[0], row, ctx);
  Value array = Evaluate(*e.args[1], row, ctx);
  const Type boolean = Type::Of(TypeId::kBool);
  if (array.IsNull()) return Value::Null(boolean);
  const bool all = e.negated;
  bool saw_null = false;
  for (const Value& v : array.GetArray()) {
    if (x.IsNull() || v.IsNull()) {
      saw_null = true;
      continue;
    }
    if (CompareResult(static_cast<CompareOp>(e.op), x.Compare(v)) != all) return Value::Bool(!all);
  }
  if (saw_null) return Value::Null(boolean);
  return Value::Bool(all);
}

}  // namespace

Value Evaluate(const BoundExpr& e, const Row& row, const EvalContext& ctx) {
  CheckStackDepth();
  switch (e.kind) {
    case BoundExprKind::kConstant: return e.value;
    case BoundExprKind::kColumn: return row.at(e.index);
    case BoundExprKind::kParam: {
      if (!ctx.params || e.index >= static_cast<int>(ctx.params->size()))
        throw SqlError(sqlstate::kUndefinedParameter, "there is no parameter $" + std::to_string(e.index + 1));
      const Value& v = (*ctx.params)[e.index];
      if (v.IsNull() || e.type.id == TypeId::kUnknown || v.GetType() == e.type) return v;
      if (v.Id() == TypeId::kUnknown) return Value::FromText(v.GetString(), e.type);
      return v.CastTo(e.type);
    }
    case BoundExprKind::kCast: return EvalCast(e, row, ctx);
    case BoundExprKind::kCompare: {
      Value l = Evaluate(*e.args[0], row, ctx);
      if (l.IsNull()) return NullOf(e);
      Value r = Evaluate(*e.args[1], row, ctx);
      if (r.IsNull()) return NullOf(e);
      return Value::Bool(CompareResult(static_cast<CompareOp>(e.op), l.Compare(r)));
    }
    case BoundExprKind::kArith: {
      Value l = Evaluate(*e.args[0], row, ctx);
      if (l.IsNull()) return NullOf(e);
      Value r = Evaluate(*e.args[1], row, ctx);
      if (r.IsNull()) return NullOf(e);
      return Arith(static_cast<ArithOp>(e.op), l, r);
    }
    case BoundExprKind::kNegate: {
      Value v = Evaluate(*e.args[0], row, ctx);
      return v.IsNull() ? NullOf(e) : Negate(v);
    }
    case BoundExprKind::kConcat: {
      Value l = Evaluate(*e.args[0], row, ctx);
      if (l.IsNull()) return NullOf(e);
      Value r = Evaluate(*e.args[1], row, ctx);
      if (r.IsNull()) return NullOf(e);
      return Concat(l, r);
    }
    case BoundExprKind::kAnd: return EvalLogic(e, row, ctx, true);
    case BoundExprKind::kOr: return EvalLogic(e, row, ctx, false);
    case BoundExprKind::kNot: {
      Value v = Evaluate(*e.args[0], row, ctx);
      return v.IsNull() ? NullOf(e) : Value::Bool(!v.GetBool());
    }
    case BoundExprKind::kIsNull: return Value::Bool(Evaluate(*e.args[0], row, ctx).IsNull() != e.negated);
    case BoundExprKind::kBoolTest: {
      Value v = Evaluate(*e.args[0], row, ctx);
      bool r = false;
      switch (static_cast<BoolTestKind>(e.op)) {
        case BoolTestKind::kTrue: r = !v.IsNull() && v.GetBool(); break;
        case BoolTestKind::kFalse: r = !v.IsNull() && !v.GetBool(); break;
        case BoolTestKind::kUnknown: r = v.IsNull(); break;
      }
      return Value::Bool(r != e.negated);
    }
    case BoundExprKind::kLike: {
      Value l = Evaluate(*e.args[0], row, ctx);
      if (l.IsNull()) return NullOf(e);
      Value r = Evaluate(*e.args[1], row, ctx);
      if (r.IsNull()) return NullOf(e);
      return Value::Bool(Like(l.GetString(), r.GetString(), e.op != 0) != e.negated);
    }
    case BoundExprKind::kInList: return EvalInList(e, row, ctx);
    case BoundExprKind::kDistinctFrom: {
      Value l = Evaluate(*e.args[0], row, ctx);
      Value r = Evaluate(*e.args[1], row, ctx);
      bool distinct = l.IsNull() != r.IsNull() || (!l.IsNull() && l.Compare(r) != 0);
      return Value::Bool(distinct != e.negated);
    }
    case BoundExprKind::kCase: {
      for (size_t i = 0; i + 1 < e.args.size(); i += 2) {
        Value c = Evaluate(*e.args[i], row, ctx);
        if (!c.IsNull() && c.GetBool()) return Evaluate(*e.args[i + 1], row, ctx);
      }
      return Evaluate(*e.args.back(), row, ctx);
    }
    case BoundExprKind::kCoalesce:
      for (auto& a : e.args) {
        Value v = Evaluate(*a, row, ctx);
        if (!v.IsNull()) return v;
      }
      return NullOf(e);
    case BoundExprKind::kNullIf: {
      Value l = Evaluate(*e.args[0], row, ctx);
      if (l.IsNull()) return l;
      Value r = Evaluate(*e.args[1], row, ctx);
      if (!r.IsNull() && l.Compare(r) == 0) return NullOf(e);
      return l;
    }
    case BoundExprKind::kGreatest: return EvalExtreme(e, row, ctx, true);
    case BoundExprKind::kLeast: return EvalExtreme(e, row, ctx, false);
    case BoundExprKind::kFunction: return EvalFunction(e, row, ctx);
    case BoundExprKind::kNextVal:
      return EvalSequence(e, row, ctx);
    case BoundExprKind::kAggregate: throw SqlError::Internal("aggregate evaluated as a scalar");
    case BoundExprKind::kWindow: throw SqlError::Internal("window function evaluated as a scalar");
    case BoundExprKind::kSetFunction: throw SqlError::Internal("set-returning function evaluated as a scalar");
    case BoundExprKind::kSubqueryValue: return SubqueryValue(e, SubqueryRows(e, ctx));
    case BoundExprKind::kInSubquery: {
      Value x = Evaluate(*e.args[0], row, ctx);
      return InSlot(e, x, ctx);
    }
    case BoundExprKind::kOuterRef:
      if (!ctx.outer_values || e.index >= static_cast<int>(ctx.outer_values->size()))
        throw SqlError::Internal("outer value of a correlated subquery is not available");
      return (*ctx.outer_values)[e.index];
    case BoundExprKind::kSubPlan: return EvalSubPlan(e, row, ctx);
    case BoundExprKind::kArray: return EvalArray(e, row, ctx);
    case BoundExprKind::kSubscript: return EvalSubscript(e, row, ctx);
    case BoundExprKind::kAnyAll: return EvalAnyAll(e, row, ctx);
  }
  throw SqlError::Internal("unknown expression kind");
}

bool EvaluatePredicate(const BoundExpr& e, const Row& row, const EvalContext& ctx) {
  Value v = Evaluate(e, row, ctx);
  return !v.IsNull() && v.GetBool();
}

}  // namespace tessera::planner
