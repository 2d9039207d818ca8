#include "executor/row_locking.h"

#include <algorithm>
#include <numeric>

#include "executor/sort_util.h"
#include "executor/table_store.h"
#include "storage/mvcc/lock_manager.h"
#include "storage/row_encoding.h"

namespace tessera::executor {

namespace {

Row Project(const planner::Fragment& f, const Row& row, const planner::EvalContext& ctx) {
  if (f.projection.empty()) return row;
  Row out;
  out.reserve(f.projection.size());
  for (auto& e : f.projection) out.push_back(planner::Evaluate(*e, row, ctx));
  return out;
}

// The order to lock in: scan order, or by the top-N's keys (over the
// projected row), ties in scan order as the full sort keeps them.
std::vector<size_t> LockOrder(const planner::Fragment& f, const std::vector<LockCandidate>& candidates,
                              const planner::EvalContext& ctx, StatementPoll& poll) {
  std::vector<size_t> order(candidates.size());
  std::iota(order.begin(), order.end(), 0);
  if (f.top_n.empty()) return order;
  std::vector<std::vector<Value>> keys;
  keys.reserve(candidates.size());
  for (auto& c : candidates) keys.push_back(MakeKeyed(Project(f, c.row, ctx), f.top_n, ctx).keys);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    poll.Tick();
    return CompareKeys(keys[a], keys[b], f.top_n) < 0;
  });
  return order;
}

}  // namespace

planner::FragmentResult LockRows(const planner::Fragment& f, storage::Transaction& txn, const planner::EvalContext& ctx,
                                 std::vector<LockCandidate> candidates, bool want_row_keys, StatementPoll& poll,
                                 MemoryAccount* memory) {
  planner::FragmentResult result;
  MemoryCharge charge(memory, "LockRows");
  TableStore store(f.table, txn);
  // A gateway asks for the keys to merge in key order, or to unlock the
  // rows beyond a fanned-out LIMIT (cluster/gateway/locked_rows_limit.h).
  bool keys = want_row_keys;
  bool no_wait = f.lock_wait != planner::RowLockWait::kBlock;
  for (size_t i : LockOrder(f, candidates, ctx, poll)) {
    if (f.limit >= 0 && static_cast<int64_t>(result.rows.size()) >= f.limit) break;
    poll.Tick();
    LockCandidate& c = candidates[i];
    storage::Transaction::SelectLock lock = txn.LockRowForSelect(store.RowKey(c.pk_suffix), no_wait);
    if (!lock.obtained) {
      if (f.lock_wait == planner::RowLockWait::kSkipLocked) continue;
      throw SqlError(storage::mvcc::kLockNotAvailable,
                     "could not obtain lock on row in relation \"" + f.table.table_name + "\"");
    }
    if (lock.changed) {
      // READ COMMITTED: the holder we waited for (or a commit since our
      // snapshot) changed the row; what we lock is its newest version.
      if (!lock.latest) continue;
      c.row = storage::DecodeRow(*lock.latest, f.table.column_types);
      if (f.filter && !planner::EvaluatePredicate(*f.filter, c.row, ctx)) continue;
    }
    Row out = Project(f, c.row, ctx);
    charge.Add(EstimateRowBytes(out));
    result.rows.push_back(std::move(out));
    if (keys) result.row_keys.push_back(std::move(c.pk_suffix));
  }
  return result;
}

}  // namespace tessera::executor
