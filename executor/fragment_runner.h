// Runs one fragment against a storage transaction: the only way SQL
// operators reach storage. In embedded mode the gateway calls it in-process;
// a storage node in a cluster calls it on a decoded request.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>

#include "common/error.h"
#include "common/memory_account.h"
#include "executor/physical_operator.h"
#include "planner/expr_evaluator.h"
#include "planner/fragment.h"
#include "storage/engine.h"

namespace tessera::executor {

// What EXPLAIN ANALYZE shows per fragment: each execution of it, where it
// ran (a shard group; -1 in-process), the rows it returned and its time.
struct FragmentStats {
  struct Run {
    int group = -1;
    size_t rows = 0;
    int64_t affected = 0;
    int64_t micros = 0;
  };
  std::map<const planner::Fragment*, std::vector<Run>> runs;
  // The gateway's sorts, by logical node (the last run of each).
  std::map<const void*, SortReport> sorts;
};

// What a fragment may need beyond its transaction.
struct FragmentServices {
  // Hidden row ids: the first of `count` fresh values of counter "rowid:<table>".
  std::function<int64_t(const std::string& counter, int64_t count)> allocate;
  std::function<int64_t(const std::string& sequence)> next_val;  // SET x = DEFAULT with a serial
  std::function<int64_t(planner::SequenceOp, const std::string& sequence, int64_t value, bool is_called)>
      sequence_op;  // currval, setval, lastval
  FunctionContext functions;
  // How many fragments the statement runs (0: unknown). A cluster runs a
  // single-fragment statement on one node at that node's latest snapshot.
  int statement_fragments = 0;
  // Set when the client cancels; a cluster stops waiting on nodes (57014)
  // and tells them to stop.
  std::atomic<bool>* cancel = nullptr;
  // statement_timeout's steady-clock deadline in ns (0: none); a storage
  // node sets it from the time the gateway says is left.
  int64_t deadline_ns = 0;
  // The statement's memory (on a storage node: this request's): what the
  // fragment buffers is charged here while it runs. Null: not accounted.
  MemoryAccount* memory = nullptr;
  FragmentStats* stats = nullptr;  // EXPLAIN ANALYZE: record every run here
};

// The key bytes of a scan bound: the fragment's key prefix, then each
// value cast to its column's type; false when a value is NULL (no row can
// match). The cluster gateway uses it to route point lookups.
// 21000: an INSERT ... ON CONFLICT DO UPDATE proposed one key twice.
SqlError AffectsRowTwice();

bool EncodeScanBound(const planner::Fragment& f, const std::vector<planner::ExprRef>& values,
                     const planner::EvalContext& ctx, std::string* out);

// How a fragment's expressions evaluate: the request's parameters and
// subquery rows, the services' functions. Points into `request`.
planner::EvalContext FragmentEvalContext(const planner::FragmentRequest& request, const FragmentServices& services);

planner::FragmentResult RunFragment(const planner::FragmentRequest& request, storage::Transaction& txn,
                                    const FragmentServices& services);

}  // namespace tessera::executor
