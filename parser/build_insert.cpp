// INSERT INTO t [AS a] [(cols)] {VALUES ... | SELECT ... | DEFAULT VALUES}
// [ON CONFLICT ... DO NOTHING | DO UPDATE SET ... [WHERE ...]] [RETURNING ...].
#include "common/error.h"
#include "parser/ast_builder.h"

namespace tessera {

ast::StatementPtr AstBuilder::BuildInsert(TP::InsertStmtContext* ctx) {
  auto stmt = std::make_unique<ast::InsertStmt>();
  stmt->with = BuildWith(ctx->withClause());
  stmt->table = QualifiedName(ctx->qualifiedName());
  if (ctx->identifier() != nullptr) stmt->alias = Identifier(ctx->identifier());
  stmt->columns = IdentifierList(ctx->identifierList());
  if (ctx->selectStmt() != nullptr) {
    stmt->source = BuildSelect(ctx->selectStmt());
  } else {
    stmt->default_values = true;
  }
  if (auto* conflict = ctx->onConflict()) {
    stmt->conflict_location = Loc(conflict);
    if (auto* columns = conflict->identifierList()) {
      stmt->conflict_columns = IdentifierList(columns);
      stmt->conflict_columns_location = Loc(conflict->OPEN_PAREN()->getSymbol());
    }
    if (conflict->CONSTRAINT() != nullptr) stmt->conflict_constraint = Identifier(conflict->identifier());
    if (conflict->NOTHING() != nullptr) {
      stmt->on_conflict_do_nothing = true;
    } else {
      stmt->on_conflict_do_update = true;
      for (auto* clause : conflict->setClause()) BuildSetClause(clause, stmt->conflict_set);
      if (conflict->whereClause() != nullptr) stmt->conflict_where = BuildExpr(conflict->whereClause()->expr());
    }
  }
  if (ctx->returningClause() != nullptr) stmt->returning = BuildTargetList(ctx->returningClause()->targetList());
  return stmt;
}

}  // namespace tessera
