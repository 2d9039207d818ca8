// information_schema.sequences: every sequence, its numbers as text
// (character_data), as PostgreSQL's view shows them.
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

Value Id(const std::string& s) { return Value::Text(s, Type::Of(TypeId::kVarchar)); }

std::vector<Row> Rows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const auto& [key, seq] : snapshot.Sequences()) {
    int precision = seq.type == TypeId::kInt2 ? 16 : seq.type == TypeId::kInt4 ? 32 : 64;
    const char* type = seq.type == TypeId::kInt2 ? "smallint" : seq.type == TypeId::kInt4 ? "integer" : "bigint";
    rows.push_back({Id(kDatabaseName), Id(seq.schema), Id(seq.name), Id(type), Int4Value(precision), Int4Value(2),
                    Int4Value(0), Id(std::to_string(seq.start)), Id(std::to_string(seq.min_value)),
                    Id(std::to_string(seq.max_value)), Id(std::to_string(seq.increment)),
                    Id(seq.cycle ? "YES" : "NO")});
  }
  return rows;
}

}  // namespace

extern const SystemRelation kInformationSchemaSequences{"information_schema",
                                                        "sequences",
                                                        13107,
                                                        {{"sequence_catalog", "character varying"},
                                                         {"sequence_schema", "character varying"},
                                                         {"sequence_name", "character varying"},
                                                         {"data_type", "character varying"},
                                                         {"numeric_precision", "integer"},
                                                         {"numeric_precision_radix", "integer"},
                                                         {"numeric_scale", "integer"},
                                                         {"start_value", "character varying"},
                                                         {"minimum_value", "character varying"},
                                                         {"maximum_value", "character varying"},
                                                         {"increment", "character varying"},
                                                         {"cycle_option", "character varying"}},
                                                        Rows};

}  // namespace tessera::catalog::system
