// ProjectSet: PostgreSQL's ExecProjectSet over batches. The calls of one
// row are started together and stepped together; the row ends when all of
// them have (so a row whose calls return nothing yields nothing).
#include "executor/operators/physical_project_set.h"

namespace tessera::executor {

bool PhysicalProjectSet::StartRow() {
  while (input_pos_ >= input_.size()) {
    input_pos_ = 0;
    if (child_done_ || !child_->Next(&input_)) {
      child_done_ = true;
      input_.clear();
      return false;
    }
  }
  row_ = std::move(input_[input_pos_++]);
  calls_.clear();
  for (auto& call : plan_.Calls()) {
    std::vector<Value> args;
    for (auto& a : call->args) args.push_back(planner::Evaluate(*a, row_, ctx_.eval));
    calls_.emplace_back(std::in_place, call->name, args);
  }
  return true;
}

bool PhysicalProjectSet::Step(Batch* out) {
  Row produced = row_;
  bool any = false;
  for (size_t i = 0; i < calls_.size(); ++i) {
    Value v;
    if (calls_[i] && calls_[i]->Next(&v)) {
      any = true;
      produced.push_back(std::move(v));
    } else {
      calls_[i].reset();
      produced.push_back(Value::Null(plan_.Calls()[i]->type));
    }
  }
  if (any) out->push_back(std::move(produced));
  return any;
}

bool PhysicalProjectSet::Next(Batch* out) {
  out->clear();
  while (out->size() < kBatchSize) {
    if (!in_row_) {
      if (!StartRow()) break;
      in_row_ = true;
    }
    ctx_.Tick();
    if (!Step(out)) in_row_ = false;
  }
  return !out->empty();
}

}  // namespace tessera::executor
