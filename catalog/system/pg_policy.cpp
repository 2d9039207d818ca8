// pg_catalog.pg_policy: row-level security policies. Tessera has none, so
// it is empty; psql's \d TABLE reads it for every table.
#include "catalog/system/system_relation.h"

namespace tessera::catalog::system {
extern const SystemRelation kPgPolicy{
    "pg_catalog", "pg_policy", 3256,
    {{"oid", "oid"}, {"polname", "name"}, {"polrelid", "oid"}, {"polcmd", "\"char\""}, {"polpermissive", "boolean"},
     {"polroles", "oid[]"}, {"polqual", "pg_node_tree"}, {"polwithcheck", "pg_node_tree"}},
    NoRows};

}  // namespace tessera::catalog::system
