// Fragment scans and writes on the gateway side.
#include "executor/operators/physical_fragment.h"

#include "executor/foreign_keys.h"

namespace tessera::executor {

namespace {

// What a fragment's expressions may read besides its rows: uncorrelated
// subqueries' results and, in a correlated subquery's plan, its outer values.
void StatementInputs(const ExecContext& ctx, planner::FragmentRequest* request) {
  if (ctx.eval.subquery_rows) request->subquery_rows = *ctx.eval.subquery_rows;
  if (ctx.eval.outer_values) request->outer_values = *ctx.eval.outer_values;
}

}  // namespace

bool PhysicalFragmentScan::Next(Batch* out) {
  ctx_.CheckCancel();
  if (!fetched_) {
    fetched_ = true;
    planner::FragmentRequest request;
    request.fragment = fragment_;
    request.params = ctx_.params;
    StatementInputs(ctx_, &request);
    rows_.Set(ctx_.fragments->Execute(request).rows, ctx_.memory);
  }
  return rows_.Next(out);
}

bool PhysicalInsert::Next(Batch* out) {
  if (!done_) {
    done_ = true;
    std::vector<Row> returned;
    MemoryCharge charge(ctx_.memory, "ExecutorState");  // RETURNING rows kept until the end
    Batch in;
    while (child_->Next(&in)) {
      ctx_.CheckCancel();
      planner::FragmentRequest request;
      request.fragment = fragment_;
      request.params = ctx_.params;
      request.rows = std::move(in);
      StatementInputs(ctx_, &request);
      planner::FragmentResult result = ctx_.fragments->Execute(request);
      affected_ += result.affected;
      if (!result.rows.empty()) charge.Add(EstimateRowsBytes(result.rows));
      for (auto& r : result.rows) returned.push_back(std::move(r));
      in.clear();
    }
    charge.Reset();
    CheckForeignKeys(ctx_, *fragment_, &returned);
    returning_.Set(std::move(returned), ctx_.memory);
  }
  return returning_.Next(out);
}

bool PhysicalWrite::Next(Batch* out) {
  if (!done_) {
    done_ = true;
    ctx_.CheckCancel();
    planner::FragmentRequest request;
    request.fragment = fragment_;
    request.params = ctx_.params;
    StatementInputs(ctx_, &request);
    planner::FragmentResult result = ctx_.fragments->Execute(request);
    affected_ = result.affected;
    CheckForeignKeys(ctx_, *fragment_, &result.rows);
    returning_.Set(std::move(result.rows), ctx_.memory);
  }
  return returning_.Next(out);
}

}  // namespace tessera::executor
