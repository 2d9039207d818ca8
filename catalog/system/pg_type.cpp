// pg_catalog.pg_type: the built-in types (builtin_types.h), scalars and
// their one-dimensional array types. Tessera has no composite, domain or
// enum types, so typrelid is 0.
#include "catalog/system/builtin_types.h"
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"

namespace tessera::catalog::system {
namespace {

std::vector<Row> Rows(const CatalogSnapshot&) {
  std::vector<Row> rows;
  for (const BuiltinType& t : BuiltinTypes()) {
    // An array type takes its element's typmod functions, as in PostgreSQL.
    uint32_t base = t.category == 'A' ? t.element : t.oid;
    const char* base_name = t.category == 'A' ? FindBuiltinType(base)->name : t.name;
    bool has_typmod = base == 1042 || base == 1043 || base == 1700 || base == 1114 || base == 1184;
    bool is_array = t.category == 'A';
    rows.push_back({
        OidValue(t.oid), NameValue(t.name), OidValue(kPgCatalogNamespaceOid), OidValue(kBootstrapRoleOid),
        Int2Value(t.length), BoolValue(t.by_value), CharValue('b'), CharValue(t.category), BoolValue(t.preferred),
        BoolValue(true), CharValue(','), OidValue(0), TextValue(is_array ? "array_subscript_handler" : "-"),
        OidValue(t.element), OidValue(BuiltinArrayTypeOf(t.oid)),
        TextValue(t.input), TextValue(t.output), TextValue(t.receive), TextValue(t.send),
        TextValue(has_typmod ? std::string(base_name) + "typmodin" : "-"),
        TextValue(has_typmod ? std::string(base_name) + "typmodout" : "-"),
        TextValue(is_array ? "array_typanalyze" : "-"), CharValue(t.align),
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
