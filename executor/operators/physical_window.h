// WindowAgg: reads its input (sorted by the window's PARTITION BY and ORDER
// BY keys by the sort below it), buffers one partition at a time, and
// returns its rows each followed by the window calls' values.
#pragma once

#include "executor/physical_operator.h"
#include "executor/window_functions.h"
#include "planner/logical_window.h"

namespace tessera::executor {

class PhysicalWindow final : public PhysicalOperator {
 public:
  PhysicalWindow(ExecContext& ctx, PhysicalRef child, const planner::LogicalWindow& plan);
  bool Next(Batch* out) override;

 private:
  // Adds the input row to the current partition, finishing that first if
  // the row starts another one.
  void Add(Row row);
  // Computes the calls over `partition_` and moves its rows to `ready_`.
  void FinishPartition();

  PhysicalRef child_;
  const planner::LogicalWindow& plan_;
  std::vector<planner::ExprRef> partition_by_;    // the calls' common PARTITION BY
  std::vector<planner::SortKey> order_by_;        // and ORDER BY
  std::vector<planner::SortKey> partition_keys_;  // partition_by_ as keys, for CompareKeys
  std::vector<FrameOffsets> offsets_;             // per call, evaluated on the first Next
  bool started_ = false;
  bool input_done_ = false;
  std::vector<Row> partition_;
  std::vector<Value> partition_key_;
  int64_t partition_bytes_ = 0;
  std::vector<Row> ready_;  // finished rows not returned yet
  size_t ready_pos_ = 0;
  int64_t ready_bytes_ = 0;
  MemoryCharge charge_;  // partition_ and ready_
};

}  // namespace tessera::executor
