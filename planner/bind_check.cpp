// CHECK constraints: bound from their SQL text whenever a plan writes the
// table, with PostgreSQL's restrictions on what a check may contain.
#include "common/error.h"
#include "parser/parser.h"
#include "planner/binder.h"

namespace tessera::planner {

ExprRef Binder::BindCheck(const catalog::TableInfo& table, const std::string& sql) {
  ast::ExprPtr parsed = ParseExpression(sql);
  Scope scope;
  for (size_t i = 0; i < table.columns.size(); ++i)
    scope.columns.push_back({table.name, table.columns[i].name, table.columns[i].type, table.id,
                             static_cast<int16_t>(i + 1)});
  aggregate_context_ = "check constraints";
  ExprRef e = BindPredicate(*parsed, scope, "CHECK");
  if (!Subqueries().empty())
    throw SqlError(sqlstate::kFeatureNotSupported, "cannot use subquery in check constraint");
  if (HasParams(*e)) throw SqlError(sqlstate::kUndefinedParameter, "there is no parameter $1");
  return e;
}

}  // namespace tessera::planner
