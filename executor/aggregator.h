// Hash aggregation state shared by the gateway's final aggregate and the
// fragments' partial aggregate: groups rows by the key expressions and folds
// count/sum/avg/min/max (with DISTINCT) per group.
#pragma once

#include <memory>
#include <vector>

#include "common/memory_account.h"
#include "executor/operators/row_hash.h"
#include "executor/statement_poll.h"
#include "planner/expr_evaluator.h"

namespace tessera::executor {

// One aggregate's running state.
struct AggState {
  int64_t count = 0;
  Value value;  // running sum / min / max
  Value::Elements items;  // array_agg
  std::unique_ptr<RowMap<bool>> seen;  // DISTINCT
};

// Folds a non-NULL argument value into `s` (count, sum, avg, min, max;
// DISTINCT is the caller's); count(*) counts a row with any value.
void FoldAggregate(const planner::BoundExpr& agg, AggState& s, Value v);
// The aggregate's result over what `s` has folded.
Value AggregateResult(const planner::BoundExpr& agg, const AggState& s);

class HashAggregator {
 public:
  // `poll` (cancel, statement_timeout) is ticked per group while finishing;
  // groups and DISTINCT sets are charged to `memory`. Both may be null.
  HashAggregator(const std::vector<planner::ExprRef>& groups, const std::vector<planner::ExprRef>& aggregates,
                 const planner::EvalContext& ctx, StatementPoll* poll = nullptr, MemoryAccount* memory = nullptr)
      : groups_(groups), aggregates_(aggregates), ctx_(ctx), poll_(poll), charge_(memory, "HashAgg table") {}
  void Add(const Row& row);
  // One row per group: the keys, then each aggregate's result. Without
  // GROUP BY there is always exactly one row, even over no input.
  std::vector<Row> Finish();
  // The bytes charged for groups and DISTINCT sets; Uncharge gives them
  // back now (before the aggregator is freed elsewhere).
  int64_t Charged() const { return charge_.Charged(); }
  void Uncharge() { charge_.Reset(); }

 private:
  void Accumulate(std::vector<AggState>& states, const Row& row);

  const std::vector<planner::ExprRef>& groups_;
  const std::vector<planner::ExprRef>& aggregates_;
  const planner::EvalContext& ctx_;
  StatementPoll* poll_;
  MemoryCharge charge_;
  RowMap<size_t> index_;
  std::vector<std::vector<Value>> keys_;
  std::vector<std::vector<AggState>> states_;
  std::vector<Row> finished_;  // Finish's rows while it builds them
};

}  // namespace tessera::executor
