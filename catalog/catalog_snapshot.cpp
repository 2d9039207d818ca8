// Lookups on an immutable catalog version. Tables are keyed by id, so name
// lookups walk them; catalogs hold tens to hundreds of tables and the
// planner caches what it resolved, so a linear walk is cheaper than keeping
// a second index in sync.
#include "catalog/catalog.h"

namespace tessera::catalog {

namespace {

// An empty schema means the search path; user objects live in "public"
// (pg_catalog's relations are virtual and resolved by the planner).
bool SchemaMatches(const std::string& wanted, const std::string& actual) {
  return wanted.empty() ? actual == "public" : wanted == actual;
}

}  // namespace

std::optional<int> TableInfo::FindColumn(const std::string& column) const {
  for (size_t i = 0; i < columns.size(); ++i) {
    if (columns[i].name == column) return static_cast<int>(i);
  }
  return std::nullopt;
}

const TableInfo* CatalogSnapshot::FindTable(const std::string& schema, const std::string& name) const {
  for (const auto& [id, table] : tables_) {
    if (table.name == name && SchemaMatches(schema, table.schema)) return &table;
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
  for (const auto& [id, table] : tables_) {
    if (!SchemaMatches(schema, table.schema)) continue;
    for (const IndexInfo& candidate : table.indexes) {
      if (candidate.name == name) {
        *index = &candidate;
        return &table;
      }
    }
  }
  return nullptr;
}

const SequenceInfo* CatalogSnapshot::FindSequence(const std::string& schema, const std::string& name) const {
  auto it = sequences_.find((schema.empty() ? std::string("public") : schema) + "." + name);
  return it == sequences_.end() ? nullptr : &it->second;
}

}  // namespace tessera::catalog
