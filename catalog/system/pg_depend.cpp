// pg_catalog.pg_depend: only what tools read it for today, the automatic
// dependency of a sequence on the column that owns it (OWNED BY, serial),
// which psql's \d and ORMs use to find a column's sequence. Other
// dependencies (views on tables, defaults on sequences) are not listed.
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

constexpr uint32_t kPgClassOid = 1259;

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
  }
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
