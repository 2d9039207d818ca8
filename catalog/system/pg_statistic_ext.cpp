// pg_catalog.pg_statistic_ext: extended statistics objects (CREATE
// STATISTICS). Tessera has none, so it is empty; psql's \d TABLE reads it.
#include "catalog/system/system_relation.h"

namespace tessera::catalog::system {
extern const SystemRelation kPgStatisticExt{
    "pg_catalog", "pg_statistic_ext", 3381,
    {{"oid", "oid"}, {"stxrelid", "oid"}, {"stxname", "name"}, {"stxnamespace", "oid"}, {"stxowner", "oid"},
     {"stxstattarget", "integer"}, {"stxkeys", "int2vector"}, {"stxkind", "\"char\"[]"}, {"stxexprs", "pg_node_tree"}},
    NoRows};

}  // namespace tessera::catalog::system
