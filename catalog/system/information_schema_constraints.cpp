// information_schema.table_constraints, key_column_usage and
// referential_constraints: primary keys, UNIQUE constraints, foreign keys, and
// (table_constraints only) NOT NULL columns as the CHECK constraints
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
    for (const IndexInfo& index : e.table->indexes)
      if (index.constraint) rows.push_back(ConstraintRow(*e.table, index.name, "UNIQUE"));
    for (const ForeignKeyInfo& fk : e.table->foreign_keys)
      rows.push_back(ConstraintRow(*e.table, fk.name, "FOREIGN KEY"));
    for (size_t i = 0; i < e.table->columns.size(); ++i) {
      if (!e.table->columns[i].not_null) continue;
      std::string name = std::to_string(NamespaceOid(e.schema)) + "_" + std::to_string(e.oid) + "_" +
                         std::to_string(i + 1) + "_not_null";
      rows.push_back(ConstraintRow(*e.table, name, "CHECK"));
    }
  }
  return rows;
}

// The referenced key's columns in the order its constraint lists them.
std::vector<int> ReferencedKeyColumns(const CatalogSnapshot& snapshot, const ForeignKeyInfo& fk) {
  const TableInfo* parent = snapshot.FindTableById(fk.ref_table);
  if (parent == nullptr) return {};
  uint32_t index_oid = ForeignKeyIndexOid(snapshot, fk);
  if (index_oid == PrimaryIndexOid(parent->id)) return parent->primary_key;
  for (const IndexInfo& index : parent->indexes)
    if (IndexOid(index.id) == index_oid) return index.columns;
  return {};
}

std::string ReferencedKeyName(const CatalogSnapshot& snapshot, const ForeignKeyInfo& fk) {
  const TableInfo* parent = snapshot.FindTableById(fk.ref_table);
  if (parent == nullptr) return {};
  uint32_t index_oid = ForeignKeyIndexOid(snapshot, fk);
  if (index_oid == PrimaryIndexOid(parent->id)) return parent->primary_key_name;
  for (const IndexInfo& index : parent->indexes)
    if (IndexOid(index.id) == index_oid) return index.name;
  return {};
}

void AddForeignKeyColumns(const CatalogSnapshot& snapshot, const TableInfo& table, std::vector<Row>* rows) {
  for (const ForeignKeyInfo& fk : table.foreign_keys) {
    std::vector<int> key = ReferencedKeyColumns(snapshot, fk);
    for (size_t i = 0; i < fk.columns.size(); ++i) {
      Value position = NullValue();
      for (size_t k = 0; k < key.size(); ++k)
        if (key[k] == fk.ref_columns[i]) position = Int4Value(static_cast<int64_t>(k + 1));
      rows->push_back({Id(kDatabaseName), Id(table.schema), Id(fk.name), Id(kDatabaseName), Id(table.schema),
                       Id(table.name), Id(table.columns[fk.columns[i]].name), Int4Value(static_cast<int64_t>(i + 1)),
                       position});
    }
  }
}

std::vector<Row> ReferentialConstraintsRows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const ClassEntry& e : ClassEntries(snapshot, false)) {
    if (e.kind != 'r') continue;
    for (const ForeignKeyInfo& fk : e.table->foreign_keys) {
      const TableInfo* parent = snapshot.FindTableById(fk.ref_table);
      rows.push_back({Id(kDatabaseName), Id(e.schema), Id(fk.name), Id(kDatabaseName),
                      Id(parent ? parent->schema : e.schema), Id(ReferencedKeyName(snapshot, fk)),
                      Id(fk.match == 'f' ? "FULL" : "NONE"), Id(ForeignKeyActionName(fk.on_update)), Id(ForeignKeyActionName(fk.on_delete))});
    }
  }
  return rows;
}

std::vector<Row> KeyColumnUsageRows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const ClassEntry& e : ClassEntries(snapshot, false)) {
    if (e.kind == 'r') AddForeignKeyColumns(snapshot, *e.table, &rows);
    if (e.kind == 'r')
      for (const IndexInfo& index : e.table->indexes) {
        if (!index.constraint) continue;
        for (size_t i = 0; i < index.columns.size(); ++i)
          rows.push_back({Id(kDatabaseName), Id(e.schema), Id(index.name), Id(kDatabaseName), Id(e.schema),
                          Id(e.table->name), Id(e.table->columns[index.columns[i]].name),
                          Int4Value(static_cast<int64_t>(i + 1)), NullValue()});
      }
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

extern const SystemRelation kInformationSchemaReferentialConstraints{
    "information_schema", "referential_constraints", 13106,
    {{"constraint_catalog", "character varying"}, {"constraint_schema", "character varying"},
     {"constraint_name", "character varying"}, {"unique_constraint_catalog", "character varying"},
     {"unique_constraint_schema", "character varying"}, {"unique_constraint_name", "character varying"},
     {"match_option", "character varying"}, {"update_rule", "character varying"},
     {"delete_rule", "character varying"}},
    ReferentialConstraintsRows};

}  // namespace tessera::catalog::system
