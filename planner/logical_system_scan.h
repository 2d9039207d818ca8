// A read of a virtual system relation (catalog/system/). Its rows are
// generated when the statement is planned, from the catalog snapshot the
// binder resolves names against: they depend on nothing else, and a plan
// made against an older catalog version is made again before it runs, so
// the rows always match the catalog the statement sees. It runs on the
// gateway (or the embedded session); no fragment or shard is involved.
#pragma once

#include <string>
#include <vector>

#include "planner/logical_operator.h"

namespace tessera::planner {

class LogicalSystemScan final : public LogicalOperator {
 public:
  static constexpr LogicalKind kKind = LogicalKind::kSystemScan;
  LogicalSystemScan(std::string relation, std::vector<Type> types, std::vector<Row> rows)
      : LogicalOperator(kKind, {}, std::move(types)), relation_(std::move(relation)), rows_(std::move(rows)) {}
  const std::string& Relation() const { return relation_; }  // "pg_catalog.pg_class"
  const std::vector<Row>& Rows() const { return rows_; }
  std::string Explain() const override {
    return "System Scan on " + relation_ + " (rows: " + std::to_string(rows_.size()) + ")";
  }

 private:
  std::string relation_;
  std::vector<Row> rows_;
};

}  // namespace tessera::planner
