// VALUES, generate_series, unnest, generate_subscripts, filter, projection, limit.
#include "executor/operators/physical_basic.h"

#include "common/error.h"
#include "common/value_ops.h"

namespace tessera::executor {

int64_t EstimateRowsBytes(const std::vector<Row>& rows) {
  int64_t bytes = static_cast<int64_t>(rows.capacity() * sizeof(Row));
  for (const Row& row : rows) bytes += EstimateRowBytes(row) - static_cast<int64_t>(sizeof(Row));
  return bytes;
}

void RowBuffer::Set(std::vector<Row> rows, MemoryAccount* account) {
  int64_t bytes = account ? EstimateRowsBytes(rows) : 0;
  SetCharged(std::move(rows), account, bytes);
}

void RowBuffer::SetCharged(std::vector<Row> rows, MemoryAccount* account, int64_t bytes) {
  charge_.Attach(account);
  if (account) charge_.Add(bytes);
  rows_ = std::move(rows);
  pos_ = 0;
}

bool RowBuffer::Next(Batch* out) {
  out->clear();
  while (pos_ < rows_.size() && out->size() < kBatchSize) out->push_back(std::move(rows_[pos_++]));
  return !out->empty();
}

bool PhysicalValues::Next(Batch* out) {
  out->clear();
  const auto& rows = plan_.Rows();
  static const Row kEmpty;
  while (pos_ < rows.size() && out->size() < kBatchSize) {
    Row row;
    for (auto& e : rows[pos_]) row.push_back(planner::Evaluate(*e, kEmpty, ctx_.eval));
    out->push_back(std::move(row));
    ++pos_;
  }
  return !out->empty();
}

bool PhysicalGenerateSeries::Next(Batch* out) {
  out->clear();
  if (!started_) {
    started_ = true;
    const auto& args = plan_.Args();
    current_ = planner::Evaluate(*args[0], {}, ctx_.eval);
    stop_ = planner::Evaluate(*args[1], {}, ctx_.eval);
    step_ = args.size() > 2 ? planner::Evaluate(*args[2], {}, ctx_.eval) : Value::Int4(1).CastTo(current_.GetType());
    if (current_.IsNull() || stop_.IsNull() || step_.IsNull()) done_ = true;
    if (!done_ && step_.Compare(Value::Int4(0)) == 0)
      throw SqlError(sqlstate::kInvalidParameterValue, "step size cannot equal zero");
  }
  ctx_.CheckCancel();
  bool ascending = !done_ && step_.Compare(Value::Int4(0)) > 0;
  while (!done_ && out->size() < kBatchSize) {
    int c = current_.Compare(stop_);
    if (ascending ? c > 0 : c < 0) {
      done_ = true;
      break;
    }
    out->push_back({current_});
    try {
      current_ = Arith(ArithOp::kAdd, current_, step_);
    } catch (const SqlError&) {
      done_ = true;  // the next value would overflow: the series ends here
    }
  }
  return !out->empty();
}

bool PhysicalArrayFunction::Next(Batch* out) {
  out->clear();
  if (done_) return false;
  done_ = true;  // the rows all come in one batch: an array is already in memory
  const auto& args = plan_.Args();
  Value array = planner::Evaluate(*args[0], {}, ctx_.eval);
  if (array.IsNull()) return false;
  const Value::Elements& elements = array.GetArray();
  if (plan_.Name() == "unnest") {
    for (const Value& e : elements) out->push_back({e});
    return !out->empty();
  }
  Value dim = planner::Evaluate(*args[1], {}, ctx_.eval);
  Value reverse = args.size() > 2 ? planner::Evaluate(*args[2], {}, ctx_.eval) : Value::Bool(false);
  if (dim.IsNull() || dim.GetInt() != 1) return false;
  auto n = static_cast<int32_t>(elements.size());
  bool backwards = !reverse.IsNull() && reverse.GetBool();
  for (int32_t i = 1; i <= n; ++i) out->push_back({Value::Int4(backwards ? n + 1 - i : i)});
  return !out->empty();
}

bool PhysicalFilter::Next(Batch* out) {
  Batch in;
  while (child_->Next(&in)) {
    ctx_.CheckCancel();
    out->clear();
    for (auto& row : in)
      if (planner::EvaluatePredicate(*predicate_, row, ctx_.eval)) out->push_back(std::move(row));
    if (!out->empty()) return true;
  }
  out->clear();
  return false;
}

bool PhysicalProjection::Next(Batch* out) {
  Batch in;
  if (!child_->Next(&in)) {
    out->clear();
    return false;
  }
  ctx_.CheckCancel();
  out->clear();
  out->reserve(in.size());
  for (auto& row : in) {
    Row projected;
    projected.reserve(exprs_.size());
    for (auto& e : exprs_) projected.push_back(planner::Evaluate(*e, row, ctx_.eval));
    out->push_back(std::move(projected));
  }
  return true;
}

bool PhysicalLimit::Next(Batch* out) {
  if (!started_) {
    started_ = true;
    if (plan_.Limit()) {
      Value v = planner::Evaluate(*plan_.Limit(), {}, ctx_.eval);
      if (!v.IsNull()) {
        remaining_ = v.GetInt();
        if (remaining_ < 0) throw SqlError("2201W", "LIMIT must not be negative");
      }
    }
    if (plan_.Offset()) {
      Value v = planner::Evaluate(*plan_.Offset(), {}, ctx_.eval);
      if (!v.IsNull()) {
        to_skip_ = v.GetInt();
        if (to_skip_ < 0) throw SqlError("2201X", "OFFSET must not be negative");
      }
    }
  }
  out->clear();
  if (remaining_ == 0) return false;
  Batch in;
  while (child_->Next(&in)) {
    size_t start = 0;
    if (to_skip_ > 0) {
      start = static_cast<size_t>(std::min<int64_t>(to_skip_, static_cast<int64_t>(in.size())));
      to_skip_ -= static_cast<int64_t>(start);
    }
    for (size_t i = start; i < in.size() && remaining_ != 0; ++i) {
      out->push_back(std::move(in[i]));
      if (remaining_ > 0) --remaining_;
    }
    if (!out->empty()) return true;
    if (remaining_ == 0) return false;
  }
  return false;
}

}  // namespace tessera::executor
