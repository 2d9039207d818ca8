// pg_catalog.pg_publication, pg_publication_namespace and
// pg_publication_rel: logical replication publications. Tessera has none,
// so they are empty; psql's \d TABLE reads them.
#include "catalog/system/system_relation.h"

namespace tessera::catalog::system {
extern const SystemRelation kPgPublication{
    "pg_catalog", "pg_publication", 6104,
    {{"oid", "oid"}, {"pubname", "name"}, {"pubowner", "oid"}, {"puballtables", "boolean"}, {"pubinsert", "boolean"},
     {"pubupdate", "boolean"}, {"pubdelete", "boolean"}, {"pubtruncate", "boolean"}, {"pubviaroot", "boolean"}},
    NoRows};

extern const SystemRelation kPgPublicationNamespace{
    "pg_catalog", "pg_publication_namespace", 6237, {{"oid", "oid"}, {"pnpubid", "oid"}, {"pnnspid", "oid"}}, NoRows};

// prattrs is an int2vector in PostgreSQL; an array here, so it subscripts the same.
extern const SystemRelation kPgPublicationRel{
    "pg_catalog", "pg_publication_rel", 6106,
    {{"oid", "oid"}, {"prpubid", "oid"}, {"prrelid", "oid"}, {"prqual", "pg_node_tree"}, {"prattrs", "smallint[]"}},
    NoRows};

}  // namespace tessera::catalog::system
