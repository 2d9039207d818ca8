// Binding of scalar expressions: names, literals, parameters, operators and
// casts, following PostgreSQL's operator resolution for the types we have.
#include <algorithm>

#include "catalog/system/snapshot_catalog_view.h"
#include "common/stack_depth.h"
#include "common/error.h"
#include "common/value_ops.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

namespace {

ExprRef ConstantAt(Value v, int location) {
  auto c = std::make_shared<BoundExpr>();
  c->type = v.GetType();
  c->value = std::move(v);
  c->location = location;
  return c;
}

bool IsUnknown(const ExprRef& e) { return e->type.id == TypeId::kUnknown; }

SqlError NoOperator(const std::string& op, const Type& l, const Type& r, int location) {
  return SqlError(sqlstate::kUndefinedFunction,
                  "operator does not exist: " + FormatType(l) + " " + op + " " + FormatType(r), {},
                  "No operator matches the given name and argument types. You might need to add explicit type "
                  "casts.",
                  location + 1);
}

bool IsDateTime(TypeId id) { return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampTz; }

// Categories whose members compare with each other directly.
int Category(TypeId id) {
  if (IsNumericCategory(id)) return 1;
  if (IsStringType(id)) return 2;
  if (IsDateTime(id)) return 3;
  if (id == TypeId::kBool) return 4;
  if (id == TypeId::kBytea) return 5;
  if (IsArrayType(id)) return 6;
  return 0;
}

Value BindLiteral(const ast::Expr& e) {
  switch (e.constant_kind) {
    case ast::ConstantKind::kNull: return Value::Null();
    case ast::ConstantKind::kBool: return Value::Bool(e.text == "t" || e.text == "true");
    case ast::ConstantKind::kInteger: {
      errno = 0;
      char* end = nullptr;
      long long v = std::strtoll(e.text.c_str(), &end, 10);
      if (errno == ERANGE || *end) return Value::Num(Numeric::Parse(e.text));
      if (v >= INT32_MIN && v <= INT32_MAX) return Value::Int4(static_cast<int32_t>(v));
      return Value::Int8(v);
    }
    case ast::ConstantKind::kDecimal: return Value::Num(Numeric::Parse(e.text));
    case ast::ConstantKind::kString: return Value::Unknown(e.text);
    case ast::ConstantKind::kBitString: throw SqlError::FeatureNotSupported("bit strings are not supported");
  }
  return Value::Null();
}

}  // namespace

bool Scope::HasTable(const std::string& name) const {
  return std::any_of(columns.begin(), columns.end(), [&](const ScopeColumn& c) { return c.table == name; });
}

int FindScopeColumn(const Scope& scope, const std::string& table, const std::string& column, int location) {
  int found = -1;
  for (size_t i = 0; i < scope.columns.size(); ++i) {
    const auto& c = scope.columns[i];
    if (c.name != column || (table.empty() ? c.hidden : c.table != table)) continue;
    if (found >= 0)
      throw SqlError(sqlstate::kAmbiguousColumn, "column reference \"" + column + "\" is ambiguous", {}, {},
                     location + 1);
    found = static_cast<int>(i);
  }
  return found;
}

ExprRef Binder::Fold(ExprRef e, int location) {
  if (e->IsConstant() || e->kind == BoundExprKind::kParam || e->kind == BoundExprKind::kColumn) return e;
  if (HasColumnRefs(*e) || HasVolatile(*e) || HasParams(*e)) return e;
  // Catalog-reading built-ins ('t'::regclass) fold against the binder's snapshot.
  catalog::system::SnapshotCatalogView view(catalog_);
  EvalContext ctx;
  ctx.functions.catalog = &view;
  auto folded = std::make_shared<BoundExpr>();
  folded->value = Evaluate(*e, {}, ctx);
  folded->type = folded->value.GetType();
  folded->location = location;
  return folded;
}

ExprRef Binder::Coerce(ExprRef e, Type target, uint8_t cast_kind) {
  if (e->type == target) return e;
  if (e->type.id == target.id && cast_kind == kCastImplicit) return e;
  if (e->kind == BoundExprKind::kParam && IsUnknown(e)) {
    (*param_types_)[e->index] = target;
    auto p = std::make_shared<BoundExpr>(*e);
    p->type = target;
    return p;
  }
  if (e->IsConstant()) {
    try {
      if (e->value.IsNull()) return ConstantAt(Value::Null(target), e->location);
      // An explicit cast to varchar(n)/char(n) truncates; only assignment raises 22001.
      if (e->value.Id() == TypeId::kUnknown && cast_kind == kCastExplicit && IsStringType(target.id))
        return ConstantAt(Value::Text(e->value.GetString()).CastTo(target, {}, true), e->location);
      if (e->value.Id() == TypeId::kUnknown)
        return ConstantAt(Value::FromText(e->value.GetString(), target), e->location);
      if (cast_kind != kCastAssignment)
        return ConstantAt(e->value.CastTo(target, {}, cast_kind == kCastExplicit), e->location);
    } catch (SqlError& err) {
      // PostgreSQL points at a literal that did not parse (not at length
      // violations, which its type's input function finds at run time).
      if (err.Position() == 0 && e->location >= 0 && e->value.Id() == TypeId::kUnknown &&
          err.Sqlstate() != sqlstate::kStringDataRightTruncation)
        err.WithPosition(e->location + 1);
      throw;
    }
  }
  auto c = MakeNode(BoundExprKind::kCast, target, {std::move(e)}, cast_kind);
  return c;
}

ExprRef Binder::BindPredicate(const ast::Expr& e, const Scope& scope, const char* clause) {
  return CoerceToBool(BindExpr(e, scope, clause), clause, e.location);
}

// PostgreSQL's coerce_to_boolean: only an implicit cast to boolean is
// allowed, so a text column in WHERE or under AND is 42804, not a cast.
ExprRef Binder::CoerceToBool(ExprRef e, const std::string& construct, int location) {
  if (HasSetFunction(*e))
    throw SqlError(sqlstate::kDatatypeMismatch, "argument of " + construct + " must not return a set", {}, {},
                   location + 1);
  if (e->type.id == TypeId::kBool) return e;
  if (!CanImplicitCast(e->type.id, TypeId::kBool))
    throw SqlError(sqlstate::kDatatypeMismatch,
                   "argument of " + construct + " must be type boolean, not type " + FormatType(e->type), {}, {},
                   location + 1);
  return Coerce(std::move(e), Type::Of(TypeId::kBool), kCastImplicit);
}

ExprRef Binder::BindExpr(const ast::Expr& e, const Scope& scope, const char* context) {
  CheckStackDepth();
  const char* saved = aggregate_context_;
  if (context) aggregate_context_ = context;
  ExprRef out;
  switch (e.kind) {
    case ast::ExprKind::kConstant: {
      auto c = std::make_shared<BoundExpr>();
      c->value = BindLiteral(e);
      c->type = c->value.GetType();
      c->location = e.location;
      out = c;
      break;
    }
    case ast::ExprKind::kColumnRef: out = BindColumnRef(e, scope); break;
    case ast::ExprKind::kParam: out = BindParam(e); break;
    case ast::ExprKind::kUnary: out = BindUnary(e, scope); break;
    case ast::ExprKind::kBinary: out = BindBinary(e, scope); break;
    case ast::ExprKind::kFuncCall: out = BindFunction(e, scope); break;
    case ast::ExprKind::kCast: {
      if (IsRegTypeName(e.cast_type.name)) {
        out = BindRegCast(e.cast_type.name, BindExpr(*e.args[0], scope), e.location);
        break;
      }
      Type target = ResolveTypeName(e.cast_type.name,
                                    e.cast_type.modifiers.size() > 0 ? std::optional(e.cast_type.modifiers[0]) : std::nullopt,
                                    e.cast_type.modifiers.size() > 1 ? std::optional(e.cast_type.modifiers[1]) : std::nullopt);
      if (e.cast_type.is_array) target = ArrayTypeFor(target);
      // ARRAY[]::int[] takes its type from the cast.
      const ast::Expr& operand = *e.args[0];
      ExprRef bound = operand.kind == ast::ExprKind::kArray ? BindArrayConstructor(operand, scope, target)
                                                            : BindExpr(operand, scope);
      out = Coerce(bound, target, kCastExplicit);
      break;
    }
    case ast::ExprKind::kIsNull:
      out = MakeNode(BoundExprKind::kIsNull, Type::Of(TypeId::kBool), {BindExpr(*e.args[0], scope)}, 0, e.negated);
      break;
    case ast::ExprKind::kBoolTest: {
      uint8_t kind = e.bool_test == "true" ? 0 : e.bool_test == "false" ? 1 : 2;
      std::string test = std::string(e.negated ? "IS NOT " : "IS ") +
                         (kind == 0 ? "TRUE" : kind == 1 ? "FALSE" : "UNKNOWN");
      ExprRef arg = CoerceToBool(BindExpr(*e.args[0], scope), test, e.args[0]->location);
      out = MakeNode(BoundExprKind::kBoolTest, Type::Of(TypeId::kBool), {arg}, kind, e.negated);
      break;
    }
    case ast::ExprKind::kBetween: {
      auto range = [&](int lo, int hi) {
        return MakeAndExpr({BindComparison(">=", BindExpr(*e.args[0], scope), BindExpr(*e.args[lo], scope), e.location),
                            BindComparison("<=", BindExpr(*e.args[0], scope), BindExpr(*e.args[hi], scope), e.location)});
      };
      out = range(1, 2);
      // BETWEEN is an AND of two comparisons, which may not be sets (PostgreSQL's coerce_to_boolean).
      if (HasSetFunction(*out)) CoerceToBool(out, "AND", e.location);
      if (e.between_symmetric) out = MakeNode(BoundExprKind::kOr, Type::Of(TypeId::kBool), {out, range(2, 1)});
      if (e.negated) out = MakeNode(BoundExprKind::kNot, Type::Of(TypeId::kBool), {out});
      break;
    }
    case ast::ExprKind::kInList: out = BindInList(e, scope); break;
    case ast::ExprKind::kDistinctFrom: {
      ExprRef cmp = BindComparison("=", BindExpr(*e.args[0], scope), BindExpr(*e.args[1], scope), e.location);
      out = MakeNode(BoundExprKind::kDistinctFrom, Type::Of(TypeId::kBool), cmp->args, 0, e.negated);
      break;
    }
    case ast::ExprKind::kCase: out = BindCase(e, scope); break;
    case ast::ExprKind::kInSubquery:
    case ast::ExprKind::kExists:
    case ast::ExprKind::kSubquery: out = BindSubquery(e, scope); break;
    case ast::ExprKind::kDefault:
      throw SqlError(sqlstate::kSyntaxError, "DEFAULT is not allowed in this context", {}, {}, e.location + 1);
    case ast::ExprKind::kRow: throw SqlError::FeatureNotSupported("row expressions are not supported");
    case ast::ExprKind::kArray: out = BindArrayConstructor(e, scope); break;
    case ast::ExprKind::kArraySubquery: out = BindSubquery(e, scope); break;
    case ast::ExprKind::kSubscript: out = BindSubscript(e, scope); break;
    case ast::ExprKind::kAnyAll: out = BindAnyAll(e, scope); break;
  }
  aggregate_context_ = saved;
  // A subquery calling something volatile is run again for every row, even
  // for outer values it has seen (bind_subquery.cpp).
  if (out->kind == BoundExprKind::kNextVal ||
      (out->kind == BoundExprKind::kFunction && out->fn && out->fn->volatile_fn))
    ++subqueries_->volatile_calls;
  return Fold(out, e.location);
}

ExprRef Binder::BindColumnRef(const ast::Expr& e, const Scope& scope) {
  const auto& names = e.names;
  if (!names.empty() && names.back() == "*")
    throw SqlError(sqlstate::kSyntaxError, "syntax error at or near \"*\"", {}, {}, e.location + 1);
  std::string column = names.back();
  std::string table = names.size() >= 2 ? names[names.size() - 2] : std::string();
  int found = FindScopeColumn(scope, table, column, e.location);
  // A qualified name whose table is here is not looked for further out.
  if (found < 0 && outer_ && (table.empty() || !scope.HasTable(table)))
    if (ExprRef outer = BindOuterRef(e)) return outer;
  if (!table.empty() && !scope.HasTable(table))
    throw SqlError(sqlstate::kUndefinedTable, "missing FROM-clause entry for table \"" + table + "\"", {}, {},
                   e.location + 1);
  if (found < 0) {
    std::string shown = table.empty() ? column : table + "." + column;
    throw SqlError(sqlstate::kUndefinedColumn, "column " + (table.empty() ? "\"" + column + "\"" : shown) +
                                                   " does not exist",
                   {}, {}, e.location + 1);
  }
  const auto& c = scope.columns[found];
  if (recorder_) RecordColumnRef(e, c);
  auto col = std::make_shared<BoundExpr>();
  col->kind = BoundExprKind::kColumn;
  col->index = found;
  col->type = c.type;
  col->name = c.table.empty() ? c.name : c.table + "." + c.name;
  col->location = e.location;
  return col;
}

ExprRef Binder::BindParam(const ast::Expr& e) {
  int n = e.param_number;
  if (n < 1) throw SqlError(sqlstate::kUndefinedParameter, "there is no parameter $" + std::to_string(n));
  if (static_cast<int>(param_types_->size()) < n) param_types_->resize(n, Type::Of(TypeId::kUnknown));
  auto p = std::make_shared<BoundExpr>();
  p->kind = BoundExprKind::kParam;
  p->index = n - 1;
  p->type = (*param_types_)[n - 1];
  p->location = e.location;
  return p;
}

ExprRef Binder::BindUnary(const ast::Expr& e, const Scope& scope) {
  ExprRef arg = BindExpr(*e.args[0], scope);
  if (e.op == "not") {
    arg = CoerceToBool(arg, "NOT", e.args[0]->location);
    return MakeNode(BoundExprKind::kNot, arg->type, {arg});
  }
  if (IsUnknown(arg) && arg->kind != BoundExprKind::kParam)
    throw SqlError(sqlstate::kAmbiguousFunction, "operator is not unique: " + e.op + " unknown", {},
                   "Could not choose a best candidate operator. You might need to add explicit type casts.",
                   e.location + 1);
  if (IsUnknown(arg)) arg = Coerce(arg, Type::Of(TypeId::kNumeric), kCastImplicit);
  if (!IsNumericCategory(arg->type.id))
    throw SqlError(sqlstate::kUndefinedFunction, "operator does not exist: " + e.op + " " + FormatType(arg->type), {},
                   "No operator matches the given name and argument type. You might need to add an explicit type cast.",
                   e.location + 1);
  if (e.op == "+") return arg;
  return MakeNode(BoundExprKind::kNegate, arg->type, {arg});
}

ExprRef Binder::BindBinary(const ast::Expr& e, const Scope& scope) {
  const std::string& op = e.op;
  if (op == "and" || op == "or") {  // n-ary, as the parser builds them
    const char* name = op == "and" ? "AND" : "OR";
    std::vector<ExprRef> operands;
    operands.reserve(e.args.size());
    for (const ast::ExprPtr& arg : e.args) operands.push_back(CoerceToBool(BindExpr(*arg, scope), name, arg->location));
    return MakeNode(op == "and" ? BoundExprKind::kAnd : BoundExprKind::kOr, Type::Of(TypeId::kBool),
                    std::move(operands));
  }
  ExprRef l = BindExpr(*e.args[0], scope);
  ExprRef r = BindExpr(*e.args[1], scope);
  if (op == "=" || op == "<>" || op == "<" || op == "<=" || op == ">" || op == ">=")
    return BindComparison(op, l, r, e.location);
  if ((op == "||" && (IsArrayType(l->type.id) || IsArrayType(r->type.id))) || op == "@>" || op == "<@" ||
      op == "&&")
    return BindArrayOperator(op, l, r, e.location);
  if (op == "||") {
    if (!IsStringType(l->type.id) && !IsStringType(r->type.id)) throw NoOperator(op, l->type, r->type, e.location);
    l = Coerce(l, Type::Of(TypeId::kText), IsStringType(l->type.id) ? kCastImplicit : kCastExplicit);
    r = Coerce(r, Type::Of(TypeId::kText), IsStringType(r->type.id) ? kCastImplicit : kCastExplicit);
    return MakeNode(BoundExprKind::kConcat, Type::Of(TypeId::kText), {l, r});
  }
  if (op == "~" || op == "!~" || op == "~*" || op == "!~*") return BindRegexMatch(op, l, r, e.location);
  if (op == "like" || op == "not like" || op == "ilike" || op == "not ilike" || op == "~~" || op == "!~~") {
    if (!IsStringType(l->type.id) || !IsStringType(r->type.id))
      throw NoOperator(op.find("ilike") != std::string::npos ? "~~*" : "~~", l->type, r->type, e.location);
    l = Coerce(l, Type::Of(TypeId::kText), kCastImplicit);
    r = Coerce(r, Type::Of(TypeId::kText), kCastImplicit);
    bool neg = op.rfind("not", 0) == 0 || op == "!~~";
    return MakeNode(BoundExprKind::kLike, Type::Of(TypeId::kBool), {l, r}, op.find("ilike") != std::string::npos, neg);
  }
  return BindArith(op, l, r, e.location);
}

ExprRef Binder::BindComparison(const std::string& op, ExprRef l, ExprRef r, int location) {
  if (IsUnknown(l) && IsUnknown(r)) {
    l = Coerce(l, Type::Of(TypeId::kText), kCastImplicit);
    r = Coerce(r, Type::Of(TypeId::kText), kCastImplicit);
  } else if (IsUnknown(l)) {
    l = Coerce(l, r->type, kCastImplicit);
  } else if (IsUnknown(r)) {
    r = Coerce(r, l->type, kCastImplicit);
  }
  int lc = Category(l->type.id), rc = Category(r->type.id);
  if (lc == 0 || lc != rc) throw NoOperator(op, l->type, r->type, location);
  // anyarray = anyarray: both sides of one array type, as in PostgreSQL.
  if (lc == 6 && l->type.id != r->type.id) throw NoOperator(op, l->type, r->type, location);
  // Dates compare with timestamps after promotion, as PostgreSQL's cross-type operators do.
  if (lc == 3 && l->type.id != r->type.id) {
    TypeId wider = l->type.id == TypeId::kTimestampTz || r->type.id == TypeId::kTimestampTz ? TypeId::kTimestampTz
                                                                                              : TypeId::kTimestamp;
    l = Coerce(l, Type::Of(wider), kCastImplicit);
    r = Coerce(r, Type::Of(wider), kCastImplicit);
  }
  // A constant compared with a column of another numeric type takes the
  // column's type when that loses nothing, so key lookups stay possible.
  if (lc == 1 && l->type.id != r->type.id) {
    if (r->IsConstant() && IsIntegerType(l->type.id) && IsIntegerType(r->type.id)) {
      try {
        r = Coerce(r, l->type, kCastImplicit);
      } catch (const SqlError&) {
      }
    } else if (l->IsConstant() && IsIntegerType(l->type.id) && IsIntegerType(r->type.id)) {
      try {
        l = Coerce(l, r->type, kCastImplicit);
      } catch (const SqlError&) {
      }
    }
  }
  static const std::pair<const char*, CompareOp> kOps[] = {{"=", CompareOp::kEq}, {"<>", CompareOp::kNe},
                                                           {"<", CompareOp::kLt}, {"<=", CompareOp::kLe},
                                                           {">", CompareOp::kGt}, {">=", CompareOp::kGe}};
  for (auto& [text, cmp] : kOps)
    if (op == text) return MakeCompareExpr(cmp, l, r);
  throw NoOperator(op, l->type, r->type, location);
}

ExprRef Binder::BindArith(const std::string& op, ExprRef l, ExprRef r, int location) {
  static const std::pair<const char*, ArithOp> kOps[] = {{"+", ArithOp::kAdd}, {"-", ArithOp::kSub},
                                                         {"*", ArithOp::kMul}, {"/", ArithOp::kDiv},
                                                         {"%", ArithOp::kMod}, {"^", ArithOp::kPow}};
  const ArithOp* arith = nullptr;
  for (auto& [text, a] : kOps)
    if (op == text) arith = &a;
  if (!arith) throw NoOperator(op, l->type, r->type, location);
  if (IsUnknown(l) && IsUnknown(r)) throw NoOperator(op, l->type, r->type, location);
  if (IsUnknown(l)) l = Coerce(l, r->type, kCastImplicit);
  if (IsUnknown(r)) r = Coerce(r, l->type, kCastImplicit);
  TypeId lt = l->type.id, rt = r->type.id;
  if (lt == TypeId::kDate && (*arith == ArithOp::kAdd || *arith == ArithOp::kSub) && IsIntegerType(rt)) {
    r = Coerce(r, Type::Of(TypeId::kInt4), kCastImplicit);
    return MakeNode(BoundExprKind::kArith, Type::Of(TypeId::kDate), {l, r}, static_cast<uint8_t>(*arith));
  }
  if (lt == TypeId::kDate && rt == TypeId::kDate && *arith == ArithOp::kSub)
    return MakeNode(BoundExprKind::kArith, Type::Of(TypeId::kInt4), {l, r}, static_cast<uint8_t>(*arith));
  if (!IsNumericCategory(lt) || !IsNumericCategory(rt)) throw NoOperator(op, l->type, r->type, location);
  TypeId result = ArithResultType(lt, rt);
  // PostgreSQL's ^ exists for float8 and numeric only.
  if (*arith == ArithOp::kPow && result != TypeId::kNumeric) result = TypeId::kFloat8;
  l = Coerce(l, Type::Of(result), kCastImplicit);
  r = Coerce(r, Type::Of(result), kCastImplicit);
  return MakeNode(BoundExprKind::kArith, Type::Of(result), {l, r}, static_cast<uint8_t>(*arith));
}

std::vector<ExprRef> Binder::CoerceToCommon(std::vector<ExprRef> args, const char* context, Type* common) {
  std::vector<Type> types;
  for (auto& a : args) types.push_back(a->type);
  *common = CommonType(types, context);
  if (common->id == TypeId::kUnknown) *common = Type::Of(TypeId::kText);
  for (auto& a : args) a = Coerce(a, *common, kCastImplicit);
  return args;
}

ExprRef Binder::BindInList(const ast::Expr& e, const Scope& scope) {
  std::vector<ExprRef> args;
  for (auto& a : e.args) args.push_back(BindExpr(*a, scope));
  Type common;
  args = CoerceToCommon(std::move(args), "IN", &common);
  return MakeNode(BoundExprKind::kInList, Type::Of(TypeId::kBool), std::move(args), 0, e.negated);
}

ExprRef Binder::BindCase(const ast::Expr& e, const Scope& scope) {
  std::vector<ExprRef> conditions, results;
  for (size_t i = 1; i + 1 < e.args.size(); i += 2) {
    if (e.args[0]) {
      conditions.push_back(BindComparison("=", BindExpr(*e.args[0], scope), BindExpr(*e.args[i], scope),
                                          e.args[i]->location));
    } else {
      conditions.push_back(BindPredicate(*e.args[i], scope, "CASE"));
    }
    results.push_back(BindExpr(*e.args[i + 1], scope));
  }
  results.push_back(e.case_else ? BindExpr(*e.case_else, scope) : MakeConstantExpr(Value::Null()));
  Type common;
  results = CoerceToCommon(std::move(results), "CASE", &common);
  std::vector<ExprRef> args;
  for (size_t i = 0; i < conditions.size(); ++i) {
    args.push_back(conditions[i]);
    args.push_back(results[i]);
  }
  args.push_back(results.back());
  // A branch not taken would not run its set-returning function: PostgreSQL refuses them.
  RefuseSetFunctionIn("CASE", args);
  return MakeNode(BoundExprKind::kCase, common, std::move(args));
}

void Binder::FinishParams() {
  for (auto& t : *param_types_)
    if (t.id == TypeId::kUnknown) t = Type::Of(TypeId::kText);
}

}  // namespace tessera::planner
