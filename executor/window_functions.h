// The window functions' values over one partition (PostgreSQL's
// nodeWindowAgg.c and windowfuncs.c): ranking by peer groups, lag/lead,
// first/last/nth_value and aggregates over each row's frame. The rows come
// in window order; the operator (operators/physical_window.h) feeds one
// partition at a time.
#pragma once

#include <cstdint>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/bound_window.h"

namespace tessera::executor {

// A frame's ROWS offsets, evaluated once per execution (0 when unused).
struct FrameOffsets {
  int64_t start = 0;
  int64_t end = 0;
};

// Evaluates a call's frame offsets: 22004 when NULL, 22013 when negative.
FrameOffsets EvaluateFrameOffsets(const planner::BoundFrame& frame, ExecContext& ctx);

class WindowEvaluator {
 public:
  // `order`: the window's ORDER BY keys, which decide the peer groups.
  WindowEvaluator(const std::vector<Row>& rows, const std::vector<planner::SortKey>& order, ExecContext& ctx);
  // The value of `call` (a kWindow expression over the rows) for each row.
  std::vector<Value> Compute(const planner::BoundExpr& call, const FrameOffsets& offsets);

 private:
  size_t FrameStart(const planner::BoundFrame& frame, const FrameOffsets& offsets, size_t i) const;
  size_t FrameEnd(const planner::BoundFrame& frame, const FrameOffsets& offsets, size_t i) const;
  std::vector<Value> Ranking(planner::WindowFuncKind kind);
  std::vector<Value> Ntile(const planner::BoundExpr& call);
  std::vector<Value> LagLead(const planner::BoundExpr& call);
  std::vector<Value> FrameValue(const planner::BoundExpr& call, const FrameOffsets& offsets);
  std::vector<Value> Aggregate(const planner::BoundExpr& call, const FrameOffsets& offsets);
  std::vector<Value> ArgValues(const planner::BoundExpr& call);

  const std::vector<Row>& rows_;
  ExecContext& ctx_;
  // For each row, the first row of its peer group and one past its last
  // (peers: equal ORDER BY values; every row of the partition without ORDER BY).
  std::vector<size_t> peer_start_;
  std::vector<size_t> peer_end_;
  // GROUPS frames: each row's peer group number, and each group's first row.
  std::vector<size_t> group_of_;
  std::vector<size_t> group_start_;
};

}  // namespace tessera::executor
