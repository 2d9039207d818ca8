// WindowAgg (physical_window.h).
#include "executor/operators/physical_window.h"

#include "executor/sort_util.h"

namespace tessera::executor {

PhysicalWindow::PhysicalWindow(ExecContext& ctx, PhysicalRef child, const planner::LogicalWindow& plan)
    : PhysicalOperator(ctx), child_(std::move(child)), plan_(plan), charge_(ctx.memory, "WindowAgg") {
  const planner::BoundExpr& first = *plan.Calls().at(0);
  partition_by_ = planner::WindowPartition(first);
  order_by_ = planner::WindowOrder(first);
  for (auto& p : partition_by_) partition_keys_.push_back({p, false, false});
}

void PhysicalWindow::Add(Row row) {
  std::vector<Value> key;
  key.reserve(partition_by_.size());
  for (auto& p : partition_by_) key.push_back(planner::Evaluate(*p, row, ctx_.eval));
  if (!partition_.empty() && CompareKeys(key, partition_key_, partition_keys_) != 0) FinishPartition();
  if (partition_.empty()) partition_key_ = std::move(key);
  int64_t bytes = EstimateRowBytes(row) + static_cast<int64_t>(sizeof(Row)) +
                  static_cast<int64_t>(plan_.Calls().size() * sizeof(Value));
  charge_.Add(bytes);
  partition_bytes_ += bytes;
  partition_.push_back(std::move(row));
}

void PhysicalWindow::FinishPartition() {
  if (partition_.empty()) return;
  WindowEvaluator window(partition_, order_by_, ctx_);
  std::vector<std::vector<Value>> results;
  for (size_t c = 0; c < plan_.Calls().size(); ++c) {
    ctx_.CheckCancel();
    results.push_back(window.Compute(*plan_.Calls()[c], offsets_[c]));
  }
  for (size_t i = 0; i < partition_.size(); ++i) {
    for (auto& column : results) partition_[i].push_back(std::move(column[i]));
    ready_.push_back(std::move(partition_[i]));
  }
  partition_.clear();
  ready_bytes_ += partition_bytes_;
  partition_bytes_ = 0;
}

bool PhysicalWindow::Next(Batch* out) {
  out->clear();
  if (!started_) {
    started_ = true;
    for (auto& call : plan_.Calls()) offsets_.push_back(EvaluateFrameOffsets(call->window->frame, ctx_));
  }
  while (true) {
    if (ready_pos_ < ready_.size()) {
      size_t end = std::min(ready_.size(), ready_pos_ + kBatchSize);
      for (; ready_pos_ < end; ++ready_pos_) out->push_back(std::move(ready_[ready_pos_]));
      if (ready_pos_ == ready_.size()) {
        ready_.clear();
        ready_pos_ = 0;
        charge_.Remove(ready_bytes_);
        ready_bytes_ = 0;
      }
      return true;
    }
    if (input_done_) return false;
    Batch in;
    if (!child_->Next(&in)) {
      input_done_ = true;
      FinishPartition();
      continue;
    }
    ctx_.CheckCancel();
    for (auto& row : in) {
      ctx_.Tick();
      Add(std::move(row));
    }
  }
}

}  // namespace tessera::executor
