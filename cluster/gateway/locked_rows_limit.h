// A SELECT ... FOR UPDATE with a LIMIT that fans out: every shard locks up
// to LIMIT rows of its own (executor/row_locking.h), but PostgreSQL locks
// only the rows it returns. The gateway picks the rows its Sort and Limit
// will take, in their order (the fragment's top-N keys, else key order when
// the shards' rows are merged by key, else shard order), drops the others
// from the shards' results and returns, per shard, the key suffixes of the
// dropped rows, whose locks the caller gives back (kUnlockRows). So
// `ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED` holds one row on a cluster
// too. Until the unlock lands another transaction may find those rows
// locked (SKIP LOCKED passes them over, a waiter waits that long).
#pragma once

#include <string>
#include <vector>

#include "planner/expr_evaluator.h"
#include "planner/fragment.h"

namespace tessera::cluster {

// `parts[i]` is shard i's result with one row key per row. Returns the
// surplus keys per part (same indexes), with the parts cut to the rows kept.
std::vector<std::vector<std::string>> KeepLockedRowsWithinLimit(const planner::Fragment& f,
                                                                const planner::EvalContext& ctx, bool merge_by_key,
                                                                std::vector<planner::FragmentResult>& parts);

}  // namespace tessera::cluster
