// Indexes being built, which every row write on this node maintains (index_fence.h).
#include "executor/index_fence.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "common/error.h"
#include "common/fiber.h"
#include "storage/key_encoding.h"

namespace tessera::executor {

IndexFence& IndexFence::Instance() {
  static IndexFence fence;
  return fence;
}

void IndexFence::Register(uint32_t table_id, const planner::TableLayout::Index& index) {
  std::lock_guard lock(mutex_);
  auto& list = indexes_[table_id];
  std::erase_if(list, [&](const planner::TableLayout::Index& i) { return i.id == index.id; });
  list.push_back(index);
  empty_.store(false);
}

void IndexFence::Forget(uint32_t table_id, uint32_t index_id) {
  std::lock_guard lock(mutex_);
  auto it = indexes_.find(table_id);
  if (it == indexes_.end()) return;
  std::erase_if(it->second, [&](const planner::TableLayout::Index& i) { return i.id == index_id; });
  if (it->second.empty()) indexes_.erase(it);
  empty_.store(indexes_.empty());
}

std::vector<planner::TableLayout::Index> IndexFence::Missing(const planner::TableLayout& layout,
                                                             storage::Transaction& txn) {
  if (empty_.load()) return {};
  std::vector<planner::TableLayout::Index> candidates;
  {
    std::lock_guard lock(mutex_);
    auto it = indexes_.find(layout.table_id);
    if (it == indexes_.end()) return {};
    for (const auto& index : it->second) {
      bool known = std::any_of(layout.indexes.begin(), layout.indexes.end(),
                               [&](const planner::TableLayout::Index& i) { return i.id == index.id; });
      if (!known) candidates.push_back(index);
    }
  }
  std::vector<planner::TableLayout::Index> missing;
  for (auto& index : candidates) {
    std::string marker = IndexMarkerKey(layout.table_id, index.id);
    // Committed with its build, being built, or (read again, in case the
    // build committed in between) committed after all.
    if (txn.LatestCommitted(marker) || txn.Get(marker) || txn.LockedByOther(marker) || txn.LatestCommitted(marker)) {
      missing.push_back(std::move(index));
    } else {
      Forget(layout.table_id, index.id);  // its build rolled back
    }
  }
  return missing;
}

std::string IndexMarkerKey(uint32_t table_id, uint32_t index_id) {
  // Index id 0xffffffff is never handed out: this key space holds only markers.
  std::string key = storage::KeyPrefix(table_id, 0xffffffffu);
  for (int shift = 24; shift >= 0; shift -= 8) key.push_back(static_cast<char>((index_id >> shift) & 0xff));
  return key;
}

void RegisterAndAwaitWriters(const planner::TableLayout& table,
                                                 const planner::TableLayout::Index& index,
                                                 storage::Transaction& txn, const std::atomic<bool>* cancel) {
  std::string marker = IndexMarkerKey(table.table_id, index.id);
  txn.LockRow(marker, std::nullopt);
  txn.Put(marker, "");
  IndexFence::Instance().Register(table.table_id, index);
  // After the registration: a writer that locks a row from now on sees the
  // index in the fence (TableStore looks after its lock); one that locked
  // before is found here.
  std::string table_prefix = storage::TablePrefix(table.table_id);
  std::set<uint64_t> holders;
  for (const auto& locked : txn.LockedByOthers(table_prefix)) holders.insert(locked.holder);
  // Polled rather than queued for: the build takes none of their locks, so
  // it can neither deadlock with them through the lock table nor hold up
  // writers that come after it.
  while (!holders.empty()) {
    if (cancel && cancel->load()) throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
    for (uint64_t holder : holders)
      if (txn.WaitsForMe(holder)) throw SqlError(sqlstate::kDeadlockDetected, "deadlock detected");
    WaitSlot::Make()->Wait(std::chrono::milliseconds(2));  // parks a fiber: the holders' COMMITs need workers
    std::set<uint64_t> still;
    for (const auto& locked : txn.LockedByOthers(table_prefix))
      if (holders.count(locked.holder)) still.insert(locked.holder);
    holders = std::move(still);
  }
}

}  // namespace tessera::executor
