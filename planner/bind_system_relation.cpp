// FROM pg_catalog.x / information_schema.x: the virtual system relations of
// catalog/system/, resolved when no user table has the name (Tessera's
// search path is public, then pg_catalog), read by a LogicalSystemScan.
#include <string_view>

#include "catalog/system/system_relation.h"
#include "planner/bind_select_internal.h"
#include "planner/logical_system_scan.h"

namespace tessera::planner {

std::optional<FromResult> SelectBinder::BindSystemRelation(const ast::TableRef& ref) {
  const catalog::CatalogSnapshot& catalog = binder_.catalog_;
  const ast::QualifiedName& name = ref.table;
  if (!name.schema.empty() && !catalog::system::IsSystemSchema(name.schema)) return std::nullopt;
  const catalog::system::SystemRelation* relation = catalog::system::FindSystemRelation(name.schema, name.name);
  if (!relation) return std::nullopt;
  std::vector<Type> types;
  for (const auto& column : relation->columns) types.push_back(catalog::system::SystemColumnType(column));
  // Every row also carries the system column tableoid, the relation's own
  // OID: pg_dump reads it with each object to name the catalog it came from.
  Type oid_type = Type::Of(TypeId::kOid);
  std::vector<Row> rows = catalog::system::GenerateSystemRows(*relation, catalog);
  Value table_oid = Value::Int8(relation->oid).CastTo(oid_type);
  for (Row& row : rows) row.push_back(table_oid);
  types.push_back(oid_type);
  FromResult out;
  out.plan = std::make_shared<LogicalSystemScan>(std::string(relation->schema) + "." + relation->name, types,
                                                 std::move(rows));
  std::string alias = ref.alias.empty() ? relation->name : ref.alias;
  for (size_t i = 0; i + 1 < types.size(); ++i) {
    out.scope.columns.push_back(
        {alias, relation->columns[i].name, types[i], relation->oid, static_cast<int16_t>(i + 1), false});
    out.scope.columns.back().name_type = std::string_view(relation->columns[i].pg_type) == "name";
  }
  ScopeColumn tableoid{alias, "tableoid", oid_type, relation->oid, -6, false};  // PostgreSQL's attnum for it
  tableoid.system = true;
  out.scope.columns.push_back(tableoid);
  return out;
}

}  // namespace tessera::planner
