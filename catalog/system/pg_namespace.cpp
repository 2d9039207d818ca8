// pg_catalog.pg_namespace: pg_catalog, public and information_schema (the
// only schemas Tessera has). public is owned by pg_database_owner (6171), as
// in PostgreSQL 15. Each temp schema (pg_temp_<n>, common/temp_schema.h)
// that holds a table is listed too, owned by the bootstrap superuser as
// PostgreSQL's are.
#include <set>

#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"
#include "common/temp_schema.h"

namespace tessera::catalog::system {
namespace {

// nspacl: every schema's list, in its text form (aclitem[] is text here).
std::vector<Row> Rows(const CatalogSnapshot& snapshot) {
  std::vector<Row> rows;
  for (const char* schema : {"pg_catalog", "public", "information_schema"})
    rows.push_back({OidValue(NamespaceOid(schema)), NameValue(schema), OidValue(SchemaOwner(schema)),
                    TextValue(AclText(SchemaAcl(snapshot, schema), snapshot))});
  std::set<std::string> temp;
  for (const auto& [id, table] : snapshot.Tables())
    if (IsTempSchema(table.schema)) temp.insert(table.schema);
  for (const std::string& schema : temp)
    rows.push_back({OidValue(NamespaceOid(schema)), NameValue(schema), OidValue(kBootstrapRoleOid), NullValue()});
  return rows;
}

}  // namespace

extern const SystemRelation kPgNamespace{
    "pg_catalog", "pg_namespace", 2615,
    {{"oid", "oid"}, {"nspname", "name"}, {"nspowner", "oid"}, {"nspacl", "aclitem[]"}},
    Rows};

}  // namespace tessera::catalog::system
