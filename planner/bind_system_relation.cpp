// FROM pg_catalog.x / information_schema.x: the virtual system relations of
// catalog/system/, resolved when no user table has the name (Tessera's
// search path is public, then pg_catalog), read by a LogicalSystemScan.
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
  FromResult out;
  out.plan = std::make_shared<LogicalSystemScan>(std::string(relation->schema) + "." + relation->name, types,
                                                 catalog::system::GenerateSystemRows(*relation, catalog));
  std::string alias = ref.alias.empty() ? relation->name : ref.alias;
  for (size_t i = 0; i < types.size(); ++i)
    out.scope.columns.push_back(
        {alias, relation->columns[i].name, types[i], relation->oid, static_cast<int16_t>(i + 1), false});
  return out;
}

}  // namespace tessera::planner
