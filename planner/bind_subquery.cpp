// Subqueries in expressions: scalar, EXISTS, IN and ARRAY. A subquery is
// bound one level down with the enclosing query's scope visible as an
// outer level (OuterFrame). One that reads no outer column is
// uncorrelated: a slot the executor fills once before the statement
// (kSubqueryValue, kInSubquery; PostgreSQL's InitPlans). One that does is
// correlated (kSubPlan): its outer columns become kOuterRefs inside its
// plan, and the executor runs that plan for each row with those values
// (executor/subplan_runner.h), on the gateway only.
#include "common/error.h"
#include "planner/binder.h"

namespace tessera::planner {

namespace {

// `value` (over `frame`'s scope) as one of the outer values of the
// subquery below `frame`: a kOuterRef to it, valid inside that subquery.
ExprRef PassDown(const OuterFrame& frame, const ExprRef& value, int location) {
  auto& values = *frame.outer_values;
  size_t i = 0;
  while (i < values.size() && !ExprEquals(*values[i], *value)) ++i;
  if (i == values.size()) values.push_back(value);
  auto ref = std::make_shared<BoundExpr>();
  ref->kind = BoundExprKind::kOuterRef;
  ref->index = static_cast<int32_t>(i);
  ref->type = value->type;
  ref->name = value->name;
  ref->location = location;
  return ref;
}

SubqueryKind KindOf(const ast::Expr& e) {
  switch (e.kind) {
    case ast::ExprKind::kExists:
      return SubqueryKind::kExists;
    case ast::ExprKind::kInSubquery:
      return SubqueryKind::kIn;
    case ast::ExprKind::kArraySubquery:
      return SubqueryKind::kArray;
    default:
      return SubqueryKind::kScalar;
  }
}

}  // namespace

ExprRef Binder::BindOuterRef(const ast::Expr& e) {
  const std::string& column = e.names.back();
  std::string table = e.names.size() >= 2 ? e.names[e.names.size() - 2] : std::string();
  // The levels crossed, innermost first, up to the one that has the column.
  std::vector<const OuterFrame*> crossed;
  int found = -1;
  const OuterFrame* frame = outer_;
  for (; frame; frame = frame->parent) {
    crossed.push_back(frame);
    found = FindScopeColumn(*frame->scope, table, column, e.location);
    if (found >= 0) break;
    // A qualified name belongs to the nearest level with that table.
    if (!table.empty() && frame->scope->HasTable(table))
      throw SqlError(sqlstate::kUndefinedColumn, "column " + table + "." + column + " does not exist", {}, {},
                     e.location + 1);
  }
  if (!frame) return nullptr;
  const ScopeColumn& c = frame->scope->columns[found];
  if (recorder_) RecordColumnRef(e, c);
  ExprRef value = MakeColumnExpr(found, c.type, c.table.empty() ? c.name : c.table + "." + c.name);
  // Each subquery between that level and this one passes the value on as
  // one of its own outer values.
  for (auto it = crossed.rbegin(); it != crossed.rend(); ++it) value = PassDown(**it, value, e.location);
  return value;
}

// Each outer reference in `e` replaced by the outer value it names: `e` as
// an expression over the enclosing query's row.
static ExprRef LiftOuterRefs(const ExprRef& e, const std::vector<ExprRef>& values) {
  if (e->kind == BoundExprKind::kOuterRef) return values.at(e->index);
  if (e->args.empty()) return e;
  auto copy = std::make_shared<BoundExpr>(*e);
  for (auto& a : copy->args) a = LiftOuterRefs(a, values);
  return copy;
}

std::vector<size_t> Binder::OuterSizes() const {
  std::vector<size_t> sizes;
  for (const OuterFrame* f = outer_; f; f = f->parent) sizes.push_back(f->outer_values->size());
  return sizes;
}

ExprRef Binder::AggregateOfOuterQuery(const ExprRef& agg, const std::vector<size_t>& outer_sizes, int location) {
  // Lifted level by level until it reads a column of the level it reached.
  std::vector<const OuterFrame*> crossed;
  ExprRef lifted = agg;
  for (const OuterFrame* f = outer_; f; f = f->parent) {
    crossed.push_back(f);
    lifted = LiftOuterRefs(lifted, *f->outer_values);
    if (HasColumnRefs(*lifted)) break;
  }
  if (!HasColumnRefs(*lifted)) throw SqlError::Internal("an outer aggregate reads no column");
  const OuterFrame& frame = *crossed.back();
  if (frame.inside_aggregate)
    throw SqlError(sqlstate::kGroupingError, "aggregate function calls cannot be nested", {}, {}, location + 1);
  if (!frame.aggregates_allowed)
    throw SqlError(sqlstate::kGroupingError,
                   std::string("aggregate functions are not allowed in ") +
                       (frame.aggregate_context ? frame.aggregate_context : "this context"),
                   {}, {}, location + 1);
  // The outer values bound for its arguments were for the aggregate only,
  // which now computes them where it belongs; its value is passed down
  // instead, through each level crossed.
  for (size_t i = 0; i < crossed.size(); ++i) crossed[i]->outer_values->resize(outer_sizes.at(i));
  for (auto it = crossed.rbegin(); it != crossed.rend(); ++it) lifted = PassDown(**it, lifted, location);
  return lifted;
}

ExprRef Binder::BindSubquery(const ast::Expr& e, const Scope& scope) {
  std::vector<ExprRef> outer_values;
  OuterFrame frame{&scope, &outer_values, outer_, allow_aggregates_, inside_aggregate_, aggregate_context_};
  Binder sub = Subquery();
  sub.outer_ = &frame;
  int volatile_before = subqueries_->volatile_calls;
  BoundQuery q = sub.BindSelect(*e.subquery);
  bool correlated = !outer_values.empty();
  SubqueryKind kind = KindOf(e);
  if (kind != SubqueryKind::kExists && q.columns.size() != 1)
    throw SqlError(sqlstate::kSyntaxError,
                   q.columns.size() > 1 ? "subquery has too many columns" : "subquery must return only one column", {},
                   {}, e.location + 1);
  auto out = std::make_shared<BoundExpr>();
  out->index = static_cast<int32_t>(subqueries_->plans.size());
  out->location = e.location;
  out->op = static_cast<uint8_t>(kind);
  if (correlated) out->args = outer_values;
  LogicalRef plan = q.plan;
  if (kind == SubqueryKind::kExists) {
    out->kind = correlated ? BoundExprKind::kSubPlan : BoundExprKind::kSubqueryValue;
    out->type = Type::Of(TypeId::kBool);
  } else if (kind == SubqueryKind::kScalar || kind == SubqueryKind::kArray) {
    out->kind = correlated ? BoundExprKind::kSubPlan : BoundExprKind::kSubqueryValue;
    out->type = q.columns[0].type;
    if (kind == SubqueryKind::kArray) {
      if (out->type.id == TypeId::kUnknown) out->type = Type::Of(TypeId::kText);
      out->type = ArrayTypeFor(out->type);
    }
  } else {
    ExprRef x = BindExpr(*e.args[0], scope);
    ExprRef column = MakeColumnExpr(0, q.columns[0].type);
    // Both sides meet in one type, as x = ANY (subquery) resolves its operator.
    ExprRef cmp = BindComparison("=", x, column, e.location);
    x = cmp->args[0];
    if (!ExprEquals(*cmp->args[1], *column))
      plan = std::make_shared<LogicalProjection>(plan, std::vector<ExprRef>{cmp->args[1]});
    out->kind = correlated ? BoundExprKind::kSubPlan : BoundExprKind::kInSubquery;
    out->op = correlated ? static_cast<uint8_t>(kind) : 0;
    out->type = Type::Of(TypeId::kBool);
    out->negated = e.negated;
    out->args.push_back(x);  // kInSubquery: args[0]; kSubPlan: after the outer values
  }
  subqueries_->plans.push_back({plan, correlated, subqueries_->volatile_calls == volatile_before});
  return out;
}

}  // namespace tessera::planner
