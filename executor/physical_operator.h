// Physical operators run on the gateway, batch at a time, pulling from their
// children. They are built fresh from the immutable logical plan for every
// execution, so an operator object is its own run state (a suspended portal
// keeps its tree between Execute calls).
#pragma once

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "common/memory_account.h"
#include "executor/statement_poll.h"
#include "planner/expr_evaluator.h"
#include "planner/fragment.h"
#include "planner/logical_operator.h"

namespace tessera::executor {

inline constexpr size_t kBatchSize = 1024;
using Batch = std::vector<Row>;

// The transport to the shards: embedded mode runs fragments in-process.
class FragmentExecutor {
 public:
  virtual ~FragmentExecutor() = default;
  virtual planner::FragmentResult Execute(const planner::FragmentRequest& request) = 0;
};

struct CteTape;  // executor/operators/physical_cte.h

// EXPLAIN ANALYZE's "Sort Method:" line of one sort run: "quicksort",
// "top-N heapsort" or "external merge", and the memory (or, external, the
// temporary files' bytes) it used.
struct SortReport {
  std::string method;
  bool disk = false;
  int64_t bytes = 0;
};
class ForeignKeyChecker;  // executor/foreign_keys.h

struct ExecContext {
  planner::EvalContext eval;  // eval.params points at `params`
  std::vector<Value> params;
  std::vector<std::vector<Value>> subquery_rows;  // eval.subquery_rows points here
  FragmentExecutor* fragments = nullptr;
  // Checks a write's foreign keys at its end (executor/foreign_keys.h).
  ForeignKeyChecker* foreign_keys = nullptr;
  // The cancel flag and statement_timeout's deadline; operators Tick() it
  // once per row, comparison or join pair (executor/statement_poll.h).
  StatementPoll poll;
  // The statement's memory: operators charge their buffers and hash tables
  // here (53200 past the statement's or the server's limit). Null: none.
  MemoryAccount* memory = nullptr;
  // work_mem in bytes: a sort holding more rows than this writes them to
  // temporary files in sorted runs and merges them (executor/external_sort.h).
  // 0: no bound.
  int64_t work_mem = 0;
  // EXPLAIN ANALYZE: what each sort did, by its logical node. Null: not asked.
  std::map<const void*, SortReport>* sort_reports = nullptr;
  // WITH: each CTE's rows, computed once per statement and shared by its
  // scans, and the work table each running recursive CTE's recursive term
  // reads; keyed by the plan's planner::CteInfo.
  std::map<const void*, std::shared_ptr<CteTape>> cte_tapes;
  std::map<const void*, const std::vector<Row>*> work_tables;
  // 57014 when the client asked to cancel or statement_timeout passed.
  void CheckCancel() const { poll.Check(); }
  void Tick() { poll.Tick(); }
};

class PhysicalOperator {
 public:
  explicit PhysicalOperator(ExecContext& ctx) : ctx_(ctx) {}
  virtual ~PhysicalOperator() = default;
  // Replaces `out` with the next rows (at most kBatchSize, at least one);
  // returns false once the operator is exhausted.
  virtual bool Next(Batch* out) = 0;
  // Rows written, for INSERT/UPDATE/DELETE; -1 for reads.
  virtual int64_t Affected() const { return -1; }

 protected:
  ExecContext& ctx_;
};
using PhysicalRef = std::unique_ptr<PhysicalOperator>;

// Builds the operator tree for `plan`.
PhysicalRef CreatePhysical(const planner::LogicalOperator& plan, ExecContext& ctx);

// Serves a materialised row vector in batches. Given an account, it charges
// the rows' memory there until it is set again or destroyed.
class RowBuffer {
 public:
  void Set(std::vector<Row> rows, MemoryAccount* account = nullptr);
  // Set with the rows' estimate already known (EstimateRowsBytes).
  void SetCharged(std::vector<Row> rows, MemoryAccount* account, int64_t bytes);
  bool Next(Batch* out);

 private:
  std::vector<Row> rows_;
  size_t pos_ = 0;
  MemoryCharge charge_;
};

// The estimated memory of a vector of rows (common/memory_account.h).
int64_t EstimateRowsBytes(const std::vector<Row>& rows);

}  // namespace tessera::executor
