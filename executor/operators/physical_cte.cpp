// CTE scans, recursive unions and work table scans (physical_cte.h).
#include "executor/operators/physical_cte.h"

#include "common/error.h"

namespace tessera::executor {

namespace {

int64_t RowsBytes(const Batch& rows) {
  int64_t bytes = 0;
  for (const Row& row : rows) bytes += EstimateRowBytes(row);
  return bytes;
}

}  // namespace

bool CteTape::Fill() {
  if (!producer) return false;
  // Only a recursive reference could re-enter, and the binder makes those
  // work table scans.
  if (filling) throw SqlError::Internal("CTE read while it is being computed");
  filling = true;
  Batch batch;
  bool more = producer->Next(&batch);
  filling = false;
  if (!more) {
    producer.reset();
    return false;
  }
  charge.Add(RowsBytes(batch) + static_cast<int64_t>(batch.size() * sizeof(Row)));
  rows.insert(rows.end(), std::make_move_iterator(batch.begin()), std::make_move_iterator(batch.end()));
  return true;
}

bool PhysicalCteScan::Next(Batch* out) {
  out->clear();
  if (!tape_) {
    std::shared_ptr<CteTape>& slot = ctx_.cte_tapes[plan_.Cte().get()];
    if (!slot) {
      slot = std::make_shared<CteTape>();
      slot->charge.Attach(ctx_.memory);
      slot->producer = CreatePhysical(plan_.Child(), ctx_);
    }
    tape_ = slot;
  }
  ctx_.CheckCancel();
  // One reader: pass the rows through, keeping none.
  if (plan_.Cte()->references <= 1) {
    if (!tape_->producer) return false;
    if (tape_->producer->Next(out)) return true;
    tape_->producer.reset();
    return false;
  }
  while (out->size() < kBatchSize) {
    if (pos_ < tape_->rows.size()) {
      ctx_.Tick();
      out->push_back(tape_->rows[pos_++]);
      continue;
    }
    if (!tape_->Fill()) break;
  }
  return !out->empty();
}

PhysicalRecursiveUnion::PhysicalRecursiveUnion(ExecContext& ctx, const planner::LogicalRecursiveUnion& plan)
    : PhysicalOperator(ctx),
      plan_(plan),
      working_charge_(ctx.memory, "RecursiveUnion"),
      next_charge_(ctx.memory, "RecursiveUnion"),
      seen_charge_(ctx.memory, "RecursiveUnion") {
  term_ = CreatePhysical(plan.Child(0), ctx);
}

bool PhysicalRecursiveUnion::Next(Batch* out) {
  out->clear();
  Batch in;
  while (term_) {
    if (!term_->Next(&in)) {
      // The round is over: its rows feed the next one, which runs only if
      // there are any.
      term_.reset();
      if (next_.empty()) break;
      working_ = std::move(next_);
      next_.clear();
      working_charge_.Reset();
      working_charge_.Add(next_charge_.Charged());
      next_charge_.Reset();
      ctx_.work_tables[plan_.Cte().get()] = &working_;
      term_ = CreatePhysical(plan_.Child(1), ctx_);
      continue;
    }
    ctx_.CheckCancel();
    int64_t seen_bytes = 0, next_bytes = 0;
    for (auto& row : in) {
      ctx_.Tick();
      if (!plan_.All()) {
        if (!seen_.emplace(row, true).second) continue;
        seen_bytes += EstimateRowBytes(row) + kHashEntryOverhead;
      }
      next_bytes += EstimateRowBytes(row);
      next_.push_back(row);
      out->push_back(std::move(row));
    }
    seen_charge_.Add(seen_bytes);
    next_charge_.Add(next_bytes);
    if (!out->empty()) return true;
  }
  return false;
}

bool PhysicalWorkTableScan::Next(Batch* out) {
  out->clear();
  auto it = ctx_.work_tables.find(plan_.Cte().get());
  if (it == ctx_.work_tables.end()) throw SqlError::Internal("work table scan outside its recursive union");
  const std::vector<Row>& rows = *it->second;
  while (pos_ < rows.size() && out->size() < kBatchSize) {
    ctx_.Tick();
    out->push_back(rows[pos_++]);
  }
  return !out->empty();
}

}  // namespace tessera::executor
