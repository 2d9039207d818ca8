// Correlated subqueries (PostgreSQL's SubPlans) at run time. A row that
// evaluates a kSubPlan hands its outer values here; the subquery's plan is
// built and run to completion (or to the rows its kind needs) with them as
// EvalContext::outer_values, which its kOuterRefs read and its fragments
// carry to the shards like parameters. Results are kept per distinct outer
// values while that is cheap, since catalog queries (psql's \d) ask again
// and again with the same few values.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "executor/physical_operator.h"
#include "planner/planner.h"

namespace tessera::executor {

class SubPlanRunner {
 public:
  // `statement`: the statement's context, whose parameters, fragments,
  // memory account and cancel poll every run shares.
  SubPlanRunner(const std::vector<planner::SubqueryPlan>& plans, ExecContext& statement);
  SubPlanRunner(const SubPlanRunner&) = delete;
  SubPlanRunner& operator=(const SubPlanRunner&) = delete;

  // The first column of the first `max_rows` rows (0: all) of subquery
  // `slot` run with `outer_values`.
  planner::EvalContext::SubPlanRows Run(int slot, std::vector<Value> outer_values, size_t max_rows);

 private:
  std::vector<Value> Execute(const planner::LogicalOperator& plan, const std::vector<Value>& outer_values,
                             size_t max_rows);
  void Remember(std::string key, const planner::EvalContext::SubPlanRows& rows);

  const std::vector<planner::SubqueryPlan>& plans_;
  ExecContext& statement_;
  // Results by slot and outer values (their exact encoding), charged to the
  // statement as "SubPlan"; dropped whole when they would pass cache_limit_.
  std::map<std::string, planner::EvalContext::SubPlanRows> cache_;
  MemoryCharge cache_charge_;
  int64_t cache_bytes_ = 0;
  int64_t cache_limit_ = 0;
};

}  // namespace tessera::executor
