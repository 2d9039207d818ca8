// SELECT ... FOR UPDATE on the node that holds the rows: a locking scan
// fragment (planner::Fragment::lock_rows) first collects the rows its
// access path and filter yield, then locks them one by one, in the order
// PostgreSQL's LockRows node sees them (sorted first when the fragment has
// a top-N), until it has `limit` locked rows. So LIMIT 1 FOR UPDATE SKIP
// LOCKED takes the first row nobody holds, as a job queue expects.
//
// Each lock is the row's write lock, taken without writing the row
// (storage::Transaction::LockRowForSelect), held until the transaction ends:
// a concurrent UPDATE, DELETE or FOR UPDATE of the row waits for it. Waiting
// for another holder parks the session (LockManager), with lock_timeout
// (55P03), statement_timeout and cancel (57014) and deadlock detection
// (40P01) as for writes. If the holder committed a newer version, READ
// COMMITTED re-checks the filter on it and returns it (PostgreSQL's
// EvalPlanQual, as UPDATE does in fragment_runner.cpp's LockMatch); a row
// deleted meanwhile or no longer matching is left out. REPEATABLE READ
// gets 40001. NOWAIT fails with 55P03 on a row another transaction holds;
// SKIP LOCKED leaves such a row out.
//
// On a cluster each shard locks its own rows inside the distributed
// transaction (the gateway makes the node a participant), so the locks go
// at its commit or abort on every node. Each shard applies the limit to its
// own rows; the gateway then unlocks those beyond the LIMIT over all shards
// (cluster/gateway/locked_rows_limit.h).
#pragma once

#include <string>
#include <vector>

#include "common/memory_account.h"
#include "executor/statement_poll.h"
#include "planner/expr_evaluator.h"
#include "planner/fragment.h"
#include "storage/engine.h"

namespace tessera::executor {

// A row the scan's filter accepted, not yet locked.
struct LockCandidate {
  std::string pk_suffix;
  Row row;
};

// Locks `candidates` (in scan order) as described above and returns the
// projected rows of those locked, with their key suffixes when
// `want_row_keys`.
planner::FragmentResult LockRows(const planner::Fragment& f, storage::Transaction& txn, const planner::EvalContext& ctx,
                                 std::vector<LockCandidate> candidates, bool want_row_keys, StatementPoll& poll,
                                 MemoryAccount* memory);

}  // namespace tessera::executor
