// DROP TABLE, CREATE/DROP INDEX, ALTER TABLE, TRUNCATE.
#include "parser/ast_builder.h"

namespace tessera {

ast::StatementPtr AstBuilder::BuildDropTable(TP::DropTableStmtContext* ctx) {
  auto stmt = std::make_unique<ast::DropTableStmt>();
  for (auto* name : ctx->qualifiedName()) stmt->tables.push_back(QualifiedName(name));
  stmt->if_exists = ctx->IF() != nullptr;
  stmt->cascade = ctx->CASCADE() != nullptr;
  return stmt;
}

ast::StatementPtr AstBuilder::BuildCreateIndex(TP::CreateIndexStmtContext* ctx) {
  auto stmt = std::make_unique<ast::CreateIndexStmt>();
  stmt->unique = ctx->UNIQUE() != nullptr;
  stmt->if_not_exists = ctx->IF() != nullptr;
  stmt->table = QualifiedName(ctx->qualifiedName());
  // identifier(0) is the index name when it comes before ON, else the method.
  for (auto* id : ctx->identifier()) {
    if (id->getStart()->getTokenIndex() < ctx->ON()->getSymbol()->getTokenIndex()) {
      stmt->name = Identifier(id);
    } else {
      stmt->method = Identifier(id);
    }
  }
  for (auto* elem : ctx->indexElem()) {
    stmt->columns.push_back(ast::IndexColumn{Identifier(elem->identifier()), elem->DESC() != nullptr});
  }
  return stmt;
}

ast::StatementPtr AstBuilder::BuildDropIndex(TP::DropIndexStmtContext* ctx) {
  auto stmt = std::make_unique<ast::DropIndexStmt>();
  for (auto* name : ctx->qualifiedName()) stmt->indexes.push_back(QualifiedName(name));
  stmt->if_exists = ctx->IF() != nullptr;
  return stmt;
}

ast::StatementPtr AstBuilder::BuildAlterTable(TP::AlterTableStmtContext* ctx) {
  auto stmt = std::make_unique<ast::AlterTableStmt>();
  stmt->table = QualifiedName(ctx->qualifiedName());
  stmt->if_exists = ctx->IF() != nullptr;
  auto* action = ctx->alterAction();
  if (auto* a = dynamic_cast<TP::AlterAddConstraintContext*>(action)) {
    stmt->action = ast::AlterTableAction::kAddConstraint;
    stmt->constraint = std::make_unique<ast::TableConstraint>(BuildTableConstraint(a->tableConstraint()));
  } else if (auto* a = dynamic_cast<TP::AlterAddColumnContext*>(action)) {
    stmt->action = ast::AlterTableAction::kAddColumn;
    stmt->column = std::make_unique<ast::ColumnDef>(BuildColumnDef(a->columnDef()));
  } else if (auto* a = dynamic_cast<TP::AlterDropConstraintContext*>(action)) {
    stmt->action = ast::AlterTableAction::kDropConstraint;
    stmt->old_name = Identifier(a->identifier());
    stmt->missing_ok = a->IF() != nullptr;
    stmt->cascade = a->CASCADE() != nullptr;
  } else if (auto* a = dynamic_cast<TP::AlterDropColumnContext*>(action)) {
    stmt->action = ast::AlterTableAction::kDropColumn;
    stmt->old_name = Identifier(a->identifier());
  } else if (auto* a = dynamic_cast<TP::AlterRenameTableContext*>(action)) {
    stmt->action = ast::AlterTableAction::kRenameTable;
    stmt->new_name = Identifier(a->identifier());
  } else if (auto* a = dynamic_cast<TP::AlterSetDefaultContext*>(action)) {
    stmt->action = ast::AlterTableAction::kSetDefault;
    stmt->old_name = Identifier(a->identifier());
    stmt->default_text = SourceText(a->bExpr());
  } else if (auto* a = dynamic_cast<TP::AlterDropDefaultContext*>(action)) {
    stmt->action = ast::AlterTableAction::kDropDefault;
    stmt->old_name = Identifier(a->identifier());
  } else {
    auto* r = static_cast<TP::AlterRenameColumnContext*>(action);
    stmt->action = ast::AlterTableAction::kRenameColumn;
    stmt->old_name = Identifier(r->identifier(0));
    stmt->new_name = Identifier(r->identifier(1));
  }
  return stmt;
}

ast::StatementPtr AstBuilder::BuildTruncate(TP::TruncateStmtContext* ctx) {
  auto stmt = std::make_unique<ast::TruncateStmt>();
  for (auto* name : ctx->qualifiedName()) stmt->tables.push_back(QualifiedName(name));
  stmt->cascade = ctx->CASCADE() != nullptr;
  return stmt;
}

}  // namespace tessera
