// Hash join for inner, left, right and full joins. Equality conjuncts
// between the two sides become hash keys; the rest of the condition is
// checked per candidate pair. Without equalities every right row shares one
// bucket, which makes this the nested loop for cross and non-equi joins.
#pragma once

#include "executor/operators/row_hash.h"
#include "executor/physical_operator.h"
#include "planner/logical_operators.h"

namespace tessera::executor {

class PhysicalHashJoin final : public PhysicalOperator {
 public:
  PhysicalHashJoin(ExecContext& ctx, PhysicalRef left, PhysicalRef right, const planner::LogicalJoin& plan);
  bool Next(Batch* out) override;

 private:
  void Build();
  bool KeyOf(const std::vector<planner::ExprRef>& exprs, const Row& row, std::vector<Value>* key) const;
  void Probe(Row& left, Batch* out);

  PhysicalRef left_;
  PhysicalRef right_;
  planner::JoinKind kind_;
  size_t left_width_;
  size_t right_width_;
  std::vector<planner::ExprRef> left_keys_;
  std::vector<planner::ExprRef> right_keys_;  // over the right row alone
  planner::ExprRef residual_;                 // over the combined row
  bool built_ = false;
  bool left_done_ = false;
  std::vector<Row> right_rows_;
  std::vector<bool> right_matched_;
  RowMap<std::vector<size_t>> table_;
  RowBuffer tail_;  // unmatched right rows (RIGHT/FULL)
  Batch probe_;     // the left batch being probed
  size_t probe_pos_ = 0;
  MemoryCharge charge_;  // right_rows_ and table_
};

}  // namespace tessera::executor
