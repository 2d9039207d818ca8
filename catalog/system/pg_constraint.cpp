// pg_catalog.pg_constraint: primary keys, UNIQUE constraints, foreign keys
// and CHECK constraints (NOT NULL lives in pg_attribute, as in PostgreSQL
// 15). A unique index made by CREATE UNIQUE INDEX has no row, as there.
#include "catalog/system/class_entries.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

std::string KeyArray(const std::vector<int>& columns) {
  std::string key = "{";
  for (size_t i = 0; i < columns.size(); ++i) key += (i ? "," : "") + std::to_string(columns[i] + 1);
  return key + "}";
}

void AddForeignKeys(const CatalogSnapshot& snapshot, std::vector<Row>* rows) {
  for (const auto& [id, table] : snapshot.Tables()) {
    for (const ForeignKeyInfo& fk : table.foreign_keys) {
      rows->push_back({
          OidValue(ForeignKeyConstraintOid(id, fk.name)), NameValue(fk.name), OidValue(NamespaceOid(table.schema)),
          CharValue('f'), BoolValue(false), BoolValue(false), BoolValue(true), OidValue(id), OidValue(0),
          OidValue(ForeignKeyIndexOid(snapshot, fk)), OidValue(0), OidValue(fk.ref_table), CharValue(fk.on_update),
          CharValue(fk.on_delete), CharValue(fk.match), BoolValue(true), Int4Value(0), BoolValue(true),
          TextValue(KeyArray(fk.columns)), TextValue(KeyArray(fk.ref_columns)), NullValue(), NullValue(),
          NullValue(), NullValue(), NullValue(), NullValue(),
      });
    }
  }
}

// CHECK constraints, with the expression as written (conbin holds its SQL
// text, as pg_attrdef.adbin does a default's). Their OIDs share the foreign
// keys' range: both hash the table and the constraint's name, which is
// unique per table.
void AddChecks(const CatalogSnapshot& snapshot, std::vector<Row>* rows) {
  for (const auto& [id, table] : snapshot.Tables()) {
    for (const CheckInfo& check : table.checks) {
      rows->push_back({
          OidValue(ForeignKeyConstraintOid(id, check.name)), NameValue(check.name), OidValue(NamespaceOid(table.schema)),
          CharValue('c'), BoolValue(false), BoolValue(false), BoolValue(true), OidValue(id), OidValue(0), OidValue(0),
          OidValue(0), OidValue(0), CharValue(' '), CharValue(' '), CharValue(' '), BoolValue(true), Int4Value(0),
          BoolValue(false), NullValue(), NullValue(), NullValue(), NullValue(), NullValue(), NullValue(), NullValue(),
          TextValue(check.sql),
      });
    }
  }
}

// UNIQUE constraints: conindid names the index that enforces them, which
// is how psql's \d prints "UNIQUE CONSTRAINT" and pg_dump writes ADD
// CONSTRAINT instead of CREATE INDEX. OIDs as the foreign keys'.
void AddUniqueConstraints(const CatalogSnapshot& snapshot, std::vector<Row>* rows) {
  for (const auto& [id, table] : snapshot.Tables()) {
    for (const IndexInfo& index : table.indexes) {
      if (!index.constraint) continue;
      rows->push_back({
          OidValue(ForeignKeyConstraintOid(id, index.name)), NameValue(index.name), OidValue(NamespaceOid(table.schema)),
          CharValue('u'), BoolValue(false), BoolValue(false), BoolValue(true), OidValue(id), OidValue(0),
          OidValue(IndexOid(index.id)), OidValue(0), OidValue(0), CharValue(' '), CharValue(' '), CharValue(' '),
          BoolValue(true), Int4Value(0), BoolValue(true), TextValue(KeyArray(index.columns)), NullValue(), NullValue(),
          NullValue(), NullValue(), NullValue(), NullValue(), NullValue(),
      });
    }
  }
}

std::vector<Row> Rows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const ClassEntry& e : ClassEntries(snapshot, false)) {
    if (e.kind != 'i' || e.index) continue;
    std::string key = "{";
    std::vector<int> columns = IndexColumns(e);
    for (size_t i = 0; i < columns.size(); ++i) key += (i ? "," : "") + std::to_string(columns[i] + 1);
    key += "}";
    rows.push_back({
        OidValue(PrimaryConstraintOid(e.table->id)), NameValue(e.name), OidValue(NamespaceOid(e.schema)),
        CharValue('p'), BoolValue(false), BoolValue(false), BoolValue(true), OidValue(e.table->id), OidValue(0),
        OidValue(e.oid), OidValue(0), OidValue(0), CharValue(' '), CharValue(' '), CharValue(' '), BoolValue(true),
        Int4Value(0), BoolValue(true), TextValue(key), NullValue(), NullValue(), NullValue(), NullValue(),
        NullValue(), NullValue(), NullValue(),
    });
  }
  AddUniqueConstraints(snapshot, &rows);
  AddForeignKeys(snapshot, &rows);
  AddChecks(snapshot, &rows);
  return rows;
}

}  // namespace

extern const SystemRelation kPgConstraint{
    "pg_catalog", "pg_constraint", 2606,
    {{"oid", "oid"},             {"conname", "name"},          {"connamespace", "oid"},
     {"contype", "\"char\""},    {"condeferrable", "boolean"}, {"condeferred", "boolean"},
     {"convalidated", "boolean"}, {"conrelid", "oid"},         {"contypid", "oid"},
     {"conindid", "oid"},        {"conparentid", "oid"},       {"confrelid", "oid"},
     {"confupdtype", "\"char\""}, {"confdeltype", "\"char\""}, {"confmatchtype", "\"char\""},
     {"conislocal", "boolean"},  {"coninhcount", "integer"},   {"connoinherit", "boolean"},
     {"conkey", "smallint[]"},   {"confkey", "smallint[]"},    {"conpfeqop", "oid[]"},
     {"conppeqop", "oid[]"},     {"conffeqop", "oid[]"},       {"confdelsetcols", "smallint[]"},
     {"conexclop", "oid[]"},     {"conbin", "pg_node_tree"}},
    Rows};

}  // namespace tessera::catalog::system
