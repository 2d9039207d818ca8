// pg_catalog.pg_tables, pg_indexes and pg_views: PostgreSQL's convenience
// views over pg_class. pg_views lists the user's views (not, as PostgreSQL
// does, the system relations, which have no SQL definition here).
#include "catalog/system/class_entries.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

Value OwnerName(const CatalogSnapshot& snapshot, const TableInfo& table) {
  const RoleInfo* role = snapshot.FindRoleById(table.owner);
  return NameValue(role != nullptr ? role->name : std::string(kBootstrapRoleName));
}

std::vector<Row> TablesRows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const auto& [id, table] : snapshot.Tables()) {
    if (table.IsView()) continue;
    bool indexed = !table.primary_key.empty() || !table.indexes.empty();
    rows.push_back({NameValue(table.schema), NameValue(table.name), OwnerName(snapshot, table), NullValue(),
                    BoolValue(indexed), BoolValue(false), BoolValue(false), BoolValue(false)});
  }
  return rows;
}

std::vector<Row> IndexesRows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const ClassEntry& e : ClassEntries(snapshot, false)) {
    if (e.kind != 'i') continue;
    rows.push_back({NameValue(e.schema), NameValue(e.table->name), NameValue(e.name), NullValue(),
                    TextValue(IndexDefinition(e))});
  }
  return rows;
}

std::vector<Row> ViewsRows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const auto& [id, table] : snapshot.Tables())
    if (table.IsView())
      rows.push_back({NameValue(table.schema), NameValue(table.name), OwnerName(snapshot, table),
                      TextValue(ViewDefinition(table, false))});
  return rows;
}

}  // namespace

extern const SystemRelation kPgTables{
    "pg_catalog", "pg_tables", 12003,
    {{"schemaname", "name"}, {"tablename", "name"}, {"tableowner", "name"}, {"tablespace", "name"},
     {"hasindexes", "boolean"}, {"hasrules", "boolean"}, {"hastriggers", "boolean"}, {"rowsecurity", "boolean"}},
    TablesRows};

extern const SystemRelation kPgIndexes{
    "pg_catalog", "pg_indexes", 12004,
    {{"schemaname", "name"}, {"tablename", "name"}, {"indexname", "name"}, {"tablespace", "name"},
     {"indexdef", "text"}},
    IndexesRows};

extern const SystemRelation kPgViews{
    "pg_catalog", "pg_views", 12005,
    {{"schemaname", "name"}, {"viewname", "name"}, {"viewowner", "name"}, {"definition", "text"}},
    ViewsRows};

}  // namespace tessera::catalog::system
