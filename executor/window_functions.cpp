// Window function values over one partition (window_functions.h).
#include "executor/window_functions.h"

#include "common/error.h"
#include "executor/aggregator.h"
#include "executor/sort_util.h"

namespace tessera::executor {

using planner::BoundExpr;
using planner::BoundFrame;
using planner::FrameEdge;
using planner::FrameUnit;
using planner::WindowFuncKind;

namespace {

int64_t Offset(const planner::ExprRef& e, const char* which, ExecContext& ctx) {
  if (!e) return 0;
  Value v = planner::Evaluate(*e, {}, ctx.eval);
  if (v.IsNull())
    throw SqlError(sqlstate::kNullValueNotAllowed, std::string("frame ") + which + " offset must not be null");
  if (v.GetInt() < 0)
    throw SqlError(sqlstate::kInvalidPrecedingOrFollowingSize,
                   std::string("frame ") + which + " offset must not be negative");
  return v.GetInt();
}

// i - k, at least 0; i + k, at most n (i <= n).
size_t Back(size_t i, int64_t k) { return static_cast<uint64_t>(k) >= i ? 0 : i - static_cast<size_t>(k); }
size_t Forward(size_t i, int64_t k, size_t n) {
  return static_cast<uint64_t>(k) >= n - i ? n : i + static_cast<size_t>(k);
}

}  // namespace

FrameOffsets EvaluateFrameOffsets(const BoundFrame& frame, ExecContext& ctx) {
  return {Offset(frame.start_offset, "starting", ctx), Offset(frame.end_offset, "ending", ctx)};
}

WindowEvaluator::WindowEvaluator(const std::vector<Row>& rows, const std::vector<planner::SortKey>& order,
                                 ExecContext& ctx)
    : rows_(rows), ctx_(ctx), peer_start_(rows.size()), peer_end_(rows.size()), group_of_(rows.size()) {
  std::vector<std::vector<Value>> keys;
  keys.reserve(rows.size());
  for (auto& row : rows) {
    std::vector<Value> k;
    for (auto& key : order) k.push_back(planner::Evaluate(*key.expr, row, ctx.eval));
    keys.push_back(std::move(k));
  }
  size_t start = 0;
  for (size_t i = 1; i <= rows.size(); ++i) {
    ctx_.Tick();
    if (i < rows.size() && CompareKeys(keys[i], keys[start], order) == 0) continue;
    for (size_t j = start; j < i; ++j) {
      peer_start_[j] = start;
      peer_end_[j] = i;
      group_of_[j] = group_start_.size();
    }
    group_start_.push_back(start);
    start = i;
  }
}

size_t WindowEvaluator::FrameStart(const BoundFrame& frame, const FrameOffsets& offsets, size_t i) const {
  size_t n = rows_.size();
  bool rows = frame.unit == FrameUnit::kRows;
  size_t group = group_of_[i];
  switch (frame.start) {
    case FrameEdge::kUnboundedPreceding: return 0;
    case FrameEdge::kPreceding: return rows ? Back(i, offsets.start) : group_start_[Back(group, offsets.start)];
    case FrameEdge::kCurrentRow: return rows ? i : peer_start_[i];
    case FrameEdge::kFollowing: {
      if (rows) return Forward(i, offsets.start, n);
      size_t target = Forward(group, offsets.start, group_start_.size());
      return target == group_start_.size() ? n : group_start_[target];
    }
    case FrameEdge::kUnboundedFollowing: return n;
  }
  return 0;
}

// One past the frame's last row.
size_t WindowEvaluator::FrameEnd(const BoundFrame& frame, const FrameOffsets& offsets, size_t i) const {
  size_t n = rows_.size();
  bool rows = frame.unit == FrameUnit::kRows;
  size_t group = group_of_[i];
  switch (frame.end) {
    case FrameEdge::kUnboundedPreceding: return 0;
    case FrameEdge::kPreceding: {
      if (rows) return Back(i + 1, offsets.end);
      // The group `offset` groups back ends the frame; none: empty.
      size_t past = Back(group + 1, offsets.end);
      return past == 0 ? 0 : peer_end_[group_start_[past - 1]];
    }
    case FrameEdge::kCurrentRow: return rows ? i + 1 : peer_end_[i];
    case FrameEdge::kFollowing: {
      if (rows) return Forward(i + 1, offsets.end, n);
      size_t past = Forward(group + 1, offsets.end, group_start_.size());
      return peer_end_[group_start_[past - 1]];
    }
    case FrameEdge::kUnboundedFollowing: return n;
  }
  return n;
}

std::vector<Value> WindowEvaluator::Compute(const BoundExpr& call, const FrameOffsets& offsets) {
  switch (call.window->func) {
    case WindowFuncKind::kRowNumber:
    case WindowFuncKind::kRank:
    case WindowFuncKind::kDenseRank:
    case WindowFuncKind::kPercentRank:
    case WindowFuncKind::kCumeDist:
      return Ranking(call.window->func);
    case WindowFuncKind::kNtile:
      return Ntile(call);
    case WindowFuncKind::kLag:
    case WindowFuncKind::kLead:
      return LagLead(call);
    case WindowFuncKind::kFirstValue:
    case WindowFuncKind::kLastValue:
    case WindowFuncKind::kNthValue:
      return FrameValue(call, offsets);
    case WindowFuncKind::kAggregate:
      return Aggregate(call, offsets);
  }
  return {};
}

std::vector<Value> WindowEvaluator::Ranking(WindowFuncKind kind) {
  size_t n = rows_.size();
  std::vector<Value> out;
  out.reserve(n);
  int64_t dense = 0;
  for (size_t i = 0; i < n; ++i) {
    ctx_.Tick();
    if (peer_start_[i] == i) ++dense;
    int64_t rank = static_cast<int64_t>(peer_start_[i]) + 1;
    switch (kind) {
      case WindowFuncKind::kRowNumber:
        out.push_back(Value::Int8(static_cast<int64_t>(i) + 1));
        break;
      case WindowFuncKind::kRank:
        out.push_back(Value::Int8(rank));
        break;
      case WindowFuncKind::kDenseRank:
        out.push_back(Value::Int8(dense));
        break;
      case WindowFuncKind::kPercentRank:
        out.push_back(Value::Float8(n > 1 ? static_cast<double>(rank - 1) / static_cast<double>(n - 1) : 0.0));
        break;
      default:
        out.push_back(Value::Float8(static_cast<double>(peer_end_[i]) / static_cast<double>(n)));
        break;
    }
  }
  return out;
}

// ntile(k): PostgreSQL's window_ntile, k read on the partition's first row.
std::vector<Value> WindowEvaluator::Ntile(const BoundExpr& call) {
  size_t n = rows_.size();
  Value k = planner::Evaluate(*call.args[0], rows_[0], ctx_.eval);
  if (k.IsNull()) return std::vector<Value>(n, Value::Null(call.type));
  int64_t buckets = k.GetInt();
  if (buckets <= 0) throw SqlError(sqlstate::kInvalidArgumentForNtile, "argument of ntile must be greater than zero");
  int64_t total = static_cast<int64_t>(n);
  int64_t boundary = total / buckets;
  int64_t remainder = 0;
  if (boundary <= 0) {
    boundary = 1;
  } else {
    remainder = total % buckets;
    if (remainder != 0) ++boundary;
  }
  std::vector<Value> out;
  out.reserve(n);
  int64_t ntile = 1, in_bucket = 0;
  for (size_t i = 0; i < n; ++i) {
    ctx_.Tick();
    if (++in_bucket > boundary) {
      if (remainder != 0 && ntile == remainder) {
        remainder = 0;
        --boundary;
      }
      ++ntile;
      in_bucket = 1;
    }
    out.push_back(Value::Int4(static_cast<int32_t>(ntile)));
  }
  return out;
}

// lag/lead(value [, offset [, default]]): offset and default per row.
std::vector<Value> WindowEvaluator::LagLead(const BoundExpr& call) {
  size_t n = rows_.size();
  bool lag = call.window->func == WindowFuncKind::kLag;
  std::vector<Value> out;
  out.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    ctx_.Tick();
    int64_t offset = 1;
    if (call.window->num_args >= 2) {
      Value v = planner::Evaluate(*call.args[1], rows_[i], ctx_.eval);
      if (v.IsNull()) {
        out.push_back(Value::Null(call.type));
        continue;
      }
      offset = v.GetInt();
    }
    int64_t target = static_cast<int64_t>(i) + (lag ? -offset : offset);
    if (target >= 0 && target < static_cast<int64_t>(n)) {
      out.push_back(planner::Evaluate(*call.args[0], rows_[static_cast<size_t>(target)], ctx_.eval));
    } else if (call.window->num_args == 3) {
      out.push_back(planner::Evaluate(*call.args[2], rows_[i], ctx_.eval));
    } else {
      out.push_back(Value::Null(call.type));
    }
  }
  return out;
}

std::vector<Value> WindowEvaluator::ArgValues(const BoundExpr& call) {
  std::vector<Value> values;
  values.reserve(rows_.size());
  for (auto& row : rows_) {
    ctx_.Tick();
    values.push_back(planner::Evaluate(*call.args[0], row, ctx_.eval));
  }
  return values;
}

// first_value, last_value, nth_value over each row's frame.
std::vector<Value> WindowEvaluator::FrameValue(const BoundExpr& call, const FrameOffsets& offsets) {
  const BoundFrame& frame = call.window->frame;
  std::vector<Value> values = ArgValues(call);
  std::vector<Value> out;
  out.reserve(rows_.size());
  for (size_t i = 0; i < rows_.size(); ++i) {
    ctx_.Tick();
    size_t start = FrameStart(frame, offsets, i);
    size_t end = FrameEnd(frame, offsets, i);
    size_t pick = end;  // none
    if (call.window->func == WindowFuncKind::kFirstValue) {
      pick = start;
    } else if (call.window->func == WindowFuncKind::kLastValue) {
      if (end > start) pick = end - 1;
    } else {
      Value k = planner::Evaluate(*call.args[1], rows_[i], ctx_.eval);
      if (!k.IsNull() && k.GetInt() <= 0)
        throw SqlError(sqlstate::kInvalidArgumentForNthValue, "argument of nth_value must be greater than zero");
      if (!k.IsNull() && static_cast<uint64_t>(k.GetInt() - 1) < end - std::min(start, end))
        pick = start + static_cast<size_t>(k.GetInt() - 1);
    }
    out.push_back(pick < end ? values[pick] : Value::Null(call.type));
  }
  return out;
}

}  // namespace tessera::executor
