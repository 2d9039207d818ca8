// Hash aggregation (the final aggregate on the gateway): groups by the key
// expressions and folds count/sum/avg/min/max, with DISTINCT per aggregate.
#pragma once

#include "executor/operators/row_hash.h"
#include "executor/physical_operator.h"
#include "planner/logical_operators.h"

namespace tessera::executor {

class PhysicalHashAggregate final : public PhysicalOperator {
 public:
  PhysicalHashAggregate(ExecContext& ctx, PhysicalRef child, const planner::LogicalAggregate& plan)
      : PhysicalOperator(ctx), child_(std::move(child)), plan_(plan) {}
  bool Next(Batch* out) override;

  struct AggState {
    int64_t count = 0;
    Value value;  // running sum / min / max
    std::unique_ptr<RowMap<bool>> seen;  // DISTINCT
  };

 private:
  void Build();
  void Accumulate(std::vector<AggState>& states, const Row& row);
  Value Finish(const planner::BoundExpr& agg, const AggState& state) const;

  PhysicalRef child_;
  const planner::LogicalAggregate& plan_;
  bool built_ = false;
  RowBuffer output_;
};

}  // namespace tessera::executor
