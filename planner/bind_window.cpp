// Window function calls: f(...) OVER (...) bound into a kWindow expression
// (bound_window.h). Where they may appear is PostgreSQL's rule: a select
// list or ORDER BY (42P20 elsewhere), not inside an aggregate's arguments
// (42803) or another window function (42P20).
#include "common/error.h"
#include "common/value_ops.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

namespace {

struct WindowFunctionInfo {
  const char* name;
  WindowFuncKind kind;
};

constexpr WindowFunctionInfo kWindowFunctions[] = {
    {"row_number", WindowFuncKind::kRowNumber},
    {"rank", WindowFuncKind::kRank},
    {"dense_rank", WindowFuncKind::kDenseRank},
    {"percent_rank", WindowFuncKind::kPercentRank},
    {"cume_dist", WindowFuncKind::kCumeDist},
    {"ntile", WindowFuncKind::kNtile},
    {"lag", WindowFuncKind::kLag},
    {"lead", WindowFuncKind::kLead},
    {"first_value", WindowFuncKind::kFirstValue},
    {"last_value", WindowFuncKind::kLastValue},
    {"nth_value", WindowFuncKind::kNthValue},
};

const WindowFunctionInfo* FindWindowFunction(const std::string& name) {
  for (auto& f : kWindowFunctions)
    if (name == f.name) return &f;
  return nullptr;
}

}  // namespace

bool IsWindowFunctionName(const std::string& name) { return FindWindowFunction(name) != nullptr; }

ExprRef Binder::BindWindowFunction(const ast::Expr& e, const Scope& scope) {
  int position = e.location + 1;
  if (inside_aggregate_)
    throw SqlError(sqlstate::kGroupingError, "aggregate function calls cannot contain window function calls", {}, {},
                   position);
  if (inside_window_args_)
    throw SqlError(sqlstate::kWindowingError, "window function calls cannot be nested", {}, {}, position);
  if (inside_window_def_)
    throw SqlError(sqlstate::kWindowingError, "window functions are not allowed in window definitions", {}, {},
                   position);
  if (!allow_windows_) {
    std::string where = aggregate_context_ ? aggregate_context_ : "this context";
    throw SqlError(sqlstate::kWindowingError, "window functions are not allowed in " + where, {}, {}, position);
  }
  if (!IsAggregateName(e.func_name) && !IsWindowFunctionName(e.func_name))
    throw SqlError(sqlstate::kWrongObjectType,
                   "OVER specified, but " + e.func_name + " is not a window function nor an aggregate function", {}, {},
                   position);
  if (e.func_distinct)
    throw SqlError(sqlstate::kFeatureNotSupported, "DISTINCT is not implemented for window functions", {}, {},
                   position);
  auto call = std::make_shared<BoundExpr>();
  call->kind = BoundExprKind::kWindow;
  call->name = e.func_name;
  call->location = e.location;
  auto window = std::make_shared<BoundWindow>();
  inside_window_args_ = true;
  BindWindowArgs(e, scope, call.get(), window.get());
  inside_window_args_ = false;
  window->num_args = static_cast<int>(call->args.size());
  call->op = static_cast<uint8_t>(window->func);
  inside_window_def_ = true;
  BindWindowSpec(*e.over, scope, call.get(), window.get());
  inside_window_def_ = false;
  call->window = window;
  return call;
}

void Binder::BindWindowArgs(const ast::Expr& e, const Scope& scope, BoundExpr* call, BoundWindow* window) {
  if (e.func_name == "string_agg")
    throw SqlError::FeatureNotSupported("string_agg() as a window function is not supported");
  if (IsAggregateName(e.func_name)) {
    ExprRef agg = BindAggregateCall(e, scope);
    window->func = WindowFuncKind::kAggregate;
    window->agg = static_cast<AggKind>(agg->op);
    call->args = agg->args;
    call->type = agg->type;
    return;
  }
  window->func = FindWindowFunction(e.func_name)->kind;
  std::vector<ExprRef> args;
  for (auto& a : e.args) args.push_back(BindExpr(*a, scope));
  auto missing = [&]() {
    return SqlError::UndefinedFunction(FunctionSignature(e.func_name, args)).WithPosition(e.location + 1);
  };
  if (e.func_star)
    throw SqlError(sqlstate::kWrongObjectType,
                   e.func_name + "(*) specified, but " + e.func_name + " is not an aggregate function", {}, {},
                   e.location + 1);
  // An argument that must be an integer: int4, or a type implicitly cast to it.
  auto int4 = [&](size_t i) {
    TypeId id = args[i]->type.id;
    if (id != TypeId::kUnknown && id != TypeId::kInt4 && !CanImplicitCast(id, TypeId::kInt4)) throw missing();
    args[i] = Coerce(args[i], Type::Of(TypeId::kInt4), kCastImplicit);
  };
  auto value = [&]() {
    if (args[0]->type.id == TypeId::kUnknown) args[0] = Coerce(args[0], Type::Of(TypeId::kText), kCastImplicit);
    call->type = args[0]->type;
  };
  switch (window->func) {
    case WindowFuncKind::kRowNumber:
    case WindowFuncKind::kRank:
    case WindowFuncKind::kDenseRank:
      if (!args.empty()) throw missing();
      call->type = Type::Of(TypeId::kInt8);
      break;
    case WindowFuncKind::kPercentRank:
    case WindowFuncKind::kCumeDist:
      if (!args.empty()) throw missing();
      call->type = Type::Of(TypeId::kFloat8);
      break;
    case WindowFuncKind::kNtile:
      if (args.size() != 1) throw missing();
      int4(0);
      call->type = Type::Of(TypeId::kInt4);
      break;
    case WindowFuncKind::kLag:
    case WindowFuncKind::kLead:
      if (args.empty() || args.size() > 3) throw missing();
      if (args.size() >= 2) int4(1);
      if (args.size() == 3) {
        // lag(anycompatible, integer, anycompatible): the value and the default share a type.
        Type common;
        std::vector<ExprRef> pair = CoerceToCommon({args[0], args[2]}, e.func_name.c_str(), &common);
        args[0] = pair[0];
        args[2] = pair[1];
      }
      value();
      break;
    case WindowFuncKind::kFirstValue:
    case WindowFuncKind::kLastValue:
      if (args.size() != 1) throw missing();
      value();
      break;
    case WindowFuncKind::kNthValue:
      if (args.size() != 2) throw missing();
      int4(1);
      value();
      break;
    case WindowFuncKind::kAggregate:
      break;
  }
  call->args = std::move(args);
}

}  // namespace tessera::planner
