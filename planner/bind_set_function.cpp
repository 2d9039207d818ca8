// Set-returning functions called in an expression: generate_series, unnest
// and generate_subscripts in a select list or ORDER BY, as PostgreSQL 10+
// runs them (its ProjectSet). The binder makes a kSetFunction marker where
// they are allowed and refuses them elsewhere with PostgreSQL's 0A000 (its
// check_srf_call_placement); bind_project_set.cpp plans the markers.
#include "common/error.h"
#include "common/stack_depth.h"
#include "common/value_ops.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

namespace {

const char* kLateralHint = "You might be able to move the set-returning function into a LATERAL FROM item.";

std::string BareName(const std::string& name) { return name.rfind("pg_catalog.", 0) == 0 ? name.substr(11) : name; }

// The last set-returning call in `e` (PostgreSQL reports the last one bound).
const BoundExpr* LastSetFunction(const BoundExpr& e) {
  CheckStackDepth();
  const BoundExpr* found = nullptr;
  for (auto& a : e.args)
    if (const BoundExpr* f = LastSetFunction(*a)) found = f;
  if (e.kind == BoundExprKind::kSetFunction) found = &e;
  return found;
}

// PostgreSQL's name of a context in which set-returning functions are not
// allowed, from the binder's context (the one aggregates' 42803 uses).
std::string ContextName(const char* context) {
  std::string c = context ? context : "";
  if (c == "JOIN/ON") return "JOIN conditions";
  if (c == "CHECK") return "check constraints";
  return c;
}

ExprRef MakeCall(const std::string& name, std::vector<ExprRef> args, Type type, int location) {
  auto call = std::make_shared<BoundExpr>();
  call->kind = BoundExprKind::kSetFunction;
  call->name = name;
  call->type = type;
  call->args = std::move(args);
  call->location = location;
  return call;
}

}  // namespace

ExprRef MakeSetFunction(Binder& binder, const std::string& name, std::vector<ExprRef> args, int location) {
  if (name == "generate_series") {
    std::vector<Type> types;
    for (auto& a : args) types.push_back(a->type);
    if (args.size() < 2 || args.size() > 3)
      throw SqlError(sqlstate::kUndefinedFunction, "function generate_series() does not exist");
    Type common = CommonType(types, "generate_series");
    if (common.id == TypeId::kUnknown || common.id == TypeId::kInt2) common = Type::Of(TypeId::kInt4);
    if (!IsIntegerType(common.id) && common.id != TypeId::kNumeric)
      throw SqlError::UndefinedFunction("generate_series(" + FormatType(common) + ", " + FormatType(common) + ")")
          .WithPosition(location + 1);
    for (auto& a : args) a = binder.Coerce(a, common, kCastImplicit);
    return MakeCall(name, std::move(args), common, location);
  }
  // unnest(array) and generate_subscripts(array, dim [, reverse]).
  const bool unnest = name == "unnest";
  if (unnest && args.size() > 1)
    throw SqlError::FeatureNotSupported("unnest() of more than one array is not supported");
  size_t wanted_min = unnest ? 1 : 2, wanted_max = unnest ? 1 : 3;
  if (args.size() < wanted_min || args.size() > wanted_max || args[0]->type.id == TypeId::kUnknown ||
      !IsArrayType(args[0]->type.id))
    throw SqlError::UndefinedFunction(FunctionSignature(name, args)).WithPosition(location + 1);
  if (!unnest) {
    args[1] = binder.Coerce(args[1], Type::Of(TypeId::kInt4), kCastImplicit);
    if (args.size() > 2) args[2] = binder.Coerce(args[2], Type::Of(TypeId::kBool), kCastImplicit);
  }
  Type type = unnest ? ElementTypeOf(args[0]->type) : Type::Of(TypeId::kInt4);
  return MakeCall(name, std::move(args), type, location);
}

ExprRef Binder::BindSetFunction(const ast::Expr& e, const Scope& scope) {
  const int position = e.location + 1;
  const std::string name = BareName(e.func_name);
  if (inside_aggregate_)
    throw SqlError(sqlstate::kFeatureNotSupported,
                   "aggregate function calls cannot contain set-returning function calls", {}, kLateralHint, position);
  if (inside_window_args_)
    throw SqlError(sqlstate::kFeatureNotSupported, "window function calls cannot contain set-returning function calls",
                   {}, kLateralHint, position);
  // PARTITION BY and ORDER BY of a window may hold them (they run below the
  // WindowAgg, bind_window_plan.cpp); a frame's offsets, bound with them
  // disallowed, may not.
  if (inside_window_def_ && !allow_set_functions_)
    throw SqlError(sqlstate::kFeatureNotSupported, "set-returning functions are not allowed in window definitions", {},
                   {}, position);
  if (!allow_set_functions_) {
    std::string where = ContextName(aggregate_context_);
    if (where == "functions in FROM")
      throw SqlError(sqlstate::kFeatureNotSupported, "set-returning functions must appear at top level of FROM", {}, {},
                     position);
    if (where.empty())
      throw SqlError(sqlstate::kFeatureNotSupported, "set-returning functions are not supported in this context", {},
                     {}, position);
    throw SqlError(sqlstate::kFeatureNotSupported, "set-returning functions are not allowed in " + where, {}, {},
                   position);
  }
  if (name == "pg_partition_ancestors")
    throw SqlError(sqlstate::kFeatureNotSupported, "pg_partition_ancestors() is supported only in FROM", {}, {},
                   position);
  std::vector<ExprRef> args;
  for (auto& a : e.args) args.push_back(BindExpr(*a, scope));
  // unnest of several arrays exists only in FROM (PostgreSQL expands it there).
  if (name == "unnest" && args.size() > 1)
    throw SqlError::UndefinedFunction(FunctionSignature(name, args)).WithPosition(position);
  return MakeSetFunction(*this, name, std::move(args), e.location);
}

ExprRef Binder::BindAllowingSetFunctions(const ast::Expr& e, const Scope& scope, const char* context) {
  bool saved = allow_set_functions_;
  allow_set_functions_ = true;
  try {
    ExprRef out = BindExpr(e, scope, context);
    allow_set_functions_ = saved;
    return out;
  } catch (...) {
    allow_set_functions_ = saved;
    throw;
  }
}

void Binder::RefuseSetFunctionIn(const char* construct, const std::vector<ExprRef>& args) {
  for (auto it = args.rbegin(); it != args.rend(); ++it)
    if (const BoundExpr* f = LastSetFunction(**it))
      throw SqlError(sqlstate::kFeatureNotSupported,
                     std::string("set-returning functions are not allowed in ") + construct, {}, kLateralHint,
                     f->location + 1);
}

}  // namespace tessera::planner
