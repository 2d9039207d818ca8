// Binding of the array forms: ARRAY[...], subscripts and slices, x op
// ANY/ALL (array), and the array operators ||, @>, <@ and && (bound as
// calls of PostgreSQL's functions behind them: array_cat, array_append,
// array_prepend, arraycontains, arraycontained, arrayoverlap).
#include "common/error.h"
#include "common/value_ops.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

namespace {

bool IsUnknown(const ExprRef& e) { return e->type.id == TypeId::kUnknown; }
bool IsArray(const ExprRef& e) { return IsArrayType(e->type.id); }

SqlError NotSubscriptable(Type type, int location) {
  return SqlError(sqlstate::kDatatypeMismatch,
                  "cannot subscript type " + FormatType(type) + " because it does not support subscripting", {}, {},
                  location + 1);
}

}  // namespace

ExprRef Binder::BindArrayConstructor(const ast::Expr& e, const Scope& scope, Type target) {
  if (e.args.empty()) {
    if (IsArrayType(target.id)) return MakeConstantExpr(Value::Array(target, {}));
    throw SqlError(sqlstate::kIndeterminateDatatype, "cannot determine type of empty array", {},
                   "Explicitly cast to the desired type, for example ARRAY[]::integer[].", e.location + 1);
  }
  std::vector<ExprRef> args;
  for (auto& a : e.args) args.push_back(BindExpr(*a, scope));
  Type common;
  args = CoerceToCommon(std::move(args), "ARRAY", &common);
  if (IsArrayType(common.id)) throw SqlError::FeatureNotSupported("multidimensional arrays are not supported");
  Type type;
  try {
    type = ArrayTypeFor(common);
  } catch (SqlError& err) {
    throw err.WithPosition(e.location + 1);
  }
  return MakeNode(BoundExprKind::kArray, type, std::move(args));
}

// name[i]: PostgreSQL's name is a fixed array of bytes, subscripted from 0
// (pg_dump tests typname[0] = '_'). Tessera keeps a catalog's name columns
// as text, so the subscript is the one-byte substring at i + 1.
ExprRef Binder::BindNameSubscript(ExprRef name, const ast::Expr& e, const Scope& scope) {
  if (e.slice || e.args.size() != 2 || !e.args[1]) throw NotSubscriptable(name->type, e.location);
  ExprRef index = Coerce(BindExpr(*e.args[1], scope), Type::Of(TypeId::kInt4), kCastAssignment);
  ExprRef start = BindArith("+", index, MakeConstantExpr(Value::Int4(1)), e.location);
  ResolvedFunction substr = ResolveFunction("substr", {name->type, start->type, Type::Of(TypeId::kInt4)});
  auto out = std::make_shared<BoundExpr>();
  out->kind = BoundExprKind::kFunction;
  out->name = "substr";
  out->fn = substr.overload;
  out->type = substr.return_type;
  out->args = {name, start, MakeConstantExpr(Value::Int4(1))};
  return out;
}

ExprRef Binder::BindSubscript(const ast::Expr& e, const Scope& scope) {
  ExprRef array = BindExpr(*e.args[0], scope);
  if (!IsArray(array) && array->kind == BoundExprKind::kColumn && array->index >= 0 &&
      static_cast<size_t>(array->index) < scope.columns.size() && scope.columns[array->index].name_type)
    return BindNameSubscript(array, e, scope);
  if (!IsArray(array)) throw NotSubscriptable(array->type, e.location);
  std::vector<ExprRef> args{array};
  uint8_t op = e.slice ? kSubscriptSlice : 0;
  for (size_t i = 1; i < e.args.size(); ++i) {
    if (!e.args[i]) {
      args.push_back(MakeConstantExpr(Value::Null(Type::Of(TypeId::kInt4))));
      continue;
    }
    op |= i == 1 ? kSubscriptLower : kSubscriptUpper;
    ExprRef bound = BindExpr(*e.args[i], scope);
    if (!IsUnknown(bound) && !IsIntegerType(bound->type.id) && !IsNumericCategory(bound->type.id))
      throw SqlError(sqlstate::kDatatypeMismatch, "array subscript must have type integer", {}, {},
                     e.args[i]->location + 1);
    args.push_back(Coerce(bound, Type::Of(TypeId::kInt4), kCastAssignment));
  }
  Type type = e.slice ? array->type : ElementTypeOf(array->type);
  return MakeNode(BoundExprKind::kSubscript, type, std::move(args), op);
}

// x op ANY (array): x and the array's elements meet in one type as the
// operator resolves, found by binding the comparison against a stand-in
// element; the array is cast when its elements must be.
ExprRef Binder::BindAnyAll(const ast::Expr& e, const Scope& scope) {
  ExprRef x = BindExpr(*e.args[0], scope);
  ExprRef array = BindExpr(*e.args[1], scope);
  if (IsUnknown(array)) {
    Type element = IsUnknown(x) ? Type::Of(TypeId::kText) : x->type;
    if (IsArrayType(element.id)) throw SqlError::FeatureNotSupported("multidimensional arrays are not supported");
    array = Coerce(array, ArrayTypeFor(element), kCastImplicit);
  }
  if (!IsArray(array))
    throw SqlError(sqlstate::kWrongObjectType, "op ANY/ALL (array) requires array on right side", {}, {},
                   e.location + 1);
  ExprRef element = MakeColumnExpr(0, ElementTypeOf(array->type));
  ExprRef cmp = BindComparison(e.op, x, element, e.location);
  if (cmp->args[1] != element) array = Coerce(array, ArrayTypeFor(cmp->args[1]->type), kCastImplicit);
  return MakeNode(BoundExprKind::kAnyAll, Type::Of(TypeId::kBool), {cmp->args[0], array}, cmp->op,
                  e.quantifier_all);
}

ExprRef Binder::BindArrayOperator(const std::string& op, ExprRef l, ExprRef r, int location) {
  std::string fn;
  if (op == "||") {
    if (IsArray(l) && IsUnknown(r)) r = Coerce(r, l->type, kCastImplicit);
    if (IsArray(r) && IsUnknown(l)) l = Coerce(l, r->type, kCastImplicit);
    fn = IsArray(l) && IsArray(r) ? "array_cat" : IsArray(l) ? "array_append" : "array_prepend";
  } else {
    if (IsUnknown(l) && IsArray(r)) l = Coerce(l, r->type, kCastImplicit);
    if (IsUnknown(r) && IsArray(l)) r = Coerce(r, l->type, kCastImplicit);
    // anyarray @> anyarray: one array type on both sides, as in PostgreSQL.
    if (!IsArray(l) || !IsArray(r) || l->type.id != r->type.id)
      throw SqlError(sqlstate::kUndefinedFunction,
                     "operator does not exist: " + FormatType(l->type) + " " + op + " " + FormatType(r->type), {},
                     "No operator matches the given name and argument types. You might need to add explicit type "
                     "casts.",
                     location + 1);
    fn = op == "@>" ? "arraycontains" : op == "<@" ? "arraycontained" : "arrayoverlap";
  }
  ResolvedFunction resolved;
  try {
    resolved = ResolveFunction(fn, {l->type, r->type});
  } catch (const SqlError&) {
    // Report the operator, as PostgreSQL does, not the function behind it.
    throw SqlError(sqlstate::kUndefinedFunction,
                   "operator does not exist: " + FormatType(l->type) + " " + op + " " + FormatType(r->type), {},
                   "No operator matches the given name and argument types. You might need to add explicit type "
                   "casts.",
                   location + 1);
  }
  auto out = std::make_shared<BoundExpr>();
  out->kind = BoundExprKind::kFunction;
  out->name = fn;
  out->fn = resolved.overload;
  out->type = resolved.return_type;
  out->args = {Coerce(l, resolved.arg_casts[0], kCastImplicit), Coerce(r, resolved.arg_casts[1], kCastImplicit)};
  return out;
}

}  // namespace tessera::planner
