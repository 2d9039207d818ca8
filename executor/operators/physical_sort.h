// Sort, DISTINCT and the set operations: the operators that must see their
// whole input (or one side of it) before producing rows.
#pragma once

#include "executor/external_sort.h"
#include "executor/operators/row_hash.h"
#include "executor/physical_operator.h"
#include "executor/sort_util.h"
#include "planner/logical_operators.h"

namespace tessera::executor {

class PhysicalSort final : public PhysicalOperator {
 public:
  // `limit`: the LIMIT right above the sort, if any: then only its first
  // limit + offset rows are kept (TopN), not the whole input. Past
  // ctx.work_mem the sort is external (executor/external_sort.h).
  PhysicalSort(ExecContext& ctx, PhysicalRef child, const planner::LogicalSort& sort,
               const planner::LogicalLimit* limit = nullptr)
      : PhysicalOperator(ctx),
        child_(std::move(child)),
        node_(&sort),
        keys_(sort.Keys()),
        limit_(limit),
        charge_(ctx.memory, "TupleSort main") {}
  bool Next(Batch* out) override;

 private:
  void SortKept();  // keyed_, in place
  void Report(const char* method, bool disk, int64_t bytes);
  // LIMIT + OFFSET of limit_ when both are known and not negative (the
  // LIMIT operator refuses negatives before it asks for rows), else -1.
  int64_t RowsNeeded() const;
  void SortAll();
  void KeepFirst(int64_t rows);
  PhysicalRef child_;
  const planner::LogicalSort* node_;
  const std::vector<planner::SortKey>& keys_;
  const planner::LogicalLimit* limit_;
  bool sorted_ = false;
  std::unique_ptr<ExternalSort> external_;  // once the input passed work_mem
  std::vector<KeyedRow> keyed_;  // the input while it is sorted
  MemoryCharge charge_;          // keyed_
  int64_t row_bytes_ = 0;        // the rows' EstimateRowBytes, summed (not their keys)
  RowBuffer output_;
};

class PhysicalDistinct final : public PhysicalOperator {
 public:
  PhysicalDistinct(ExecContext& ctx, PhysicalRef child)
      : PhysicalOperator(ctx), child_(std::move(child)), charge_(ctx.memory, "Unique") {}
  bool Next(Batch* out) override;

 private:
  PhysicalRef child_;
  RowMap<bool> seen_;
  MemoryCharge charge_;  // seen_
};

// UNION [ALL], INTERSECT [ALL], EXCEPT [ALL].
class PhysicalSetOp final : public PhysicalOperator {
 public:
  PhysicalSetOp(ExecContext& ctx, PhysicalRef left, PhysicalRef right, planner::SetOpType op, bool all)
      : PhysicalOperator(ctx),
        left_(std::move(left)),
        right_(std::move(right)),
        op_(op),
        all_(all),
        charge_(ctx.memory, "SetOp") {}
  bool Next(Batch* out) override;

 private:
  bool NextUnion(Batch* out);
  PhysicalRef left_;
  PhysicalRef right_;
  planner::SetOpType op_;
  bool all_;
  bool left_done_ = false;
  bool built_ = false;
  RowMap<int64_t> counts_;  // INTERSECT/EXCEPT: right side multiplicities; UNION: rows seen
  MemoryCharge charge_;     // counts_
};

}  // namespace tessera::executor
