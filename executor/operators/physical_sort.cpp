// Sort, DISTINCT and set operations.
#include "executor/operators/physical_sort.h"

#include <algorithm>

#include "executor/sort_util.h"

namespace tessera::executor {

bool PhysicalSort::Next(Batch* out) {
  if (!sorted_) {
    sorted_ = true;
    std::vector<KeyedRow> keyed;
    Batch in;
    while (child_->Next(&in)) {
      ctx_.CheckCancel();
      for (auto& row : in) keyed.push_back(MakeKeyed(std::move(row), keys_, ctx_.eval));
    }
    std::stable_sort(keyed.begin(), keyed.end(),
                     [&](const KeyedRow& a, const KeyedRow& b) { return CompareKeys(a.keys, b.keys, keys_) < 0; });
    std::vector<Row> rows;
    rows.reserve(keyed.size());
    for (auto& k : keyed) rows.push_back(std::move(k.row));
    output_.Set(std::move(rows));
  }
  return output_.Next(out);
}

bool PhysicalDistinct::Next(Batch* out) {
  Batch in;
  out->clear();
  while (child_->Next(&in)) {
    ctx_.CheckCancel();
    for (auto& row : in)
      if (seen_.emplace(row, true).second) out->push_back(std::move(row));
    if (!out->empty()) return true;
  }
  return false;
}

bool PhysicalSetOp::NextUnion(Batch* out) {
  Batch in;
  while (true) {
    PhysicalOperator* source = left_done_ ? right_.get() : left_.get();
    if (!source->Next(&in)) {
      if (left_done_) return false;
      left_done_ = true;
      continue;
    }
    ctx_.CheckCancel();
    for (auto& row : in)
      if (all_ || counts_.emplace(row, 1).second) out->push_back(std::move(row));
    if (!out->empty()) return true;
  }
}

bool PhysicalSetOp::Next(Batch* out) {
  out->clear();
  if (op_ == planner::SetOpType::kUnion) return NextUnion(out);
  if (!built_) {
    built_ = true;
    Batch in;
    while (right_->Next(&in))
      for (auto& row : in) ++counts_[row];
  }
  Batch in;
  RowMap<bool> emitted;
  while (left_->Next(&in)) {
    ctx_.CheckCancel();
    for (auto& row : in) {
      auto it = counts_.find(row);
      bool in_right = it != counts_.end() && it->second > 0;
      if (op_ == planner::SetOpType::kIntersect) {
        if (!in_right) continue;
        if (all_) --it->second;
        else it->second = 0;  // emit once
        out->push_back(std::move(row));
      } else {
        if (in_right) {
          if (all_) --it->second;
          continue;
        }
        if (!all_) {
          // EXCEPT without ALL: distinct rows only; mark as consumed.
          counts_[row] = 1;
        }
        out->push_back(std::move(row));
      }
    }
    if (!out->empty()) return true;
  }
  return false;
}

}  // namespace tessera::executor
