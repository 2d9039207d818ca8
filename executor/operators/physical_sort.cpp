// Sort, DISTINCT and set operations.
#include "executor/operators/physical_sort.h"

#include <algorithm>

#include "executor/background_free.h"
#include "executor/sort_util.h"
#include "executor/top_n.h"

namespace tessera::executor {

int64_t PhysicalSort::RowsNeeded() const {
  if (limit_ == nullptr || limit_->Limit() == nullptr) return -1;
  Value n = planner::Evaluate(*limit_->Limit(), {}, ctx_.eval);
  Value m = limit_->Offset() ? planner::Evaluate(*limit_->Offset(), {}, ctx_.eval) : Value::Int8(0);
  if (n.IsNull() || n.GetInt() < 0) return -1;
  int64_t skip = m.IsNull() ? 0 : m.GetInt();
  if (skip < 0 || n.GetInt() > INT64_MAX - skip) return -1;
  return n.GetInt() + skip;
}

void PhysicalSort::Report(const char* method, bool disk, int64_t bytes) {
  if (ctx_.sort_reports != nullptr) (*ctx_.sort_reports)[node_] = {method, disk, bytes};
}

void PhysicalSort::KeepFirst(int64_t rows) {
  TopN top(keys_, static_cast<size_t>(rows), ctx_.memory, "TupleSort main");
  Batch in;
  while (child_->Next(&in)) {
    ctx_.CheckCancel();
    for (auto& row : in) top.Offer(std::move(row), ctx_.eval);
    if (ctx_.work_mem > 0 && top.Charged() > ctx_.work_mem) {
      // LIMIT + OFFSET rows do not fit in work_mem: the rows kept so far
      // become the first run of an external sort, which takes the rest of
      // the input (the LIMIT above stops reading it). A row the heap let go
      // had LIMIT + OFFSET rows before it, so it is not missed; the kept
      // rows arrived first, so ties stay in order.
      std::vector<Row> kept = top.TakeSorted();
      for (auto& row : kept) keyed_.push_back(MakeKeyed(std::move(row), keys_, ctx_.eval));
      external_ = std::make_unique<ExternalSort>(keys_, ctx_.poll, TempDirectory(), ctx_.memory);
      external_->AddRun(&keyed_);
      SortAll();
      return;
    }
  }
  Report("top-N heapsort", false, top.Charged());
  std::vector<Row> kept = top.TakeSorted();
  output_.Set(std::move(kept), ctx_.memory);
}

bool PhysicalSort::Next(Batch* out) {
  if (!sorted_) {
    sorted_ = true;
    if (int64_t rows = RowsNeeded(); rows >= 0) KeepFirst(rows);
    else SortAll();
  }
  if (external_) return external_->Next(out);
  return output_.Next(out);
}

void PhysicalSort::SortKept() {
  // The comparator polls for cancel and statement_timeout: sorting
  // millions of rows takes seconds.
  StatementPoll& poll = ctx_.poll;
  std::stable_sort(keyed_.begin(), keyed_.end(), [&](const KeyedRow& a, const KeyedRow& b) {
    poll.Tick();
    return CompareKeys(a.keys, b.keys, keys_) < 0;
  });
}

void PhysicalSort::SortAll() {
  // The rows with their keys, and the stable sort's buffer of half as
  // many KeyedRows, are charged to the statement as they come. Members,
  // so that a cancelled sort's rows go with the operator tree (which a
  // big statement frees in the background), not during the unwinding.
  // Past work_mem they are sorted and written out as a run, and the
  // charge starts again (PostgreSQL's external merge sort).
  Batch in;
  int64_t peak = 0;
  while (child_->Next(&in)) {
    ctx_.CheckCancel();
    int64_t bytes = 0;
    for (auto& row : in) {
      keyed_.push_back(MakeKeyed(std::move(row), keys_, ctx_.eval));
      const KeyedRow& k = keyed_.back();
      int64_t row_bytes = EstimateRowBytes(k.row);
      row_bytes_ += row_bytes;
      bytes += row_bytes + EstimateRowBytes(k.keys) + kKeyedRowSlot;
    }
    charge_.Add(bytes);
    peak = std::max(peak, charge_.Charged());
    if (ctx_.work_mem > 0 && charge_.Charged() > ctx_.work_mem) {
      if (!external_) external_ = std::make_unique<ExternalSort>(keys_, ctx_.poll, TempDirectory(), ctx_.memory);
      SortKept();
      external_->AddRun(&keyed_);
      charge_.Reset();
      row_bytes_ = 0;
    }
  }
  SortKept();
  if (external_) {
    if (!keyed_.empty()) external_->AddRun(&keyed_);
    keyed_ = {};
    charge_.Reset();
    external_->FinishInput();
    Report("external merge", true, external_->DiskBytes());
    return;
  }
  Report("quicksort", false, peak);
  std::vector<Row> rows;
  rows.reserve(keyed_.size());
  for (auto& k : keyed_) rows.push_back(std::move(k.row));
  // The keys (the rows are moved out) are freed off this thread when big.
  if (charge_.Charged() >= kBackgroundFreeBytes) {
    FreeInBackground(std::make_unique<std::vector<KeyedRow>>(std::move(keyed_)));
    keyed_ = {};
  } else {
    keyed_ = {};
  }
  charge_.Reset();
  // The rows were estimated on the way in: no second pass over them.
  output_.SetCharged(std::move(rows), ctx_.memory, row_bytes_);
}

bool PhysicalDistinct::Next(Batch* out) {
  Batch in;
  out->clear();
  while (child_->Next(&in)) {
    ctx_.CheckCancel();
    int64_t bytes = 0;
    for (auto& row : in) {
      ctx_.Tick();
      if (!seen_.emplace(row, true).second) continue;
      bytes += EstimateRowBytes(row) + kHashEntryOverhead;
      out->push_back(std::move(row));
    }
    charge_.Add(bytes);
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
    int64_t bytes = 0;
    for (auto& row : in) {
      ctx_.Tick();
      if (all_) {
        out->push_back(std::move(row));
      } else if (counts_.emplace(row, 1).second) {
        bytes += EstimateRowBytes(row) + kHashEntryOverhead;
        out->push_back(std::move(row));
      }
    }
    charge_.Add(bytes);
    if (!out->empty()) return true;
  }
}

bool PhysicalSetOp::Next(Batch* out) {
  out->clear();
  if (op_ == planner::SetOpType::kUnion) return NextUnion(out);
  if (!built_) {
    built_ = true;
    Batch in;
    while (right_->Next(&in)) {
      ctx_.CheckCancel();
      int64_t bytes = 0;
      for (auto& row : in) {
        ctx_.Tick();
        auto [it, inserted] = counts_.try_emplace(row, 0);
        ++it->second;
        if (inserted) bytes += EstimateRowBytes(row) + kHashEntryOverhead;
      }
      charge_.Add(bytes);
    }
  }
  Batch in;
  while (left_->Next(&in)) {
    ctx_.CheckCancel();
    int64_t bytes = 0;
    for (auto& row : in) {
      ctx_.Tick();
      int64_t* count = counts_.Find(row);
      bool in_right = count != nullptr && *count > 0;
      if (op_ == planner::SetOpType::kIntersect) {
        if (!in_right) continue;
        if (all_) --*count;
        else *count = 0;  // emit once
        out->push_back(std::move(row));
      } else {
        if (in_right) {
          if (all_) --*count;
          continue;
        }
        if (!all_) {
          // EXCEPT without ALL: distinct rows only; mark as consumed.
          auto [seen, inserted] = counts_.try_emplace(row, 1);
          if (inserted) bytes += EstimateRowBytes(row) + kHashEntryOverhead;
          else seen->second = 1;
        }
        out->push_back(std::move(row));
      }
    }
    charge_.Add(bytes);
    if (!out->empty()) return true;
  }
  return false;
}

}  // namespace tessera::executor
