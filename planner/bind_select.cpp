// SELECT: FROM -> WHERE -> GROUP BY/aggregates -> HAVING -> select list ->
// DISTINCT -> ORDER BY -> LIMIT, plus VALUES and set operations.
#include "common/stack_depth.h"
#include "common/error.h"
#include "common/value_ops.h"
#include "planner/bind_select_internal.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

BoundQuery Binder::BindSelect(const ast::SelectStmt& stmt) {
  CteScope with_scope;
  ScopedWith restore(this);
  if (stmt.with) BindWith(*stmt.with, &with_scope);
  SelectBinder select(*this);
  return select.Bind(stmt);
}

bool SelectBinder::HasAggregate(const BoundExpr& e) {
  CheckStackDepth();
  if (e.kind == BoundExprKind::kAggregate) return true;
  for (auto& a : e.args)
    if (HasAggregate(*a)) return true;
  return false;
}

const BoundExpr* SelectBinder::FindWindow(const BoundExpr& e) {
  CheckStackDepth();
  if (e.kind == BoundExprKind::kWindow) return &e;
  for (auto& a : e.args)
    if (const BoundExpr* w = FindWindow(*a)) return w;
  return nullptr;
}

ExprRef SelectBinder::BindWithAggregates(const ast::Expr& e, const Scope& scope, const char* context) {
  CheckStackDepth();
  bool saved = binder_.allow_aggregates_;
  binder_.allow_aggregates_ = true;
  ExprRef out = binder_.BindExpr(e, scope, context);
  binder_.allow_aggregates_ = saved;
  return out;
}

ExprRef SelectBinder::ResolveGrouped(const ExprRef& e, const std::vector<ExprRef>& groups, std::vector<ExprRef>* aggs,
                                     const Scope& scope) {
  for (size_t i = 0; i < groups.size(); ++i)
    if (ExprEquals(*e, *groups[i])) return MakeColumnExpr(static_cast<int>(i), e->type, ExprToText(*e));
  if (e->kind == BoundExprKind::kAggregate) {
    size_t j = 0;
    while (j < aggs->size() && !ExprEquals(*(*aggs)[j], *e)) ++j;
    if (j == aggs->size()) aggs->push_back(e);
    return MakeColumnExpr(static_cast<int>(groups.size() + j), e->type, ExprToText(*e));
  }
  if (e->kind == BoundExprKind::kColumn) {
    const auto& c = scope.columns.at(e->index);
    throw SqlError(sqlstate::kGroupingError,
                   "column \"" + (c.table.empty() ? c.name : c.table + "." + c.name) +
                       "\" must appear in the GROUP BY clause or be used in an aggregate function",
                   {}, {}, e->location + 1);
  }
  if (e->args.empty()) return e;
  auto copy = std::make_shared<BoundExpr>(*e);
  for (auto& a : copy->args) a = ResolveGrouped(a, groups, aggs, scope);
  return copy;
}

ExprRef SelectBinder::BindOutputExpr(const ast::Expr& e, const Scope& scope, const char* context) {
  bool saved = binder_.allow_windows_;
  bool saved_set_functions = binder_.allow_set_functions_;
  binder_.allow_windows_ = true;
  binder_.allow_set_functions_ = true;
  ExprRef out = BindWithAggregates(e, scope, context);
  binder_.allow_windows_ = saved;
  binder_.allow_set_functions_ = saved_set_functions;
  return out;
}

void SelectBinder::BindTargets(const ast::SelectStmt& stmt, const Scope& scope) {
  for (auto& t : stmt.targets) {
    const ast::Expr& e = *t.expr;
    if (e.kind == ast::ExprKind::kColumnRef && e.names.back() == "*") {
      std::string table = e.names.size() >= 2 ? e.names[e.names.size() - 2] : "";
      if (!table.empty() && !scope.HasTable(table))
        throw SqlError(sqlstate::kUndefinedTable, "missing FROM-clause entry for table \"" + table + "\"", {}, {},
                       e.location + 1);
      if (scope.columns.empty() && table.empty())
        throw SqlError(sqlstate::kSyntaxError, "SELECT * with no tables specified is not valid", {}, {},
                       e.location + 1);
      std::vector<size_t> expanded;
      for (size_t i = 0; i < scope.columns.size(); ++i) {
        const auto& c = scope.columns[i];
        if (c.hidden || c.system || (!table.empty() && c.table != table)) continue;
        targets_.push_back({MakeColumnExpr(static_cast<int>(i), c.type, c.table + "." + c.name),
                            {c.name, c.table_oid, c.attnum, c.type}});
        expanded.push_back(i);
      }
      if (binder_.recorder_) binder_.RecordStar(e, scope, expanded);
      continue;
    }
    ExprRef bound = BindOutputExpr(e, scope, nullptr);
    set_function_targets_ = set_function_targets_ || HasSetFunction(*bound);
    if (bound->type.id == TypeId::kUnknown) bound = binder_.Coerce(bound, Type::Of(TypeId::kText), kCastImplicit);
    OutputColumn column{t.alias.empty() ? FigureColumnName(e) : t.alias, 0, 0, bound->type};
    if (bound->kind == BoundExprKind::kColumn) {
      const auto& c = scope.columns[bound->index];
      column.table_oid = c.table_oid;
      column.column_number = c.attnum;
    }
    targets_.push_back({bound, column});
  }
}

BoundQuery SelectBinder::Bind(const ast::SelectStmt& stmt) {
  CheckStackDepth();
  // The statement's own INTO became CREATE TABLE AS in the parser; one
  // nested in a subquery, a WITH query or a set operation's branch is
  // PostgreSQL's 42601 (its first branch of a UNION, which PostgreSQL
  // allows, included).
  if (stmt.into)
    throw SqlError(sqlstate::kSyntaxError, "SELECT ... INTO is not allowed here").WithPosition(stmt.into->location + 1);
  if (stmt.set_op != ast::SetOpKind::kNone) return BindSetOp(stmt);
  if (!stmt.values.empty()) {
    if (!stmt.locking.empty())
      throw SqlError::FeatureNotSupported(std::string(ast::LockingClauseName(stmt.locking[0].strength)) +
                                          " cannot be applied to VALUES");
    return BindValues(stmt);
  }
  if (!stmt.distinct_on.empty()) throw SqlError::FeatureNotSupported("SELECT DISTINCT ON is not supported yet");
  int work_table_refs = binder_.work_table_refs_;
  FromResult from = BindFrom(stmt.from);
  bool reads_work_table = binder_.work_table_refs_ != work_table_refs;
  const Scope& scope = from.scope;
  LogicalRef plan = from.plan;
  ExprRef where = stmt.where ? binder_.BindPredicate(*stmt.where, scope, "WHERE") : nullptr;
  CheckWindowClause(stmt);
  binder_.windows_ = &stmt.windows;

  BindTargets(stmt, scope);
  if (!stmt.locking.empty()) plan = BindLocking(stmt, plan);
  if (where) plan = std::make_shared<LogicalFilter>(plan, where);

  std::vector<ExprRef> groups;
  for (auto& g : stmt.group_by) {
    if (g->kind == ast::ExprKind::kConstant && g->constant_kind == ast::ConstantKind::kInteger) {
      size_t n = std::stoul(g->text);
      if (n < 1 || n > targets_.size())
        throw SqlError(sqlstate::kInvalidColumnReference, "GROUP BY position " + g->text + " is not in select list",
                       {}, {}, g->location + 1);
      if (HasAggregate(*targets_[n - 1].expr))
        throw SqlError(sqlstate::kGroupingError, "aggregate functions are not allowed in GROUP BY", {}, {},
                       g->location + 1);
      if (const BoundExpr* w = FindWindow(*targets_[n - 1].expr))
        throw SqlError(sqlstate::kWindowingError, "window functions are not allowed in GROUP BY", {}, {},
                       w->location + 1);
      groups.push_back(targets_[n - 1].expr);
      continue;
    }
    ExprRef bound;
    // PostgreSQL allows set-returning functions in GROUP BY: they run below the aggregate.
    bool saved_set_functions = binder_.allow_set_functions_;
    binder_.allow_set_functions_ = true;
    try {
      bound = binder_.BindExpr(*g, scope, "GROUP BY");
      binder_.allow_set_functions_ = saved_set_functions;
    } catch (const SqlError& err) {
      binder_.allow_set_functions_ = saved_set_functions;
      // A bare name that is not an input column may name an output column.
      if (err.Sqlstate() != sqlstate::kUndefinedColumn || g->kind != ast::ExprKind::kColumnRef || g->names.size() != 1)
        throw;
      auto it = std::find_if(targets_.begin(), targets_.end(),
                             [&](const Target& t) { return t.column.name == g->names[0]; });
      if (it == targets_.end()) throw;
      bound = it->expr;
    }
    groups.push_back(bound);
  }

  ExprRef having;
  if (stmt.having) {
    having = BindWithAggregates(*stmt.having, scope, "HAVING");
    if (having->type.id != TypeId::kBool)
      throw SqlError(sqlstate::kDatatypeMismatch,
                     "argument of HAVING must be type boolean, not type " + FormatType(having->type));
  }

  // ORDER BY: an output position, an output column name, or an expression over the input.
  std::vector<SortKey> keys;
  std::vector<ExprRef> extras;
  std::vector<int> key_columns;
  for (auto& item : stmt.order_by) {
    const ast::Expr& e = *item.expr;
    int column = -1;
    if (e.kind == ast::ExprKind::kConstant && e.constant_kind == ast::ConstantKind::kInteger) {
      long n = std::stol(e.text);
      if (n < 1 || n > static_cast<long>(targets_.size()))
        throw SqlError(sqlstate::kInvalidColumnReference, "ORDER BY position " + e.text + " is not in select list",
                       {}, {}, e.location + 1);
      column = static_cast<int>(n - 1);
    } else if (e.kind == ast::ExprKind::kColumnRef && e.names.size() == 1) {
      for (size_t i = 0; i < targets_.size(); ++i)
        if (targets_[i].column.name == e.names[0]) {
          column = static_cast<int>(i);
          break;
        }
    }
    ExprRef bound;
    if (column < 0) {
      bound = BindOutputExpr(e, scope, "ORDER BY");
      for (size_t i = 0; i < targets_.size() && column < 0; ++i)
        if (ExprEquals(*targets_[i].expr, *bound)) column = static_cast<int>(i);
      if (column < 0) {
        if (stmt.distinct)
          throw SqlError(sqlstate::kInvalidColumnReference,
                         "for SELECT DISTINCT, ORDER BY expressions must appear in select list", {}, {},
                         e.location + 1);
        column = static_cast<int>(targets_.size() + extras.size());
        extras.push_back(bound);
      }
    }
    SortKey key;
    key.descending = item.descending;
    key.nulls_first = item.nulls_first.value_or(item.descending);
    keys.push_back(key);
    key_columns.push_back(column);
  }

  // FOR UPDATE is refused with set-returning functions anywhere in the
  // target list, ORDER BY's included (PostgreSQL's p_hasTargetSRFs).
  for (auto& x : extras)
    if (!stmt.locking.empty() && HasSetFunction(*x))
      throw SqlError::FeatureNotSupported(std::string(ast::LockingClauseName(stmt.locking[0].strength)) +
                                          " is not allowed with set-returning functions in the target list");
  std::vector<ExprRef> outputs;
  for (auto& t : targets_) outputs.push_back(t.expr);
  outputs.insert(outputs.end(), extras.begin(), extras.end());

  bool grouped = !groups.empty() || (having != nullptr);
  for (auto& o : outputs) grouped = grouped || HasAggregate(*o);
  if (grouped) {
    std::vector<ExprRef> aggs;
    for (auto& o : outputs) o = ResolveGrouped(o, groups, &aggs, scope);
    if (having) having = ResolveGrouped(having, groups, &aggs, scope);
    if (reads_work_table && !aggs.empty())
      throw SqlError("42P19", "aggregate functions are not allowed in a recursive query's recursive term", {}, {},
                     aggs[0]->location + 1);
    // The outputs matched the grouping expressions as written; the aggregate
    // reads the values of their set-returning calls from a ProjectSet below it.
    plan = PlanSetFunctions(plan, &groups);
    plan = std::make_shared<LogicalAggregate>(SortForAggregates(plan, aggs), groups, aggs);
    if (having) plan = std::make_shared<LogicalFilter>(plan, having);
  }
  plan = PlanWindows(plan, &outputs);
  plan = PlanSetFunctions(plan, &outputs);
  plan = std::make_shared<LogicalProjection>(plan, outputs);
  if (stmt.distinct) plan = std::make_shared<LogicalDistinct>(plan);
  if (!keys.empty()) {
    for (size_t i = 0; i < keys.size(); ++i) {
      int c = key_columns[i];
      std::string name = c < static_cast<int>(targets_.size()) ? targets_[c].column.name : ExprToText(*outputs[c]);
      keys[i].expr = MakeColumnExpr(c, outputs[c]->type, name);
    }
    plan = std::make_shared<LogicalSort>(plan, keys);
  }
  plan = ApplyLimit(plan, stmt);
  if (!extras.empty()) {
    std::vector<ExprRef> trimmed;
    for (size_t i = 0; i < targets_.size(); ++i)
      trimmed.push_back(MakeColumnExpr(static_cast<int>(i), targets_[i].expr->type, targets_[i].column.name));
    plan = std::make_shared<LogicalProjection>(plan, trimmed);
  }
  BoundQuery out;
  out.plan = plan;
  for (auto& t : targets_) out.columns.push_back(t.column);
  return out;
}

LogicalRef SelectBinder::ApplyLimit(LogicalRef plan, const ast::SelectStmt& stmt) {
  if (!stmt.limit && !stmt.offset) return plan;
  Scope empty;
  auto bind = [&](const ast::ExprPtr& e, const char* clause) -> ExprRef {
    if (!e) return nullptr;
    ExprRef b = binder_.BindExpr(*e, empty, clause);
    if (b->type.id != TypeId::kUnknown && !IsIntegerType(b->type.id) && b->type.id != TypeId::kNumeric &&
        !(b->IsConstant() && b->value.IsNull()))
      throw SqlError(sqlstate::kDatatypeMismatch,
                     std::string("argument of ") + clause + " must be type bigint, not type " + FormatType(b->type));
    return binder_.Coerce(b, Type::Of(TypeId::kInt8), kCastImplicit);
  };
  return std::make_shared<LogicalLimit>(plan, bind(stmt.limit, "LIMIT"), bind(stmt.offset, "OFFSET"));
}

BoundQuery SelectBinder::BindValues(const ast::SelectStmt& stmt) {
  Scope empty;
  size_t width = stmt.values[0].size();
  std::vector<std::vector<ExprRef>> rows;
  for (auto& row : stmt.values) {
    if (row.size() != width)
      throw SqlError(sqlstate::kSyntaxError, "VALUES lists must all be the same length");
    std::vector<ExprRef> bound;
    for (auto& e : row) bound.push_back(binder_.BindExpr(*e, empty, "VALUES"));
    rows.push_back(std::move(bound));
  }
  BoundQuery out;
  std::vector<Type> types;
  for (size_t c = 0; c < width; ++c) {
    std::vector<Type> column_types;
    for (auto& r : rows) column_types.push_back(r[c]->type);
    Type common = CommonType(column_types, "VALUES");
    if (common.id == TypeId::kUnknown) common = Type::Of(TypeId::kText);
    for (auto& r : rows) r[c] = binder_.Coerce(r[c], common, kCastImplicit);
    types.push_back(common);
    out.columns.push_back({"column" + std::to_string(c + 1), 0, 0, common});
  }
  LogicalRef plan = std::make_shared<LogicalValues>(std::move(rows), types);
  if (!stmt.order_by.empty()) {
    std::vector<SortKey> keys;
    for (auto& item : stmt.order_by) {
      Scope scope;
      for (auto& c : out.columns) scope.columns.push_back({"*VALUES*", c.name, c.type, 0, 0, false});
      SortKey key;
      if (item.expr->kind == ast::ExprKind::kConstant && item.expr->constant_kind == ast::ConstantKind::kInteger) {
        size_t n = std::stoul(item.expr->text);
        if (n < 1 || n > width)
          throw SqlError(sqlstate::kInvalidColumnReference, "ORDER BY position " + item.expr->text + " is not in select list");
        key.expr = MakeColumnExpr(static_cast<int>(n - 1), types[n - 1], out.columns[n - 1].name);
      } else {
        key.expr = binder_.BindExpr(*item.expr, scope, "ORDER BY");
      }
      key.descending = item.descending;
      key.nulls_first = item.nulls_first.value_or(item.descending);
      keys.push_back(key);
    }
    plan = std::make_shared<LogicalSort>(plan, keys);
  }
  out.plan = ApplyLimit(plan, stmt);
  return out;
}

BoundQuery SelectBinder::BindSetOp(const ast::SelectStmt& stmt) {
  for (const ast::SelectStmt* side : {&stmt, static_cast<const ast::SelectStmt*>(stmt.set_left.get()),
                                      static_cast<const ast::SelectStmt*>(stmt.set_right.get())})
    if (!side->locking.empty())
      throw SqlError::FeatureNotSupported(std::string(ast::LockingClauseName(side->locking[0].strength)) +
                                          " is not allowed with UNION/INTERSECT/EXCEPT");
  BoundQuery left = binder_.Nested().BindSelect(*stmt.set_left);
  BoundQuery right = binder_.Nested().BindSelect(*stmt.set_right);
  const char* name = stmt.set_op == ast::SetOpKind::kUnion ? "UNION"
                     : stmt.set_op == ast::SetOpKind::kIntersect ? "INTERSECT" : "EXCEPT";
  if (left.columns.size() != right.columns.size())
    throw SqlError(sqlstate::kSyntaxError, std::string("each ") + name + " query must have the same number of columns");
  std::vector<ExprRef> lcast, rcast;
  std::vector<Type> types;
  BoundQuery out;
  bool lneeds = false, rneeds = false;
  for (size_t i = 0; i < left.columns.size(); ++i) {
    Type common = CommonType({left.columns[i].type, right.columns[i].type}, name);
    if (common.id == TypeId::kUnknown) common = Type::Of(TypeId::kText);
    types.push_back(common);
    lneeds |= !(left.columns[i].type == common);
    rneeds |= !(right.columns[i].type == common);
    lcast.push_back(binder_.Coerce(MakeColumnExpr(static_cast<int>(i), left.columns[i].type), common, kCastImplicit));
    rcast.push_back(binder_.Coerce(MakeColumnExpr(static_cast<int>(i), right.columns[i].type), common, kCastImplicit));
    out.columns.push_back({left.columns[i].name, 0, 0, common});
  }
  LogicalRef lp = lneeds ? std::make_shared<LogicalProjection>(left.plan, lcast) : left.plan;
  LogicalRef rp = rneeds ? std::make_shared<LogicalProjection>(right.plan, rcast) : right.plan;
  SetOpType op = stmt.set_op == ast::SetOpKind::kUnion ? SetOpType::kUnion
                 : stmt.set_op == ast::SetOpKind::kIntersect ? SetOpType::kIntersect : SetOpType::kExcept;
  LogicalRef plan = std::make_shared<LogicalSetOp>(lp, rp, op, stmt.set_all, types);
  if (!stmt.order_by.empty()) {
    Scope scope;
    for (auto& c : out.columns) scope.columns.push_back({"", c.name, c.type, 0, 0, false});
    std::vector<SortKey> keys;
    for (auto& item : stmt.order_by) {
      SortKey key;
      if (item.expr->kind == ast::ExprKind::kConstant && item.expr->constant_kind == ast::ConstantKind::kInteger) {
        size_t n = std::stoul(item.expr->text);
        if (n < 1 || n > types.size())
          throw SqlError(sqlstate::kInvalidColumnReference, "ORDER BY position " + item.expr->text + " is not in select list");
        key.expr = MakeColumnExpr(static_cast<int>(n - 1), types[n - 1], out.columns[n - 1].name);
      } else {
        key.expr = binder_.BindExpr(*item.expr, scope, "ORDER BY");
      }
      key.descending = item.descending;
      key.nulls_first = item.nulls_first.value_or(item.descending);
      keys.push_back(key);
    }
    plan = std::make_shared<LogicalSort>(plan, keys);
  }
  out.plan = ApplyLimit(plan, stmt);
  return out;
}

}  // namespace tessera::planner
