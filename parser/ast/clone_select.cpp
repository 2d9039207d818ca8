// Deep copies of SELECT trees, for CloneExpr on subqueries (the planner
// clones expressions when it rewrites them).
#include "parser/ast/select_stmt.h"

namespace tessera::ast {

namespace {

std::vector<ExprPtr> CloneList(const std::vector<ExprPtr>& list) {
  std::vector<ExprPtr> out;
  out.reserve(list.size());
  for (const auto& e : list) out.push_back(e ? CloneExpr(*e) : nullptr);
  return out;
}

ExprPtr CloneOrNull(const ExprPtr& e) { return e ? CloneExpr(*e) : nullptr; }

std::vector<SelectTarget> CloneTargets(const std::vector<SelectTarget>& targets) {
  std::vector<SelectTarget> out;
  for (const auto& t : targets) out.push_back(SelectTarget{CloneOrNull(t.expr), t.alias});
  return out;
}

}  // namespace

TableRefPtr CloneTableRef(const TableRef& ref) {
  auto copy = std::make_unique<TableRef>();
  copy->kind = ref.kind;
  copy->location = ref.location;
  copy->alias = ref.alias;
  copy->column_aliases = ref.column_aliases;
  copy->table = ref.table;
  copy->join_type = ref.join_type;
  if (ref.left) copy->left = CloneTableRef(*ref.left);
  if (ref.right) copy->right = CloneTableRef(*ref.right);
  copy->join_condition = CloneOrNull(ref.join_condition);
  copy->using_columns = ref.using_columns;
  copy->natural = ref.natural;
  if (ref.subquery) copy->subquery = CloneSelect(*ref.subquery);
  copy->function = CloneOrNull(ref.function);
  return copy;
}

std::unique_ptr<SelectStmt> CloneSelect(const SelectStmt& s) {
  auto copy = std::make_unique<SelectStmt>();
  copy->start = s.start;
  copy->end = s.end;
  copy->with = s.with;
  copy->distinct = s.distinct;
  copy->distinct_on = CloneList(s.distinct_on);
  copy->targets = CloneTargets(s.targets);
  for (const auto& ref : s.from) copy->from.push_back(CloneTableRef(*ref));
  copy->where = CloneOrNull(s.where);
  copy->group_by = CloneList(s.group_by);
  copy->having = CloneOrNull(s.having);
  copy->windows = s.windows;
  for (const auto& item : s.order_by) copy->order_by.push_back(OrderItem{CloneOrNull(item.expr), item.descending, item.nulls_first});
  copy->limit = CloneOrNull(s.limit);
  copy->offset = CloneOrNull(s.offset);
  copy->locking = s.locking;
  copy->into = s.into;
  for (const auto& row : s.values) copy->values.push_back(CloneList(row));
  copy->set_op = s.set_op;
  copy->set_all = s.set_all;
  if (s.set_left) copy->set_left = CloneSelect(*s.set_left);
  if (s.set_right) copy->set_right = CloneSelect(*s.set_right);
  return copy;
}

const char* LockingClauseName(LockStrength strength) {
  switch (strength) {
    case LockStrength::kUpdate: return "FOR UPDATE";
    case LockStrength::kNoKeyUpdate: return "FOR NO KEY UPDATE";
    case LockStrength::kShare: return "FOR SHARE";
    case LockStrength::kKeyShare: return "FOR KEY SHARE";
  }
  return "FOR UPDATE";
}

}  // namespace tessera::ast
