// pg_catalog.pg_init_privs: the privileges objects had when the database
// was made. Tessera's three schemas are the only such objects with a list
// (pg_namespace.nspacl); their initial lists are the defaults (acl.h). pg_dump
// compares each object's list with this one and writes GRANT/REVOKE for the
// difference, so without these rows it would re-grant the schemas' defaults.
#include "catalog/acl.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

constexpr uint32_t kPgNamespaceOid = 2615;

std::vector<Row> Rows(const CatalogSnapshot& snapshot) {
  static const CatalogSnapshot kNoGrants;  // the lists before any GRANT
  std::vector<Row> rows;
  for (const char* schema : {"pg_catalog", "public", "information_schema"})
    rows.push_back({OidValue(NamespaceOid(schema)), OidValue(kPgNamespaceOid), Int4Value(0), CharValue('i'),
                    TextValue(AclText(SchemaAcl(kNoGrants, schema), snapshot))});
  return rows;
}

}  // namespace

extern const SystemRelation kPgInitPrivs{"pg_catalog",
                                         "pg_init_privs",
                                         3394,
                                         {{"objoid", "oid"},
                                          {"classoid", "oid"},
                                          {"objsubid", "integer"},
                                          {"privtype", "\"char\""},
                                          {"initprivs", "aclitem[]"}},
                                         Rows};

}  // namespace tessera::catalog::system
