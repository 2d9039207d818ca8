// The DDL undo log of a transaction block (ddl_undo.h).
#include "executor/ddl_undo.h"

#include <spdlog/spdlog.h>

#include "common/error.h"

namespace tessera::executor {

void DdlUndoLog::Record(const catalog::CatalogSnapshot& before, const catalog::CatalogSnapshot& after) {
  for (const auto& [id, table] : after.Tables()) {
    const catalog::TableInfo* old = before.FindTableById(id);
    if (old == nullptr) {
      changes_.push_back({ChangeKind::kCreatedTable, table, {}});
    } else if (old != &table) {
      // Unchanged tables are shared between snapshots only by value, so
      // compare what DDL can change: the index list and the columns.
      bool same = old->indexes.size() == table.indexes.size() && old->columns.size() == table.columns.size() &&
                  old->name == table.name && old->primary_key == table.primary_key;
      for (size_t i = 0; same && i < table.indexes.size(); ++i)
        same = old->indexes[i].id == table.indexes[i].id && old->indexes[i].name == table.indexes[i].name;
      for (size_t i = 0; same && i < table.columns.size(); ++i)
        same = old->columns[i].name == table.columns[i].name && old->columns[i].not_null == table.columns[i].not_null &&
               old->columns[i].default_sql == table.columns[i].default_sql;
      if (!same) changes_.push_back({ChangeKind::kChangedTable, *old, {}});
    }
  }
  for (const auto& [key, seq] : after.Sequences())
    if (before.Sequences().count(key) == 0) changes_.push_back({ChangeKind::kCreatedSequence, {}, seq});
}

void DdlUndoLog::Rollback(catalog::Catalog& catalog) {
  for (auto it = changes_.rbegin(); it != changes_.rend(); ++it) {
    try {
      switch (it->kind) {
        case ChangeKind::kCreatedTable: catalog.DropTable(it->table.id); break;
        case ChangeKind::kChangedTable: catalog.UpdateTable(it->table); break;
        case ChangeKind::kCreatedSequence: catalog.DropSequence(it->sequence.schema, it->sequence.name); break;
      }
    } catch (const SqlError& e) {
      // A later change of this block already removed it (DROP of a table
      // created in the block); the rest of the log still applies.
      spdlog::debug("ddl undo: {}", e.what());
    }
  }
  Clear();
}

std::vector<ast::DropTableStmt> DdlUndoLog::TakeDeferredDrops() {
  std::vector<ast::DropTableStmt> drops = std::move(deferred_drops_);
  Clear();
  return drops;
}

void DdlUndoLog::Clear() {
  changes_.clear();
  deferred_drops_.clear();
}

}  // namespace tessera::executor
