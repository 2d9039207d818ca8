// Set-returning functions of a select list (PostgreSQL's ProjectSet): for
// each child row, the calls run in lockstep and the node returns the row
// once per step, with one more column per call, as many times as the
// longest call has rows; a call that has run out gives NULL; a row whose
// calls all return nothing gives no row. A call whose arguments hold
// another set-returning call sits in a ProjectSet above the inner one's,
// so the inner one runs first (bind_project_set.cpp).
#pragma once

#include "planner/bound_expr.h"
#include "planner/logical_operator.h"

namespace tessera::planner {

class LogicalProjectSet final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kProjectSet;
  // `calls`: kSetFunction expressions whose arguments are over the child's columns.
  LogicalProjectSet(LogicalRef child, std::vector<ExprRef> calls)
      : LogicalOperator(kKind, {child}, ChildTypesThenCalls(*child, calls)), calls_(std::move(calls)) {}
  const std::vector<ExprRef>& Calls() const { return calls_; }
  std::string Explain() const override { return "ProjectSet"; }
  std::vector<std::string> ExplainDetails() const override {
    std::string line = "Functions: ";
    for (size_t i = 0; i < calls_.size(); ++i) line += (i ? ", " : "") + ExprToText(*calls_[i]);
    return {line};
  }

 private:
  std::vector<ExprRef> calls_;
};

}  // namespace tessera::planner
