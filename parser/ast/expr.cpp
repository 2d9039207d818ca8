// Constructors and deep copies of parsed expressions.
#include "parser/ast/expr.h"

#include "common/stack_depth.h"
#include "parser/ast/select_stmt.h"

namespace tessera::ast {

// Out of line: SelectStmt (held by `subquery`) is incomplete in expr.h.
// Iterative: a 200,000-term `1+1+...` is a tree that deep, and freeing it
// recursively could overflow the stack even after the statement was refused.
Expr::~Expr() {
  std::vector<ExprPtr> pending;
  auto take_children = [&pending](Expr& e) {
    for (ExprPtr& arg : e.args) {
      if (arg) pending.push_back(std::move(arg));
    }
    if (e.case_else) pending.push_back(std::move(e.case_else));
  };
  take_children(*this);
  while (!pending.empty()) {
    ExprPtr next = std::move(pending.back());
    pending.pop_back();
    take_children(*next);
  }  // `next` is freed childless each round
}

ExprPtr MakeConstant(ConstantKind kind, std::string text, int location) {
  auto e = std::make_unique<Expr>(ExprKind::kConstant, location);
  e->constant_kind = kind;
  e->text = std::move(text);
  return e;
}

ExprPtr MakeColumnRef(std::vector<std::string> names, int location) {
  auto e = std::make_unique<Expr>(ExprKind::kColumnRef, location);
  e->names = std::move(names);
  return e;
}

ExprPtr MakeBinary(std::string op, ExprPtr left, ExprPtr right, int location) {
  auto e = std::make_unique<Expr>(ExprKind::kBinary, location);
  e->op = std::move(op);
  e->args.reserve(2);
  e->args.push_back(std::move(left));
  e->args.push_back(std::move(right));
  return e;
}

ExprPtr MakeUnary(std::string op, ExprPtr operand, int location) {
  auto e = std::make_unique<Expr>(ExprKind::kUnary, location);
  e->op = std::move(op);
  e->args.push_back(std::move(operand));
  return e;
}

ExprPtr MakeFuncCall(std::string name, std::vector<ExprPtr> args, int location) {
  auto e = std::make_unique<Expr>(ExprKind::kFuncCall, location);
  e->func_name = std::move(name);
  e->args = std::move(args);
  return e;
}

ExprPtr MakeCast(ExprPtr operand, TypeName type, int location) {
  auto e = std::make_unique<Expr>(ExprKind::kCast, location);
  e->args.push_back(std::move(operand));
  e->cast_type = std::move(type);
  return e;
}

ExprPtr CloneExpr(const Expr& e) {
  CheckStackDepth();
  auto copy = std::make_unique<Expr>(e.kind, e.location);
  copy->constant_kind = e.constant_kind;
  copy->text = e.text;
  copy->names = e.names;
  copy->param_number = e.param_number;
  copy->op = e.op;
  copy->func_name = e.func_name;
  copy->func_star = e.func_star;
  copy->slice = e.slice;
  copy->quantifier_all = e.quantifier_all;
  copy->func_distinct = e.func_distinct;
  copy->over = e.over;
  copy->args.reserve(e.args.size());
  // CASE without an operand keeps a null first argument.
  for (const auto& arg : e.args) copy->args.push_back(arg ? CloneExpr(*arg) : nullptr);
  if (e.case_else) copy->case_else = CloneExpr(*e.case_else);
  copy->cast_type = e.cast_type;
  copy->negated = e.negated;
  copy->bool_test = e.bool_test;
  copy->between_symmetric = e.between_symmetric;
  if (e.subquery) copy->subquery = CloneSelect(*e.subquery);
  return copy;
}

}  // namespace tessera::ast
