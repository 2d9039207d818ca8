// Lookups on an immutable catalog version. Tables are keyed by id, so name
// lookups walk them; catalogs hold tens to hundreds of tables and the
// planner caches what it resolved, so a linear walk is cheaper than keeping
// a second index in sync.
#include "catalog/catalog.h"
#include "common/temp_schema.h"

namespace tessera::catalog {

namespace {

// The schemas a name is looked for in, in order. An empty schema means the
// search path: the session's temp schema (common/temp_schema.h), then
// "public" (pg_catalog's relations are virtual and resolved by the
// planner); "pg_temp" is the session's temp schema, none if it has none.
std::vector<std::string> SearchSchemas(const std::string& wanted) {
  const std::string& temp = ActiveTempSchema();
  if (wanted.empty()) {
    if (temp.empty()) return {"public"};
    return {temp, "public"};
  }
  if (wanted == kTempSchemaAlias) return temp.empty() ? std::vector<std::string>{} : std::vector<std::string>{temp};
  return {wanted};
}

}  // namespace

std::optional<int> TableInfo::FindColumn(const std::string& column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return std::nullopt;
}

const TableInfo* CatalogSnapshot::FindTable(const std::string& schema, const std::string& name) const {
  for (const std::string& s : SearchSchemas(schema)) {
    for (const auto& [id, table] : tables_) {
      if (table.name == name && table.schema == s) return &table;
    }
  }
  return nullptr;
}

const TableInfo* CatalogSnapshot::FindTableById(uint32_t id) const {
  auto it = tables_.find(id);
  return it == tables_.end() ? nullptr : &it->second;
}

const TableInfo* CatalogSnapshot::FindIndex(const std::string& schema, const std::string& name,
                                            const IndexInfo** index) const {
  *index = nullptr;
  for (const std::string& s : SearchSchemas(schema)) {
    for (const auto& [id, table] : tables_) {
      if (table.schema != s) continue;
      for (const IndexInfo& candidate : table.indexes) {
        if (candidate.name == name) {
          *index = &candidate;
          return &table;
        }
      }
    }
  }
  return nullptr;
}

const SequenceInfo* CatalogSnapshot::FindSequence(const std::string& schema, const std::string& name) const {
  for (const std::string& s : SearchSchemas(schema)) {
    auto it = sequences_.find(s + "." + name);
    if (it != sequences_.end()) return &it->second;
  }
  return nullptr;
}

}  // namespace tessera::catalog
