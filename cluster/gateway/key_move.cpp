#include "cluster/gateway/key_move.h"

#include <algorithm>

#include "cluster/gateway/cluster_txn.h"
#include "planner/expr_evaluator.h"

namespace tessera::cluster {

bool UpdateMovesRows(const planner::Fragment& fragment) {
  if (fragment.kind != planner::FragmentKind::kUpdate) return false;
  auto sets_any = [&](const std::vector<int>& columns) {
    return std::any_of(fragment.set.begin(), fragment.set.end(), [&](const planner::SetColumn& s) {
      return std::find(columns.begin(), columns.end(), s.column) != columns.end();
    });
  };
  if (sets_any(fragment.table.primary_key)) return true;
  for (auto& index : fragment.table.indexes)
    if (index.unique && sets_any(index.columns)) return true;
  return false;
}

planner::FragmentResult MoveUpdatedRows(ClusterTxn& txn, const planner::FragmentRequest& request,
                                        const executor::FragmentServices& services) {
  const planner::Fragment& update = *request.fragment;
  // The delete matches, locks and re-checks rows exactly as the update would.
  auto remove = std::make_shared<planner::Fragment>(update);
  remove->kind = planner::FragmentKind::kDelete;
  remove->set.clear();
  remove->returning.clear();
  for (size_t i = 0; i < update.table.column_types.size(); ++i)
    remove->returning.push_back(planner::MakeColumnExpr(static_cast<int>(i), update.table.column_types[i]));
  planner::FragmentRequest remove_request = request;
  remove_request.fragment = remove;
  planner::FragmentResult old_rows = txn.RunFragment(remove_request, services);

  planner::EvalContext ctx = executor::FragmentEvalContext(request, services);
  auto insert = std::make_shared<planner::Fragment>();
  insert->kind = planner::FragmentKind::kInsert;
  insert->table = update.table;
  // RETURNING (with the foreign keys' old rows after the new ones) is
  // evaluated here, over each row's new and old versions: the insert's rows
  // come back grouped by shard, no longer beside their old rows.
  planner::FragmentRequest insert_request;
  insert_request.fragment = insert;
  insert_request.params = request.params;
  insert_request.subquery_rows = request.subquery_rows;
  insert_request.outer_values = request.outer_values;
  insert_request.rows.reserve(old_rows.rows.size());
  for (const Row& old_row : old_rows.rows) {
    Row updated = old_row;
    for (auto& s : update.set) updated[s.column] = planner::Evaluate(*s.value, old_row, ctx);
    insert_request.rows.push_back(std::move(updated));
  }
  if (insert_request.rows.empty()) return {};
  planner::FragmentResult moved = txn.RunFragment(insert_request, services);
  moved.affected = old_rows.affected;
  if (!update.returning.empty() || !update.returning_old.empty()) {
    for (size_t i = 0; i < old_rows.rows.size(); ++i) {
      Row out;
      for (auto& e : update.returning) out.push_back(planner::Evaluate(*e, insert_request.rows[i], ctx));
      for (auto& e : update.returning_old) out.push_back(planner::Evaluate(*e, old_rows.rows[i], ctx));
      moved.rows.push_back(std::move(out));
    }
  }
  return moved;
}

}  // namespace tessera::cluster
