// pg_options_to_table(text[]): the (option_name, option_value) rows of an
// options array such as pg_class.reloptions ('{fillfactor=70}'), split at
// the first '='. PostgreSQL's is a C function; here it is the query it
// amounts to, bound as a subquery in FROM:
//   SELECT split_part(o, '=', 1) AS option_name,
//          substr(o, strpos(o, '=') + 1) AS option_value
//   FROM unnest(<options>) AS o
// pg_dump and psql call it on the options of columns, foreign data
// wrappers and servers.
#include "common/error.h"
#include "parser/parser.h"
#include "planner/bind_select_internal.h"

namespace tessera::planner {

FromResult SelectBinder::BindOptionsTable(const ast::TableRef& ref) {
  const ast::Expr& call = *ref.function;
  if (call.args.size() != 1)
    throw SqlError::UndefinedFunction("pg_options_to_table(" + std::string(call.args.empty() ? "" : "...") + ")")
        .WithPosition(call.location + 1);
  std::vector<ast::StatementPtr> parsed = ParseSql(
      "SELECT split_part(o, '=', 1) AS option_name, substr(o, strpos(o, '=') + 1) AS option_value "
      "FROM unnest(NULL::text[]) AS o");
  auto& query = parsed[0]->As<ast::SelectStmt>();
  query.from[0]->function->args[0] = ast::CloneExpr(*call.args[0]);
  BoundQuery q = binder_.Nested().BindSelect(query);
  FromResult out;
  out.plan = q.plan;
  std::string alias = ref.alias.empty() ? "pg_options_to_table" : ref.alias;
  for (auto& c : q.columns) out.scope.columns.push_back({alias, c.name, c.type, 0, 0, false});
  if (ref.column_aliases.size() > out.scope.columns.size())
    throw SqlError(sqlstate::kInvalidColumnReference, "table \"" + alias + "\" has 2 columns available but " +
                                                          std::to_string(ref.column_aliases.size()) +
                                                          " columns specified");
  for (size_t i = 0; i < ref.column_aliases.size(); ++i) out.scope.columns[i].name = ref.column_aliases[i];
  return out;
}

}  // namespace tessera::planner
