// pg_catalog.pg_proc: the scalar built-ins of common/builtin_functions.h,
// one row per overload (aggregates and the special forms the binder handles
// itself are not listed). OIDs follow the registry's order (ProcOid).
#include "catalog/system/system_oids.h"
#include "catalog/system/system_relation.h"
#include "catalog/system/system_values.h"
#include "common/builtin_functions.h"

namespace tessera::catalog::system {
namespace {

std::vector<Row> Rows(const CatalogSnapshot&) {
  std::vector<Row> rows;
  const auto& overloads = BuiltinFunctionOverloads();
  for (size_t i = 0; i < overloads.size(); ++i) {
    const FunctionOverload& f = overloads[i];
    std::string args;
    for (size_t a = 0; a < f.arg_types.size(); ++a) args += (a ? " " : "") + std::to_string(static_cast<uint32_t>(f.arg_types[a]));
    rows.push_back({
        OidValue(ProcOid(i)), NameValue(f.name), OidValue(kPgCatalogNamespaceOid), OidValue(kBootstrapRoleOid),
        OidValue(12),  // internal
        Value::Float4(1), Value::Float4(0), OidValue(0), TextValue("-"), CharValue('f'), BoolValue(false),
        BoolValue(false), BoolValue(f.strict), BoolValue(false), CharValue(f.volatile_fn ? 'v' : 'i'), CharValue('s'),
        Int2Value(static_cast<int>(f.arg_types.size())), Int2Value(0),
        OidValue(static_cast<uint32_t>(f.return_type == TypeId::kUnknown && !f.arg_types.empty() ? f.arg_types[0]
                                                                                                  : f.return_type)),
        TextValue(args), NullValue(), NullValue(), NullValue(), NullValue(), NullValue(), TextValue(f.name),
        NullValue(), NullValue(), NullValue(), NullValue(),
    });
  }
  return rows;
}

}  // namespace

extern const SystemRelation kPgProc{
    "pg_catalog", "pg_proc", 1255,
    {{"oid", "oid"},             {"proname", "name"},           {"pronamespace", "oid"},
     {"proowner", "oid"},        {"prolang", "oid"},            {"procost", "real"},
     {"prorows", "real"},        {"provariadic", "oid"},        {"prosupport", "regproc"},
     {"prokind", "\"char\""},    {"prosecdef", "boolean"},      {"proleakproof", "boolean"},
     {"proisstrict", "boolean"}, {"proretset", "boolean"},      {"provolatile", "\"char\""},
     {"proparallel", "\"char\""}, {"pronargs", "smallint"},     {"pronargdefaults", "smallint"},
     {"prorettype", "oid"},      {"proargtypes", "oidvector"},  {"proallargtypes", "oid[]"},
     {"proargmodes", "\"char\"[]"}, {"proargnames", "text[]"},  {"proargdefaults", "pg_node_tree"},
     {"protrftypes", "oid[]"},   {"prosrc", "text"},            {"probin", "text"},
     {"prosqlbody", "pg_node_tree"}, {"proconfig", "text[]"},   {"proacl", "aclitem[]"}},
    Rows};

}  // namespace tessera::catalog::system
