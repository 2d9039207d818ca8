// Stateless-per-row operators: VALUES, functions in FROM, filter, projection, limit.
#pragma once

#include <optional>

#include "executor/physical_operator.h"
#include "executor/set_function_rows.h"
#include "planner/logical_operators.h"

namespace tessera::executor {

class PhysicalValues final : public PhysicalOperator {
 public:
  PhysicalValues(ExecContext& ctx, const planner::LogicalValues& plan) : PhysicalOperator(ctx), plan_(plan) {}
  bool Next(Batch* out) override;

 private:
  const planner::LogicalValues& plan_;
  size_t pos_ = 0;
};

// A function in FROM (generate_series, unnest, generate_subscripts) over
// constants: the rows of its one call.
class PhysicalFunctionScan final : public PhysicalOperator {
 public:
  PhysicalFunctionScan(ExecContext& ctx, const planner::LogicalTableFunction& plan)
      : PhysicalOperator(ctx), plan_(plan) {}
  bool Next(Batch* out) override;

 private:
  const planner::LogicalTableFunction& plan_;
  std::optional<SetFunctionRows> rows_;
};

class PhysicalFilter final : public PhysicalOperator {
 public:
  PhysicalFilter(ExecContext& ctx, PhysicalRef child, planner::ExprRef predicate)
      : PhysicalOperator(ctx), child_(std::move(child)), predicate_(std::move(predicate)) {}
  bool Next(Batch* out) override;

 private:
  PhysicalRef child_;
  planner::ExprRef predicate_;
};

class PhysicalProjection final : public PhysicalOperator {
 public:
  PhysicalProjection(ExecContext& ctx, PhysicalRef child, const std::vector<planner::ExprRef>& exprs)
      : PhysicalOperator(ctx), child_(std::move(child)), exprs_(exprs) {}
  bool Next(Batch* out) override;

 private:
  PhysicalRef child_;
  const std::vector<planner::ExprRef>& exprs_;
};

class PhysicalLimit final : public PhysicalOperator {
 public:
  PhysicalLimit(ExecContext& ctx, PhysicalRef child, const planner::LogicalLimit& plan)
      : PhysicalOperator(ctx), child_(std::move(child)), plan_(plan) {}
  bool Next(Batch* out) override;

 private:
  PhysicalRef child_;
  const planner::LogicalLimit& plan_;
  bool started_ = false;
  int64_t to_skip_ = 0;
  int64_t remaining_ = -1;  // -1: unlimited
};

}  // namespace tessera::executor
