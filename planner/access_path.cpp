// Access path selection: a point lookup when equalities cover a whole key,
// point lookups of each key for an IN list or `= ANY (array)` on a
// one-column primary key, a
// range scan when they cover a prefix (optionally bounded by <, <=, >, >= on
// the next column), otherwise a full scan. The primary key is preferred.
#include "planner/planner.h"

#include <optional>

#include "planner/expr_evaluator.h"
#include "planner/key_bound.h"

namespace tessera::planner {

namespace {

struct KeyMatch {
  std::vector<ExprRef> equal;  // values for a key prefix
  std::vector<size_t> used;    // conjuncts consumed
  ExprRef lower, upper;
  bool lower_inclusive = true, upper_inclusive = true;
  bool complete = false;       // equalities cover every key column
};

// The key column under `e`: the column itself, or an implicit cast of it
// to a type whose values bound it exactly (the binder casts a date column
// to compare it with a timestamp, and an IN list's items to their common type).
const BoundExpr* KeyColumnOf(const ExprRef& e) {
  if (e->kind == BoundExprKind::kColumn) return e.get();
  if (e->kind == BoundExprKind::kCast && e->op == kCastImplicit && e->args[0]->kind == BoundExprKind::kColumn &&
      KeyBoundConvertible(e->args[0]->type.id, e->type.id))
    return e->args[0].get();
  return nullptr;
}

bool IsKeyValue(const BoundExpr& value, const BoundExpr& column, bool* converted) {
  if (HasColumnRefs(value) || HasVolatile(value)) return false;
  *converted = value.type.id != column.type.id;
  return !*converted || KeyBoundConvertible(column.type.id, value.type.id);
}

// `conjunct` as (column op value) with the column on the left, if it is
// one. `converted`: the value is of another type than the column, so it
// bounds the key by key_bound.h and the conjunct stays as a filter.
bool AsColumnBound(const ExprRef& conjunct, int* column, CompareOp* op, ExprRef* value, bool* converted) {
  if (conjunct->kind != BoundExprKind::kCompare) return false;
  auto cmp = static_cast<CompareOp>(conjunct->op);
  const ExprRef& l = conjunct->args[0];
  const ExprRef& r = conjunct->args[1];
  if (const BoundExpr* c = KeyColumnOf(l); c && IsKeyValue(*r, *c, converted)) {
    *column = c->index;
    *op = cmp;
    *value = r;
    return true;
  }
  if (const BoundExpr* c = KeyColumnOf(r); c && IsKeyValue(*l, *c, converted)) {
    static const CompareOp kFlip[] = {CompareOp::kEq, CompareOp::kNe, CompareOp::kGt,
                                      CompareOp::kGe, CompareOp::kLt, CompareOp::kLe};
    *column = c->index;
    *op = kFlip[static_cast<int>(cmp)];
    *value = l;
    return true;
  }
  return false;
}

KeyMatch MatchKey(const std::vector<int>& key, const std::vector<bool>& descending,
                  const std::vector<ExprRef>& conjuncts) {
  KeyMatch m;
  for (size_t k = 0; k < key.size(); ++k) {
    bool found = false;
    for (size_t i = 0; i < conjuncts.size() && !found; ++i) {
      int column;
      CompareOp op;
      ExprRef value;
      bool converted;
      if (AsColumnBound(conjuncts[i], &column, &op, &value, &converted) && column == key[k] &&
          op == CompareOp::kEq) {
        m.equal.push_back(value);
        if (!converted) m.used.push_back(i);
        found = true;
      }
    }
    if (found) continue;
    if (k < descending.size() && descending[k]) return m;
    // A range on the first column without an equality.
    for (size_t i = 0; i < conjuncts.size(); ++i) {
      int column;
      CompareOp op;
      ExprRef value;
      bool converted;
      if (!AsColumnBound(conjuncts[i], &column, &op, &value, &converted) || column != key[k]) continue;
      if ((op == CompareOp::kGt || op == CompareOp::kGe) && !m.lower) {
        m.lower = value;
        m.lower_inclusive = op == CompareOp::kGe;
        if (!converted) m.used.push_back(i);
      } else if ((op == CompareOp::kLt || op == CompareOp::kLe) && !m.upper) {
        m.upper = value;
        m.upper_inclusive = op == CompareOp::kLe;
        if (!converted) m.used.push_back(i);
      }
    }
    return m;
  }
  m.complete = !key.empty();
  return m;
}

ScanSpec ToSpec(const KeyMatch& m, uint32_t index_id, bool point) {
  ScanSpec spec;
  spec.index_id = index_id;
  spec.kind = point ? ScanKind::kPoint : ScanKind::kRange;
  spec.lower = m.equal;
  spec.upper = m.equal;
  spec.equalities = static_cast<uint32_t>(m.equal.size());
  if (m.lower) {
    spec.lower.push_back(m.lower);
    spec.lower_inclusive = m.lower_inclusive;
  }
  if (m.upper) {
    spec.upper.push_back(m.upper);
    spec.upper_inclusive = m.upper_inclusive;
  }
  return spec;
}

// `pk IN (v1, v2, ...)` on a one-column primary key, values of its type
// or convertible to it (then the IN list stays as a filter).
std::optional<ScanSpec> MatchKeyList(const TableLayout& table, std::vector<ExprRef>* conjuncts) {
  if (table.primary_key.size() != 1) return std::nullopt;
  int column = table.primary_key[0];
  for (auto it = conjuncts->begin(); it != conjuncts->end(); ++it) {
    const BoundExpr& c = **it;
    if (c.kind != BoundExprKind::kInList || c.negated || c.args.size() < 2) continue;
    const BoundExpr* target = KeyColumnOf(c.args[0]);
    if (target == nullptr || target->index != column) continue;
    bool values = true, any_converted = false;
    for (size_t i = 1; i < c.args.size() && values; ++i) {
      bool converted;
      values = IsKeyValue(*c.args[i], *target, &converted);
      any_converted = any_converted || converted;
    }
    if (!values) continue;
    ScanSpec spec;
    spec.kind = ScanKind::kKeyList;
    spec.lower.assign(c.args.begin() + 1, c.args.end());
    spec.equalities = static_cast<uint32_t>(spec.lower.size());
    if (!any_converted) conjuncts->erase(it);
    return spec;
  }
  return std::nullopt;
}

// `pk = ANY (array)` on a one-column primary key, the array a constant or
// a parameter (drivers send a list as one: psycopg's `= ANY(%s)`), its
// elements of the key's type or convertible to it (then the condition stays
// as a filter). Its keys are known when the fragment runs (key_list.h).
std::optional<ScanSpec> MatchKeyArray(const TableLayout& table, std::vector<ExprRef>* conjuncts) {
  if (table.primary_key.size() != 1) return std::nullopt;
  int column = table.primary_key[0];
  for (auto it = conjuncts->begin(); it != conjuncts->end(); ++it) {
    const BoundExpr& c = **it;
    if (c.kind != BoundExprKind::kAnyAll || c.negated || static_cast<CompareOp>(c.op) != CompareOp::kEq) continue;
    const BoundExpr* target = KeyColumnOf(c.args[0]);
    const BoundExpr& array = *c.args[1];
    if (target == nullptr || target->index != column || !IsArrayType(array.type.id)) continue;
    if (HasColumnRefs(array) || HasVolatile(array)) continue;
    TypeId element = ArrayElementType(array.type.id);
    bool converted = element != target->type.id;
    if (converted && !KeyBoundConvertible(target->type.id, element)) continue;
    ScanSpec spec;
    spec.kind = ScanKind::kKeyList;
    spec.key_array = true;
    spec.lower = {c.args[1]};
    spec.equalities = 1;
    // The lookups find exactly the rows whose key is an element, unless the
    // elements are of another type than the key (then key_bound.h converts).
    if (!converted && c.args[0]->kind == BoundExprKind::kColumn) conjuncts->erase(it);
    return spec;
  }
  return std::nullopt;
}

void RemoveUsed(std::vector<ExprRef>* conjuncts, std::vector<size_t> used) {
  std::sort(used.rbegin(), used.rend());
  for (size_t i : used) conjuncts->erase(conjuncts->begin() + static_cast<long>(i));
}

}  // namespace

ScanSpec ChooseAccessPath(const TableLayout& table, std::vector<ExprRef>* conjuncts) {
  if (!table.primary_key.empty()) {
    KeyMatch m = MatchKey(table.primary_key, {}, *conjuncts);
    if (m.complete) {
      RemoveUsed(conjuncts, m.used);
      return ToSpec(m, 0, true);
    }
    if (auto keys = MatchKeyList(table, conjuncts)) return *keys;
    if (auto keys = MatchKeyArray(table, conjuncts)) return *keys;
    bool has_range = !m.equal.empty() || m.lower || m.upper;
    // A secondary index with a full equality match beats a primary range.
    for (auto& index : table.indexes) {
      KeyMatch im = MatchKey(index.columns, index.descending, *conjuncts);
      if (im.complete) {
        // Index entries carry the primary key after the index columns, so
        // even a complete match is a prefix range over the index.
        ScanSpec spec = ToSpec(im, index.id, false);
        return spec;  // conjuncts stay: the filter re-checks fetched rows
      }
    }
    if (has_range) {
      RemoveUsed(conjuncts, m.used);
      return ToSpec(m, 0, false);
    }
  } else {
    for (auto& index : table.indexes) {
      KeyMatch im = MatchKey(index.columns, index.descending, *conjuncts);
      if (im.complete) return ToSpec(im, index.id, false);
    }
  }
  for (auto& index : table.indexes) {
    KeyMatch im = MatchKey(index.columns, index.descending, *conjuncts);
    if (!im.equal.empty() || im.lower || im.upper) return ToSpec(im, index.id, false);
  }
  return ScanSpec{};
}

}  // namespace tessera::planner
