// CREATE VIEW and DROP VIEW.
#include "parser/ast_builder.h"

namespace tessera {

ast::StatementPtr AstBuilder::BuildCreateView(TP::CreateViewStmtContext* ctx) {
  auto stmt = std::make_unique<ast::CreateViewStmt>();
  stmt->or_replace = ctx->REPLACE() != nullptr;
  stmt->temporary = ctx->TEMP() != nullptr || ctx->TEMPORARY() != nullptr;
  stmt->recursive = ctx->RECURSIVE() != nullptr;
  stmt->materialized = ctx->MATERIALIZED() != nullptr;
  stmt->check_option = ctx->OPTION() != nullptr;
  stmt->if_not_exists = ctx->IF() != nullptr;
  stmt->with_options = ctx->withOptions() != nullptr;
  stmt->view = QualifiedName(ctx->qualifiedName());
  if (auto* columns = ctx->identifierList()) stmt->column_names = IdentifierList(columns);
  stmt->query = BuildSelect(ctx->selectStmt());
  stmt->query_text = SourceText(ctx->selectStmt());
  stmt->query_start = static_cast<int>(ctx->selectStmt()->getStart()->getStartIndex());
  return stmt;
}

ast::StatementPtr AstBuilder::BuildDropView(TP::DropViewStmtContext* ctx) {
  auto stmt = std::make_unique<ast::DropViewStmt>();
  for (auto* name : ctx->qualifiedName()) stmt->views.push_back(QualifiedName(name));
  stmt->if_exists = ctx->IF() != nullptr;
  stmt->cascade = ctx->CASCADE() != nullptr;
  stmt->materialized = ctx->MATERIALIZED() != nullptr;
  return stmt;
}

}  // namespace tessera
