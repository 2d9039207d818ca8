// Sort, DISTINCT and the set operations: the operators that must see their
// whole input (or one side of it) before producing rows.
#pragma once

#include "executor/operators/row_hash.h"
#include "executor/physical_operator.h"
#include "planner/logical_operators.h"

namespace tessera::executor {

class PhysicalSort final : public PhysicalOperator {
 public:
  PhysicalSort(ExecContext& ctx, PhysicalRef child, const std::vector<planner::SortKey>& keys)
      : PhysicalOperator(ctx), child_(std::move(child)), keys_(keys) {}
  bool Next(Batch* out) override;

 private:
  PhysicalRef child_;
  const std::vector<planner::SortKey>& keys_;
  bool sorted_ = false;
  RowBuffer output_;
};

class PhysicalDistinct final : public PhysicalOperator {
 public:
  PhysicalDistinct(ExecContext& ctx, PhysicalRef child) : PhysicalOperator(ctx), child_(std::move(child)) {}
  bool Next(Batch* out) override;

 private:
  PhysicalRef child_;
  RowMap<bool> seen_;
};

// UNION [ALL], INTERSECT [ALL], EXCEPT [ALL].
class PhysicalSetOp final : public PhysicalOperator {
 public:
  PhysicalSetOp(ExecContext& ctx, PhysicalRef left, PhysicalRef right, planner::SetOpType op, bool all)
      : PhysicalOperator(ctx), left_(std::move(left)), right_(std::move(right)), op_(op), all_(all) {}
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
};

}  // namespace tessera::executor
