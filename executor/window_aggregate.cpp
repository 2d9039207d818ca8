// Aggregates as window functions: count/sum/avg/min/max over each row's
// frame, folded with the hash aggregate's own steps (aggregator.h). Frames
// that only grow are folded once: from the partition's start (the default
// frame, UNBOUNDED PRECEDING) forwards, or to its end (UNBOUNDED FOLLOWING)
// backwards; other frames are folded again per row, reusing the previous
// row's result when the frame is the same (peers under RANGE).
#include "common/error.h"
#include "executor/aggregator.h"
#include "executor/window_functions.h"

namespace tessera::executor {

using planner::AggKind;
using planner::BoundExpr;
using planner::FrameEdge;

namespace {

// The kAggregate node the aggregator's steps read: kind, result type, argument.
BoundExpr AggregateOf(const BoundExpr& call) {
  BoundExpr agg;
  agg.kind = planner::BoundExprKind::kAggregate;
  agg.op = static_cast<uint8_t>(call.window->agg);
  agg.type = call.type;
  agg.name = call.name;
  if (call.window->num_args > 0) agg.args.push_back(call.args[0]);
  return agg;
}

void Fold(const BoundExpr& agg, AggState& state, const Value& v) {
  if (static_cast<AggKind>(agg.op) == AggKind::kCountStar) {
    ++state.count;
    return;
  }
  // array_agg keeps NULLs; the other aggregates skip them.
  if (!v.IsNull() || static_cast<AggKind>(agg.op) == AggKind::kArrayAgg) FoldAggregate(agg, state, v);
}

// Sums of floats are not folded backwards: PostgreSQL adds in frame order,
// and float addition's result depends on the order.
bool OrderSensitive(const BoundExpr& agg) {
  auto kind = static_cast<AggKind>(agg.op);
  if (kind != AggKind::kSum && kind != AggKind::kAvg) return false;
  TypeId id = agg.args[0]->type.id;
  return id == TypeId::kFloat4 || id == TypeId::kFloat8;
}

}  // namespace

std::vector<Value> WindowEvaluator::Aggregate(const BoundExpr& call, const FrameOffsets& offsets) {
  const planner::BoundFrame& frame = call.window->frame;
  BoundExpr agg = AggregateOf(call);
  size_t n = rows_.size();
  std::vector<Value> values = call.window->num_args > 0 ? ArgValues(call) : std::vector<Value>(n);
  std::vector<Value> out(n);
  if (frame.start == FrameEdge::kUnboundedPreceding) {
    AggState state;
    size_t folded = 0;
    for (size_t i = 0; i < n; ++i) {
      ctx_.Tick();
      for (size_t end = FrameEnd(frame, offsets, i); folded < end; ++folded) Fold(agg, state, values[folded]);
      out[i] = AggregateResult(agg, state);
    }
    return out;
  }
  if (frame.end == FrameEdge::kUnboundedFollowing && !OrderSensitive(agg)) {
    AggState state;
    size_t from = n;
    for (size_t i = n; i-- > 0;) {
      ctx_.Tick();
      for (size_t start = FrameStart(frame, offsets, i); from > start;) Fold(agg, state, values[--from]);
      out[i] = AggregateResult(agg, state);
    }
    return out;
  }
  size_t last_start = 0, last_end = 0;
  for (size_t i = 0; i < n; ++i) {
    size_t start = FrameStart(frame, offsets, i);
    size_t end = std::max(start, FrameEnd(frame, offsets, i));
    if (i > 0 && start == last_start && end == last_end) {
      out[i] = out[i - 1];
      continue;
    }
    AggState state;
    for (size_t j = start; j < end; ++j) {
      ctx_.Tick();
      Fold(agg, state, values[j]);
    }
    out[i] = AggregateResult(agg, state);
    last_start = start;
    last_end = end;
  }
  return out;
}

}  // namespace tessera::executor
