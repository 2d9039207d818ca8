// pg_catalog.pg_description, pg_collation and pg_inherits: the comments of
// tables, views and columns (COMMENT ON; nothing else has one yet); no
// inheritance, so the last is empty; the collations are PostgreSQL's three
// fixed ones (every comparison is C).
#include "catalog/catalog.h"
#include "catalog/system/class_entries.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

Row Collation(uint32_t oid, const char* name, char provider, const char* locale) {
  Value l = locale ? TextValue(locale) : NullValue();
  return {OidValue(oid), NameValue(name), OidValue(kPgCatalogNamespaceOid), OidValue(kBootstrapRoleOid),
          CharValue(provider), BoolValue(true), Int4Value(-1), l, l, NullValue(), NullValue()};
}

constexpr uint32_t kPgClassOid = 1259;

std::vector<Row> DescriptionRows(const CatalogSnapshot& snapshot) {
  // The public schema's, as PostgreSQL's initdb gives it (pg_dump writes
  // COMMENT ON SCHEMA public IS '' for a public schema without it).
  std::vector<Row> rows{{OidValue(kPublicNamespaceOid), OidValue(2615), Int4Value(0), TextValue("standard public schema")}};
  for (const ClassEntry& e : ClassEntries(snapshot, false)) {
    if (!e.table || (e.kind != 'r' && e.kind != 'v')) continue;
    if (!e.table->comment.empty())
      rows.push_back({OidValue(e.oid), OidValue(kPgClassOid), Int4Value(0), TextValue(e.table->comment)});
    for (size_t i = 0; i < e.table->columns.size(); ++i) {
      const std::string& comment = e.table->columns[i].comment;
      if (!comment.empty())
        rows.push_back({OidValue(e.oid), OidValue(kPgClassOid), Int4Value(static_cast<int32_t>(i + 1)),
                        TextValue(comment)});
    }
  }
  return rows;
}

std::vector<Row> CollationRows(const CatalogSnapshot&) {
  return {Collation(kDefaultCollationOid, "default", 'd', nullptr), Collation(950, "C", 'c', "C"),
          Collation(951, "POSIX", 'c', "POSIX")};
}

}  // namespace

extern const SystemRelation kPgDescription{
    "pg_catalog", "pg_description", 2609,
    {{"objoid", "oid"}, {"classoid", "oid"}, {"objsubid", "integer"}, {"description", "text"}},
    DescriptionRows};

extern const SystemRelation kPgCollation{
    "pg_catalog", "pg_collation", 3456,
    {{"oid", "oid"}, {"collname", "name"}, {"collnamespace", "oid"}, {"collowner", "oid"},
     {"collprovider", "\"char\""}, {"collisdeterministic", "boolean"}, {"collencoding", "integer"},
     {"collcollate", "text"}, {"collctype", "text"}, {"colliculocale", "text"}, {"collversion", "text"}},
    CollationRows};

extern const SystemRelation kPgInherits{
    "pg_catalog", "pg_inherits", 2611,
    {{"inhrelid", "oid"}, {"inhparent", "oid"}, {"inhseqno", "integer"}, {"inhdetachpending", "boolean"}},
    NoRows};

}  // namespace tessera::catalog::system
