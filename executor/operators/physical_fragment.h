// The gateway's side of fragments: send the fragment (with the statement's
// parameters) through the FragmentExecutor and stream back its rows.
#pragma once

#include "executor/physical_operator.h"
#include "planner/logical_operators.h"

namespace tessera::executor {

class PhysicalFragmentScan final : public PhysicalOperator {
 public:
  PhysicalFragmentScan(ExecContext& ctx, planner::FragmentRef fragment)
      : PhysicalOperator(ctx), fragment_(std::move(fragment)) {}
  bool Next(Batch* out) override;

 private:
  planner::FragmentRef fragment_;
  bool fetched_ = false;
  RowBuffer rows_;
};

// INSERT: complete rows from the child go to the insert fragment a batch at a time.
class PhysicalInsert final : public PhysicalOperator {
 public:
  PhysicalInsert(ExecContext& ctx, PhysicalRef child, planner::FragmentRef fragment)
      : PhysicalOperator(ctx), child_(std::move(child)), fragment_(std::move(fragment)) {}
  bool Next(Batch* out) override;
  int64_t Affected() const override { return affected_; }

 private:
  PhysicalRef child_;
  planner::FragmentRef fragment_;
  bool done_ = false;
  int64_t affected_ = 0;
  RowBuffer returning_;
};

// UPDATE and DELETE: one fragment does the whole statement.
class PhysicalWrite final : public PhysicalOperator {
 public:
  PhysicalWrite(ExecContext& ctx, planner::FragmentRef fragment) : PhysicalOperator(ctx), fragment_(std::move(fragment)) {}
  bool Next(Batch* out) override;
  int64_t Affected() const override { return affected_; }

 private:
  planner::FragmentRef fragment_;
  bool done_ = false;
  int64_t affected_ = 0;
  RowBuffer returning_;
};

}  // namespace tessera::executor
