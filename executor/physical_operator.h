// Physical operators run on the gateway, batch at a time, pulling from their
// children. They are built fresh from the immutable logical plan for every
// execution, so an operator object is its own run state (a suspended portal
// keeps its tree between Execute calls).
#pragma once

#include <atomic>
#include <memory>
#include <vector>

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

struct ExecContext {
  planner::EvalContext eval;  // eval.params points at `params`
  std::vector<Value> params;
  std::vector<std::vector<Value>> subquery_rows;  // eval.subquery_rows points here
  FragmentExecutor* fragments = nullptr;
  const std::atomic<bool>* cancel = nullptr;
  // statement_timeout: the steady-clock deadline in ns; 0 for none.
  int64_t deadline_ns = 0;
  // 57014 when the client asked to cancel; checked between batches.
  void CheckCancel() const;
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

// Serves a materialised row vector in batches.
class RowBuffer {
 public:
  void Set(std::vector<Row> rows) {
    rows_ = std::move(rows);
    pos_ = 0;
  }
  bool Next(Batch* out);

 private:
  std::vector<Row> rows_;
  size_t pos_ = 0;
};

}  // namespace tessera::executor
