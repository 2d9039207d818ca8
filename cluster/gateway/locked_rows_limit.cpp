#include "cluster/gateway/locked_rows_limit.h"

#include <algorithm>
#include <utility>

#include "common/error.h"
#include "executor/sort_util.h"

namespace tessera::cluster {

std::vector<std::vector<std::string>> KeepLockedRowsWithinLimit(const planner::Fragment& f,
                                                                const planner::EvalContext& ctx, bool merge_by_key,
                                                                std::vector<planner::FragmentResult>& parts) {
  std::vector<std::vector<std::string>> surplus(parts.size());
  std::vector<std::pair<size_t, size_t>> order;  // (part, row) in the order the gateway takes them
  for (size_t p = 0; p < parts.size(); ++p) {
    if (parts[p].row_keys.size() != parts[p].rows.size())
      throw SqlError::Internal("a locking fragment's result has no key for each row");
    for (size_t r = 0; r < parts[p].rows.size(); ++r) order.emplace_back(p, r);
  }
  if (f.limit < 0 || static_cast<int64_t>(order.size()) <= f.limit) return surplus;
  if (!f.top_n.empty()) {
    std::vector<std::vector<std::vector<Value>>> keys(parts.size());
    for (size_t p = 0; p < parts.size(); ++p)
      for (const Row& row : parts[p].rows) keys[p].push_back(executor::MakeKeyed(row, f.top_n, ctx).keys);
    std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
      return executor::CompareKeys(keys[a.first][a.second], keys[b.first][b.second], f.top_n) < 0;
    });
  } else if (merge_by_key) {
    std::stable_sort(order.begin(), order.end(), [&](const auto& a, const auto& b) {
      return parts[a.first].row_keys[a.second] < parts[b.first].row_keys[b.second];
    });
  }
  std::vector<std::vector<bool>> keep(parts.size());
  for (size_t p = 0; p < parts.size(); ++p) keep[p].assign(parts[p].rows.size(), false);
  for (int64_t i = 0; i < f.limit; ++i) keep[order[i].first][order[i].second] = true;
  for (size_t p = 0; p < parts.size(); ++p) {
    planner::FragmentResult kept;
    kept.affected = parts[p].affected;
    for (size_t r = 0; r < parts[p].rows.size(); ++r) {
      if (!keep[p][r]) {
        surplus[p].push_back(std::move(parts[p].row_keys[r]));
        continue;
      }
      kept.rows.push_back(std::move(parts[p].rows[r]));
      kept.row_keys.push_back(std::move(parts[p].row_keys[r]));
    }
    parts[p] = std::move(kept);
  }
  return surplus;
}

}  // namespace tessera::cluster
