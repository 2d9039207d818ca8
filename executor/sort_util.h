// Ordering rows by sort keys with ASC/DESC and NULLS FIRST/LAST, shared by
// the gateway's sort and the fragments' top-N.
#pragma once

#include <vector>

#include "planner/expr_evaluator.h"
#include "planner/fragment.h"

namespace tessera::executor {

// Rows paired with their evaluated sort keys, so keys are computed once.
struct KeyedRow {
  std::vector<Value> keys;
  Row row;
};

// What a KeyedRow costs beyond its two vectors' contents: its slot in a
// vector that grows by doubling (up to twice its size), and half a slot in
// std::stable_sort's merge buffer.
inline constexpr int64_t kKeyedRowSlot = 2 * sizeof(KeyedRow) + sizeof(KeyedRow) / 2;

// `a(i)` gives the first row's i-th key: its evaluated keys, or (top-N)
// values read in place from a row not yet keyed.
template <class KeyOfA>
int CompareKeysWith(const KeyOfA& a, const std::vector<Value>& b, const std::vector<planner::SortKey>& keys) {
  for (size_t i = 0; i < keys.size(); ++i) {
    const Value& ai = a(i);
    bool an = ai.IsNull(), bn = b[i].IsNull();
    if (an && bn) continue;
    if (an || bn) return (an == keys[i].nulls_first) ? -1 : 1;
    int c = ai.Compare(b[i]);
    if (c != 0) return keys[i].descending ? -c : c;
  }
  return 0;
}

inline int CompareKeys(const std::vector<Value>& a, const std::vector<Value>& b,
                       const std::vector<planner::SortKey>& keys) {
  return CompareKeysWith([&a](size_t i) -> const Value& { return a[i]; }, b, keys);
}

inline KeyedRow MakeKeyed(Row row, const std::vector<planner::SortKey>& keys, const planner::EvalContext& ctx) {
  KeyedRow k;
  for (auto& key : keys) k.keys.push_back(planner::Evaluate(*key.expr, row, ctx));
  k.row = std::move(row);
  return k;
}

}  // namespace tessera::executor
