// Views: CREATE [OR REPLACE] VIEW, DROP VIEW, and what a view's existence
// does to DROP TABLE and ALTER TABLE of what it reads (PostgreSQL's
// messages). How a view is stored and expanded: planner/bind_view.cpp.
#include <algorithm>
#include <set>

#include "common/error.h"
#include "common/temp_schema.h"
#include "executor/ddl_executor.h"
#include "parser/ast/view_definition.h"
#include "planner/binder.h"

namespace tessera::executor {

namespace {

const char* KindName(const catalog::TableInfo& r) { return r.IsView() ? "view" : "table"; }

// "view v", "table \"T\"": how PostgreSQL's getObjectDescription names a relation.
std::string Described(const catalog::TableInfo& r) {
  return std::string(KindName(r)) + " " + ast::QuoteIdentifier(r.name);
}

// What the stored query of `view` reads, bound against `snapshot`.
planner::ViewRecorder ViewReads(const catalog::CatalogSnapshot& snapshot, const catalog::TableInfo& view) {
  planner::ViewRecorder recorder;
  std::vector<ast::StatementPtr> parsed = ParseSql(view.view_sql);
  std::vector<Type> no_params;
  planner::Binder binder(snapshot, &no_params);
  binder.RecordInto(&recorder);
  binder.BindSelect(parsed.at(0)->As<ast::SelectStmt>());
  return recorder;
}

// 42P16 unless `after` only adds columns at the end of `before`, as
// PostgreSQL's CREATE OR REPLACE VIEW requires.
void CheckReplacement(const catalog::TableInfo& before, const catalog::TableInfo& after) {
  if (after.columns.size() < before.columns.size())
    throw SqlError(sqlstate::kInvalidTableDefinition, "cannot drop columns from view");
  for (size_t i = 0; i < before.columns.size(); ++i) {
    const catalog::ColumnInfo& was = before.columns[i];
    const catalog::ColumnInfo& now = after.columns[i];
    if (was.name != now.name)
      throw SqlError(sqlstate::kInvalidTableDefinition,
                     "cannot change name of view column \"" + was.name + "\" to \"" + now.name + "\"", {},
                     "Use ALTER VIEW ... RENAME COLUMN ... to change name of view column instead.");
    if (!(was.type == now.type))
      throw SqlError(sqlstate::kInvalidTableDefinition, "cannot change data type of view column \"" + was.name +
                                                            "\" from " + FormatType(was.type) + " to " +
                                                            FormatType(now.type));
  }
}

}  // namespace

std::string DdlExecutor::CreateView(const ast::CreateViewStmt& stmt) {
  if (stmt.materialized) throw SqlError::FeatureNotSupported("materialized views are not supported");
  if (stmt.if_not_exists)
    throw SqlError(sqlstate::kSyntaxError, "syntax error at or near \"NOT\"");  // only materialized views have it
  if (stmt.recursive) throw SqlError::FeatureNotSupported("CREATE RECURSIVE VIEW is not supported");
  if (stmt.temporary) throw SqlError::FeatureNotSupported("temporary views are not supported");
  if (stmt.check_option) throw SqlError::FeatureNotSupported("WITH CHECK OPTION is not supported");
  if (stmt.with_options) throw SqlError::FeatureNotSupported("view options (WITH (...)) are not supported");
  auto snapshot = catalog_.Snapshot();
  std::vector<Type> params;
  planner::ViewRecorder recorder;
  planner::Binder binder(*snapshot, &params);
  binder.RecordInto(&recorder);
  planner::BoundQuery query = binder.BindSelect(*stmt.query);
  if (!params.empty()) throw SqlError(sqlstate::kUndefinedParameter, "there is no parameter $1");
  if (stmt.column_names.size() > query.columns.size())
    throw SqlError(sqlstate::kSyntaxError, "CREATE VIEW specifies more column names than columns");

  catalog::TableInfo view;
  view.name = stmt.view.name;
  if (!stmt.view.schema.empty()) view.schema = stmt.view.schema;
  CheckCreateIn(view.schema);
  view.owner = role_;
  for (size_t i = 0; i < query.columns.size(); ++i) {
    catalog::ColumnInfo column;
    column.name = i < stmt.column_names.size() ? stmt.column_names[i] : query.columns[i].name;
    column.type = query.columns[i].type;
    if (column.type.id == TypeId::kUnknown) column.type = Type::Of(TypeId::kText);
    view.columns.push_back(column);
  }
  std::set<std::string> names;
  for (auto& column : view.columns)
    if (!names.insert(column.name).second)
      throw SqlError(sqlstate::kDuplicateColumn, "column \"" + column.name + "\" specified more than once");
  view.view_sql = planner::ApplyViewEdits(stmt.query_text, stmt.query_start, recorder);
  view.view_depends_on.assign(recorder.relations.begin(), recorder.relations.end());
  // PostgreSQL makes such a view temporary itself; Tessera has no temp views.
  for (uint32_t id : view.view_depends_on)
    if (const catalog::TableInfo* r = snapshot->FindTableById(id); r && IsTempSchema(r->schema))
      throw SqlError::FeatureNotSupported("views on temporary tables are not supported (PostgreSQL makes such a view "
                                          "temporary, and Tessera has no temporary views)");

  const catalog::TableInfo* existing = snapshot->FindTable(stmt.view.schema, stmt.view.name);
  if (!existing) {
    catalog_.CreateTable(view);
    return "CREATE VIEW";
  }
  if (!stmt.or_replace) throw SqlError(sqlstate::kDuplicateTable, "relation \"" + stmt.view.name + "\" already exists");
  if (!existing->IsView()) throw SqlError(sqlstate::kWrongObjectType, "\"" + existing->name + "\" is not a view");
  CheckOwner(*existing);
  CheckReplacement(*existing, view);
  view.id = existing->id;
  view.owner = existing->owner;
  view.acl = existing->acl;
  view.schema = existing->schema;
  catalog_.UpdateTable(view);
  return "CREATE VIEW";
}

std::string DdlExecutor::DropRelations(const std::vector<ast::QualifiedName>& names, bool if_exists, bool cascade,
                                       bool views) {
  const char* kind = views ? "view" : "table";
  auto snapshot = catalog_.Snapshot();
  std::vector<const catalog::TableInfo*> targets;
  for (auto& name : names) {
    const catalog::TableInfo* r = snapshot->FindTable(name.schema, name.name);
    if (!r) {
      if (if_exists) {
        notice_(sqlstate::kSuccessfulCompletion, std::string(kind) + " \"" + name.name + "\" does not exist, skipping");
        continue;
      }
      throw SqlError(sqlstate::kUndefinedTable, std::string(kind) + " \"" + name.ToString() + "\" does not exist");
    }
    if (r->IsView() != views)
      throw SqlError(sqlstate::kWrongObjectType, "\"" + r->name + "\" is not a " + kind, {},
                     views ? "Use DROP TABLE to remove a table." : "Use DROP VIEW to remove a view.");
    CheckOwner(*r);
    if (std::find(targets.begin(), targets.end(), r) == targets.end()) targets.push_back(r);
  }
  // The views that depend on what goes, transitively.
  std::vector<const catalog::TableInfo*> doomed = targets;
  std::vector<std::string> details;
  for (size_t i = 0; i < doomed.size(); ++i) {
    for (const catalog::TableInfo* view : catalog::DependentViews(*snapshot, doomed[i]->id)) {
      if (std::find(doomed.begin(), doomed.end(), view) != doomed.end()) continue;  // each named once
      details.push_back(Described(*view) + " depends on " + Described(*doomed[i]));
      doomed.push_back(view);
    }
  }
  // Foreign keys of tables that stay, referencing a table that goes: the
  // constraint goes (with CASCADE), the table stays.
  std::vector<std::pair<uint32_t, std::string>> dropped_keys;  // table, constraint
  std::vector<std::string> dropped_key_names;
  for (const catalog::TableInfo* r : doomed) {
    for (auto& [child, fk] : catalog::ReferencingKeys(*snapshot, r->id)) {
      if (std::find(doomed.begin(), doomed.end(), child) != doomed.end()) continue;
      std::string what = "constraint " + fk->name + " on table " + child->name;
      details.push_back(what + " depends on " + Described(*r));
      dropped_keys.emplace_back(child->id, fk->name);
      dropped_key_names.push_back(what);
    }
  }
  std::string detail;
  for (auto& line : details) detail += (detail.empty() ? "" : "\n") + line;
  if (doomed.size() + dropped_keys.size() > targets.size()) {
    if (!cascade) {
      std::string what = targets.size() == 1
                             ? "cannot drop " + Described(*targets[0]) + " because other objects depend on it"
                             : "cannot drop desired object(s) because other objects depend on them";
      throw SqlError(sqlstate::kDependentObjectsStillExist, what, detail,
                     "Use DROP ... CASCADE to drop the dependent objects too.");
    }
    size_t extra = doomed.size() + dropped_keys.size() - targets.size();
    std::string only = dropped_keys.empty() ? Described(*doomed.back()) : dropped_key_names.back();
    notice_(sqlstate::kSuccessfulCompletion, extra == 1 ? "drop cascades to " + only
                                                        : "drop cascades to " + std::to_string(extra) + " other objects");
  }
  for (auto& [table_id, name] : dropped_keys) {
    catalog::TableInfo child = *catalog_.Snapshot()->FindTableById(table_id);
    std::erase_if(child.foreign_keys, [&](const catalog::ForeignKeyInfo& fk) { return fk.name == name; });
    catalog_.UpdateTable(child);
  }
  // Tables that go lose their foreign keys first, so that none is left
  // referencing a table already gone while the others are dropped.
  for (const catalog::TableInfo* r : doomed) {
    if (r->foreign_keys.empty()) continue;
    catalog::TableInfo bare = *catalog_.Snapshot()->FindTableById(r->id);
    bare.foreign_keys.clear();
    catalog_.UpdateTable(bare);
  }
  // Dependents before what they read: each round drops those no view left depends on.
  std::vector<catalog::TableInfo> left;
  for (const catalog::TableInfo* r : doomed) left.push_back(*catalog_.Snapshot()->FindTableById(r->id));
  while (!left.empty()) {
    auto free = std::find_if(left.begin(), left.end(), [&](const catalog::TableInfo& r) {
      return std::none_of(left.begin(), left.end(), [&](const catalog::TableInfo& v) {
        return std::find(v.view_depends_on.begin(), v.view_depends_on.end(), r.id) != v.view_depends_on.end();
      });
    });
    if (free == left.end()) {
      // Views that came to name each other (through OR REPLACE): one lets go
      // of what it reads first, so the rest can go in order.
      left[0].view_depends_on.clear();
      catalog_.UpdateTable(left[0]);
      continue;
    }
    DropRelation(*free);
    left.erase(free);
  }
  return views ? "DROP VIEW" : "DROP TABLE";
}

void DdlExecutor::DropRelation(const catalog::TableInfo& relation) {
  if (!relation.IsView()) {
    DeleteTableData(relation);
    auto snapshot = catalog_.Snapshot();
    for (auto& [key, seq] : snapshot->Sequences())
      if (seq.owned_by_table == relation.name && seq.schema == relation.schema)
        catalog_.DropSequence(seq.schema, seq.name);
  }
  catalog_.DropTable(relation.id);
}

void DdlExecutor::CheckAlterAllowedByViews(const catalog::CatalogSnapshot& snapshot, const catalog::TableInfo& table,
                                           const ast::AlterTableStmt& stmt) {
  if (table.IsView()) {
    if (stmt.action == ast::AlterTableAction::kRenameTable || stmt.action == ast::AlterTableAction::kRenameColumn)
      throw SqlError::FeatureNotSupported("renaming a view or its columns is not supported");
    throw SqlError(sqlstate::kWrongObjectType,
                   "\"" + table.name + "\" is not a table, composite type, or foreign table");
  }
  std::vector<const catalog::TableInfo*> views = catalog::DependentViews(snapshot, table.id);
  if (views.empty()) return;
  // A view's text names the table and its columns: it could not follow a rename.
  if (stmt.action == ast::AlterTableAction::kRenameTable)
    throw SqlError::FeatureNotSupported("cannot rename table \"" + table.name + "\" while view \"" + views[0]->name +
                                        "\" uses it");
  bool retyping = stmt.action == ast::AlterTableAction::kAlterColumnType;
  if (stmt.action != ast::AlterTableAction::kDropColumn && stmt.action != ast::AlterTableAction::kRenameColumn &&
      !retyping)
    return;
  std::optional<int> pos = table.FindColumn(stmt.old_name);
  if (!pos) return;
  for (const catalog::TableInfo* view : views) {
    if (!ViewReads(snapshot, *view).columns.contains({table.id, static_cast<int16_t>(*pos + 1)})) continue;
    // A view's output columns keep the types they were made with, as in PostgreSQL.
    if (retyping)
      throw SqlError(sqlstate::kFeatureNotSupported, "cannot alter type of a column used by a view or rule",
                     "rule _RETURN on " + Described(*view) + " depends on column \"" + stmt.old_name + "\"");
    if (stmt.action == ast::AlterTableAction::kRenameColumn)
      throw SqlError::FeatureNotSupported("cannot rename column \"" + stmt.old_name + "\" of table \"" + table.name +
                                          "\" while view \"" + view->name + "\" uses it");
    throw SqlError(
        sqlstate::kDependentObjectsStillExist,
        "cannot drop column " + stmt.old_name + " of " + Described(table) + " because other objects depend on it",
        Described(*view) + " depends on column " + stmt.old_name + " of " + Described(table),
        "Use DROP ... CASCADE to drop the dependent objects too.");
  }
}

}  // namespace tessera::executor
