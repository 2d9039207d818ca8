// The logical plan: one class per node. A plan is immutable once the planner
// returns it, so a prepared statement or the plan cache can share it; the
// executor builds fresh physical operators (with their run state) from it for
// every execution.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/types.h"

namespace tessera::planner {

enum class LogicalKind : uint8_t {
  kGet,
  kValues,
  kTableFunction,
  kFilter,
  kProjection,
  kAggregate,
  kJoin,
  kSort,
  kLimit,
  kDistinct,
  kSetOp,
  kFragmentScan,
  kInsert,
  kUpdate,
  kDelete,
  kSystemScan,  // a virtual pg_catalog / information_schema relation (logical_system_scan.h)
  kCteScan,        // WITH: planner/logical_cte.h
  kRecursiveUnion,
  kWorkTableScan,
  kWindow,  // window functions: planner/logical_window.h
  kProjectSet,  // set-returning functions of a select list: planner/logical_project_set.h
};

class LogicalOperator;
using LogicalRef = std::shared_ptr<const LogicalOperator>;

class LogicalOperator {
 public:
  LogicalOperator(LogicalKind kind, std::vector<LogicalRef> children, std::vector<Type> types)
      : kind_(kind), children_(std::move(children)), types_(std::move(types)) {}
  virtual ~LogicalOperator() = default;

  LogicalKind Kind() const { return kind_; }
  const std::vector<LogicalRef>& Children() const { return children_; }
  const LogicalOperator& Child(size_t i = 0) const { return *children_.at(i); }
  const LogicalRef& ChildRef(size_t i = 0) const { return children_.at(i); }
  // Types of the output row's columns.
  const std::vector<Type>& Types() const { return types_; }
  // The node's EXPLAIN line (without indentation or arrow).
  virtual std::string Explain() const = 0;
  // Extra EXPLAIN detail lines ("Filter: ...", "Sort Key: ...").
  virtual std::vector<std::string> ExplainDetails() const { return {}; }

  template <class T>
  const T& Cast() const {
    TS_ASSERT(kind_ == T::kKind, "logical operator cast to the wrong kind");
    return static_cast<const T&>(*this);
  }

 private:
  LogicalKind kind_;
  std::vector<LogicalRef> children_;
  std::vector<Type> types_;
};

// The output of a node that appends one column per call to its child's
// (ProjectSet, WindowAgg): the child's types, then each call's.
template <class Calls>
std::vector<Type> ChildTypesThenCalls(const LogicalOperator& child, const Calls& calls) {
  std::vector<Type> types = child.Types();
  for (const auto& c : calls) types.push_back(c->type);
  return types;
}

}  // namespace tessera::planner
