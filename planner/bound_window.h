// A bound window function call (BoundExprKind::kWindow, binder output only:
// the select list refers to its result as a column of a LogicalWindow).
// The call's BoundExpr holds, in `args`, the function's arguments, then the
// PARTITION BY expressions, then the ORDER BY ones, so the binder's generic
// walks (grouping, aggregate search) see them all; `window` says how many
// of each there are, the ORDER BY directions and the frame.
#pragma once

#include <cstdint>
#include <vector>

#include "planner/bound_expr.h"
#include "planner/fragment.h"

namespace tessera::planner {

enum class WindowFuncKind : uint8_t {
  kRowNumber,
  kRank,
  kDenseRank,
  kPercentRank,
  kCumeDist,
  kNtile,
  kLag,
  kLead,
  kFirstValue,
  kLastValue,
  kNthValue,
  kAggregate,  // count/sum/avg/min/max over the frame (`agg`)
};

// The frame modes and bounds that are computed; the binder refuses the rest
// (RANGE with an offset, EXCLUDE) with 0A000. GROUPS counts peer groups.
enum class FrameUnit : uint8_t { kRange, kRows, kGroups };
enum class FrameEdge : uint8_t { kUnboundedPreceding, kPreceding, kCurrentRow, kFollowing, kUnboundedFollowing };

struct BoundFrame {
  FrameUnit unit = FrameUnit::kRange;
  FrameEdge start = FrameEdge::kUnboundedPreceding;
  FrameEdge end = FrameEdge::kCurrentRow;
  // ROWS/GROUPS n PRECEDING/FOLLOWING: n as an int8 expression over constants and
  // parameters, evaluated once per execution; null otherwise.
  ExprRef start_offset;
  ExprRef end_offset;
};

struct OrderDirection {
  bool descending = false;
  bool nulls_first = false;
};

struct BoundWindow {
  WindowFuncKind func = WindowFuncKind::kRowNumber;
  AggKind agg = AggKind::kCountStar;  // kAggregate
  int num_args = 0;
  int num_partition = 0;
  std::vector<OrderDirection> order;  // one per ORDER BY expression
  BoundFrame frame;
};

// The call's pieces: its own arguments, the PARTITION BY and ORDER BY expressions.
std::vector<ExprRef> WindowArgs(const BoundExpr& call);
std::vector<ExprRef> WindowPartition(const BoundExpr& call);
std::vector<SortKey> WindowOrder(const BoundExpr& call);
// SameWindow: the same PARTITION BY, ORDER BY and frame (one WindowAgg
// computes both calls); SameOrdering: the same PARTITION BY and ORDER BY (no
// sort needed between their WindowAggs). ExprEquals compares the rest.
bool SameOrdering(const BoundExpr& a, const BoundExpr& b);
bool SameWindow(const BoundExpr& a, const BoundExpr& b);
const char* WindowFuncName(WindowFuncKind kind);

}  // namespace tessera::planner
