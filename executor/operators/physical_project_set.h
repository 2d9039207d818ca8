// ProjectSet (planner/logical_project_set.h): each child row once per step
// of its set-returning calls, run in lockstep, with their values appended.
#pragma once

#include <optional>

#include "executor/physical_operator.h"
#include "executor/set_function_rows.h"
#include "planner/logical_project_set.h"

namespace tessera::executor {

class PhysicalProjectSet final : public PhysicalOperator {
 public:
  PhysicalProjectSet(ExecContext& ctx, PhysicalRef child, const planner::LogicalProjectSet& plan)
      : PhysicalOperator(ctx), child_(std::move(child)), plan_(plan) {}
  bool Next(Batch* out) override;

 private:
  // Moves to the next child row and starts its calls; false at the end.
  bool StartRow();
  // The current row's next step into `out`; false when every call has run out.
  bool Step(Batch* out);

  PhysicalRef child_;
  const planner::LogicalProjectSet& plan_;
  Batch input_;
  size_t input_pos_ = 0;
  bool child_done_ = false;
  Row row_;
  bool in_row_ = false;
  // One per call; empty once that call has run out (it then gives NULLs).
  std::vector<std::optional<SetFunctionRows>> calls_;
};

}  // namespace tessera::executor
