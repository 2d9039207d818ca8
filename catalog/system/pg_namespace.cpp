// pg_catalog.pg_namespace: pg_catalog, public and information_schema (the
// only schemas Tessera has). public is owned by pg_database_owner (6171), as
// in PostgreSQL 15.
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

std::vector<Row> Rows(const CatalogSnapshot&) {
  std::vector<Row> rows;
  rows.push_back({OidValue(kPgCatalogNamespaceOid), NameValue("pg_catalog"), OidValue(kBootstrapRoleOid), NullValue()});
  rows.push_back({OidValue(kPublicNamespaceOid), NameValue("public"), OidValue(kDatabaseOwnerRoleOid), NullValue()});
  rows.push_back({OidValue(kInformationSchemaNamespaceOid), NameValue("information_schema"),
                  OidValue(kBootstrapRoleOid), NullValue()});
  return rows;
}

}  // namespace

extern const SystemRelation kPgNamespace{
    "pg_catalog", "pg_namespace", 2615,
    {{"oid", "oid"}, {"nspname", "name"}, {"nspowner", "oid"}, {"nspacl", "aclitem[]"}},
    Rows};

}  // namespace tessera::catalog::system
