// pg_get_serial_sequence over a catalog snapshot: the sequence a column owns,
// found the way pg_depend lists it (catalog/system/pg_depend.cpp), from the
// sequence's OWNED BY table and column. ORMs call it to reset or read a
// serial column's counter (Django's sequence_reset_sql, SQLAlchemy's
// identity reflection).
#include "catalog/system/snapshot_catalog_view.h"
#include "common/error.h"

namespace tessera::catalog::system {

std::optional<std::string> SnapshotCatalogView::SerialSequence(const std::string& table,
                                                               const std::string& column) const {
  std::optional<int64_t> oid = RelationOid(table);
  if (!oid) throw SqlError::UndefinedTable(table);
  auto r = Get();
  const ClassEntry* e = r->Find(static_cast<uint32_t>(*oid));
  if (!e) throw SqlError::UndefinedTable(table);
  // Only a table's columns can own a sequence; PostgreSQL still checks the
  // column of any relation, which needs its columns: a system relation has none here.
  if (!e->table || e->kind != 'r') return std::nullopt;
  if (!e->table->FindColumn(column))
    throw SqlError(sqlstate::kUndefinedColumn, "column \"" + column + "\" of relation \"" + e->name + "\" does not exist");
  for (const auto& [key, seq] : r->snapshot->Sequences()) {
    if (seq.schema == e->schema && seq.owned_by_table == e->name && seq.owned_by_column == column)
      return QuoteIdent(seq.schema) + "." + QuoteIdent(seq.name);
  }
  return std::nullopt;
}

}  // namespace tessera::catalog::system
