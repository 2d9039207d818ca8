// DELETE FROM t [[AS] a] [USING ...] [WHERE ...] [RETURNING ...].
#include "common/error.h"
#include "parser/ast_builder.h"

namespace tessera {

ast::StatementPtr AstBuilder::BuildDelete(TP::DeleteStmtContext* ctx) {
  auto stmt = std::make_unique<ast::DeleteStmt>();
  stmt->with = BuildWith(ctx->withClause());
  stmt->table = QualifiedName(ctx->qualifiedName());
  if (ctx->identifier() != nullptr) stmt->alias = Identifier(ctx->identifier());
  for (auto* ref : ctx->tableRef()) stmt->using_tables.push_back(BuildTableRef(ref));
  if (ctx->whereCurrentOf() != nullptr)
    throw SqlError::FeatureNotSupported("WHERE CURRENT OF is not supported");  // a cursor keeps no row keys
  if (ctx->whereClause() != nullptr) stmt->where = BuildExpr(ctx->whereClause()->expr());
  if (ctx->returningClause() != nullptr) stmt->returning = BuildTargetList(ctx->returningClause()->targetList());
  return stmt;
}

}  // namespace tessera
