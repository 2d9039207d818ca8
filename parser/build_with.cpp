// WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (query), ...:
// the common table expressions in front of a SELECT, INSERT, UPDATE or DELETE.
#include "common/error.h"
#include "parser/ast_builder.h"

namespace tessera {

ast::WithClauseRef AstBuilder::BuildWith(TP::WithClauseContext* ctx) {
  if (ctx == nullptr) return nullptr;
  auto with = std::make_shared<ast::WithClause>();
  with->recursive = ctx->RECURSIVE() != nullptr;
  with->location = Loc(ctx);
  for (auto* item : ctx->commonTableExpr()) {
    // A data-modifying statement in WITH runs exactly once, whether or not
    // it is read, and its writes are not visible to the rest of the
    // statement; none of that is done, so it is refused.
    if (item->selectStmt() == nullptr)
      throw SqlError(sqlstate::kFeatureNotSupported, "data-modifying statements in WITH are not supported", {}, {},
                     Loc(item) + 1);
    ast::CommonTableExpr cte;
    cte.name = Identifier(item->identifier());
    cte.location = Loc(item);
    cte.column_names = IdentifierList(item->identifierList());
    if (item->MATERIALIZED() != nullptr)
      cte.materialize = item->NOT() != nullptr ? ast::CteMaterialize::kNever : ast::CteMaterialize::kAlways;
    cte.query = BuildSelect(item->selectStmt());
    with->ctes.push_back(std::move(cte));
  }
  return with;
}

}  // namespace tessera
