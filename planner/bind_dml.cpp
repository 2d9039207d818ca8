// INSERT, UPDATE and DELETE: target columns, defaults, assignment casts and
// RETURNING. The writes themselves are fragments (planner/fragment.h).
#include <algorithm>
#include <set>

#include "common/error.h"
#include "planner/binder.h"
#include "planner/bind_select_internal.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

namespace {

// Whether `e` reads a column of its input row (UPDATE then needs SELECT too).
bool ReadsColumns(const ExprRef& e) {
  if (!e) return false;
  if (e->kind == BoundExprKind::kColumn) return true;
  return std::any_of(e->args.begin(), e->args.end(), ReadsColumns);
}

Scope TableScope(const catalog::TableInfo& table, const std::string& alias) {
  Scope scope;
  std::string name = alias.empty() ? table.name : alias;
  for (size_t i = 0; i < table.columns.size(); ++i)
    scope.columns.push_back({name, table.columns[i].name, table.columns[i].type, table.id, static_cast<int16_t>(i + 1)});
  return scope;
}

SqlError NoSuchColumn(const std::string& column, const std::string& table, int location) {
  return SqlError(sqlstate::kUndefinedColumn,
                  "column \"" + column + "\" of relation \"" + table + "\" does not exist", {}, {}, location + 1);
}

// Foreign keys are checked at the gateway at the end of the statement
// (executor/foreign_keys.h), from the rows the write returns beyond the
// client's RETURNING: an insert's new rows when the table references
// another, a delete's old rows when it is referenced, an update's new and
// old rows when it sets a column of either kind.
void AddForeignKeyReturning(const catalog::CatalogSnapshot& catalog, const catalog::TableInfo& table, Fragment* f) {
  auto sets_any = [&](const std::vector<int>& columns) {
    for (auto& s : f->set)
      if (std::find(columns.begin(), columns.end(), s.column) != columns.end()) return true;
    return false;
  };
  auto referenced = catalog::ReferencingKeys(catalog, table.id);
  bool needed = false;
  if (f->kind == FragmentKind::kInsert) needed = !table.foreign_keys.empty();
  if (f->kind == FragmentKind::kDelete) needed = !referenced.empty();
  if (f->kind == FragmentKind::kUpdate) {
    for (auto& fk : table.foreign_keys) needed = needed || sets_any(fk.columns);
    for (auto& [child, fk] : referenced) needed = needed || sets_any(fk->ref_columns);
  }
  // ON CONFLICT DO UPDATE returns no old rows: it may not change a key others reference.
  if (f->kind == FragmentKind::kInsert && f->on_conflict_do_update) {
    for (auto& [child, fk] : referenced)
      for (auto& s : f->conflict_set)
        if (std::find(fk->ref_columns.begin(), fk->ref_columns.end(), s.column) != fk->ref_columns.end())
          throw SqlError::FeatureNotSupported(
              "INSERT ... ON CONFLICT DO UPDATE of a column a foreign key references is not supported yet");
  }
  if (!needed) return;
  auto whole_row = [&](std::vector<ExprRef>* out) {
    for (size_t i = 0; i < table.columns.size(); ++i)
      out->push_back(MakeColumnExpr(static_cast<int>(i), table.columns[i].type));
  };
  whole_row(&f->returning);
  if (f->kind == FragmentKind::kUpdate) {
    // The client's RETURNING comes first; the old row follows the new one.
    whole_row(&f->returning_old);
  }
  f->fk_returning = static_cast<uint32_t>(table.columns.size() * (f->kind == FragmentKind::kUpdate ? 2 : 1));
}

std::vector<Type> TypesOf(const std::vector<ExprRef>& exprs) {
  std::vector<Type> types;
  for (auto& e : exprs) types.push_back(e->type);
  return types;
}

}  // namespace

// RETURNING binds like a select list over the written row.
static void BindReturning(Binder& binder, const std::vector<ast::SelectTarget>& targets, const Scope& scope,
                          std::vector<ExprRef>* exprs, std::vector<OutputColumn>* columns) {
  for (auto& t : targets) {
    const ast::Expr& e = *t.expr;
    if (e.kind == ast::ExprKind::kColumnRef && e.names.back() == "*") {
      for (size_t i = 0; i < scope.columns.size(); ++i) {
        const auto& c = scope.columns[i];
        exprs->push_back(MakeColumnExpr(static_cast<int>(i), c.type, c.name));
        columns->push_back({c.name, c.table_oid, c.attnum, c.type});
      }
      continue;
    }
    ExprRef b = binder.BindExpr(e, scope, "RETURNING");
    if (b->type.id == TypeId::kUnknown) b = binder.Coerce(b, Type::Of(TypeId::kText), kCastImplicit);
    OutputColumn col{t.alias.empty() ? FigureColumnName(e) : t.alias, 0, 0, b->type};
    if (b->kind == BoundExprKind::kColumn) {
      col.table_oid = scope.columns[b->index].table_oid;
      col.column_number = scope.columns[b->index].attnum;
    }
    exprs->push_back(b);
    columns->push_back(col);
  }
}

// A write fragment runs on the shards, where a correlated subquery cannot
// (it runs plans of its own, from the gateway). In WHERE it is moved out
// (GatewayWhere); elsewhere it is refused until writes can evaluate values
// at the gateway.
static void RefuseSubPlans(const Fragment& f) {
  bool found = f.filter && HasSubPlan(*f.filter);
  found = found || (f.conflict_filter && HasSubPlan(*f.conflict_filter));
  for (auto& s : f.set) found = found || HasSubPlan(*s.value);
  for (auto& s : f.conflict_set) found = found || HasSubPlan(*s.value);
  for (auto& e : f.returning) found = found || HasSubPlan(*e);
  if (found)
    throw SqlError::FeatureNotSupported(
        "correlated subqueries in SET, RETURNING or ON CONFLICT of INSERT, UPDATE or DELETE are not supported yet");
}

// UPDATE/DELETE ... WHERE with a correlated subquery: the rows to write are
// found first, on the gateway, by a scan of the table whose filter holds
// the subqueries (an uncorrelated subquery slot, run before the statement,
// returning their keys); the write fragment then takes those keys: WHERE
// <the other conjuncts> AND key IN (slot). The other conjuncts are tested
// again on the row the write finds; the subqueries' verdict is the one at
// the statement's snapshot (PostgreSQL re-evaluates a concurrently updated
// row's whole WHERE under READ COMMITTED).
static ExprRef GatewayWhere(const catalog::TableInfo& table, const std::string& alias, ExprRef filter,
                            SubqueryList* subqueries) {
  if (!filter || !HasSubPlan(*filter)) return filter;
  if (table.primary_key.size() != 1)
    throw SqlError::FeatureNotSupported(
        "correlated subqueries in the WHERE of UPDATE or DELETE need a table with a one-column primary key");
  std::vector<ExprRef> conjuncts, plain, correlated;
  SplitConjuncts(filter, &conjuncts);
  for (auto& c : conjuncts) (HasSubPlan(*c) ? correlated : plain).push_back(c);
  int key = table.primary_key[0];
  ExprRef key_column = MakeColumnExpr(key, table.columns[key].type, table.columns[key].name);
  LogicalRef scan = std::make_shared<LogicalGet>(MakeTableLayout(table), alias, MakeAndExpr(plain));
  scan = std::make_shared<LogicalFilter>(scan, MakeAndExpr(correlated));
  scan = std::make_shared<LogicalProjection>(scan, std::vector<ExprRef>{key_column});
  auto in = std::make_shared<BoundExpr>();
  in->kind = BoundExprKind::kInSubquery;
  in->type = Type::Of(TypeId::kBool);
  in->index = static_cast<int32_t>(subqueries->plans.size());
  in->args.push_back(key_column);
  subqueries->plans.push_back({scan, false, true});
  plain.push_back(in);
  return MakeAndExpr(std::move(plain));
}

// SET col = value, ... over `scope`, each value cast for its column (or
// its DEFAULT). `key_refusal`, if given, refuses a primary-key column with
// 0A000: "<key_refusal> \"col\" yet".
static std::vector<SetColumn> BindSetClauses(Binder& binder, const std::vector<ast::SetClause>& set,
                                             const catalog::TableInfo& table, const Scope& scope,
                                             const char* key_refusal = nullptr) {
  std::vector<SetColumn> out;
  std::set<int> seen;
  for (auto& s : set) {
    auto pos = table.FindColumn(s.column);
    if (!pos) throw NoSuchColumn(s.column, table.name, s.location);
    if (!seen.insert(*pos).second)
      throw SqlError(sqlstate::kSyntaxError, "multiple assignments to same column \"" + s.column + "\"");
    if (key_refusal != nullptr &&
        std::find(table.primary_key.begin(), table.primary_key.end(), *pos) != table.primary_key.end())
      throw SqlError::FeatureNotSupported(std::string(key_refusal) + " \"" + s.column + "\" yet");
    const auto& column = table.columns[*pos];
    ExprRef value = s.value->kind == ast::ExprKind::kDefault
                        ? binder.BindDefault(column)
                        : binder.AssignTo(binder.BindExpr(*s.value, scope, "UPDATE"), column);
    out.push_back({*pos, value});
  }
  return out;
}

BoundQuery Binder::BindInsert(const ast::InsertStmt& stmt) {
  CteScope with_scope;
  ScopedWith restore(this);
  if (stmt.with) BindWith(*stmt.with, &with_scope);
  const catalog::TableInfo& table = LookupTable(stmt.table);
  if (table.IsView()) RefuseViewWrite(table, ViewWrite::kInsert);
  Require(table, catalog::privilege::kInsert | (stmt.returning.empty() ? 0 : catalog::privilege::kSelect) |
                     (stmt.on_conflict_do_update ? catalog::privilege::kUpdate : 0));
  std::vector<int> targets;
  if (stmt.columns.empty()) {
    for (size_t i = 0; i < table.columns.size(); ++i) targets.push_back(static_cast<int>(i));
  } else {
    std::set<int> seen;
    for (auto& name : stmt.columns) {
      auto pos = table.FindColumn(name);
      if (!pos) throw NoSuchColumn(name, table.name, stmt.table.location);
      if (!seen.insert(*pos).second)
        throw SqlError(sqlstate::kDuplicateColumn, "column \"" + name + "\" specified more than once");
      targets.push_back(*pos);
    }
  }
  std::vector<int> source_of(table.columns.size(), -1);  // table column -> source column
  for (size_t j = 0; j < targets.size(); ++j) source_of[targets[j]] = static_cast<int>(j);
  auto check_width = [&](size_t width, int extra_location = -1) {
    if (width > targets.size())
      throw SqlError(sqlstate::kSyntaxError, "INSERT has more expressions than target columns", {}, {},
                     extra_location + 1);
    if (width < targets.size() && !stmt.columns.empty())
      throw SqlError(sqlstate::kSyntaxError, "INSERT has more target columns than expressions");
  };
  std::vector<Type> types;
  for (auto& c : table.columns) types.push_back(c.type);

  LogicalRef child;
  const ast::SelectStmt* source = stmt.source.get();
  bool plain_values = source && !source->values.empty() && source->set_op == ast::SetOpKind::kNone &&
                      source->order_by.empty() && !source->limit && !source->offset;
  if (stmt.default_values || !source) {
    std::vector<ExprRef> row;
    for (auto& c : table.columns) row.push_back(BindDefault(c));
    child = std::make_shared<LogicalValues>(std::vector<std::vector<ExprRef>>{row}, types);
  } else if (plain_values) {
    Scope empty;
    std::vector<std::vector<ExprRef>> rows;
    for (auto& values : source->values) {
      check_width(values.size(), values.size() > targets.size() ? values[targets.size()]->location : -1);
      std::vector<ExprRef> row;
      for (size_t i = 0; i < table.columns.size(); ++i) {
        int j = source_of[i];
        if (j < 0 || j >= static_cast<int>(values.size()) || values[j]->kind == ast::ExprKind::kDefault) {
          row.push_back(BindDefault(table.columns[i]));
          continue;
        }
        // An INSERT's one-row VALUES is a select list to PostgreSQL: set-returning calls are allowed there.
        ExprRef value = source->values.size() == 1 ? BindAllowingSetFunctions(*values[j], empty, "VALUES")
                                                   : BindExpr(*values[j], empty, "VALUES");
        row.push_back(AssignTo(value, table.columns[i]));
      }
      rows.push_back(std::move(row));
    }
    bool set_functions = false;
    for (auto& e : rows[0]) set_functions = set_functions || HasSetFunction(*e);
    child = set_functions ? PlanValuesRow(rows[0]) : std::make_shared<LogicalValues>(std::move(rows), types);
  } else {
    BoundQuery q = Nested().BindSelect(*source);
    check_width(q.columns.size());
    std::vector<ExprRef> row;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      int j = source_of[i];
      if (j < 0 || j >= static_cast<int>(q.columns.size())) {
        row.push_back(BindDefault(table.columns[i]));
        continue;
      }
      row.push_back(AssignTo(MakeColumnExpr(j, q.columns[j].type), table.columns[i]));
    }
    child = std::make_shared<LogicalProjection>(q.plan, row);
  }
  auto fragment = std::make_shared<Fragment>();
  fragment->kind = FragmentKind::kInsert;
  fragment->table = MakeTableLayout(table);
  BindOnConflict(stmt, table, fragment.get());
  BoundQuery out;
  BindReturning(*this, stmt.returning, TableScope(table, stmt.alias), &fragment->returning, &out.columns);
  std::vector<Type> returning_types = TypesOf(fragment->returning);
  AddForeignKeyReturning(catalog_, table, fragment.get());
  RefuseSubPlans(*fragment);
  out.plan = std::make_shared<LogicalInsert>(child, fragment, returning_types);
  return out;
}

namespace {

// The unique key an ON CONFLICT names: 0 for the primary key, else a unique
// index's id; -1 when it names none (any key, for DO NOTHING).
int64_t ConflictArbiter(const ast::InsertStmt& stmt, const catalog::TableInfo& table) {
  if (!stmt.conflict_constraint.empty()) {
    if (!table.primary_key.empty() && stmt.conflict_constraint == table.primary_key_name) return 0;
    for (auto& index : table.indexes)
      if (index.unique && index.name == stmt.conflict_constraint) return index.id;
    throw SqlError(sqlstate::kUndefinedObject, "constraint \"" + stmt.conflict_constraint + "\" for table \"" +
                                                   table.name + "\" does not exist");
  }
  if (stmt.conflict_columns.empty()) return -1;
  std::set<int> wanted;
  for (auto& name : stmt.conflict_columns) {
    auto pos = table.FindColumn(name);
    if (!pos)  // PostgreSQL points at the list's parenthesis
      throw SqlError(sqlstate::kUndefinedColumn, "column \"" + name + "\" does not exist", {}, {},
                     stmt.conflict_columns_location + 1);
    wanted.insert(*pos);
  }
  if (!table.primary_key.empty() && std::set<int>(table.primary_key.begin(), table.primary_key.end()) == wanted)
    return 0;
  for (auto& index : table.indexes)
    if (index.unique && std::set<int>(index.columns.begin(), index.columns.end()) == wanted) return index.id;
  throw SqlError(sqlstate::kInvalidColumnReference,
                 "there is no unique or exclusion constraint matching the ON CONFLICT specification");
}

}  // namespace

void Binder::BindOnConflict(const ast::InsertStmt& stmt, const catalog::TableInfo& table, Fragment* fragment) {
  if (!stmt.on_conflict_do_nothing && !stmt.on_conflict_do_update) return;
  fragment->on_conflict_do_nothing = stmt.on_conflict_do_nothing;
  fragment->conflict_arbiter = ConflictArbiter(stmt, table);
  if (!stmt.on_conflict_do_update) return;
  if (fragment->conflict_arbiter < 0)
    throw SqlError(sqlstate::kSyntaxError, "ON CONFLICT DO UPDATE requires inference specification or constraint name",
                   {}, "For example, ON CONFLICT (column_name).", stmt.conflict_location + 1);
  if (fragment->conflict_arbiter != 0)
    throw SqlError::FeatureNotSupported("ON CONFLICT DO UPDATE is supported on the primary key only, not on a unique index");
  fragment->on_conflict_do_update = true;
  // SET and WHERE see the existing row (by the table's name or alias) and
  // the proposed one as `excluded`, in that order.
  Scope scope = TableScope(table, stmt.alias);
  for (auto& c : TableScope(table, "excluded").columns) scope.columns.push_back(c);
  // A new key would move the row (on a cluster, to another shard).
  fragment->conflict_set = BindSetClauses(*this, stmt.conflict_set, table, scope,
                                          "ON CONFLICT DO UPDATE cannot change the primary key column");
  if (stmt.conflict_where) fragment->conflict_filter = BindPredicate(*stmt.conflict_where, scope, "WHERE");
}

BoundQuery Binder::BindUpdate(const ast::UpdateStmt& stmt) {
  CteScope with_scope;
  ScopedWith restore(this);
  if (stmt.with) BindWith(*stmt.with, &with_scope);
  if (!stmt.from.empty()) throw SqlError::FeatureNotSupported("UPDATE ... FROM is not supported yet");
  const catalog::TableInfo& table = LookupTable(stmt.table);
  if (table.IsView()) RefuseViewWrite(table, ViewWrite::kUpdate);
  Scope scope = TableScope(table, stmt.alias);
  auto fragment = std::make_shared<Fragment>();
  fragment->kind = FragmentKind::kUpdate;
  fragment->table = MakeTableLayout(table);
  if (stmt.where) fragment->filter = BindPredicate(*stmt.where, scope, "WHERE");
  fragment->filter = GatewayWhere(table, stmt.alias.empty() ? table.name : stmt.alias, fragment->filter, subqueries_);
  fragment->set = BindSetClauses(*this, stmt.set, table, scope);
  // SELECT too when the statement reads the table's columns (PostgreSQL
  // asks it per column read; Tessera has table privileges only).
  bool reads = stmt.where || !stmt.returning.empty();
  for (const SetColumn& s : fragment->set) reads = reads || ReadsColumns(s.value);
  Require(table, catalog::privilege::kUpdate | (reads ? catalog::privilege::kSelect : 0));
  BoundQuery out;
  BindReturning(*this, stmt.returning, scope, &fragment->returning, &out.columns);
  std::vector<Type> returning_types = TypesOf(fragment->returning);
  AddForeignKeyReturning(catalog_, table, fragment.get());
  RefuseSubPlans(*fragment);
  out.plan = std::make_shared<LogicalWrite>(LogicalKind::kUpdate, fragment, returning_types);
  return out;
}

BoundQuery Binder::BindDelete(const ast::DeleteStmt& stmt) {
  CteScope with_scope;
  ScopedWith restore(this);
  if (stmt.with) BindWith(*stmt.with, &with_scope);
  if (!stmt.using_tables.empty()) throw SqlError::FeatureNotSupported("DELETE ... USING is not supported yet");
  const catalog::TableInfo& table = LookupTable(stmt.table);
  if (table.IsView()) RefuseViewWrite(table, ViewWrite::kDelete);
  Scope scope = TableScope(table, stmt.alias);
  auto fragment = std::make_shared<Fragment>();
  fragment->kind = FragmentKind::kDelete;
  fragment->table = MakeTableLayout(table);
  if (stmt.where) fragment->filter = BindPredicate(*stmt.where, scope, "WHERE");
  fragment->filter = GatewayWhere(table, stmt.alias.empty() ? table.name : stmt.alias, fragment->filter, subqueries_);
  Require(table, catalog::privilege::kDelete |
                     (stmt.where || !stmt.returning.empty() ? catalog::privilege::kSelect : 0));
  BoundQuery out;
  BindReturning(*this, stmt.returning, scope, &fragment->returning, &out.columns);
  std::vector<Type> returning_types = TypesOf(fragment->returning);
  AddForeignKeyReturning(catalog_, table, fragment.get());
  RefuseSubPlans(*fragment);
  out.plan = std::make_shared<LogicalWrite>(LogicalKind::kDelete, fragment, returning_types);
  return out;
}

}  // namespace tessera::planner
