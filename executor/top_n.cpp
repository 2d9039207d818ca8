// See top_n.h.
#include "executor/top_n.h"

#include <algorithm>

namespace tessera::executor {

TopN::TopN(const std::vector<planner::SortKey>& keys, size_t limit, MemoryAccount* memory, const char* context)
    : keys_(keys), limit_(limit), charge_(memory, context) {
  for (const planner::SortKey& key : keys_) {
    if (!key.expr || key.expr->kind != planner::BoundExprKind::kColumn || key.expr->index < 0) {
      key_columns_.clear();
      return;
    }
    key_columns_.push_back(static_cast<size_t>(key.expr->index));
  }
}

bool TopN::Before(const Entry& a, const Entry& b) const {
  int c = CompareKeys(a.keyed.keys, b.keyed.keys, keys_);
  return c != 0 ? c < 0 : a.seq < b.seq;
}

bool TopN::Admits(const std::vector<Value>& keys) const {
  if (heap_.size() < limit_) return true;
  if (limit_ == 0) return false;
  // Equal keys to the last row kept lose: they arrived later.
  return CompareKeys(keys, heap_.front().keyed.keys, keys_) < 0;
}

void TopN::Offer(KeyedRow row) {
  if (!Admits(row.keys)) return;
  auto before = [this](const Entry& a, const Entry& b) { return Before(a, b); };
  int64_t bytes = EstimateRowBytes(row.row) + EstimateRowBytes(row.keys) + static_cast<int64_t>(sizeof(Entry));
  charge_.Add(bytes);
  if (heap_.size() == limit_) {
    std::pop_heap(heap_.begin(), heap_.end(), before);
    charge_.Remove(heap_.back().bytes);
    heap_.pop_back();
  }
  heap_.push_back({std::move(row), next_seq_++, bytes});
  std::push_heap(heap_.begin(), heap_.end(), before);
}

void TopN::Offer(Row row, const planner::EvalContext& ctx) {
  const bool in_place = !key_columns_.empty() &&
                        std::all_of(key_columns_.begin(), key_columns_.end(), [&](size_t c) { return c < row.size(); });
  if (in_place) {
    if (heap_.size() >= limit_) {
      if (limit_ == 0) return;
      // Admits, reading the row's own values.
      auto key = [&](size_t i) -> const Value& { return row[key_columns_[i]]; };
      if (CompareKeysWith(key, heap_.front().keyed.keys, keys_) >= 0) return;  // equal keys lose: they arrived later
    }
    KeyedRow keyed;
    keyed.keys.reserve(key_columns_.size());
    for (size_t column : key_columns_) keyed.keys.push_back(row[column]);
    keyed.row = std::move(row);
    Offer(std::move(keyed));
    return;
  }
  probe_.clear();
  for (auto& key : keys_) probe_.push_back(planner::Evaluate(*key.expr, row, ctx));
  if (!Admits(probe_)) return;
  Offer(KeyedRow{std::move(probe_), std::move(row)});
  probe_ = {};
}

std::vector<Row> TopN::TakeSorted() {
  std::sort_heap(heap_.begin(), heap_.end(), [this](const Entry& a, const Entry& b) { return Before(a, b); });
  std::vector<Row> rows;
  rows.reserve(heap_.size());
  for (auto& e : heap_) rows.push_back(std::move(e.keyed.row));
  heap_.clear();
  charge_.Reset();
  return rows;
}

}  // namespace tessera::executor
