// The relations a catalog snapshot holds, as pg_class rows see them: tables,
// their indexes (the primary key's too) and sequences, plus the virtual
// system relations. Shared by pg_class, pg_tables, information_schema.tables,
// regclass and pg_table_is_visible so they all agree.
#pragma once

#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "catalog/system/system_relation.h"

namespace tessera::catalog::system {

struct ClassEntry {
  uint32_t oid = 0;
  std::string schema;
  std::string name;
  char kind = 'r';  // PostgreSQL's relkind: r table, i index, S sequence, v view
  const TableInfo* table = nullptr;          // the table, or the index's table
  const IndexInfo* index = nullptr;          // secondary index; nullptr for a primary key's index
  const SequenceInfo* sequence = nullptr;
  const SystemRelation* system = nullptr;    // a virtual pg_catalog/information_schema relation
};

std::vector<ClassEntry> ClassEntries(const CatalogSnapshot& snapshot, bool with_system = true);
const ClassEntry* FindClassEntry(const std::vector<ClassEntry>& entries, uint32_t oid);

// A column default as pg_get_expr shows it. A temp table's serial default
// names its sequence with the temp schema (DdlExecutor::CreateTable); its
// own session sees the sequence by name alone, as PostgreSQL prints a
// regclass it finds on the search path.
std::string ColumnDefaultText(const ColumnInfo& column);

// PostgreSQL's quote_ident: quoted unless a plain lower-case identifier.
std::string QuoteIdent(const std::string& name);
// "CREATE [UNIQUE] INDEX name ON public.t USING btree (a, b DESC)", as
// pg_get_indexdef; without the schema unless `qualify`.
std::string IndexDefinition(const ClassEntry& index_entry, bool qualify = true);
// The column list of an index "(a, b DESC)"'s column `column` (1-based) alone.
std::string IndexColumnName(const ClassEntry& index_entry, int column);
// "PRIMARY KEY (id)" / "UNIQUE (a, b)", as pg_get_constraintdef.
std::string ConstraintDefinition(const ClassEntry& index_entry);
// "UNIQUE (a, b)" for a UNIQUE constraint's index, as pg_get_constraintdef.
std::string UniqueConstraintDefinition(const TableInfo& table, const IndexInfo& index);
// "FOREIGN KEY (a) REFERENCES p(id) ON DELETE CASCADE", as pg_get_constraintdef.
std::string ForeignKeyDefinition(const CatalogSnapshot& snapshot, const TableInfo& table, const ForeignKeyInfo& fk);
// The foreign key whose pg_constraint OID is `oid` (table: its table), or null.
const ForeignKeyInfo* FindForeignKeyByOid(const CatalogSnapshot& snapshot, uint32_t oid, const TableInfo** table);
// The OID of the index a foreign key's referenced columns use (pg_constraint.conindid).
uint32_t ForeignKeyIndexOid(const CatalogSnapshot& snapshot, const ForeignKeyInfo& fk);
// A view's query as pg_get_viewdef shows it (parser/ast/select_to_string.h).
std::string ViewDefinition(const TableInfo& view, bool pretty);
// The index's column positions (0-based) and directions.
std::vector<int> IndexColumns(const ClassEntry& index_entry);

}  // namespace tessera::catalog::system
