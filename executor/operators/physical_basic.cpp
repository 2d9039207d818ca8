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

bool PhysicalFunctionScan::Next(Batch* out) {
  out->clear();
  if (!rows_) {
    std::vector<Value> args;
    for (auto& a : plan_.Args()) args.push_back(planner::Evaluate(*a, {}, ctx_.eval));
    rows_.emplace(plan_.Name(), args);
  }
  ctx_.CheckCancel();
  Value v;
  while (out->size() < kBatchSize && rows_->Next(&v)) out->push_back({std::move(v)});
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
