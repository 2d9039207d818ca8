// Array syntax: subscripts x[i] and slices x[lo:hi], and the quantified
// comparisons x op ANY|SOME|ALL (array) and (subquery). Of the subquery forms
// only those IN and NOT IN mean (= ANY, <> ALL) are supported.
#include "common/error.h"
#include "parser/ast_builder.h"

namespace tessera {

namespace {

ast::ExprPtr MakeExpr(ast::ExprKind kind, int location) { return std::make_unique<ast::Expr>(kind, location); }

}  // namespace

ast::ExprPtr AstBuilder::BuildCompareAny(TP::CompareAnyContext* ctx) {
  auto* op_token = ctx->compareOp()->getStart();
  std::string op = op_token->getText();
  if (op == "!=") op = "<>";
  bool all = ctx->ALL() != nullptr;
  ast::ExprPtr left = BuildExpr(ctx->expr(0));
  if (ctx->selectStmt() != nullptr) {
    // x = ANY (subquery) is x IN (subquery); x <> ALL (subquery) is NOT IN.
    if ((op == "=" && !all) || (op == "<>" && all)) {
      auto e = MakeExpr(ast::ExprKind::kInSubquery, Loc(op_token));
      e->negated = all;
      e->args.push_back(std::move(left));
      e->subquery = BuildSelect(ctx->selectStmt());
      return e;
    }
    throw SqlError::FeatureNotSupported("only = ANY and <> ALL are supported with a subquery");
  }
  auto e = MakeExpr(ast::ExprKind::kAnyAll, Loc(op_token));
  e->op = std::move(op);
  e->quantifier_all = all;
  e->args.push_back(std::move(left));
  e->args.push_back(BuildExpr(ctx->expr(1)));
  return e;
}

ast::ExprPtr AstBuilder::BuildSubscript(TP::SubscriptContext* ctx) {
  auto e = MakeExpr(ast::ExprKind::kSubscript, Loc(ctx->OPEN_BRACKET()->getSymbol()));
  e->args.push_back(BuildBExpr(ctx->bExpr()));
  e->slice = ctx->COLON() != nullptr;
  // The bounds are the exprs on each side of the colon, in order.
  ast::ExprPtr lower, upper;
  for (auto* bound : ctx->expr()) {
    bool before_colon = !e->slice || bound->getStop()->getTokenIndex() < ctx->COLON()->getSymbol()->getTokenIndex();
    (before_colon ? lower : upper) = BuildExpr(bound);
  }
  e->args.push_back(std::move(lower));
  if (e->slice) e->args.push_back(std::move(upper));
  return e;
}

}  // namespace tessera
