// Window functions (PostgreSQL's WindowAgg): the child's rows, each with one
// more column per window function call. Every call of one node has the same
// PARTITION BY, ORDER BY and frame; the binder puts a LogicalSort by the
// partition and order keys under it (none for OVER ()), so the operator
// sees each partition as a run of consecutive rows and its rows in order.
// A query with several windows stacks a node (and a sort) per window.
#pragma once

#include "planner/bound_window.h"
#include "planner/logical_operator.h"

namespace tessera::planner {

class LogicalWindow final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kWindow;
  // `calls`: kWindow expressions over the child's columns.
  LogicalWindow(LogicalRef child, std::vector<ExprRef> calls)
      : LogicalOperator(kKind, {child}, ChildTypesThenCalls(*child, calls)), calls_(std::move(calls)) {}
  const std::vector<ExprRef>& Calls() const { return calls_; }
  std::string Explain() const override { return "WindowAgg"; }

 private:
  std::vector<ExprRef> calls_;
};

}  // namespace tessera::planner
