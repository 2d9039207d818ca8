// DDL statements, with PostgreSQL's generated names (t_pkey, t_a_key,
// t_a_idx, t_id_seq) and messages.
#include "executor/ddl_executor.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "common/error.h"
#include "executor/table_store.h"
#include "planner/binder.h"
#include "storage/key_encoding.h"
#include "storage/row_encoding.h"

namespace tessera::executor {

namespace {

std::optional<int32_t> Mod(const ast::TypeName& t, size_t i) {
  return i < t.modifiers.size() ? std::optional<int32_t>(t.modifiers[i]) : std::nullopt;
}

int ColumnIndex(const catalog::TableInfo& table, const std::string& name) {
  auto pos = table.FindColumn(name);
  if (!pos)
    throw SqlError(sqlstate::kUndefinedColumn, "column \"" + name + "\" named in key does not exist");
  return *pos;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) out += (i ? "_" : "") + names[i];
  return out;
}

}  // namespace

const catalog::TableInfo& DdlExecutor::Lookup(const ast::QualifiedName& name, bool) {
  snapshot_ = catalog_.Snapshot();
  const catalog::TableInfo* t = snapshot_->FindTable(name.schema, name.name);
  if (!t) throw SqlError::UndefinedTable(name.ToString());
  if (t->IsView()) throw SqlError(sqlstate::kWrongObjectType, "\"" + t->name + "\" is not a table");
  return *t;
}

std::string DdlExecutor::Execute(const ast::Statement& stmt) {
  switch (stmt.kind) {
    case ast::StmtKind::kCreateTable: return CreateTable(stmt.As<ast::CreateTableStmt>());
    case ast::StmtKind::kDropTable: return DropTable(stmt.As<ast::DropTableStmt>());
    case ast::StmtKind::kCreateIndex: return CreateIndex(stmt.As<ast::CreateIndexStmt>());
    case ast::StmtKind::kDropIndex: return DropIndex(stmt.As<ast::DropIndexStmt>());
    case ast::StmtKind::kCreateView: return CreateView(stmt.As<ast::CreateViewStmt>());
    case ast::StmtKind::kDropView: {
      const auto& drop = stmt.As<ast::DropViewStmt>();
      if (drop.materialized) throw SqlError::FeatureNotSupported("materialized views are not supported");
      return DropRelations(drop.views, drop.if_exists, drop.cascade, true);
    }
    case ast::StmtKind::kAlterTable: return AlterTable(stmt.As<ast::AlterTableStmt>());
    case ast::StmtKind::kTruncate: return Truncate(stmt.As<ast::TruncateStmt>());
    default: throw SqlError::Internal("not a DDL statement");
  }
}

std::string DdlExecutor::CreateTable(const ast::CreateTableStmt& stmt) {
  auto snapshot = catalog_.Snapshot();
  if (snapshot->FindTable(stmt.table.schema, stmt.table.name)) {
    if (stmt.if_not_exists) {
      notice_(sqlstate::kDuplicateTable, "relation \"" + stmt.table.name + "\" already exists, skipping");
      return "CREATE TABLE";
    }
    throw SqlError(sqlstate::kDuplicateTable, "relation \"" + stmt.table.name + "\" already exists");
  }
  catalog::TableInfo table;
  table.name = stmt.table.name;
  if (!stmt.table.schema.empty()) table.schema = stmt.table.schema;
  std::set<std::string> names;
  std::vector<std::pair<std::string, std::vector<std::string>>> uniques;  // name, columns
  std::vector<std::string> serial_sequences;
  for (auto& def : stmt.columns) {
    if (!names.insert(def.name).second)
      throw SqlError(sqlstate::kDuplicateColumn, "column \"" + def.name + "\" specified more than once");
    catalog::ColumnInfo column;
    column.name = def.name;
    bool is_serial = false;
    column.type = ResolveTypeName(def.type.name, Mod(def.type, 0), Mod(def.type, 1), &is_serial);
    column.not_null = def.not_null || def.primary_key || is_serial;
    column.default_sql = def.default_text;
    if (!column.default_sql.empty()) {  // a default of the wrong type fails now (42804), as in PostgreSQL
      std::vector<Type> no_params;
      try {
        planner::Binder(*snapshot, &no_params).BindDefault(column);
      } catch (SqlError& err) {
        throw err.WithPosition(0);  // its position is in the default's text, not the statement's
      }
    }
    if (is_serial) {
      std::string seq = table.name + "_" + def.name + "_seq";
      column.default_sql = "nextval('" + seq + "'::regclass)";
      column.is_serial = true;
      serial_sequences.push_back(seq);
    }
    if (def.primary_key) {
      if (!table.primary_key.empty())
        throw SqlError(sqlstate::kInvalidTableDefinition,
                       "multiple primary keys for table \"" + table.name + "\" are not allowed");
      table.primary_key.push_back(static_cast<int>(table.columns.size()));
    }
    if (def.unique) uniques.push_back({table.name + "_" + def.name + "_key", {def.name}});
    table.columns.push_back(column);
  }
  for (auto& c : stmt.constraints) {
    if (c.kind == ast::ConstraintKind::kPrimaryKey) {
      if (!table.primary_key.empty())
        throw SqlError(sqlstate::kInvalidTableDefinition,
                       "multiple primary keys for table \"" + table.name + "\" are not allowed");
      for (auto& name : c.columns) {
        int pos = ColumnIndex(table, name);
        table.primary_key.push_back(pos);
        table.columns[pos].not_null = true;
      }
      if (!c.name.empty()) table.primary_key_name = c.name;
    } else if (c.kind == ast::ConstraintKind::kUnique) {
      for (auto& name : c.columns) ColumnIndex(table, name);
      uniques.push_back({c.name.empty() ? table.name + "_" + JoinNames(c.columns) + "_key" : c.name, c.columns});
    }
  }
  for (auto& def : stmt.columns)
    if (def.check) AddCheck(table, def.check_name, def.check_text, def.name);
  for (auto& c : stmt.constraints)
    if (c.kind == ast::ConstraintKind::kCheck) AddCheck(table, c.name, c.check_text, "");
  if (!table.primary_key.empty() && table.primary_key_name.empty()) table.primary_key_name = table.name + "_pkey";
  for (auto& def : stmt.columns)
    if (def.references) AddForeignKey(table, {def.name}, *def.references, def.references_name, uniques);
  for (auto& c : stmt.constraints)
    if (c.kind == ast::ConstraintKind::kForeignKey) AddForeignKey(table, c.columns, *c.references, c.name, uniques);
  for (auto& seq : serial_sequences) {
    catalog::SequenceInfo info;
    info.schema = table.schema;
    info.name = seq;
    info.owned_by_table = table.name;
    catalog_.CreateSequence(info);
  }
  for (auto& [name, columns] : uniques) {
    catalog::IndexInfo index;
    index.id = catalog_.AllocateIndexId();
    index.name = name;
    for (auto& c : columns) index.columns.push_back(ColumnIndex(table, c));
    index.descending.assign(columns.size(), false);
    index.unique = true;
    table.indexes.push_back(index);
  }
  catalog_.CreateTable(table);
  return "CREATE TABLE";
}

void DdlExecutor::DeleteTableData(const catalog::TableInfo& table) {
  auto fragment = std::make_shared<planner::Fragment>();
  fragment->kind = planner::FragmentKind::kDelete;
  fragment->table = planner::MakeTableLayout(table);
  planner::FragmentRequest request;
  request.fragment = fragment;
  fragments_.Execute(request);
}

std::string DdlExecutor::DropTable(const ast::DropTableStmt& stmt) {
  return DropRelations(stmt.tables, stmt.if_exists, stmt.cascade, false);
}

void DdlExecutor::AddIndex(catalog::TableInfo table, std::string name, const std::vector<std::string>& columns,
                           const std::vector<bool>& descending, bool unique) {
  catalog::IndexInfo index;
  index.id = catalog_.AllocateIndexId();
  index.name = std::move(name);
  for (auto& c : columns) {
    auto pos = table.FindColumn(c);
    if (!pos) throw SqlError(sqlstate::kUndefinedColumn, "column \"" + c + "\" does not exist");
    index.columns.push_back(*pos);
  }
  index.descending = descending;
  index.unique = unique;
  table.indexes.push_back(index);
  // Every shard indexes its own rows; a unique index's values come back so
  // that duplicates on different shards are found here.
  auto fragment = std::make_shared<planner::Fragment>();
  fragment->kind = planner::FragmentKind::kBuildIndex;
  fragment->table = planner::MakeTableLayout(table);
  fragment->scan.index_id = index.id;
  planner::FragmentRequest request;
  request.fragment = fragment;
  auto duplicated = [&](const std::string& key_text) {
    return SqlError(sqlstate::kUniqueViolation, "could not create unique index \"" + index.name + "\"",
                    key_text + " is duplicated.");
  };
  // Other transactions keep writing the table meanwhile (index_fence.h):
  // every shard first registers the index and waits for the transactions
  // writing the table, and the build reads at a snapshot taken after that.
  if (!own_table_ || !own_table_(table.id)) {
    if (!refresh_snapshot_)
      throw SqlError::FeatureNotSupported("index builds need a transaction that can refresh its snapshot");
    auto await = std::make_shared<planner::Fragment>(*fragment);
    await->await_writers_only = true;
    planner::FragmentRequest first;
    first.fragment = await;
    if (!refresh_snapshot_())
      throw SqlError::FeatureNotSupported(
          "CREATE INDEX on a table other transactions can write is only supported in READ COMMITTED transactions");
    fragments_.Execute(first);
    refresh_snapshot_();
  }
  planner::FragmentResult built;
  try {
    built = fragments_.Execute(request);
  } catch (const SqlError& e) {
    if (e.Sqlstate() != sqlstate::kUniqueViolation) throw;
    std::string detail = e.Detail();
    if (auto p = detail.rfind(" already exists."); p != std::string::npos) throw duplicated(detail.substr(0, p));
    throw;
  }
  if (index.unique) {
    std::unordered_set<std::string> seen;
    for (const Row& values : built.rows) {
      std::string key;
      for (const Value& v : values) storage::AppendKeyValue(&key, v);
      if (seen.insert(std::move(key)).second) continue;
      std::vector<std::string> names;
      for (int c : index.columns) names.push_back(table.columns[c].name);
      throw duplicated(KeyText(names, values));
    }
  }
  catalog_.UpdateTable(table);
}

std::string DdlExecutor::CreateIndex(const ast::CreateIndexStmt& stmt) {
  if (const catalog::TableInfo* view = catalog_.Snapshot()->FindTable(stmt.table.schema, stmt.table.name);
      view && view->IsView())
    throw SqlError(sqlstate::kWrongObjectType, "cannot create index on relation \"" + view->name + "\"",
                   "This operation is not supported for views.");
  catalog::TableInfo table = Lookup(stmt.table, false);
  std::vector<std::string> columns;
  std::vector<bool> descending;
  for (auto& c : stmt.columns) {
    columns.push_back(c.column);
    descending.push_back(c.descending);
  }
  std::string name = stmt.name.empty() ? table.name + "_" + JoinNames(columns) + "_idx" : stmt.name;
  const catalog::IndexInfo* existing = nullptr;
  if (snapshot_->FindIndex(table.schema, name, &existing) || snapshot_->FindTable(table.schema, name)) {
    if (stmt.if_not_exists) {
      notice_(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists, skipping");
      return "CREATE INDEX";
    }
    throw SqlError(sqlstate::kDuplicateTable, "relation \"" + name + "\" already exists");
  }
  AddIndex(table, name, columns, descending, stmt.unique);
  return "CREATE INDEX";
}

namespace {

// 2BP01 when a foreign key finds its referenced rows through `index` (a
// foreign key uses the primary key when both match its columns).
void CheckIndexNotReferenced(const catalog::CatalogSnapshot& snapshot, const catalog::TableInfo& table,
                             const catalog::IndexInfo& index) {
  if (!index.unique) return;
  std::set<int> columns(index.columns.begin(), index.columns.end());
  if (std::set<int>(table.primary_key.begin(), table.primary_key.end()) == columns) return;
  for (auto& [child, fk] : catalog::ReferencingKeys(snapshot, table.id)) {
    if (std::set<int>(fk->ref_columns.begin(), fk->ref_columns.end()) != columns) continue;
    throw SqlError(sqlstate::kDependentObjectsStillExist,
                   "cannot drop index " + index.name + " because other objects depend on it",
                   "constraint " + fk->name + " on table " + child->name + " depends on index " + index.name,
                   "Use DROP ... CASCADE to drop the dependent objects too.");
  }
}

}  // namespace

std::string DdlExecutor::DropIndex(const ast::DropIndexStmt& stmt) {
  for (auto& name : stmt.indexes) {
    auto snapshot = catalog_.Snapshot();
    const catalog::IndexInfo* index = nullptr;
    const catalog::TableInfo* owner = snapshot->FindIndex(name.schema, name.name, &index);
    if (!owner || !index) {
      if (const catalog::TableInfo* other = snapshot->FindTable(name.schema, name.name))
        throw SqlError(sqlstate::kWrongObjectType, "\"" + other->name + "\" is not an index", {},
                       other->IsView() ? "Use DROP VIEW to remove a view." : "Use DROP TABLE to remove a table.");
      if (stmt.if_exists) {
        notice_(sqlstate::kSuccessfulCompletion, "index \"" + name.name + "\" does not exist, skipping");
        continue;
      }
      throw SqlError(sqlstate::kUndefinedObject, "index \"" + name.name + "\" does not exist");
    }
    CheckIndexNotReferenced(*snapshot, *owner, *index);
    catalog::TableInfo table = *owner;
    uint32_t id = index->id;
    auto fragment = std::make_shared<planner::Fragment>();
    fragment->kind = planner::FragmentKind::kDropIndex;
    fragment->table = planner::MakeTableLayout(table);
    fragment->scan.index_id = id;
    planner::FragmentRequest request;
    request.fragment = fragment;
    fragments_.Execute(request);
    std::erase_if(table.indexes, [&](const catalog::IndexInfo& i) { return i.id == id; });
    catalog_.UpdateTable(table);
  }
  return "DROP INDEX";
}

std::string DdlExecutor::Truncate(const ast::TruncateStmt& stmt) {
  std::vector<catalog::TableInfo> tables;
  auto listed = [&](uint32_t id) {
    return std::any_of(tables.begin(), tables.end(), [&](const catalog::TableInfo& t) { return t.id == id; });
  };
  for (auto& name : stmt.tables) {
    const catalog::TableInfo& table = Lookup(name, false);
    if (!listed(table.id)) tables.push_back(table);
  }
  // A referenced table goes only with the tables referencing it: listed,
  // or added by CASCADE (transitively), as in PostgreSQL.
  auto snapshot = catalog_.Snapshot();
  size_t named = tables.size();
  for (size_t i = 0; i < tables.size(); ++i) {
    for (auto& [child, fk] : catalog::ReferencingKeys(*snapshot, tables[i].id)) {
      if (listed(child->id)) continue;
      if (!stmt.cascade)
        throw SqlError(sqlstate::kFeatureNotSupported, "cannot truncate a table referenced in a foreign key constraint",
                       "Table \"" + child->name + "\" references \"" + tables[i].name + "\".",
                       "Truncate table \"" + child->name + "\" at the same time, or use TRUNCATE ... CASCADE.");
      tables.push_back(*child);
    }
  }
  for (size_t i = named; i < tables.size(); ++i)
    notice_(sqlstate::kSuccessfulCompletion, "truncate cascades to table \"" + tables[i].name + "\"");
  for (auto& table : tables) DeleteTableData(table);
  return "TRUNCATE TABLE";
}

}  // namespace tessera::executor
