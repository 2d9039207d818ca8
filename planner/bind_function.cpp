// Function calls: aggregates, the special forms (COALESCE, NULLIF, GREATEST,
// LEAST, nextval) and scalar built-ins from common/builtin_functions.h.
#include "common/stack_depth.h"
#include "common/error.h"
#include "common/temp_schema.h"
#include "common/value_ops.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

std::string FunctionSignature(const std::string& name, const std::vector<ExprRef>& args) {
  std::string out = name + "(";
  for (size_t i = 0; i < args.size(); ++i) {
    if (i) out += ", ";
    out += FormatType(args[i]->type);
  }
  return out + ")";
}

bool IsAggregateName(const std::string& name) {
  return name == "count" || name == "sum" || name == "avg" || name == "min" || name == "max" || name == "array_agg" ||
         name == "string_agg" || name == "bool_and" || name == "bool_or" || name == "every";
}

namespace {

// Result type of an aggregate over `arg` as PostgreSQL's pg_aggregate says;
// kUnknown when there is no such aggregate.
Type AggregateType(AggKind kind, Type arg) {
  TypeId id = arg.id;
  switch (kind) {
    case AggKind::kCountStar:
    case AggKind::kCount: return Type::Of(TypeId::kInt8);
    case AggKind::kSum:
      if (id == TypeId::kInt2 || id == TypeId::kInt4) return Type::Of(TypeId::kInt8);
      if (id == TypeId::kInt8 || id == TypeId::kNumeric) return Type::Of(TypeId::kNumeric);
      if (id == TypeId::kFloat4 || id == TypeId::kFloat8) return Type::Of(id);
      return Type::Of(TypeId::kUnknown);
    case AggKind::kAvg:
      if (IsIntegerType(id) || id == TypeId::kNumeric) return Type::Of(TypeId::kNumeric);
      if (id == TypeId::kFloat4 || id == TypeId::kFloat8) return Type::Of(TypeId::kFloat8);
      return Type::Of(TypeId::kUnknown);
    case AggKind::kMin:
    case AggKind::kMax:
      if (id == TypeId::kUnknown || id == TypeId::kBool || id == TypeId::kBytea) return Type::Of(TypeId::kUnknown);
      if (id == TypeId::kVarchar || id == TypeId::kBpchar) return Type::Of(TypeId::kText);
      return Type::Of(id);
    case AggKind::kArrayAgg:
      // array_agg of arrays would build a two-dimensional array.
      if (IsArrayType(id)) throw SqlError::FeatureNotSupported("multidimensional arrays are not supported");
      return ArrayOf(arg);
    case AggKind::kStringAgg:
      return IsStringType(id) || id == TypeId::kUnknown ? Type::Of(TypeId::kText) : Type::Of(TypeId::kUnknown);
    case AggKind::kBoolAnd:
    case AggKind::kBoolOr:
    case AggKind::kEvery: return id == TypeId::kBool ? Type::Of(TypeId::kBool) : Type::Of(TypeId::kUnknown);
  }
  return Type::Of(TypeId::kUnknown);
}

// pg_typeof(x): the type's name as text (PostgreSQL returns regtype, whose
// text form is the same). The argument stays in the tree, under a CASE whose
// branches agree, so an aggregate inside still makes the query grouped.
ExprRef BindTypeOf(ExprRef arg) {
  Value name = Value::Text(FormatType(Type::Of(arg->type.id)));
  auto test = std::make_shared<BoundExpr>();
  test->kind = BoundExprKind::kIsNull;
  test->type = Type::Of(TypeId::kBool);
  test->args.push_back(std::move(arg));
  auto out = std::make_shared<BoundExpr>();
  out->kind = BoundExprKind::kCase;
  out->type = name.GetType();
  out->args = {test, MakeConstantExpr(name), MakeConstantExpr(name)};
  return out;
}

}  // namespace

ExprRef Binder::BindAggregate(const ast::Expr& e, const Scope& scope) {
  auto refuse = [&] {
    std::string where = aggregate_context_ ? aggregate_context_ : "this context";
    if (inside_aggregate_)
      throw SqlError(sqlstate::kGroupingError, "aggregate function calls cannot be nested", {}, {}, e.location + 1);
    throw SqlError(sqlstate::kGroupingError, "aggregate functions are not allowed in " + where, {}, {},
                   e.location + 1);
  };
  bool allowed = allow_aggregates_ && !inside_aggregate_;
  // Inside a subquery, an aggregate of outer columns belongs to an outer
  // query, whose rules apply (AggregateOfOuterQuery): bind it to find out.
  if (!allowed && !outer_) refuse();
  bool saved = inside_aggregate_;
  inside_aggregate_ = true;
  ExprRef agg = BindAggregateCall(e, scope);
  if (e.subquery) RecordAggregateOrder(e, agg, scope);
  inside_aggregate_ = saved;
  if (!allowed && agg->kind != BoundExprKind::kOuterRef) refuse();
  return agg;
}

ExprRef Binder::BindAggregateCall(const ast::Expr& e, const Scope& scope) {
  AggKind kind = e.func_name == "count"        ? (e.func_star ? AggKind::kCountStar : AggKind::kCount)
                 : e.func_name == "sum"        ? AggKind::kSum
                 : e.func_name == "avg"        ? AggKind::kAvg
                 : e.func_name == "min"        ? AggKind::kMin
                 : e.func_name == "array_agg"  ? AggKind::kArrayAgg
                 : e.func_name == "string_agg" ? AggKind::kStringAgg
                 : e.func_name == "bool_and"   ? AggKind::kBoolAnd
                 : e.func_name == "bool_or"    ? AggKind::kBoolOr
                 : e.func_name == "every"      ? AggKind::kEvery
                                               : AggKind::kMax;
  auto agg = std::make_shared<BoundExpr>();
  agg->kind = BoundExprKind::kAggregate;
  agg->op = static_cast<uint8_t>(kind);
  agg->distinct = e.func_distinct;
  agg->name = e.func_name;
  if (kind == AggKind::kStringAgg) {
    // string_agg(text, text): both arguments text, the delimiter read per row.
    std::vector<ExprRef> args;
    for (auto& a : e.args) args.push_back(BindExpr(*a, scope));
    Type text = Type::Of(TypeId::kText);
    if (args.size() != 2 || AggregateType(kind, args[0]->type).id == TypeId::kUnknown ||
        AggregateType(kind, args[1]->type).id == TypeId::kUnknown)
      throw SqlError::UndefinedFunction(FunctionSignature(e.func_name, args)).WithPosition(e.location + 1);
    if (HasOuterRefs(*args[0]) && !HasColumnRefs(*args[0]))
      throw SqlError::FeatureNotSupported("aggregate functions of outer query columns are not supported")
          .WithPosition(e.location + 1);
    for (auto& a : args) agg->args.push_back(Coerce(a, text, kCastImplicit));
    agg->type = text;
    return agg;
  }
  bool outer_level = false;
  std::vector<size_t> outer_sizes = OuterSizes();
  if (kind != AggKind::kCountStar) {
    if (e.args.size() != 1) {
      std::vector<ExprRef> args;
      for (auto& a : e.args) args.push_back(BindExpr(*a, scope));
      throw SqlError::UndefinedFunction(FunctionSignature(e.func_name, args)).WithPosition(e.location + 1);
    }
    ExprRef arg = BindExpr(*e.args[0], scope);
    // Of enclosing queries' columns only: computed in the nearest of them.
    outer_level = HasOuterRefs(*arg) && !HasColumnRefs(*arg);
    // An untyped literal is text, but boolean for the aggregates that take nothing else.
    bool boolean_only = kind == AggKind::kBoolAnd || kind == AggKind::kBoolOr || kind == AggKind::kEvery;
    if (arg->type.id == TypeId::kUnknown && kind != AggKind::kCount)
      arg = Coerce(arg, Type::Of(boolean_only ? TypeId::kBool : TypeId::kText), kCastImplicit);
    agg->args.push_back(arg);
  }
  agg->type = AggregateType(kind, kind == AggKind::kCountStar ? Type() : agg->args[0]->type);
  if (agg->type.id == TypeId::kUnknown)
    throw SqlError::UndefinedFunction(FunctionSignature(e.func_name, agg->args)).WithPosition(e.location + 1);
  // min/max over varchar compute in text; keep the argument's own type for others.
  if ((kind == AggKind::kMin || kind == AggKind::kMax) && agg->type.id == TypeId::kText)
    agg->args[0] = Coerce(agg->args[0], agg->type, kCastImplicit);
  if (outer_level) return AggregateOfOuterQuery(agg, outer_sizes, e.location);
  return agg;
}

ExprRef Binder::BindSpecialForm(const ast::Expr& e, const Scope& scope, bool* handled) {
  *handled = true;
  const std::string& name = e.func_name;
  std::vector<ExprRef> args;
  if (name == "coalesce" || name == "greatest" || name == "least" || name == "nullif") {
    for (auto& a : e.args) args.push_back(BindExpr(*a, scope));
    if (name == "coalesce") RefuseSetFunctionIn("COALESCE", args);
    if (name == "nullif" && args.size() != 2) throw SqlError::UndefinedFunction(FunctionSignature(name, args));
    Type common;
    std::string upper = name == "coalesce" ? "COALESCE" : name == "greatest" ? "GREATEST" : name == "least" ? "LEAST" : "NULLIF";
    args = CoerceToCommon(std::move(args), upper.c_str(), &common);
    auto out = std::make_shared<BoundExpr>();
    out->kind = name == "coalesce" ? BoundExprKind::kCoalesce
                : name == "greatest" ? BoundExprKind::kGreatest
                : name == "least"    ? BoundExprKind::kLeast
                                     : BoundExprKind::kNullIf;
    out->type = common;
    out->args = std::move(args);
    return out;
  }
  if ((name == "current_user" || name == "session_user" || name == "current_role") && e.args.empty()) {
    // current_user follows SET ROLE; session_user is the role that logged in.
    auto out = std::make_shared<BoundExpr>();
    const std::string& user = name == "session_user" && !session_user_.empty() ? session_user_ : user_;
    out->value = Value::Text(user.empty() ? std::string("tessera") : user);
    out->type = out->value.GetType();
    out->location = e.location;
    return out;
  }
  if (name == "nextval" || name == "currval" || name == "setval" || name == "lastval")
    return BindSequenceFunction(e, scope);
  if (name == "pg_typeof" && e.args.size() == 1) return BindTypeOf(BindExpr(*e.args[0], scope));
  if (IsTableFunctionName(name)) return BindSetFunction(e, scope);
  *handled = false;
  return nullptr;
}

ExprRef Binder::BindFunction(const ast::Expr& e, const Scope& scope) {
  // pg_catalog.f is f: every built-in lives in pg_catalog (pg_dump writes
  // pg_catalog.array_agg, pg_catalog.setval). Aggregates, window functions
  // and the special forms go by their bare name.
  if (e.func_name.rfind("pg_catalog.", 0) == 0) {
    ast::ExprPtr copy = ast::CloneExpr(e);
    copy->func_name = e.func_name.substr(11);
    return BindFunction(*copy, scope);
  }
  if (e.over) return BindWindowFunction(e, scope);
  if (IsWindowFunctionName(e.func_name))
    throw SqlError(sqlstate::kWrongObjectType, "window function " + e.func_name + " requires an OVER clause", {}, {},
                   e.location + 1);
  if (e.subquery && (e.over || !IsAggregateName(e.func_name)))  // agg(x ORDER BY k): build_special_func.cpp
    throw SqlError(e.over ? sqlstate::kFeatureNotSupported : sqlstate::kWrongObjectType,
                   e.over ? "ORDER BY in the arguments of a window function is not supported"
                          : "ORDER BY specified, but " + e.func_name + " is not an aggregate function",
                   {}, {}, e.location + 1);
  if (IsAggregateName(e.func_name)) return BindAggregate(e, scope);
  bool handled = false;
  if (ExprRef special = BindSpecialForm(e, scope, &handled); handled) return special;
  std::vector<ExprRef> args;
  std::vector<Type> types;
  for (auto& a : e.args) {
    args.push_back(BindExpr(*a, scope));
    types.push_back(args.back()->type);
  }
  ResolvedFunction resolved;
  try {
    resolved = ResolveFunction(e.func_name, types);
  } catch (SqlError& err) {
    if (err.Position() == 0) err.WithPosition(e.location + 1);
    throw;
  }
  for (size_t i = 0; i < args.size() && i < resolved.arg_casts.size(); ++i)
    args[i] = Coerce(args[i], resolved.arg_casts[i], kCastImplicit);
  auto out = std::make_shared<BoundExpr>();
  out->kind = BoundExprKind::kFunction;
  out->name = e.func_name;
  out->fn = resolved.overload;
  out->type = resolved.return_type;
  out->args = std::move(args);
  return out;
}

ExprRef Binder::AssignTo(ExprRef e, const catalog::ColumnInfo& column) {
  if (e->type.id != TypeId::kUnknown && e->type.id != column.type.id && !CanAssignCast(e->type.id, column.type.id))
    throw SqlError(sqlstate::kDatatypeMismatch,
                   "column \"" + column.name + "\" is of type " + FormatType(column.type) +
                       " but expression is of type " + FormatType(e->type),
                   {}, "You will need to rewrite or cast the expression.", e->location + 1);
  if (e->IsConstant() && !e->value.IsNull() && e->value.Id() != TypeId::kUnknown)
    return MakeConstantExpr(e->value.CastTo(column.type, {}, false));
  return Coerce(std::move(e), column.type, kCastAssignment);
}

ExprRef Binder::BindDefault(const catalog::ColumnInfo& column) {
  if (column.default_sql.empty()) return MakeConstantExpr(Value::Null(column.type));
  ast::ExprPtr parsed = ParseExpression(column.default_sql);
  // A default names what it named at CREATE: never a temp object the session
  // made since (a temp table's serial default names its sequence with its
  // temp schema, DdlExecutor::CreateTable).
  static const std::string kNoTempSchema;
  TempSchemaScope no_temp_schema(kNoTempSchema);
  Scope empty;
  ExprRef e;
  try {
    e = BindExpr(*parsed, empty, "DEFAULT expressions");
  } catch (const SqlError& err) {
    bool column_ref = err.Sqlstate() == sqlstate::kUndefinedColumn ||
                      err.Message().rfind("missing FROM-clause", 0) == 0;
    if (!column_ref) throw;
    throw SqlError::FeatureNotSupported("cannot use column reference in default expression");
  }
  // CREATE TABLE checks this up front (cookDefault), with its own wording.
  if (e->type.id != TypeId::kUnknown && e->type.id != column.type.id && !CanAssignCast(e->type.id, column.type.id))
    throw SqlError(sqlstate::kDatatypeMismatch,
                   "column \"" + column.name + "\" is of type " + FormatType(column.type) +
                       " but default expression is of type " + FormatType(e->type),
                   {}, "You will need to rewrite or cast the expression.");
  return AssignTo(std::move(e), column);
}

std::string InternalTypeName(TypeId id) {
  switch (id) {
    case TypeId::kBool: return "bool";
    case TypeId::kBytea: return "bytea";
    case TypeId::kInt8: return "int8";
    case TypeId::kInt2: return "int2";
    case TypeId::kInt4: return "int4";
    case TypeId::kText: return "text";
    case TypeId::kOid: return "oid";
    case TypeId::kFloat4: return "float4";
    case TypeId::kFloat8: return "float8";
    case TypeId::kBpchar: return "bpchar";
    case TypeId::kVarchar: return "varchar";
    case TypeId::kDate: return "date";
    case TypeId::kTimestamp: return "timestamp";
    case TypeId::kTimestampTz: return "timestamptz";
    case TypeId::kNumeric: return "numeric";
    case TypeId::kUnknown: return "unknown";
    default: break;
  }
  return "?column?";
}

std::string FigureColumnName(const ast::Expr& e) {
  CheckStackDepth();
  switch (e.kind) {
    case ast::ExprKind::kColumnRef: return e.names.back();
    case ast::ExprKind::kFuncCall: {
      auto dot = e.func_name.rfind('.');
      return dot == std::string::npos ? e.func_name : e.func_name.substr(dot + 1);
    }
    case ast::ExprKind::kCast: {
      std::string inner = FigureColumnName(*e.args[0]);
      if (inner != "?column?") return inner;
      try {
        return InternalTypeName(ResolveTypeName(e.cast_type.name, std::nullopt, std::nullopt).id);
      } catch (const SqlError&) {
        return e.cast_type.name;
      }
    }
    case ast::ExprKind::kCase: return "case";
    case ast::ExprKind::kExists: return "exists";
    case ast::ExprKind::kRow: return "row";
    case ast::ExprKind::kArray:
    case ast::ExprKind::kArraySubquery: return "array";
    case ast::ExprKind::kSubscript: return FigureColumnName(*e.args[0]);
    case ast::ExprKind::kSubquery:
      if (e.subquery && e.subquery->targets.size() == 1 && e.subquery->targets[0].expr) {
        if (!e.subquery->targets[0].alias.empty()) return e.subquery->targets[0].alias;
        return FigureColumnName(*e.subquery->targets[0].expr);
      }
      return "?column?";
    default: return "?column?";
  }
}

namespace {

// A regclass literal's name: unquoted parts fold to lower case, as
// PostgreSQL's regclassin does.
std::pair<std::string, std::string> SequenceName(const std::string& text) {
  std::vector<std::string> parts(1);
  bool quoted = false;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '"') {
      if (quoted && i + 1 < text.size() && text[i + 1] == '"') {
        parts.back() += '"';
        ++i;
      } else {
        quoted = !quoted;
      }
    } else if (c == '.' && !quoted) {
      parts.emplace_back();
    } else {
      parts.back() += (!quoted && c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
    }
  }
  if (parts.size() == 1) return {"", parts[0]};
  return {parts[parts.size() - 2], parts.back()};
}

}  // namespace

// nextval / currval / setval (2 or 3 arguments) / lastval: one kNextVal node,
// op = SequenceOp, name = the sequence ("schema.name", resolved now as a
// regclass constant would be), args = setval's value and is_called.
ExprRef Binder::BindSequenceFunction(const ast::Expr& e, const Scope& scope) {
  const std::string& name = e.func_name;
  auto out = std::make_shared<BoundExpr>();
  out->kind = BoundExprKind::kNextVal;
  out->type = Type::Of(TypeId::kInt8);
  out->location = e.location;
  SequenceOp op = name == "nextval"   ? SequenceOp::kNextVal
                  : name == "currval" ? SequenceOp::kCurrVal
                  : name == "setval"  ? SequenceOp::kSetVal
                                      : SequenceOp::kLastVal;
  out->op = static_cast<uint8_t>(op);
  size_t want = op == SequenceOp::kLastVal ? 0 : op == SequenceOp::kSetVal ? 2 : 1;
  bool count_ok = e.args.size() == want || (op == SequenceOp::kSetVal && e.args.size() == 3);
  if (!count_ok) {
    std::vector<ExprRef> args;
    for (auto& a : e.args) args.push_back(BindExpr(*a, scope));
    throw SqlError::UndefinedFunction(FunctionSignature(name, args)).WithPosition(e.location + 1);
  }
  if (op == SequenceOp::kLastVal) return out;
  const ast::Expr* arg = e.args[0].get();
  if (arg->kind == ast::ExprKind::kCast && arg->cast_type.name == "regclass") arg = arg->args[0].get();
  std::string sequence_text = arg->text;
  if (arg->kind != ast::ExprKind::kConstant) {
    // An expression that folds to a name now: ORMs reset and read a serial
    // column's counter with setval(pg_get_serial_sequence('t', 'id'), ...).
    ExprRef bound = BindExpr(*arg, scope);
    if (!bound->IsConstant() || !(bound->value.IsNull() || IsStringType(bound->value.Id())))
      throw SqlError::FeatureNotSupported(name + "() needs a constant sequence name");
    // The sequence functions are strict: no sequence (a column without one), no value.
    if (bound->value.IsNull()) return MakeConstantExpr(Value::Null(Type::Of(TypeId::kInt8)));
    sequence_text = bound->value.GetString();
  }
  auto [schema, seq] = SequenceName(sequence_text);
  const catalog::SequenceInfo* info = catalog_.FindSequence(schema, seq);
  if (!info) {
    if (const catalog::TableInfo* table = catalog_.FindTable(schema, seq))
      throw SqlError(sqlstate::kWrongObjectType, "\"" + table->name + "\" is not a sequence");
    throw SqlError::UndefinedTable(schema.empty() ? seq : schema + "." + seq).WithPosition(arg->location + 1);
  }
  out->name = info->schema + "." + info->name;
  if (op == SequenceOp::kSetVal) {
    out->args.push_back(Coerce(BindExpr(*e.args[1], scope), Type::Of(TypeId::kInt8), kCastImplicit));
    if (e.args.size() == 3) out->args.push_back(CoerceToBool(BindExpr(*e.args[2], scope), "setval", e.location));
  }
  return out;
}

}  // namespace tessera::planner
