// PREPARE, EXECUTE and DEALLOCATE: the SQL forms of the extended protocol's
// Parse, Bind/Execute and Close.
#include "parser/ast_builder.h"

namespace tessera {

ast::StatementPtr AstBuilder::BuildPrepare(TP::PrepareStmtContext* ctx) {
  auto stmt = std::make_unique<ast::PrepareStmt>();
  stmt->name = Identifier(ctx->identifier());
  for (auto* type : ctx->typeName()) stmt->param_types.push_back(BuildTypeName(type));
  antlr4::ParserRuleContext* query = ctx->selectStmt();
  if (query == nullptr) query = ctx->insertStmt();
  if (query == nullptr) query = ctx->updateStmt();
  if (query == nullptr) query = ctx->deleteStmt();
  stmt->query = SourceText(query);
  return stmt;
}

ast::StatementPtr AstBuilder::BuildExecute(TP::ExecuteStmtContext* ctx) {
  auto stmt = std::make_unique<ast::ExecuteStmt>();
  stmt->name = Identifier(ctx->identifier());
  stmt->arg_count = ctx->expr().size();
  if (stmt->arg_count == 0) return stmt;
  stmt->args = std::make_unique<ast::SelectStmt>();
  for (auto* arg : ctx->expr()) stmt->args->targets.push_back({BuildExpr(arg), ""});
  return stmt;
}

ast::StatementPtr AstBuilder::BuildDeallocate(TP::DeallocateStmtContext* ctx) {
  auto stmt = std::make_unique<ast::DeallocateStmt>();
  stmt->all = ctx->ALL() != nullptr;
  if (!stmt->all) stmt->name = Identifier(ctx->identifier());
  return stmt;
}

}  // namespace tessera
