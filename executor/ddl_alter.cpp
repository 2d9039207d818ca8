// ALTER TABLE: ADD PRIMARY KEY / UNIQUE (the former rewrites the table keyed
// on the new key), ADD and DROP COLUMN, RENAME; ALTER COLUMN is
// ddl_alter_column.cpp.
#include "common/error.h"
#include "common/temp_schema.h"
#include "executor/ddl_executor.h"
#include "executor/table_store.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"
#include "storage/key_encoding.h"
#include "storage/row_encoding.h"

namespace tessera::executor {

std::vector<Row> DdlExecutor::ReadAllRows(const catalog::TableInfo& table) {
  auto fragment = std::make_shared<planner::Fragment>();
  fragment->kind = planner::FragmentKind::kScan;
  fragment->table = planner::MakeTableLayout(table);
  planner::FragmentRequest request;
  request.fragment = fragment;
  return fragments_.Execute(request).rows;
}

// Writes rows afresh under `table`'s (new) layout; the old data must be gone.
// Rows of a table without a primary key get fresh hidden ids: nothing refers
// to the old ones.
void DdlExecutor::WriteAllRows(const catalog::TableInfo& table, const std::vector<Row>& rows) {
  constexpr size_t kRowsPerRequest = 10000;  // bounds one request's size
  auto fragment = std::make_shared<planner::Fragment>();
  fragment->kind = planner::FragmentKind::kInsert;
  fragment->table = planner::MakeTableLayout(table);
  for (size_t start = 0; start < rows.size(); start += kRowsPerRequest) {
    planner::FragmentRequest request;
    request.fragment = fragment;
    request.rows.assign(rows.begin() + static_cast<std::ptrdiff_t>(start),
                        rows.begin() + static_cast<std::ptrdiff_t>(std::min(rows.size(), start + kRowsPerRequest)));
    fragments_.Execute(request);
  }
}

void DdlExecutor::AddPrimaryKey(catalog::TableInfo table, const ast::TableConstraint& constraint) {
  if (!table.primary_key.empty())
    throw SqlError(sqlstate::kInvalidTableDefinition,
                   "multiple primary keys for table \"" + table.name + "\" are not allowed");
  std::vector<int> key;
  for (auto& name : constraint.columns) {
    auto pos = table.FindColumn(name);
    if (!pos) throw SqlError(sqlstate::kUndefinedColumn, "column \"" + name + "\" of relation \"" + table.name + "\" does not exist");
    key.push_back(*pos);
  }
  std::vector<Row> rows = ReadAllRows(table);
  for (auto& row : rows)
    for (int k : key)
      if (row[k].IsNull())
        throw SqlError(sqlstate::kNotNullViolation, "column \"" + table.columns[k].name + "\" of relation \"" +
                                                        table.name + "\" contains null values")
            .WithTable(table.schema, table.name)
            .WithColumn(table.columns[k].name);
  std::string name = constraint.name.empty() ? table.name + "_pkey" : constraint.name;
  // Check uniqueness before touching anything.
  {
    catalog::TableInfo keyed = table;
    keyed.primary_key = key;
    planner::TableLayout layout = planner::MakeTableLayout(keyed);
    TableStore store(layout, txn_);
    std::map<std::string, const Row*> seen;
    for (auto& row : rows) {
      auto [it, inserted] = seen.emplace(store.PrimaryKeySuffix(row), &row);
      if (inserted) continue;
      std::string names, values;
      for (size_t i = 0; i < key.size(); ++i) {
        names += (i ? ", " : "") + table.columns[key[i]].name;
        values += (i ? ", " : "") + row[key[i]].ToText();
      }
      throw SqlError(sqlstate::kUniqueViolation, "could not create unique index \"" + name + "\"",
                     "Key (" + names + ")=(" + values + ") is duplicated.")
          .WithTable(table.schema, table.name)
          .WithConstraint(name);
    }
  }
  DeleteTableData(table);
  table.primary_key = key;
  table.primary_key_name = name;
  for (int k : key) table.columns[k].not_null = true;
  WriteAllRows(table, rows);
  catalog_.UpdateTable(table);
}

std::string DdlExecutor::AlterTable(const ast::AlterTableStmt& stmt) {
  auto snapshot = catalog_.Snapshot();
  const catalog::TableInfo* found = snapshot->FindTable(stmt.table.schema, stmt.table.name);
  if (!found) {
    if (stmt.if_exists) {
      notice_(sqlstate::kSuccessfulCompletion, "relation \"" + stmt.table.name + "\" does not exist, skipping");
      return "ALTER TABLE";
    }
    throw SqlError::UndefinedTable(stmt.table.ToString());
  }
  if (IsOtherTempSchema(found->schema))
    throw SqlError::FeatureNotSupported("cannot alter temporary tables of other sessions");
  CheckOwner(*found);
  CheckAlterAllowedByViews(*snapshot, *found, stmt);
  catalog::TableInfo table = *found;
  switch (stmt.action) {
    case ast::AlterTableAction::kAddConstraint: {
      const ast::TableConstraint& c = *stmt.constraint;
      if (c.kind == ast::ConstraintKind::kPrimaryKey) {
        AddPrimaryKey(table, c);
      } else if (c.kind == ast::ConstraintKind::kUnique) {
        std::string cols;
        for (size_t i = 0; i < c.columns.size(); ++i) cols += (i ? "_" : "") + c.columns[i];
        AddIndex(table, c.name.empty() ? table.name + "_" + cols + "_key" : c.name, c.columns,
                 std::vector<bool>(c.columns.size(), false), true, true);
      } else if (c.kind == ast::ConstraintKind::kCheck) {
        ValidateCheck(table, AddCheck(table, c.name, c.check_text, ""));
        catalog_.UpdateTable(table);
      } else {
        AddForeignKey(table, c.columns, *c.references, c.name, {});
        ValidateForeignKey(table, table.foreign_keys.back());
        catalog_.UpdateTable(table);
      }
      break;
    }
    case ast::AlterTableAction::kAddColumn: {
      const ast::ColumnDef& def = *stmt.column;
      if (table.FindColumn(def.name))
        throw SqlError(sqlstate::kDuplicateColumn,
                       "column \"" + def.name + "\" of relation \"" + table.name + "\" already exists");
      catalog::ColumnInfo column;
      column.name = def.name;
      auto mod = [&](size_t i) {
        return i < def.type.modifiers.size() ? std::optional<int32_t>(def.type.modifiers[i]) : std::nullopt;
      };
      column.type = ResolveTypeName(def.type.name, mod(0), mod(1));
      if (def.type.is_array) column.type = ArrayTypeFor(column.type);
      column.not_null = def.not_null;
      column.default_sql = def.default_text;
      if (def.generated_location >= 0)
        throw SqlError::FeatureNotSupported(def.identity ? "adding an identity column is not supported"
                                                         : "generated columns are not supported")
            .WithPosition(def.generated_location + 1);
      std::vector<Row> rows = ReadAllRows(table);
      Value fill = Value::Null(column.type);
      if (!column.default_sql.empty()) {
        std::vector<Type> no_params;
        planner::Binder binder(*snapshot, &no_params);
        planner::EvalContext ctx;
        fill = planner::Evaluate(*binder.BindDefault(column), {}, ctx);
      }
      if (column.not_null && fill.IsNull() && !rows.empty())
        throw SqlError(sqlstate::kNotNullViolation, "column \"" + column.name + "\" of relation \"" + table.name +
                                                        "\" contains null values")
            .WithTable(table.schema, table.name)
            .WithColumn(column.name);
      if (!fill.IsNull()) DeleteTableData(table);
      table.columns.push_back(column);
      if (def.check) {
        catalog::TableInfo with_check = table;
        catalog::CheckInfo check = AddCheck(with_check, def.check_name, def.check_text, def.name);
        static const catalog::CatalogSnapshot kNoCatalog;
        std::vector<Type> none;
        planner::ExprRef bound = planner::Binder(kNoCatalog, &none).BindCheck(with_check, check.sql);
        planner::EvalContext eval;
        for (const Row& r : rows) {  // as they will be, with the new column filled
          Row probe = r;
          probe.push_back(fill);
          Value ok = planner::Evaluate(*bound, probe, eval);
          if (!ok.IsNull() && !ok.GetBool())
            throw SqlError(sqlstate::kCheckViolation, "check constraint \"" + check.name + "\" of relation \"" +
                                                          table.name + "\" is violated by some row")
                .WithTable(table.schema, table.name)
                .WithConstraint(check.name);
        }
        table = with_check;
      }
      if (!fill.IsNull()) {
        for (auto& r : rows) r.push_back(fill);
        WriteAllRows(table, rows);
      }
      if (def.references) {
        AddForeignKey(table, {def.name}, *def.references, def.references_name, {});
        ValidateForeignKey(table, table.foreign_keys.back());
      }
      catalog_.UpdateTable(table);
      break;
    }
    case ast::AlterTableAction::kDropColumn: {
      auto pos = table.FindColumn(stmt.old_name);
      if (!pos)
        throw SqlError(sqlstate::kUndefinedColumn,
                       "column \"" + stmt.old_name + "\" of relation \"" + table.name + "\" does not exist");
      for (int k : table.primary_key)
        if (k == *pos) throw SqlError::FeatureNotSupported("dropping a primary key column is not supported");
      for (auto& [child, fk] : catalog::ReferencingKeys(*snapshot, table.id))
        if (child->id != table.id)
          throw SqlError::FeatureNotSupported("DROP COLUMN of a table referenced by a foreign key is not supported yet");
      std::vector<Row> rows = ReadAllRows(table);
      DeleteTableData(table);
      for (auto& r : rows) r.erase(r.begin() + *pos);
      table.columns.erase(table.columns.begin() + *pos);
      auto shift = [&](int c) { return c > *pos ? c - 1 : c; };
      for (auto& k : table.primary_key) k = shift(k);
      std::erase_if(table.indexes, [&](const catalog::IndexInfo& i) {
        return std::find(i.columns.begin(), i.columns.end(), *pos) != i.columns.end();
      });
      for (auto& i : table.indexes)
        for (auto& c : i.columns) c = shift(c);
      // A foreign key using the column goes with it, as in PostgreSQL.
      auto uses = [&](const std::vector<int>& columns) {
        return std::find(columns.begin(), columns.end(), *pos) != columns.end();
      };
      std::erase_if(table.foreign_keys, [&](const catalog::ForeignKeyInfo& fk) {
        return uses(fk.columns) || (fk.ref_table == table.id && uses(fk.ref_columns));
      });
      for (auto& fk : table.foreign_keys) {
        for (auto& c : fk.columns) c = shift(c);
        if (fk.ref_table == table.id)
          for (auto& c : fk.ref_columns) c = shift(c);
      }
      KeepChecksValid(table, stmt.old_name, "");
      WriteAllRows(table, rows);
      catalog_.UpdateTable(table);
      break;
    }
    case ast::AlterTableAction::kDropConstraint: return DropConstraint(table, stmt);
    case ast::AlterTableAction::kAlterColumnType:
    case ast::AlterTableAction::kAlterColumnDefault:
    case ast::AlterTableAction::kAlterColumnNotNull: return AlterColumn(table, stmt);
    case ast::AlterTableAction::kRenameTable:
      table.name = stmt.new_name;
      catalog_.UpdateTable(table);
      break;
    case ast::AlterTableAction::kRenameColumn: {
      auto pos = table.FindColumn(stmt.old_name);
      if (!pos) throw SqlError(sqlstate::kUndefinedColumn, "column \"" + stmt.old_name + "\" does not exist");
      table.columns[*pos].name = stmt.new_name;
      KeepChecksValid(table, "", stmt.old_name);
      catalog_.UpdateTable(table);
      break;
    }
  }
  return "ALTER TABLE";
}

}  // namespace tessera::executor
