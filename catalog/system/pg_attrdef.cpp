// pg_catalog.pg_attrdef: column defaults. adbin holds the default's SQL text
// (PostgreSQL keeps a node tree there); pg_get_expr returns it unchanged.
#include "catalog/system/class_entries.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

std::vector<Row> Rows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const auto& [id, table] : snapshot.Tables()) {
    for (size_t i = 0; i < table.columns.size(); ++i) {
      if (table.columns[i].default_sql.empty() || table.columns[i].identity != '\0') continue;
      int attnum = static_cast<int>(i + 1);
      rows.push_back({OidValue(AttrDefOid(table.id, attnum)), OidValue(table.id), Int2Value(attnum),
                      TextValue(ColumnDefaultText(table.columns[i]))});
    }
  }
  return rows;
}

}  // namespace

extern const SystemRelation kPgAttrdef{
    "pg_catalog", "pg_attrdef", 2604,
    {{"oid", "oid"}, {"adrelid", "oid"}, {"adnum", "smallint"}, {"adbin", "pg_node_tree"}},
    Rows};

}  // namespace tessera::catalog::system
