// pg_catalog.pg_index: the primary key's index and every secondary index.
// indkey is an int2vector in its text form ("1 2"): 1-based column numbers.
#include "catalog/system/class_entries.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

std::string Vector(const std::vector<int>& items) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? " " : "") + std::to_string(items[i]);
  return out;
}

std::vector<Row> Rows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const ClassEntry& e : ClassEntries(snapshot, false)) {
    if (e.kind != 'i') continue;
    std::vector<int> columns = IndexColumns(e);
    std::vector<int> keys, collations, classes, options;
    for (size_t i = 0; i < columns.size(); ++i) {
      keys.push_back(columns[i] + 1);
      collations.push_back(0);
      classes.push_back(0);
      options.push_back(e.index && i < e.index->descending.size() && e.index->descending[i] ? 3 : 0);
    }
    bool unique = !e.index || e.index->unique;
    int n = static_cast<int>(columns.size());
    rows.push_back({
        OidValue(e.oid), OidValue(e.table->id), Int2Value(n), Int2Value(n), BoolValue(unique), BoolValue(false),
        BoolValue(e.index == nullptr), BoolValue(false), BoolValue(true), BoolValue(false), BoolValue(true),
        BoolValue(false), BoolValue(true), BoolValue(true), BoolValue(false), TextValue(Vector(keys)),
        TextValue(Vector(collations)), TextValue(Vector(classes)), TextValue(Vector(options)), NullValue(),
        NullValue(),
    });
  }
  return rows;
}

}  // namespace

extern const SystemRelation kPgIndex{
    "pg_catalog", "pg_index", 2610,
    {{"indexrelid", "oid"},      {"indrelid", "oid"},          {"indnatts", "smallint"},
     {"indnkeyatts", "smallint"}, {"indisunique", "boolean"},  {"indnullsnotdistinct", "boolean"},
     {"indisprimary", "boolean"}, {"indisexclusion", "boolean"}, {"indimmediate", "boolean"},
     {"indisclustered", "boolean"}, {"indisvalid", "boolean"}, {"indcheckxmin", "boolean"},
     {"indisready", "boolean"},  {"indislive", "boolean"},     {"indisreplident", "boolean"},
     {"indkey", "int2vector"},   {"indcollation", "oidvector"}, {"indclass", "oidvector"},
     {"indoption", "int2vector"}, {"indexprs", "pg_node_tree"}, {"indpred", "pg_node_tree"}},
    Rows};

}  // namespace tessera::catalog::system
