// What makes DDL inside a transaction block look transactional while the
// catalog itself commits each change at once (ARCHITECTURE.md, departures):
// an undo log of the catalog changes made in the block, replayed newest
// first at ROLLBACK, and DROP TABLE deferred to COMMIT. Row and index writes
// of DDL (CREATE INDEX builds, rewrites) go through the SQL transaction and
// need no undo.
#pragma once

#include <vector>

#include "catalog/catalog.h"
#include "parser/parser.h"

namespace tessera::executor {

class DdlUndoLog {
 public:
  // Records what one DDL statement changed, from the catalog before and after it.
  void Record(const catalog::CatalogSnapshot& before, const catalog::CatalogSnapshot& after);
  // Reverts every recorded change, newest first, and forgets them.
  void Rollback(catalog::Catalog& catalog);
  void DeferDrop(ast::DropTableStmt stmt) { deferred_drops_.push_back(std::move(stmt)); }
  // The DROP TABLEs to run now that the block commits; forgets the undo log.
  std::vector<ast::DropTableStmt> TakeDeferredDrops();
  void Clear();

 private:
  enum class ChangeKind : uint8_t { kCreatedTable, kChangedTable, kCreatedSequence };
  struct Change {
    ChangeKind kind;
    catalog::TableInfo table;      // created: its id; changed: the old definition
    catalog::SequenceInfo sequence;  // created sequence
  };
  std::vector<Change> changes_;
  std::vector<ast::DropTableStmt> deferred_drops_;
};

}  // namespace tessera::executor
