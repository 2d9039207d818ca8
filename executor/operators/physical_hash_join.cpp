// Hash join: build on the right input, probe with batches of the left.
#include "executor/operators/physical_hash_join.h"

namespace tessera::executor {

PhysicalHashJoin::PhysicalHashJoin(ExecContext& ctx, PhysicalRef left, PhysicalRef right,
                                   const planner::LogicalJoin& plan)
    : PhysicalOperator(ctx),
      left_(std::move(left)),
      right_(std::move(right)),
      kind_(plan.Join()),
      left_width_(plan.Child(0).Types().size()),
      right_width_(plan.Child(1).Types().size()),
      charge_(ctx.memory, "HashTableContext") {
  std::vector<planner::ExprRef> conjuncts, rest;
  planner::SplitConjuncts(plan.Condition(), &conjuncts);
  int lw = static_cast<int>(left_width_);
  int width = lw + static_cast<int>(right_width_);
  for (auto& c : conjuncts) {
    if (c->kind == planner::BoundExprKind::kCompare && static_cast<planner::CompareOp>(c->op) == planner::CompareOp::kEq) {
      const auto& a = c->args[0];
      const auto& b = c->args[1];
      if (planner::ReferencesOnly(*a, 0, lw) && planner::ReferencesOnly(*b, lw, width) && planner::HasColumnRefs(*a) &&
          planner::HasColumnRefs(*b)) {
        left_keys_.push_back(a);
        right_keys_.push_back(planner::ShiftColumns(b, -lw));
        continue;
      }
      if (planner::ReferencesOnly(*b, 0, lw) && planner::ReferencesOnly(*a, lw, width) && planner::HasColumnRefs(*a) &&
          planner::HasColumnRefs(*b)) {
        left_keys_.push_back(b);
        right_keys_.push_back(planner::ShiftColumns(a, -lw));
        continue;
      }
    }
    rest.push_back(c);
  }
  residual_ = planner::MakeAndExpr(std::move(rest));
}

bool PhysicalHashJoin::KeyOf(const std::vector<planner::ExprRef>& exprs, const Row& row,
                             std::vector<Value>* key) const {
  key->clear();
  for (auto& e : exprs) {
    Value v = planner::Evaluate(*e, row, ctx_.eval);
    if (v.IsNull()) return false;  // NULL never equals anything
    key->push_back(NormaliseKey(v));
  }
  return true;
}

void PhysicalHashJoin::Build() {
  Batch in;
  std::vector<Value> key;
  while (right_->Next(&in)) {
    ctx_.CheckCancel();
    // The build side's rows and hash entries are the join's memory.
    int64_t bytes = 0;
    for (auto& row : in) {
      ctx_.Tick();
      size_t id = right_rows_.size();
      bytes += EstimateRowBytes(row) + static_cast<int64_t>(sizeof(size_t));
      if (KeyOf(right_keys_, row, &key)) {
        auto [it, inserted] = table_.try_emplace(key);
        if (inserted) bytes += EstimateRowBytes(key) + kHashEntryOverhead;
        it->second.push_back(id);
      }
      right_rows_.push_back(std::move(row));
    }
    charge_.Add(bytes);
  }
  right_matched_.assign(right_rows_.size(), false);
}

void PhysicalHashJoin::Probe(Row& left, Batch* out) {
  std::vector<Value> key;
  bool matched = false;
  if (KeyOf(left_keys_, left, &key)) {
    if (const std::vector<size_t>* ids = table_.Find(key)) {
      for (size_t id : *ids) {
        // A non-equi or cross join meets every right row here: poll per pair.
        ctx_.Tick();
        Row combined = left;
        combined.insert(combined.end(), right_rows_[id].begin(), right_rows_[id].end());
        if (residual_ && !planner::EvaluatePredicate(*residual_, combined, ctx_.eval)) continue;
        matched = true;
        right_matched_[id] = true;
        out->push_back(std::move(combined));
      }
    }
  }
  if (!matched && (kind_ == planner::JoinKind::kLeft || kind_ == planner::JoinKind::kFull)) {
    Row padded = std::move(left);
    padded.resize(left_width_ + right_width_);
    out->push_back(std::move(padded));
  }
}

bool PhysicalHashJoin::Next(Batch* out) {
  if (!built_) {
    built_ = true;
    Build();
  }
  out->clear();
  while (!left_done_) {
    // Probe a left row at a time until the batch is full, so one left
    // batch against many matches does not become one enormous batch.
    if (probe_pos_ < probe_.size()) {
      while (probe_pos_ < probe_.size() && out->size() < kBatchSize) Probe(probe_[probe_pos_++], out);
      if (out->size() >= kBatchSize) return true;
      continue;
    }
    probe_pos_ = 0;
    if (!left_->Next(&probe_)) {
      probe_.clear();
      left_done_ = true;
      if (kind_ == planner::JoinKind::kRight || kind_ == planner::JoinKind::kFull) {
        std::vector<Row> rest;
        for (size_t i = 0; i < right_rows_.size(); ++i) {
          if (right_matched_[i]) continue;
          Row padded(left_width_);
          padded.insert(padded.end(), right_rows_[i].begin(), right_rows_[i].end());
          rest.push_back(std::move(padded));
        }
        tail_.Set(std::move(rest), ctx_.memory);
      }
      break;
    }
    ctx_.CheckCancel();
  }
  if (!out->empty()) return true;
  return tail_.Next(out);
}

}  // namespace tessera::executor
