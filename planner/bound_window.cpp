// Helpers over bound window function calls (bound_window.h).
#include "planner/bound_window.h"

namespace tessera::planner {

std::vector<ExprRef> WindowArgs(const BoundExpr& call) {
  return {call.args.begin(), call.args.begin() + call.window->num_args};
}

std::vector<ExprRef> WindowPartition(const BoundExpr& call) {
  auto begin = call.args.begin() + call.window->num_args;
  return {begin, begin + call.window->num_partition};
}

std::vector<SortKey> WindowOrder(const BoundExpr& call) {
  std::vector<SortKey> keys;
  size_t first = static_cast<size_t>(call.window->num_args + call.window->num_partition);
  for (size_t i = first; i < call.args.size(); ++i) {
    const OrderDirection& d = call.window->order[i - first];
    keys.push_back({call.args[i], d.descending, d.nulls_first});
  }
  return keys;
}

bool SameOrdering(const BoundExpr& a, const BoundExpr& b) {
  const BoundWindow& x = *a.window;
  const BoundWindow& y = *b.window;
  if (x.num_partition != y.num_partition || x.order.size() != y.order.size()) return false;
  for (size_t i = 0; i < x.order.size(); ++i)
    if (x.order[i].descending != y.order[i].descending || x.order[i].nulls_first != y.order[i].nulls_first)
      return false;
  size_t n = static_cast<size_t>(x.num_partition) + x.order.size();
  for (size_t i = 0; i < n; ++i)
    if (!ExprEquals(*a.args[x.num_args + i], *b.args[y.num_args + i])) return false;
  return true;
}

namespace {

bool SameOffset(const ExprRef& a, const ExprRef& b) {
  if (!a || !b) return !a && !b;
  return ExprEquals(*a, *b);
}

}  // namespace

bool SameWindow(const BoundExpr& a, const BoundExpr& b) {
  const BoundFrame& x = a.window->frame;
  const BoundFrame& y = b.window->frame;
  return SameOrdering(a, b) && x.unit == y.unit && x.start == y.start && x.end == y.end &&
         SameOffset(x.start_offset, y.start_offset) && SameOffset(x.end_offset, y.end_offset);
}

const char* WindowFuncName(WindowFuncKind kind) {
  switch (kind) {
    case WindowFuncKind::kRowNumber:
      return "row_number";
    case WindowFuncKind::kRank:
      return "rank";
    case WindowFuncKind::kDenseRank:
      return "dense_rank";
    case WindowFuncKind::kPercentRank:
      return "percent_rank";
    case WindowFuncKind::kCumeDist:
      return "cume_dist";
    case WindowFuncKind::kNtile:
      return "ntile";
    case WindowFuncKind::kLag:
      return "lag";
    case WindowFuncKind::kLead:
      return "lead";
    case WindowFuncKind::kFirstValue:
      return "first_value";
    case WindowFuncKind::kLastValue:
      return "last_value";
    case WindowFuncKind::kNthValue:
      return "nth_value";
    case WindowFuncKind::kAggregate:
      return "aggregate";
  }
  return "?";
}

}  // namespace tessera::planner
