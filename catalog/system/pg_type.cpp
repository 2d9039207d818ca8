// pg_catalog.pg_type: the built-in types (builtin_types.h). Tessera has no
// array, composite, domain or enum types, so typarray and typrelid are 0.
#include "catalog/system/builtin_types.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

std::vector<Row> Rows(const CatalogSnapshot&) {
  std::vector<Row> rows;
  for (const BuiltinType& t : BuiltinTypes()) {
    bool has_typmod = t.oid == 1042 || t.oid == 1043 || t.oid == 1700 || t.oid == 1114 || t.oid == 1184;
    rows.push_back({
        OidValue(t.oid), NameValue(t.name), OidValue(kPgCatalogNamespaceOid), OidValue(kBootstrapRoleOid),
        Int2Value(t.length), BoolValue(t.by_value), CharValue('b'), CharValue(t.category), BoolValue(t.preferred),
        BoolValue(true), CharValue(','), OidValue(0), TextValue("-"), OidValue(t.element),
        OidValue(0),  // typarray: no array types
        TextValue(t.input), TextValue(t.output), TextValue(t.receive), TextValue(t.send),
        TextValue(has_typmod ? std::string(t.name) + "typmodin" : "-"),
        TextValue(has_typmod ? std::string(t.name) + "typmodout" : "-"), TextValue("-"), CharValue(t.align),
        CharValue(t.storage), BoolValue(false), OidValue(0), Int4Value(-1), Int4Value(0), OidValue(t.collation),
        NullValue(), NullValue(), NullValue(),
    });
  }
  return rows;
}

}  // namespace

extern const SystemRelation kPgType{
    "pg_catalog", "pg_type", 1247,
    {{"oid", "oid"},           {"typname", "name"},          {"typnamespace", "oid"},   {"typowner", "oid"},
     {"typlen", "smallint"},   {"typbyval", "boolean"},      {"typtype", "\"char\""},   {"typcategory", "\"char\""},
     {"typispreferred", "boolean"}, {"typisdefined", "boolean"}, {"typdelim", "\"char\""}, {"typrelid", "oid"},
     {"typsubscript", "regproc"}, {"typelem", "oid"},         {"typarray", "oid"},       {"typinput", "regproc"},
     {"typoutput", "regproc"}, {"typreceive", "regproc"},    {"typsend", "regproc"},    {"typmodin", "regproc"},
     {"typmodout", "regproc"}, {"typanalyze", "regproc"},    {"typalign", "\"char\""},  {"typstorage", "\"char\""},
     {"typnotnull", "boolean"}, {"typbasetype", "oid"},      {"typtypmod", "integer"},  {"typndims", "integer"},
     {"typcollation", "oid"},  {"typdefaultbin", "pg_node_tree"}, {"typdefault", "text"}, {"typacl", "aclitem[]"}},
    Rows};

}  // namespace tessera::catalog::system
