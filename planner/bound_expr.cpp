// Helpers over bound expressions: construction, comparison, rewriting and
// the EXPLAIN text.
#include "planner/bound_expr.h"
#include "planner/bound_window.h"

#include "common/stack_depth.h"
#include "common/value_ops.h"

namespace tessera::planner {

ExprRef MakeConstantExpr(Value v) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExprKind::kConstant;
  e->type = v.GetType();
  e->value = std::move(v);
  return e;
}

ExprRef MakeNode(BoundExprKind kind, Type type, std::vector<ExprRef> args, uint8_t op, bool negated) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = kind;
  e->type = type;
  e->args = std::move(args);
  e->op = op;
  e->negated = negated;
  return e;
}

ExprRef MakeColumnExpr(int index, Type type, std::string name) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExprKind::kColumn;
  e->index = index;
  e->type = type;
  e->name = std::move(name);
  return e;
}

ExprRef MakeCastExpr(ExprRef arg, Type type) {
  if (arg->type == type) return arg;
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExprKind::kCast;
  e->type = type;
  e->args.push_back(std::move(arg));
  return e;
}

ExprRef MakeCompareExpr(CompareOp op, ExprRef left, ExprRef right) {
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExprKind::kCompare;
  e->type = Type::Of(TypeId::kBool);
  e->op = static_cast<uint8_t>(op);
  e->args = {std::move(left), std::move(right)};
  return e;
}

ExprRef MakeAndExpr(std::vector<ExprRef> conjuncts) {
  if (conjuncts.empty()) return nullptr;
  if (conjuncts.size() == 1) return conjuncts[0];
  auto e = std::make_shared<BoundExpr>();
  e->kind = BoundExprKind::kAnd;
  e->type = Type::Of(TypeId::kBool);
  e->args = std::move(conjuncts);
  return e;
}

bool ExprEquals(const BoundExpr& a, const BoundExpr& b) {
  CheckStackDepth();
  if (a.kind != b.kind || !(a.type == b.type) || a.index != b.index || a.op != b.op || a.negated != b.negated ||
      a.distinct != b.distinct || a.args.size() != b.args.size())
    return false;
  if (a.kind == BoundExprKind::kConstant &&
      (a.value.IsNull() != b.value.IsNull() || (!a.value.IsNull() && a.value.Compare(b.value) != 0)))
    return false;
  if ((a.kind == BoundExprKind::kFunction || a.kind == BoundExprKind::kNextVal || a.kind == BoundExprKind::kAggregate ||
       a.kind == BoundExprKind::kWindow || a.kind == BoundExprKind::kSetFunction) &&
      a.name != b.name)
    return false;
  if (a.kind == BoundExprKind::kWindow &&
      (a.window->func != b.window->func || a.window->num_args != b.window->num_args || !SameWindow(a, b)))
    return false;
  for (size_t i = 0; i < a.args.size(); ++i)
    if (!ExprEquals(*a.args[i], *b.args[i])) return false;
  return true;
}

bool ReferencesOnly(const BoundExpr& e, int begin, int end) {
  CheckStackDepth();
  if (e.kind == BoundExprKind::kColumn) return e.index >= begin && e.index < end;
  for (auto& a : e.args)
    if (!ReferencesOnly(*a, begin, end)) return false;
  return true;
}

namespace {

// Whether `e` or any expression under it is of `kind`.
bool HasKind(const BoundExpr& e, BoundExprKind kind) {
  CheckStackDepth();
  if (e.kind == kind) return true;
  for (auto& a : e.args)
    if (HasKind(*a, kind)) return true;
  return false;
}

}  // namespace

bool HasColumnRefs(const BoundExpr& e) { return HasKind(e, BoundExprKind::kColumn); }

bool HasSetFunction(const BoundExpr& e) { return HasKind(e, BoundExprKind::kSetFunction); }

bool HasVolatile(const BoundExpr& e) {
  CheckStackDepth();
  // A correlated subquery counts as volatile for the rewrites: like a
  // volatile call it stays where it was written, above the fragments.
  if (e.kind == BoundExprKind::kNextVal || e.kind == BoundExprKind::kAggregate || e.kind == BoundExprKind::kWindow ||
      e.kind == BoundExprKind::kSubPlan || e.kind == BoundExprKind::kSetFunction)
    return true;
  if (e.kind == BoundExprKind::kFunction && e.fn && e.fn->volatile_fn) return true;
  for (auto& a : e.args)
    if (HasVolatile(*a)) return true;
  return false;
}

bool HasParams(const BoundExpr& e) {
  CheckStackDepth();
  // Subquery results are statement inputs, like parameters: known only when it runs.
  // So are outer values of a correlated subquery.
  if (e.kind == BoundExprKind::kParam || e.kind == BoundExprKind::kSubqueryValue ||
      e.kind == BoundExprKind::kInSubquery || e.kind == BoundExprKind::kOuterRef || e.kind == BoundExprKind::kSubPlan)
    return true;
  for (auto& a : e.args)
    if (HasParams(*a)) return true;
  return false;
}

bool HasSubPlan(const BoundExpr& e) { return HasKind(e, BoundExprKind::kSubPlan); }

bool HasOuterRefs(const BoundExpr& e) { return HasKind(e, BoundExprKind::kOuterRef); }

size_t SubPlanOuterCount(const BoundExpr& e) {
  return static_cast<SubqueryKind>(e.op) == SubqueryKind::kIn ? e.args.size() - 1 : e.args.size();
}

ExprRef RemapColumns(const ExprRef& e, const std::vector<int>& map) {
  CheckStackDepth();
  if (e->kind == BoundExprKind::kColumn) {
    auto c = std::make_shared<BoundExpr>(*e);
    c->index = map.at(e->index);
    return c;
  }
  if (e->args.empty()) return e;
  auto c = std::make_shared<BoundExpr>(*e);
  for (auto& a : c->args) a = RemapColumns(a, map);
  return c;
}

ExprRef ShiftColumns(const ExprRef& e, int delta) {
  CheckStackDepth();
  if (delta == 0) return e;
  if (e->kind == BoundExprKind::kColumn) {
    auto c = std::make_shared<BoundExpr>(*e);
    c->index += delta;
    return c;
  }
  if (e->args.empty()) return e;
  auto c = std::make_shared<BoundExpr>(*e);
  for (auto& a : c->args) a = ShiftColumns(a, delta);
  return c;
}

void SplitConjuncts(const ExprRef& e, std::vector<ExprRef>* out) {
  CheckStackDepth();
  if (!e) return;
  if (e->kind == BoundExprKind::kAnd) {
    for (auto& a : e->args) SplitConjuncts(a, out);
    return;
  }
  out->push_back(e);
}

const char* CompareOpText(CompareOp op) {
  switch (op) {
    case CompareOp::kEq: return "=";
    case CompareOp::kNe: return "<>";
    case CompareOp::kLt: return "<";
    case CompareOp::kLe: return "<=";
    case CompareOp::kGt: return ">";
    case CompareOp::kGe: return ">=";
  }
  return "?";
}

const char* AggName(AggKind kind) {
  switch (kind) {
    case AggKind::kCountStar:
    case AggKind::kCount: return "count";
    case AggKind::kSum: return "sum";
    case AggKind::kAvg: return "avg";
    case AggKind::kMin: return "min";
    case AggKind::kMax: return "max";
    case AggKind::kArrayAgg: return "array_agg";
    case AggKind::kStringAgg: return "string_agg";
    case AggKind::kBoolAnd: return "bool_and";
    case AggKind::kBoolOr: return "bool_or";
    case AggKind::kEvery: return "every";
  }
  return "?";
}

namespace {

const char* ArithText(uint8_t op) {
  static const char* kText[] = {"+", "-", "*", "/", "%", "^"};
  return op < 6 ? kText[op] : "?";
}

std::string JoinArgs(const BoundExpr& e, size_t from = 0) {
  std::string out;
  for (size_t i = from; i < e.args.size(); ++i) {
    if (i > from) out += ", ";
    out += ExprToText(*e.args[i]);
  }
  return out;
}

std::string ConstantText(const Value& v) {
  if (v.IsNull()) return "NULL";
  std::string text = v.ToText();
  if (IsNumericCategory(v.Id())) return text;
  if (v.Id() == TypeId::kBool) return v.GetBool() ? "true" : "false";
  return "'" + text + "'::" + FormatType(v.GetType());
}

}  // namespace

std::string ExprToText(const BoundExpr& e) {
  CheckStackDepth();
  switch (e.kind) {
    case BoundExprKind::kConstant: return ConstantText(e.value);
    case BoundExprKind::kColumn: return e.name.empty() ? "#" + std::to_string(e.index) : e.name;
    case BoundExprKind::kParam: return "$" + std::to_string(e.index + 1);
    case BoundExprKind::kCast: return "(" + ExprToText(*e.args[0]) + ")::" + FormatType(e.type);
    case BoundExprKind::kCompare:
      return "(" + ExprToText(*e.args[0]) + " " + CompareOpText(static_cast<CompareOp>(e.op)) + " " +
             ExprToText(*e.args[1]) + ")";
    case BoundExprKind::kArith:
      return "(" + ExprToText(*e.args[0]) + " " + ArithText(e.op) + " " + ExprToText(*e.args[1]) + ")";
    case BoundExprKind::kNegate: return "(- " + ExprToText(*e.args[0]) + ")";
    case BoundExprKind::kConcat: return "(" + ExprToText(*e.args[0]) + " || " + ExprToText(*e.args[1]) + ")";
    case BoundExprKind::kAnd:
    case BoundExprKind::kOr: {
      std::string out = "(";
      for (size_t i = 0; i < e.args.size(); ++i) {
        if (i) out += e.kind == BoundExprKind::kAnd ? " AND " : " OR ";
        out += ExprToText(*e.args[i]);
      }
      return out + ")";
    }
    case BoundExprKind::kNot: return "(NOT " + ExprToText(*e.args[0]) + ")";
    case BoundExprKind::kIsNull:
      return "(" + ExprToText(*e.args[0]) + (e.negated ? " IS NOT NULL)" : " IS NULL)");
    case BoundExprKind::kBoolTest: {
      static const char* kWord[] = {"TRUE", "FALSE", "UNKNOWN"};
      return "(" + ExprToText(*e.args[0]) + (e.negated ? " IS NOT " : " IS ") + kWord[e.op] + ")";
    }
    case BoundExprKind::kLike:
      return "(" + ExprToText(*e.args[0]) + (e.negated ? " !" : " ") + (e.op ? "~~* " : "~~ ") +
             ExprToText(*e.args[1]) + ")";
    case BoundExprKind::kInList:
      return "(" + ExprToText(*e.args[0]) + (e.negated ? " NOT IN (" : " IN (") + JoinArgs(e, 1) + "))";
    case BoundExprKind::kDistinctFrom:
      return "(" + ExprToText(*e.args[0]) + (e.negated ? " IS NOT DISTINCT FROM " : " IS DISTINCT FROM ") +
             ExprToText(*e.args[1]) + ")";
    case BoundExprKind::kCase: {
      std::string out = "CASE";
      for (size_t i = 0; i + 1 < e.args.size(); i += 2)
        out += " WHEN " + ExprToText(*e.args[i]) + " THEN " + ExprToText(*e.args[i + 1]);
      return out + " ELSE " + ExprToText(*e.args.back()) + " END";
    }
    case BoundExprKind::kCoalesce: return "COALESCE(" + JoinArgs(e) + ")";
    case BoundExprKind::kNullIf: return "NULLIF(" + JoinArgs(e) + ")";
    case BoundExprKind::kGreatest: return "GREATEST(" + JoinArgs(e) + ")";
    case BoundExprKind::kLeast: return "LEAST(" + JoinArgs(e) + ")";
    case BoundExprKind::kFunction: return e.name + "(" + JoinArgs(e) + ")";
    case BoundExprKind::kNextVal: {
      static const char* const kNames[] = {"nextval", "currval", "setval", "lastval"};
      std::string fn = kNames[e.op & 3];
      if (static_cast<SequenceOp>(e.op) == SequenceOp::kLastVal) return fn + "()";
      return fn + "('" + e.name + "'::regclass" + (e.args.empty() ? "" : ", " + JoinArgs(e)) + ")";
    }
    case BoundExprKind::kSubqueryValue: {
      auto kind = static_cast<SubqueryKind>(e.op);
      return std::string(kind == SubqueryKind::kExists ? "(EXISTS " : kind == SubqueryKind::kArray ? "ARRAY(" : "(") +
             "SubPlan " + std::to_string(e.index + 1) + ")";
    }
    case BoundExprKind::kOuterRef: return e.name.empty() ? "$outer" + std::to_string(e.index + 1) : e.name;
    case BoundExprKind::kSubPlan: {
      auto kind = static_cast<SubqueryKind>(e.op);
      std::string plan = "SubPlan " + std::to_string(e.index + 1);
      if (kind == SubqueryKind::kIn)
        return "(" + ExprToText(*e.args.back()) + (e.negated ? " NOT IN " : " IN ") + "(" + plan + "))";
      return std::string(kind == SubqueryKind::kExists ? "(EXISTS " : kind == SubqueryKind::kArray ? "ARRAY(" : "(") +
             plan + ")";
    }
    case BoundExprKind::kArray: return "ARRAY[" + JoinArgs(e) + "]";
    case BoundExprKind::kSubscript: {
      std::string out = "(" + ExprToText(*e.args[0]) + ")[";
      if (!(e.op & kSubscriptSlice)) return out + ExprToText(*e.args[1]) + "]";
      if (e.op & kSubscriptLower) out += ExprToText(*e.args[1]);
      out += ":";
      if (e.op & kSubscriptUpper) out += ExprToText(*e.args[2]);
      return out + "]";
    }
    case BoundExprKind::kAnyAll:
      return "(" + ExprToText(*e.args[0]) + " " + CompareOpText(static_cast<CompareOp>(e.op)) +
             (e.negated ? " ALL (" : " ANY (") + ExprToText(*e.args[1]) + "))";
    case BoundExprKind::kInSubquery:
      return "(" + ExprToText(*e.args[0]) + (e.negated ? " NOT IN " : " IN ") + "(SubPlan " +
             std::to_string(e.index + 1) + "))";
    case BoundExprKind::kAggregate: {
      auto kind = static_cast<AggKind>(e.op);
      if (kind == AggKind::kCountStar) return "count(*)";
      return std::string(AggName(kind)) + "(" + (e.distinct ? "DISTINCT " : "") + JoinArgs(e) + ")";
    }
    case BoundExprKind::kWindow: {
      std::string out = e.name + "(";
      auto args = WindowArgs(e);
      for (size_t i = 0; i < args.size(); ++i) out += (i ? ", " : "") + ExprToText(*args[i]);
      if (args.empty() && e.window->agg == AggKind::kCountStar && e.window->func == WindowFuncKind::kAggregate)
        out += "*";
      return out + ") OVER (...)";
    }
    case BoundExprKind::kSetFunction: return e.name + "(" + JoinArgs(e) + ")";
  }
  return "?";
}

}  // namespace tessera::planner
