// COMMENT ON TABLE | VIEW | COLUMN: the comment lives in the catalog entry
// (TableInfo::comment, ColumnInfo::comment), so it is transactional like any
// other catalog change and every gateway sees it; pg_description and
// obj_description/col_description read it back.
#include "catalog/catalog.h"
#include "common/error.h"
#include "executor/ddl_executor.h"

namespace tessera::executor {

std::string DdlExecutor::Comment(const ast::CommentStmt& stmt) {
  snapshot_ = catalog_.Snapshot();
  const catalog::TableInfo* found = snapshot_->FindTable(stmt.relation.schema, stmt.relation.name);
  if (!found) throw SqlError::UndefinedTable(stmt.relation.ToString());
  catalog::TableInfo table = *found;
  if (stmt.object == ast::CommentStmt::Object::kTable && table.IsView())
    throw SqlError(sqlstate::kWrongObjectType, "\"" + table.name + "\" is not a table");
  if (stmt.object == ast::CommentStmt::Object::kView && !table.IsView())
    throw SqlError(sqlstate::kWrongObjectType, "\"" + table.name + "\" is not a view");
  CheckOwner(table);
  // As PostgreSQL: an empty comment removes it, like NULL.
  const std::string text = stmt.comment.value_or("");
  if (stmt.object == ast::CommentStmt::Object::kColumn) {
    auto pos = table.FindColumn(stmt.column);
    if (!pos)
      throw SqlError(sqlstate::kUndefinedColumn,
                     "column \"" + stmt.column + "\" of relation \"" + table.name + "\" does not exist");
    table.columns[*pos].comment = text;
  } else {
    table.comment = text;
  }
  catalog_.UpdateTable(table);
  return "COMMENT";
}

}  // namespace tessera::executor
