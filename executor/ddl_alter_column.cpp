// ALTER TABLE ... ALTER COLUMN, the forms schema-migration tools (Django's
// migrate, Alembic) emit for a changed field:
//  - [SET DATA] TYPE t [USING expr]: every row is rewritten with the
//    column's new value, an assignment cast of the old one (or of USING's
//    expression over the old row), so a too-long string fails with 22001 as
//    an INSERT would; the indexes are rewritten with the rows. Foreign keys
//    on the column must still compare as keys and are checked again.
//  - SET DEFAULT expr / DROP DEFAULT: the catalog only; existing rows keep
//    their values, as in PostgreSQL.
//  - SET NOT NULL (23502 when a row holds NULL) / DROP NOT NULL (42P16 for a
//    primary-key or identity column).
#include <algorithm>

#include "common/error.h"
#include "common/value_ops.h"
#include "executor/ddl_executor.h"
#include "executor/foreign_keys.h"
#include "parser/parser.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"

namespace tessera::executor {
namespace {

std::string OfRelation(const std::string& column, const catalog::TableInfo& table) {
  return "column \"" + column + "\" of relation \"" + table.name + "\"";
}

// The new value of the column for each row: `using_sql` (the column itself
// when empty) bound over the old row, then assigned to the column's new type.
planner::ExprRef BindTransform(const catalog::CatalogSnapshot& snapshot, const catalog::TableInfo& table,
                               const catalog::ColumnInfo& retyped, const std::string& using_sql) {
  std::vector<Type> no_params;
  planner::Binder binder(snapshot, &no_params);
  planner::Scope scope;
  for (size_t i = 0; i < table.columns.size(); ++i)
    scope.columns.push_back({table.name, table.columns[i].name, table.columns[i].type, table.id,
                             static_cast<int16_t>(i + 1)});
  std::string sql = using_sql.empty() ? "\"" + retyped.name + "\"" : using_sql;  // retyped.name has no quotes
  planner::ExprRef e = binder.BindExpr(*ParseExpression(sql), scope, "transform expressions");
  if (!binder.Subqueries().empty())
    throw SqlError::FeatureNotSupported("cannot use subquery in transform expression");
  if (e->type.id != TypeId::kUnknown && e->type.id != retyped.type.id && !CanAssignCast(e->type.id, retyped.type.id)) {
    std::string type = FormatType(retyped.type);
    if (using_sql.empty())
      throw SqlError(sqlstate::kDatatypeMismatch,
                     "column \"" + retyped.name + "\" cannot be cast automatically to type " + type, {},
                     "You might need to specify \"USING " + retyped.name + "::" + type + "\".");
    throw SqlError(sqlstate::kDatatypeMismatch,
                   "result of USING clause for column \"" + retyped.name + "\" cannot be cast automatically to type " +
                       type,
                   {}, "You might need to add an explicit cast.");
  }
  return binder.AssignTo(std::move(e), retyped);
}

}  // namespace

std::string DdlExecutor::AlterColumn(catalog::TableInfo table, const ast::AlterTableStmt& stmt) {
  auto snapshot = catalog_.Snapshot();
  std::optional<int> pos = table.FindColumn(stmt.old_name);
  if (!pos) throw SqlError(sqlstate::kUndefinedColumn, OfRelation(stmt.old_name, table) + " does not exist");
  catalog::ColumnInfo& column = table.columns[*pos];
  const ast::ColumnDef& def = *stmt.column;
  bool in_primary_key = std::find(table.primary_key.begin(), table.primary_key.end(), *pos) != table.primary_key.end();

  if (stmt.action == ast::AlterTableAction::kAlterColumnNotNull) {
    if (!def.not_null) {
      if (in_primary_key)
        throw SqlError(sqlstate::kInvalidTableDefinition, "column \"" + column.name + "\" is in a primary key");
      if (column.identity)
        throw SqlError(sqlstate::kInvalidTableDefinition, OfRelation(column.name, table) + " is an identity column");
    } else if (!column.not_null) {
      for (const Row& row : ReadAllRows(table))
        if (row[*pos].IsNull())
          throw SqlError(sqlstate::kNotNullViolation, OfRelation(column.name, table) + " contains null values")
              .WithTable(table.schema, table.name)
              .WithColumn(column.name);
    }
    column.not_null = def.not_null;
    catalog_.UpdateTable(table);
    return "ALTER TABLE";
  }

  if (stmt.action == ast::AlterTableAction::kAlterColumnDefault) {
    if (column.identity)
      throw SqlError(sqlstate::kSyntaxError, OfRelation(column.name, table) + " is an identity column", {},
                     def.default_text.empty() ? "Use ALTER TABLE ... ALTER COLUMN ... DROP IDENTITY instead." : "");
    column.default_sql = def.default_text;
    std::vector<Type> no_params;
    planner::Binder(*snapshot, &no_params).BindDefault(column);  // 42804, 0A000 now rather than at the next INSERT
    column.is_serial = false;  // a serial column's default was nextval of its sequence
    catalog_.UpdateTable(table);
    return "ALTER TABLE";
  }

  // [SET DATA] TYPE
  auto mod = [&](size_t i) {
    return i < def.type.modifiers.size() ? std::optional<int32_t>(def.type.modifiers[i]) : std::nullopt;
  };
  catalog::ColumnInfo retyped = column;
  retyped.type = ResolveTypeName(def.type.name, mod(0), mod(1));
  if (def.type.is_array) retyped.type = ArrayTypeFor(retyped.type);
  planner::ExprRef transform = BindTransform(*snapshot, table, retyped, stmt.using_text);
  catalog::TableInfo altered = table;
  altered.columns[*pos].type = retyped.type;
  if (!column.default_sql.empty()) {  // the default must still be assignable to the column
    std::vector<Type> no_params;
    planner::Binder(*snapshot, &no_params).BindDefault(altered.columns[*pos]);
  }
  // The foreign keys the column is part of, on either side, must still
  // compare as keys (42804, as PostgreSQL re-adding them), and hold for
  // every row after the rewrite: a cast can change a value (numeric(6, 2)
  // to numeric(6, 0) rounds), which would leave a row without its match.
  auto uses = [&](const std::vector<int>& columns) {
    return std::find(columns.begin(), columns.end(), *pos) != columns.end();
  };
  std::vector<const catalog::ForeignKeyInfo*> own;  // of `altered`, this table referencing
  for (const catalog::ForeignKeyInfo& fk : altered.foreign_keys) {
    bool self = fk.ref_table == table.id;
    if (!uses(fk.columns) && !(self && uses(fk.ref_columns))) continue;
    const catalog::TableInfo* parent = self ? &altered : snapshot->FindTableById(fk.ref_table);
    if (parent == nullptr) throw SqlError::Internal("foreign key \"" + fk.name + "\" references a table not there");
    CheckForeignKeyTypes(altered, fk, *parent);
    own.push_back(&fk);
  }
  std::vector<std::pair<const catalog::TableInfo*, const catalog::ForeignKeyInfo*>> children;
  for (auto& [child, fk] : catalog::ReferencingKeys(*snapshot, table.id)) {
    if (child->id == table.id || !uses(fk->ref_columns)) continue;
    CheckForeignKeyTypes(*child, *fk, altered);
    children.emplace_back(child, fk);
  }
  std::vector<Row> rows = ReadAllRows(table);
  planner::EvalContext eval;
  for (Row& row : rows) row[*pos] = planner::Evaluate(*transform, row, eval);
  // The new values against the column's constraints, with PostgreSQL's
  // messages for a rewrite (the writes below would refuse them too, worded
  // as for one new row).
  if (column.not_null)
    for (const Row& row : rows)
      if (row[*pos].IsNull())
        throw SqlError(sqlstate::kNotNullViolation, OfRelation(column.name, altered) + " contains null values")
            .WithTable(altered.schema, altered.name)
            .WithColumn(column.name);
  for (const catalog::CheckInfo& check : altered.checks) {
    std::vector<Type> none;
    planner::ExprRef bound = planner::Binder(*snapshot, &none).BindCheck(altered, check.sql);
    for (const Row& row : rows) {
      Value ok = planner::Evaluate(*bound, row, eval);
      if (!ok.IsNull() && !ok.GetBool())
        throw SqlError(sqlstate::kCheckViolation, "check constraint \"" + check.name + "\" of relation \"" +
                                                      altered.name + "\" is violated by some row")
            .WithTable(altered.schema, altered.name)
            .WithConstraint(check.name);
    }
  }
  DeleteTableData(table);
  WriteAllRows(altered, rows);
  for (const catalog::ForeignKeyInfo* fk : own) ValidateForeignKey(altered, *fk);
  if (!children.empty()) {
    auto as_altered = std::make_shared<catalog::CatalogSnapshot>(*catalog_.Snapshot());
    as_altered->tables_[altered.id] = altered;
    ForeignKeyChecker checker(as_altered, fragments_);
    for (auto& [child, fk] : children) checker.CheckReferencingRows(*child, *fk, ReadAllRows(*child));
  }
  catalog_.UpdateTable(altered);
  return "ALTER TABLE";
}

}  // namespace tessera::executor
