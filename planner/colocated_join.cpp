// Co-located joins: a join of two base tables whose condition equates their
// whole primary keys runs inside one scan fragment on every shard (see
// FragmentJoin in fragment.h). Tables are hash-partitioned on the bytes of
// their primary key, so a row and its partner live on the same shard exactly
// when their keys encode to the same bytes: the key columns must pair up in
// key order with identical types, and the types must compare equal only when
// their key bytes are equal (not floats: -0 = 0; not numeric: 1.0 = 1.00).
#include "planner/planner.h"

namespace tessera::planner {

namespace {

bool KeyBytesDecideEquality(const Type& type) {
  switch (type.id) {
    case TypeId::kBool:
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kOid:
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBytea:
    case TypeId::kDate:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz: return true;
    default: return false;
  }
}

// Takes from `conjuncts` an equality of left column `l` and right column
// `r` (already offset by the left width), in either order.
bool TakeColumnEquality(std::vector<ExprRef>* conjuncts, int l, int r) {
  for (auto it = conjuncts->begin(); it != conjuncts->end(); ++it) {
    const BoundExpr& c = **it;
    if (c.kind != BoundExprKind::kCompare || static_cast<CompareOp>(c.op) != CompareOp::kEq) continue;
    const BoundExpr& a = *c.args[0];
    const BoundExpr& b = *c.args[1];
    if (a.kind != BoundExprKind::kColumn || b.kind != BoundExprKind::kColumn) continue;
    if ((a.index == l && b.index == r) || (a.index == r && b.index == l)) {
      conjuncts->erase(it);
      return true;
    }
  }
  return false;
}

// True when `conjuncts` pair the two tables' primary keys column by column
// (removing those equalities).
bool KeysPairUp(const TableLayout& left, const TableLayout& right, std::vector<ExprRef>* conjuncts) {
  if (left.HasHiddenRowId() || right.HasHiddenRowId() || left.primary_key.size() != right.primary_key.size())
    return false;
  int offset = static_cast<int>(left.column_types.size());
  for (size_t k = 0; k < left.primary_key.size(); ++k) {
    const Type& lt = left.column_types[left.primary_key[k]];
    if (!(lt == right.column_types[right.primary_key[k]]) || !KeyBytesDecideEquality(lt)) return false;
    if (!TakeColumnEquality(conjuncts, left.primary_key[k], offset + right.primary_key[k])) return false;
  }
  return true;
}

}  // namespace

FragmentRef PlanColocatedJoin(const LogicalJoin& join, const TableLayout& left_table, const ExprRef& left_filter,
                              const TableLayout& right_table, const ExprRef& right_filter) {
  if (join.Join() != JoinKind::kInner && join.Join() != JoinKind::kLeft) return nullptr;
  std::vector<ExprRef> condition;
  SplitConjuncts(join.Condition(), &condition);
  for (auto& c : condition)
    if (HasVolatile(*c)) return nullptr;
  if (!KeysPairUp(left_table, right_table, &condition)) return nullptr;
  bool inner = join.Join() == JoinKind::kInner;

  std::vector<ExprRef> left_conjuncts, right_conjuncts;
  SplitConjuncts(left_filter, &left_conjuncts);
  SplitConjuncts(right_filter, &right_conjuncts);
  std::vector<ExprRef> left_rest = left_conjuncts, right_rest = right_conjuncts;
  ScanSpec left_path = ChooseAccessPath(left_table, &left_rest);
  ScanSpec right_path = ChooseAccessPath(right_table, &right_rest);

  auto fragment = std::make_shared<Fragment>();
  fragment->kind = FragmentKind::kScan;
  fragment->table = left_table;
  auto spec = std::make_shared<FragmentJoin>();
  spec->kind = inner ? FragmentJoinKind::kInner : FragmentJoinKind::kLeft;
  spec->table = right_table;
  spec->condition = MakeAndExpr(std::move(condition));

  bool right_point = right_path.kind == ScanKind::kPoint && right_path.index_id == 0;
  if (left_path.kind == ScanKind::kFull && right_point && inner) {
    // The partner has the same key: the left side becomes the same point
    // lookup, so the statement goes to one shard.
    left_path = right_path;
    left_rest = left_conjuncts;
    right_conjuncts = right_rest;  // the partner is read by that same key
  }
  if (left_path.kind != ScanKind::kFull) {
    // Few outer rows: read each one's partner by key.
    spec->method = FragmentJoinMethod::kLookupInner;
    fragment->scan = left_path;
    fragment->filter = MakeAndExpr(std::move(left_rest));
    spec->filter = MakeAndExpr(std::move(right_conjuncts));
  } else if (right_path.kind != ScanKind::kFull && inner) {
    // Few inner rows: drive the join from them.
    spec->method = FragmentJoinMethod::kLookupOuter;
    fragment->filter = MakeAndExpr(std::move(left_conjuncts));
    spec->scan = right_path;
    spec->filter = MakeAndExpr(std::move(right_rest));
  } else {
    spec->method = FragmentJoinMethod::kHashInner;
    fragment->filter = MakeAndExpr(std::move(left_conjuncts));
    spec->scan = right_path;
    spec->filter = MakeAndExpr(std::move(right_rest));
  }
  fragment->join = spec;
  return fragment;
}

}  // namespace tessera::planner
