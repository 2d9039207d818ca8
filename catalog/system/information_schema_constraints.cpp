// information_schema.table_constraints and key_column_usage: primary keys,
// and (table_constraints only) NOT NULL columns as the CHECK constraints
// PostgreSQL 15 lists for them, named "<namespace oid>_<table oid>_<attnum>_not_null".
#include "catalog/system/class_entries.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

Value Id(const std::string& s) { return Value::Text(s, Type::Of(TypeId::kVarchar)); }

Row ConstraintRow(const TableInfo& table, const std::string& name, const char* type) {
  return {Id(kDatabaseName), Id(table.schema), Id(name), Id(kDatabaseName), Id(table.schema), Id(table.name),
          Id(type),          Id("NO"),         Id("NO"), Id("YES"),         NullValue()};
}

std::vector<Row> TableConstraintsRows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const ClassEntry& e : ClassEntries(snapshot, false)) {
    if (e.kind == 'i' && !e.index) rows.push_back(ConstraintRow(*e.table, e.name, "PRIMARY KEY"));
    if (e.kind != 'r') continue;
    for (size_t i = 0; i < e.table->columns.size(); ++i) {
      if (!e.table->columns[i].not_null) continue;
      std::string name = std::to_string(NamespaceOid(e.schema)) + "_" + std::to_string(e.oid) + "_" +
                         std::to_string(i + 1) + "_not_null";
      rows.push_back(ConstraintRow(*e.table, name, "CHECK"));
    }
  }
  return rows;
}

std::vector<Row> KeyColumnUsageRows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const ClassEntry& e : ClassEntries(snapshot, false)) {
    if (e.kind != 'i' || e.index) continue;
    std::vector<int> columns = IndexColumns(e);
    for (size_t i = 0; i < columns.size(); ++i)
      rows.push_back({Id(kDatabaseName), Id(e.schema), Id(e.name), Id(kDatabaseName), Id(e.schema), Id(e.table->name),
                      Id(e.table->columns[columns[i]].name), Int4Value(static_cast<int64_t>(i + 1)), NullValue()});
  }
  return rows;
}

}  // namespace

extern const SystemRelation kInformationSchemaTableConstraints{
    "information_schema", "table_constraints", 13103,
    {{"constraint_catalog", "character varying"}, {"constraint_schema", "character varying"},
     {"constraint_name", "character varying"}, {"table_catalog", "character varying"},
     {"table_schema", "character varying"}, {"table_name", "character varying"},
     {"constraint_type", "character varying"}, {"is_deferrable", "character varying"},
     {"initially_deferred", "character varying"}, {"enforced", "character varying"},
     {"nulls_distinct", "character varying"}},
    TableConstraintsRows};

extern const SystemRelation kInformationSchemaKeyColumnUsage{
    "information_schema", "key_column_usage", 13104,
    {{"constraint_catalog", "character varying"}, {"constraint_schema", "character varying"},
     {"constraint_name", "character varying"}, {"table_catalog", "character varying"},
     {"table_schema", "character varying"}, {"table_name", "character varying"},
     {"column_name", "character varying"}, {"ordinal_position", "integer"},
     {"position_in_unique_constraint", "integer"}},
    KeyColumnUsageRows};

}  // namespace tessera::catalog::system
