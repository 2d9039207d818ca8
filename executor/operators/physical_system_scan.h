// Serves a virtual system relation's rows (planner/logical_system_scan.h),
// generated from the catalog snapshot the statement was planned against.
#pragma once

#include "executor/physical_operator.h"
#include "planner/logical_system_scan.h"

namespace tessera::executor {

class PhysicalSystemScan final : public PhysicalOperator {
 public:
  PhysicalSystemScan(ExecContext& ctx, const planner::LogicalSystemScan& plan) : PhysicalOperator(ctx), plan_(plan) {}
  bool Next(Batch* out) override {
    const std::vector<Row>& rows = plan_.Rows();
    if (pos_ >= rows.size()) return false;
    ctx_.CheckCancel();
    out->clear();
    size_t end = std::min(rows.size(), pos_ + kBatchSize);
    out->assign(rows.begin() + static_cast<std::ptrdiff_t>(pos_), rows.begin() + static_cast<std::ptrdiff_t>(end));
    pos_ = end;
    return true;
  }

 private:
  const planner::LogicalSystemScan& plan_;
  size_t pos_ = 0;
};

}  // namespace tessera::executor
