// INSERT INTO t [AS a] [(cols)] {VALUES ... | SELECT ... | DEFAULT VALUES}
// [ON CONFLICT ... DO NOTHING] [RETURNING ...].
#include "common/error.h"
#include "parser/ast_builder.h"

namespace tessera {

ast::StatementPtr AstBuilder::BuildInsert(TP::InsertStmtContext* ctx) {
  auto stmt = std::make_unique<ast::InsertStmt>();
  stmt->table = QualifiedName(ctx->qualifiedName());
  if (ctx->identifier() != nullptr) stmt->alias = Identifier(ctx->identifier());
  stmt->columns = IdentifierList(ctx->identifierList());
  if (ctx->selectStmt() != nullptr) {
    stmt->source = BuildSelect(ctx->selectStmt());
  } else {
    stmt->default_values = true;
  }
  if (auto* conflict = ctx->onConflict()) {
    if (conflict->NOTHING() == nullptr) {
      throw SqlError(sqlstate::kFeatureNotSupported, "ON CONFLICT DO UPDATE is not supported", {}, {},
                     Loc(conflict) + 1);
    }
    stmt->on_conflict_do_nothing = true;
  }
  if (ctx->returningClause() != nullptr) stmt->returning = BuildTargetList(ctx->returningClause()->targetList());
  return stmt;
}

}  // namespace tessera
