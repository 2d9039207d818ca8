// pg_catalog.pg_sequence: every sequence's options, as CREATE/ALTER SEQUENCE
// (or a serial column, "AS" its type) set them.
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

std::vector<Row> Rows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const auto& [key, seq] : snapshot.Sequences()) {
    rows.push_back({OidValue(SequenceOid(seq)), OidValue(static_cast<uint32_t>(seq.type)), Int8Value(seq.start),
                    Int8Value(seq.increment), Int8Value(seq.max_value), Int8Value(seq.min_value), Int8Value(seq.cache),
                    BoolValue(seq.cycle)});
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
