// UPDATE t [[AS] a] SET c = e, (c1, c2) = (e1, e2) [FROM ...] [WHERE ...]
// [RETURNING ...].
#include "common/error.h"
#include "parser/ast_builder.h"

namespace tessera {

void AstBuilder::BuildSetClause(TP::SetClauseContext* ctx, std::vector<ast::SetClause>& out) {
  if (auto* single = dynamic_cast<TP::SetSingleContext*>(ctx)) {
    ast::SetClause clause;
    clause.column = Identifier(single->identifier());
    clause.value = BuildExpr(single->expr());
    clause.location = Loc(single);
    out.push_back(std::move(clause));
    return;
  }
  // (a, b) = (x, y) is a = x, b = y.
  auto* multi = static_cast<TP::SetMultiContext*>(ctx);
  auto columns = multi->identifierList()->identifier();
  auto values = multi->exprList()->expr();
  if (columns.size() != values.size()) {
    throw SqlError(sqlstate::kSyntaxError, "number of columns does not match number of values", {}, {},
                   Loc(multi->exprList()) + 1);
  }
  for (size_t i = 0; i < columns.size(); ++i) {
    ast::SetClause clause;
    clause.column = Identifier(columns[i]);
    clause.value = BuildExpr(values[i]);
    clause.location = Loc(columns[i]);
    out.push_back(std::move(clause));
  }
}

ast::StatementPtr AstBuilder::BuildUpdate(TP::UpdateStmtContext* ctx) {
  auto stmt = std::make_unique<ast::UpdateStmt>();
  stmt->with = BuildWith(ctx->withClause());
  stmt->table = QualifiedName(ctx->qualifiedName());
  if (ctx->identifier() != nullptr) stmt->alias = Identifier(ctx->identifier());
  for (auto* clause : ctx->setClause()) BuildSetClause(clause, stmt->set);
  if (auto* from = ctx->fromClause()) {
    for (auto* ref : from->tableRef()) stmt->from.push_back(BuildTableRef(ref));
  }
  if (ctx->whereCurrentOf() != nullptr)
    throw SqlError::FeatureNotSupported("WHERE CURRENT OF is not supported");  // a cursor keeps no row keys
  if (ctx->whereClause() != nullptr) stmt->where = BuildExpr(ctx->whereClause()->expr());
  if (ctx->returningClause() != nullptr) stmt->returning = BuildTargetList(ctx->returningClause()->targetList());
  return stmt;
}

}  // namespace tessera
