// pg_catalog.pg_constraint: primary keys (Tessera's only stored constraint
// kind so far; NOT NULL lives in pg_attribute, as in PostgreSQL 15).
#include "catalog/system/class_entries.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

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
