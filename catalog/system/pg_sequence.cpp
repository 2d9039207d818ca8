// pg_catalog.pg_sequence: every sequence (no cycle, cache 1).
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

// A serial column's sequence has the column's integer type (PostgreSQL's
// "AS integer" for serial); any other sequence is bigint.
TypeId SequenceType(const CatalogSnapshot& snapshot, const SequenceInfo& seq) {
  const TableInfo* owner = seq.owned_by_table.empty() ? nullptr : snapshot.FindTable(seq.schema, seq.owned_by_table);
  if (!owner) return TypeId::kInt8;
  std::string default_sql = "nextval('" + seq.name + "'::regclass)";
  for (const ColumnInfo& c : owner->columns)
    if (c.is_serial && c.default_sql == default_sql) return c.type.id;
  return TypeId::kInt8;
}

int64_t MaxOf(TypeId id) {
  return id == TypeId::kInt2 ? INT16_MAX : id == TypeId::kInt4 ? INT32_MAX : INT64_MAX;
}

std::vector<Row> Rows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const auto& [key, seq] : snapshot.Sequences()) {
    TypeId type = SequenceType(snapshot, seq);
    bool ascending = seq.increment > 0;
    rows.push_back({OidValue(SequenceOid(seq)), OidValue(static_cast<uint32_t>(type)), Int8Value(seq.start),
                    Int8Value(seq.increment), Int8Value(ascending ? MaxOf(type) : -1),
                    Int8Value(ascending ? 1 : -MaxOf(type) - 1), Int8Value(1), BoolValue(false)});
  }
  return rows;
}

}  // namespace

extern const SystemRelation kPgSequence{
    "pg_catalog", "pg_sequence", 2224,
    {{"seqrelid", "oid"}, {"seqtypid", "oid"}, {"seqstart", "bigint"}, {"seqincrement", "bigint"},
     {"seqmax", "bigint"}, {"seqmin", "bigint"}, {"seqcache", "bigint"}, {"seqcycle", "boolean"}},
    Rows};

}  // namespace tessera::catalog::system
