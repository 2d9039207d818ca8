// Common table expressions in the logical plan. A CTE's body is bound once;
// every reference is a LogicalCteScan whose child is that body. The executor
// runs the body once per statement and every scan of the CTE reads the same
// rows (executor/operators/physical_cte.h), which is what makes a volatile
// CTE read twice give the same rows twice. A CTE read once (and not AS
// MATERIALIZED) is inlined by the optimizer, as PostgreSQL does, so its
// predicates reach the fragments.
//
// WITH RECURSIVE: the body is a LogicalRecursiveUnion of the non-recursive
// term and the recursive term, in which the self-reference is a
// LogicalWorkTableScan reading the rows the previous iteration produced.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "planner/logical_operator.h"

namespace tessera::planner {

// What every reference to one CTE shares; its address identifies the CTE's
// rows at run time.
struct CteInfo {
  std::string name;
  bool recursive = false;     // the body is a LogicalRecursiveUnion
  bool materialized = false;  // AS MATERIALIZED: never inlined
  // References bound (set by the binder, read by the optimizer): one is
  // inlined, more share one evaluation.
  int references = 0;
};
using CteInfoRef = std::shared_ptr<const CteInfo>;

class LogicalCteScan final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kCteScan;
  LogicalCteScan(LogicalRef body, CteInfoRef cte, std::string alias)
      : LogicalOperator(kKind, {body}, body->Types()), cte_(std::move(cte)), alias_(std::move(alias)) {}
  const CteInfoRef& Cte() const { return cte_; }
  const std::string& Alias() const { return alias_; }
  // Inlined by the optimizer: read once, not recursive, not AS MATERIALIZED.
  bool Inlinable() const { return cte_->references == 1 && !cte_->recursive && !cte_->materialized; }
  std::string Explain() const override {
    return "CTE Scan on " + cte_->name + (alias_ != cte_->name ? " " + alias_ : "");
  }

 private:
  CteInfoRef cte_;
  std::string alias_;
};

// non-recursive term UNION [ALL] recursive term, evaluated iteratively:
// the recursive term runs again over the rows of the previous round until a
// round adds none (UNION drops rows already produced in any round).
class LogicalRecursiveUnion final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kRecursiveUnion;
  LogicalRecursiveUnion(LogicalRef non_recursive, LogicalRef recursive, bool all, CteInfoRef cte)
      : LogicalOperator(kKind, {non_recursive, recursive}, non_recursive->Types()), all_(all), cte_(std::move(cte)) {}
  bool All() const { return all_; }
  const CteInfoRef& Cte() const { return cte_; }
  std::string Explain() const override { return all_ ? "Recursive Union All" : "Recursive Union"; }

 private:
  bool all_;
  CteInfoRef cte_;
};

// The recursive term's reference to its own CTE: the previous round's rows.
class LogicalWorkTableScan final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kWorkTableScan;
  LogicalWorkTableScan(std::vector<Type> types, CteInfoRef cte, std::string alias)
      : LogicalOperator(kKind, {}, std::move(types)), cte_(std::move(cte)), alias_(std::move(alias)) {}
  const CteInfoRef& Cte() const { return cte_; }
  std::string Explain() const override {
    return "WorkTable Scan on " + cte_->name + (alias_ != cte_->name ? " " + alias_ : "");
  }

 private:
  CteInfoRef cte_;
  std::string alias_;
};

}  // namespace tessera::planner
