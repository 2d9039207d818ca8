// Keeps a CREATE INDEX from missing rows that other transactions write while
// it builds (PostgreSQL blocks those writers with its SHARE lock).
//
// A writer's fragment carries the table's indexes as its statement planned
// them, and a transaction's new index reaches the catalog only at its
// COMMIT, so writers go on without it while it is built. On each node, the
// build therefore first locks and writes the index's marker key, then
// registers the index here; from then on every row write of that table on
// the node (TableStore, after locking its row) maintains the index too,
// whatever its layout says. It then waits until the transactions that held
// write locks in the table when it registered have ended. Only then does
// the build take its snapshot (the statement's, refreshed: READ COMMITTED;
// DdlExecutor::AddIndex) and index every row that snapshot shows: rows
// committed before it are there, rows written after the registration carry
// their own entries.
//
// A registered index stays maintained while its marker says so: locked by
// its running build, or committed with it. A build that rolled back leaves
// no marker, and the first writer to notice forgets the index. An entry the
// build writes for a row version that a later writer replaces before the
// build commits is left behind; index scans check each entry against its
// row (TableStore::EntryMatches) and skip such entries.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "planner/fragment.h"
#include "storage/engine.h"

namespace tessera::executor {

class IndexFence {
 public:
  static IndexFence& Instance();

  void Register(uint32_t table_id, const planner::TableLayout::Index& index);
  void Forget(uint32_t table_id, uint32_t index_id);
  // The registered indexes of `layout`'s table that the layout does not
  // name and a write in `txn` must maintain. Call after locking the row.
  std::vector<planner::TableLayout::Index> Missing(const planner::TableLayout& layout, storage::Transaction& txn);

 private:
  mutable std::mutex mutex_;
  std::atomic<bool> empty_{true};  // the common case costs one load
  std::map<uint32_t, std::vector<planner::TableLayout::Index>> indexes_;  // by table id
};

// The key whose lock (while building) or committed presence (once built)
// says that an index registered in the fence is real.
std::string IndexMarkerKey(uint32_t table_id, uint32_t index_id);

// The build's first step on a node: marks and registers `index` of `table`,
// then waits until every other transaction holding a write lock in the
// table at that moment has ended (40P01 if one of them waits for `txn`,
// 57014 on cancel). The build itself runs after, at a snapshot that sees
// what they committed.
void RegisterAndAwaitWriters(const planner::TableLayout& table,
                                                 const planner::TableLayout::Index& index,
                                                 storage::Transaction& txn, const std::atomic<bool>* cancel);

}  // namespace tessera::executor
