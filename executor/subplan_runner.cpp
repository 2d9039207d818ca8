// Runs correlated subqueries for one statement (subplan_runner.h).
#include "executor/subplan_runner.h"

#include <algorithm>

#include "common/error.h"
#include "planner/fragment_codec.h"

namespace tessera::executor {

namespace {

// Without work_mem, what the cache may hold before it starts over.
constexpr int64_t kDefaultCacheBytes = 4 << 20;

}  // namespace

SubPlanRunner::SubPlanRunner(const std::vector<planner::SubqueryPlan>& plans, ExecContext& statement)
    : plans_(plans), statement_(statement), cache_charge_(statement.memory, "SubPlan") {
  cache_limit_ = statement.work_mem > 0 ? std::min<int64_t>(statement.work_mem, 64 << 20) : kDefaultCacheBytes;
}

planner::EvalContext::SubPlanRows SubPlanRunner::Run(int slot, std::vector<Value> outer_values, size_t max_rows) {
  if (slot < 0 || slot >= static_cast<int>(plans_.size()) || !plans_[slot].correlated)
    throw SqlError::Internal("correlated subquery has no plan");
  const planner::SubqueryPlan& sub = plans_[slot];
  std::string key;
  if (sub.cacheable) {
    key = std::to_string(slot) + ':' + planner::EncodeRowBytes(outer_values);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
  }
  auto rows = std::make_shared<const std::vector<Value>>(Execute(*sub.plan, outer_values, max_rows));
  if (sub.cacheable) Remember(std::move(key), rows);
  return rows;
}

std::vector<Value> SubPlanRunner::Execute(const planner::LogicalOperator& plan, const std::vector<Value>& outer_values,
                                          size_t max_rows) {
  // A context of its own for this run: the statement's, but with these
  // outer values, and its own WITH tapes (a WITH query inside the subquery
  // may read them too).
  ExecContext ctx;
  ctx.params = statement_.params;  // fragment requests carry ExecContext::params
  ctx.eval = statement_.eval;
  ctx.eval.params = &ctx.params;
  ctx.eval.outer_values = &outer_values;
  ctx.fragments = statement_.fragments;
  ctx.foreign_keys = statement_.foreign_keys;
  ctx.poll = statement_.poll;
  ctx.memory = statement_.memory;
  ctx.work_mem = statement_.work_mem;
  ctx.sort_reports = statement_.sort_reports;
  ctx.work_tables = statement_.work_tables;
  std::vector<Value> values;
  // The rows are charged while they are gathered, as RunSubqueries does;
  // the caller's cache takes over the charge of those it keeps.
  MemoryCharge charge(statement_.memory, "SubPlan");
  PhysicalRef op = CreatePhysical(plan, ctx);
  Batch batch;
  while ((max_rows == 0 || values.size() < max_rows) && op->Next(&batch)) {
    statement_.CheckCancel();
    int64_t bytes = 0;
    for (auto& row : batch) {
      if (max_rows != 0 && values.size() >= max_rows) break;
      values.push_back(row.empty() ? Value::Bool(true) : std::move(row[0]));
      bytes += EstimateValueBytes(values.back());
    }
    charge.Add(bytes);
    batch.clear();
  }
  return values;
}

void SubPlanRunner::Remember(std::string key, const planner::EvalContext::SubPlanRows& rows) {
  int64_t bytes = static_cast<int64_t>(key.size()) + 64;
  for (auto& v : *rows) bytes += EstimateValueBytes(v);
  if (bytes > cache_limit_) return;
  if (cache_bytes_ + bytes > cache_limit_) {
    cache_.clear();
    cache_charge_.Reset();
    cache_bytes_ = 0;
  }
  cache_charge_.Add(bytes);
  cache_bytes_ += bytes;
  cache_.emplace(std::move(key), rows);
}

}  // namespace tessera::executor
