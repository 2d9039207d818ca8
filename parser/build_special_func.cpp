// Function calls, and SQL's function-like special forms mapped to the plain
// calls PostgreSQL's gram.y turns them into (TRIM -> btrim/ltrim/rtrim,
// POSITION(a IN b) -> position(b, a), CURRENT_DATE -> current_date(), ...).
#include "common/error.h"
#include "parser/ast_builder.h"

namespace tessera {

ast::ExprPtr AstBuilder::BuildFuncApplication(TP::FuncApplicationContext* ctx) {
  auto* name_ctx = ctx->funcName();
  std::string name = FuncIdent(name_ctx->funcIdent());
  if (name_ctx->colLabel() != nullptr) name += "." + ColLabel(name_ctx->colLabel());
  auto e = ast::MakeFuncCall(std::move(name), BuildExprList(ctx->exprList()), Loc(ctx));
  if (ctx->ORDER() != nullptr) {
    // agg(x ORDER BY k, ...): a function call has no subquery, so its
    // `subquery` carries the ORDER BY (a SelectStmt holding only order_by,
    // as PostgreSQL's FuncCall holds agg_order); Binder::RecordAggregateOrder
    // reads it.
    auto order = std::make_unique<ast::SelectStmt>();
    order->order_by = BuildOrderItems(ctx->orderItem());
    e->subquery = std::move(order);
  }
  e->func_star = ctx->STAR() != nullptr;
  e->func_distinct = ctx->DISTINCT() != nullptr;
  return e;
}

namespace {

std::vector<ast::ExprPtr> Args(ast::ExprPtr a, ast::ExprPtr b = nullptr, ast::ExprPtr c = nullptr) {
  std::vector<ast::ExprPtr> args;
  args.push_back(std::move(a));
  if (b) args.push_back(std::move(b));
  if (c) args.push_back(std::move(c));
  return args;
}

std::string SqlValueFuncName(size_t token_type) {
  switch (token_type) {
    case TP::CURRENT_DATE: return "current_date";
    case TP::CURRENT_TIMESTAMP: return "current_timestamp";
    case TP::CURRENT_TIME: return "current_time";
    case TP::LOCALTIMESTAMP: return "localtimestamp";
    case TP::LOCALTIME: return "localtime";
    case TP::SESSION_USER: return "session_user";
    default: return "current_user";  // CURRENT_USER and USER
  }
}

}  // namespace

ast::ExprPtr AstBuilder::BuildSpecialFunc(TP::SpecialFuncContext* ctx) {
  int loc = Loc(ctx);
  if (auto* c = dynamic_cast<TP::SqlValueFuncContext*>(ctx)) {
    std::vector<ast::ExprPtr> args;
    if (c->INTEGER() != nullptr) {
      args.push_back(ast::MakeConstant(ast::ConstantKind::kInteger, c->INTEGER()->getText(), Loc(c->INTEGER()->getSymbol())));
    }
    return ast::MakeFuncCall(SqlValueFuncName(c->getStart()->getType()), std::move(args), loc);
  }
  if (auto* c = dynamic_cast<TP::CoalesceFuncContext*>(ctx)) {
    return ast::MakeFuncCall("coalesce", BuildExprList(c->exprList()), loc);
  }
  if (auto* c = dynamic_cast<TP::NullifFuncContext*>(ctx)) {
    return ast::MakeFuncCall("nullif", Args(BuildExpr(c->expr(0)), BuildExpr(c->expr(1))), loc);
  }
  if (auto* c = dynamic_cast<TP::MinMaxFuncContext*>(ctx)) {
    return ast::MakeFuncCall(c->GREATEST() != nullptr ? "greatest" : "least", BuildExprList(c->exprList()), loc);
  }
  if (auto* c = dynamic_cast<TP::SubstringFromFuncContext*>(ctx)) {
    auto args = Args(BuildExpr(c->expr(0)), BuildExpr(c->expr(1)), c->FOR() ? BuildExpr(c->expr(2)) : nullptr);
    return ast::MakeFuncCall("substring", std::move(args), loc);
  }
  if (auto* c = dynamic_cast<TP::SubstringForFuncContext*>(ctx)) {
    // SUBSTRING(x FOR n [FROM s]) is substring(x, s, n), s defaulting to 1.
    ast::ExprPtr start = c->FROM() != nullptr ? BuildExpr(c->expr(2))
                                              : ast::MakeConstant(ast::ConstantKind::kInteger, "1", loc);
    return ast::MakeFuncCall("substring", Args(BuildExpr(c->expr(0)), std::move(start), BuildExpr(c->expr(1))), loc);
  }
  if (auto* c = dynamic_cast<TP::SubstringListFuncContext*>(ctx)) {
    return ast::MakeFuncCall("substring", BuildExprList(c->exprList()), loc);
  }
  if (auto* c = dynamic_cast<TP::PositionFuncContext*>(ctx)) {
    return ast::MakeFuncCall("position", Args(BuildBExpr(c->bExpr(1)), BuildBExpr(c->bExpr(0))), loc);
  }
  if (auto* c = dynamic_cast<TP::ExtractFuncContext*>(ctx)) {
    auto* label = c->colLabel();
    auto field = ast::MakeConstant(ast::ConstantKind::kString, ColLabel(label), Loc(label));
    return ast::MakeFuncCall("extract", Args(std::move(field), BuildExpr(c->expr())), loc);
  }
  auto* c = static_cast<TP::TrimFuncContext*>(ctx);
  std::string name = "btrim";
  if (c->LEADING() != nullptr) name = "ltrim";
  if (c->TRAILING() != nullptr) name = "rtrim";
  // TRIM(chars FROM s) is btrim(s, chars); TRIM(FROM s) and TRIM(s, chars) keep their order.
  std::vector<ast::ExprPtr> args;
  auto* trim_args = c->trimArgs();
  if (auto* t = dynamic_cast<TP::TrimCharsFromContext*>(trim_args)) {
    args = BuildExprList(t->exprList());
    args.push_back(BuildExpr(t->expr()));
  } else if (auto* t = dynamic_cast<TP::TrimFromContext*>(trim_args)) {
    args = BuildExprList(t->exprList());
  } else {
    args = BuildExprList(static_cast<TP::TrimListContext*>(trim_args)->exprList());
  }
  return ast::MakeFuncCall(std::move(name), std::move(args), loc);
}

}  // namespace tessera
