// Hash aggregation (the final aggregate on the gateway): groups by the key
// expressions and folds count/sum/avg/min/max, with DISTINCT per aggregate.
#pragma once

#include "executor/aggregator.h"
#include "executor/operators/row_hash.h"
#include "executor/physical_operator.h"
#include "planner/logical_operators.h"

namespace tessera::executor {

class PhysicalHashAggregate final : public PhysicalOperator {
 public:
  PhysicalHashAggregate(ExecContext& ctx, PhysicalRef child, const planner::LogicalAggregate& plan)
      : PhysicalOperator(ctx), child_(std::move(child)), plan_(plan) {}
  bool Next(Batch* out) override;

 private:
  PhysicalRef child_;
  const planner::LogicalAggregate& plan_;
  bool built_ = false;
  std::unique_ptr<HashAggregator> aggregator_;  // while the input is read
  RowBuffer output_;
};

}  // namespace tessera::executor
