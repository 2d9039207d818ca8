// pg_catalog.pg_am: heap for tables, btree for indexes (what Tessera's
// LMDB key order gives), with PostgreSQL's OIDs.
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

std::vector<Row> Rows(const CatalogSnapshot&) {
  return {{OidValue(kHeapAmOid), NameValue("heap"), TextValue("heap_tableam_handler"), CharValue('t')},
          {OidValue(kBtreeAmOid), NameValue("btree"), TextValue("bthandler"), CharValue('i')}};
}

}  // namespace

extern const SystemRelation kPgAm{
    "pg_catalog", "pg_am", 2601,
    {{"oid", "oid"}, {"amname", "name"}, {"amhandler", "regproc"}, {"amtype", "\"char\""}},
    Rows};

}  // namespace tessera::catalog::system
