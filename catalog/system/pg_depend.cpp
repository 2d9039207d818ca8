// pg_catalog.pg_depend: what tools read it for today. The automatic
// dependency of a sequence on the column that owns it (OWNED BY, serial),
// which psql's \d and ORMs use to find a column's sequence; and the normal
// ones pg_dump orders its output by: a view on the tables and views its
// query names (PostgreSQL records them on the view's _RETURN rule; Tessera
// has no rules, so on the view itself, which pg_dump reads the same), and a
// serial column's default on its sequence.
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

constexpr uint32_t kPgClassOid = 1259;
constexpr uint32_t kPgAttrdefOid = 2604;

std::vector<Row> Rows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const auto& [key, seq] : snapshot.Sequences()) {
    if (seq.owned_by_table.empty() || seq.owned_by_column.empty()) continue;
    const TableInfo* table = snapshot.FindTable(seq.schema, seq.owned_by_table);
    if (!table) continue;
    auto column = table->FindColumn(seq.owned_by_column);
    if (!column) continue;
    rows.push_back({OidValue(kPgClassOid), OidValue(SequenceOid(seq)), Int4Value(0), OidValue(kPgClassOid),
                    OidValue(table->id), Int4Value(*column + 1),
                    CharValue(table->columns[*column].identity ? 'i' : 'a')});
    const ColumnInfo& owner = table->columns[*column];
    if (!owner.identity && owner.default_sql.find("nextval") != std::string::npos)
      rows.push_back({OidValue(kPgAttrdefOid), OidValue(AttrDefOid(table->id, *column + 1)), Int4Value(0),
                      OidValue(kPgClassOid), OidValue(SequenceOid(seq)), Int4Value(0), CharValue('n')});
  }
  for (const auto& [id, table] : snapshot.Tables())
    for (uint32_t used : table.view_depends_on)
      rows.push_back({OidValue(kPgClassOid), OidValue(id), Int4Value(0), OidValue(kPgClassOid), OidValue(used),
                      Int4Value(0), CharValue('n')});
  return rows;
}

}  // namespace

extern const SystemRelation kPgDepend{"pg_catalog",
                                      "pg_depend",
                                      2608,
                                      {{"classid", "oid"},
                                       {"objid", "oid"},
                                       {"objsubid", "integer"},
                                       {"refclassid", "oid"},
                                       {"refobjid", "oid"},
                                       {"refobjsubid", "integer"},
                                       {"deptype", "\"char\""}},
                                      Rows};

}  // namespace tessera::catalog::system
