// pg_catalog.pg_database: Tessera serves one database per server or
// cluster, named "tessera" (kDatabaseName); there are no templates.
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

std::vector<Row> Rows(const CatalogSnapshot&) {
  return {{OidValue(kDatabaseOid), NameValue(kDatabaseName), OidValue(kBootstrapRoleOid), Int4Value(6),  // UTF8
           CharValue('c'), BoolValue(false), BoolValue(true), Int4Value(-1), OidValue(0), OidValue(1),
           OidValue(1663), TextValue("C"), TextValue("C"), NullValue(), NullValue(), NullValue()}};
}

}  // namespace

extern const SystemRelation kPgDatabase{
    "pg_catalog", "pg_database", 1262,
    {{"oid", "oid"},              {"datname", "name"},          {"datdba", "oid"},
     {"encoding", "integer"},     {"datlocprovider", "\"char\""}, {"datistemplate", "boolean"},
     {"datallowconn", "boolean"}, {"datconnlimit", "integer"},  {"datfrozenxid", "xid"},
     {"datminmxid", "xid"},       {"dattablespace", "oid"},     {"datcollate", "text"},
     {"datctype", "text"},        {"daticulocale", "text"},     {"datcollversion", "text"},
     {"datacl", "aclitem[]"}},
    Rows};

}  // namespace tessera::catalog::system
