// ALTER TABLE ... ALTER [COLUMN] c SET DEFAULT expr | DROP DEFAULT. Only the
// catalog changes: stored rows keep their values, as in PostgreSQL. pg_dump
// writes a serial column as a plain one, creates its sequence, and then
// gives the column its nextval default this way.
#include "common/error.h"
#include "executor/ddl_executor.h"
#include "planner/binder.h"

namespace tessera::executor {

std::string DdlExecutor::SetColumnDefault(catalog::TableInfo table, const ast::AlterTableStmt& stmt) {
  auto pos = table.FindColumn(stmt.old_name);
  if (!pos)
    throw SqlError(sqlstate::kUndefinedColumn,
                   "column \"" + stmt.old_name + "\" of relation \"" + table.name + "\" does not exist");
  catalog::ColumnInfo& column = table.columns[*pos];
  if (column.identity != 0 && stmt.action == ast::AlterTableAction::kSetDefault)
    throw SqlError(sqlstate::kSyntaxError,
                   "column \"" + column.name + "\" of relation \"" + table.name + "\" is an identity column", {},
                   "Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead.");
  if (stmt.action == ast::AlterTableAction::kDropDefault) {
    if (column.identity != 0) return "ALTER TABLE";  // PostgreSQL: nothing to drop, the identity stays
    column.default_sql.clear();
    column.is_serial = false;
  } else {
    column.default_sql = stmt.default_text;
    // A default of the wrong type fails now (42804), as CREATE TABLE's does.
    std::vector<Type> no_params;
    try {
      planner::Binder(*catalog_.Snapshot(), &no_params).BindDefault(column);
    } catch (SqlError& err) {
      throw err.WithPosition(0);
    }
  }
  catalog_.UpdateTable(table);
  return "ALTER TABLE";
}

}  // namespace tessera::executor
