// The FROM clause: tables, joins (ON, USING, NATURAL), subqueries and
// generate_series, each producing a plan and the scope its columns form.
#include "common/error.h"
#include "common/value_ops.h"
#include "planner/binder.h"
#include "planner/bind_select_internal.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

TableLayout MakeTableLayout(const catalog::TableInfo& table) {
  TableLayout layout;
  layout.table_id = table.id;
  layout.table_name = table.name;
  layout.schema_name = table.schema;
  for (auto& c : table.columns) {
    layout.column_names.push_back(c.name);
    layout.column_types.push_back(c.type);
    layout.not_null.push_back(c.not_null);
  }
  layout.primary_key = table.primary_key;
  layout.primary_key_name = table.primary_key_name;
  for (auto& index : table.indexes) {
    TableLayout::Index i;
    i.id = index.id;
    i.name = index.name;
    i.columns = index.columns;
    i.descending = index.descending;
    i.unique = index.unique;
    layout.indexes.push_back(std::move(i));
  }
  if (!table.checks.empty()) {
    static const catalog::CatalogSnapshot kNoCatalog;  // checks name only the table's own columns
    for (auto& check : table.checks) {
      std::vector<Type> no_params;
      layout.checks.push_back({check.name, Binder(kNoCatalog, &no_params).BindCheck(table, check.sql)});
    }
  }
  return layout;
}

const catalog::TableInfo& Binder::LookupTable(const ast::QualifiedName& name) const {
  const catalog::TableInfo* table = catalog_.FindTable(name.schema, name.name);
  if (!table && catalog_.FindSequence(name.schema, name.name))  // PostgreSQL reads its one row (last_value, ...)
    throw SqlError::FeatureNotSupported("sequence \"" + name.name + "\" cannot be used as a table")
        .WithPosition(name.location + 1);
  if (!table) throw SqlError::UndefinedTable(name.ToString()).WithPosition(name.location + 1);
  return *table;
}

namespace {

JoinKind ToJoinKind(ast::JoinType type) {
  switch (type) {
    case ast::JoinType::kInner: return JoinKind::kInner;
    case ast::JoinType::kLeft: return JoinKind::kLeft;
    case ast::JoinType::kRight: return JoinKind::kRight;
    case ast::JoinType::kFull: return JoinKind::kFull;
    case ast::JoinType::kCross: return JoinKind::kCross;
  }
  return JoinKind::kInner;
}

void ApplyColumnAliases(const ast::TableRef& ref, Scope* scope, size_t first) {
  if (ref.column_aliases.size() > scope->columns.size() - first)
    throw SqlError(sqlstate::kInvalidColumnReference, "table \"" + ref.alias + "\" has " +
                                                          std::to_string(scope->columns.size() - first) +
                                                          " columns available but " +
                                                          std::to_string(ref.column_aliases.size()) + " columns specified");
  for (size_t i = 0; i < ref.column_aliases.size(); ++i) scope->columns[first + i].name = ref.column_aliases[i];
}

}  // namespace

FromResult SelectBinder::BindTableRef(const ast::TableRef& ref) {
  FromResult out;
  switch (ref.kind) {
    case ast::TableRefKind::kTable: {
      // A WITH query shadows a table of the same name.
      if (binder_.ctes_ && ref.table.schema.empty())
        if (CteBinding* cte = binder_.ctes_->Find(ref.table.name)) {
          std::string alias = ref.alias.empty() ? cte->info->name : ref.alias;
          out.plan = binder_.BindCteReference(*cte, alias, ref.location);
          for (auto& c : cte->columns) out.scope.columns.push_back({alias, c.name, c.type, 0, 0, false});
          ApplyColumnAliases(ref, &out.scope, 0);
          return out;
        }
      const catalog::TableInfo* found = binder_.catalog_.FindTable(ref.table.schema, ref.table.name);
      if (found && binder_.recorder_) binder_.recorder_->relations.insert(found->id);
      if (found) binder_.Require(*found, catalog::privilege::kSelect);
      if (found && found->IsView()) return BindViewRef(*found, ref);
      if (!found) {
        if (std::optional<FromResult> sequence = BindSequenceRelation(ref)) {
          ApplyColumnAliases(ref, &sequence->scope, 0);
          return std::move(*sequence);
        }
        if (std::optional<FromResult> system = BindSystemRelation(ref)) {
          ApplyColumnAliases(ref, &system->scope, 0);
          return std::move(*system);
        }
      }
      const catalog::TableInfo& table = found ? *found : binder_.LookupTable(ref.table);
      std::string alias = ref.alias.empty() ? table.name : ref.alias;
      out.plan = std::make_shared<LogicalGet>(MakeTableLayout(table), alias, nullptr);
      for (size_t i = 0; i < table.columns.size(); ++i)
        out.scope.columns.push_back(
            {alias, table.columns[i].name, table.columns[i].type, table.id, static_cast<int16_t>(i + 1), false});
      ApplyColumnAliases(ref, &out.scope, 0);
      return out;
    }
    case ast::TableRefKind::kSubquery: {
      if (ref.alias.empty())
        throw SqlError(sqlstate::kSyntaxError, "subquery in FROM must have an alias", {}, {}, ref.location + 1);
      // Same level as this query for WITH RECURSIVE: PostgreSQL allows the
      // recursive reference in a subquery in FROM (not in an expression's).
      BoundQuery q = binder_.Nested().BindSelect(*ref.subquery);
      out.plan = q.plan;
      for (auto& c : q.columns) out.scope.columns.push_back({ref.alias, c.name, c.type, 0, 0, false});
      ApplyColumnAliases(ref, &out.scope, 0);
      return out;
    }
    case ast::TableRefKind::kFunction: return BindTableFunction(ref);
    case ast::TableRefKind::kJoin: return BindJoin(ref);
  }
  return out;
}

FromResult SelectBinder::BindViewRef(const catalog::TableInfo& view, const ast::TableRef& ref) {
  BoundQuery q = binder_.BindView(view);
  FromResult out;
  out.plan = q.plan;
  std::string alias = ref.alias.empty() ? view.name : ref.alias;
  for (size_t i = 0; i < q.columns.size(); ++i)
    out.scope.columns.push_back(
        {alias, q.columns[i].name, q.columns[i].type, view.id, static_cast<int16_t>(i + 1), false});
  ApplyColumnAliases(ref, &out.scope, 0);
  return out;
}

// A table function's name without the pg_catalog. that psql writes.
static std::string BareFunctionName(const ast::Expr& call) {
  const std::string& name = call.func_name;
  return name.rfind("pg_catalog.", 0) == 0 ? name.substr(11) : name;
}

FromResult SelectBinder::BindTableFunction(const ast::TableRef& ref) {
  const ast::Expr& call = *ref.function;
  if (call.kind == ast::ExprKind::kFuncCall && BareFunctionName(call) == "pg_options_to_table")
    return BindOptionsTable(ref);
  if (call.kind != ast::ExprKind::kFuncCall || !IsTableFunctionName(BareFunctionName(call)))
    throw SqlError::FeatureNotSupported("only generate_series, unnest and generate_subscripts are supported as table functions");
  FromResult out = BindSeries(call);
  std::string alias = ref.alias.empty() ? BareFunctionName(call) : ref.alias;
  out.scope.columns[0].table = alias;
  out.scope.columns[0].name = alias;
  out.scope.columns[0].hidden = false;
  ApplyColumnAliases(ref, &out.scope, 0);
  return out;
}

bool IsTableFunctionName(const std::string& name) {
  std::string bare = name.rfind("pg_catalog.", 0) == 0 ? name.substr(11) : name;
  return bare == "generate_series" || bare == "unnest" || bare == "generate_subscripts" ||
         bare == "pg_partition_ancestors";
}

// pg_partition_ancestors(regclass): the relation and the tables it is a
// partition of (psql's \d asks, for a table with foreign keys). Tessera has
// no partitioned tables, so it is the relation alone: unnest(ARRAY[rel]).
FromResult SelectBinder::BindPartitionAncestors(const ast::Expr& call) {
  Scope empty;
  if (call.args.size() != 1)
    throw SqlError::UndefinedFunction("pg_partition_ancestors(...)").WithPosition(call.location + 1);
  ExprRef rel = binder_.BindExpr(*call.args[0], empty, "functions in FROM");
  Type oid = Type::Of(TypeId::kOid);
  bool digits = rel->IsConstant() && !rel->value.IsNull() && IsStringType(rel->value.Id()) &&
                rel->value.GetString().find_first_not_of("0123456789") == std::string::npos;
  if (digits || !IsStringType(rel->type.id)) rel = binder_.Coerce(rel, oid, kCastExplicit);  // an OID ('16386')
  else rel = binder_.BindRegCast("regclass", rel, call.location);                         // a name
  ExprRef array = MakeNode(BoundExprKind::kArray, ArrayTypeFor(oid), {rel});
  FromResult out;
  out.plan = std::make_shared<LogicalTableFunction>("unnest", std::vector<ExprRef>{array}, oid);
  out.scope.columns.push_back({"", "pg_partition_ancestors", oid, 0, 0, true});
  return out;
}

// generate_series, unnest and generate_subscripts in FROM, over constants
// (the arguments are checked and cast as in a select list: MakeSetFunction).
FromResult SelectBinder::BindSeries(const ast::Expr& call) {
  const std::string name = BareFunctionName(call);
  if (name == "pg_partition_ancestors") return BindPartitionAncestors(call);
  Scope empty;
  std::vector<ExprRef> args;
  for (auto& a : call.args) args.push_back(binder_.BindExpr(*a, empty, "functions in FROM"));
  ExprRef function = MakeSetFunction(binder_, name, std::move(args), call.location);
  FromResult out;
  out.plan = std::make_shared<LogicalTableFunction>(name, function->args, function->type);
  // Hidden: the caller names it after its alias.
  out.scope.columns.push_back({"", name, function->type, 0, 0, true});
  return out;
}

FromResult SelectBinder::BindJoin(const ast::TableRef& ref) {
  // The nullable side of an outer join may not hold a recursive reference.
  bool left_nullable = ref.join_type == ast::JoinType::kRight || ref.join_type == ast::JoinType::kFull;
  bool right_nullable = ref.join_type == ast::JoinType::kLeft || ref.join_type == ast::JoinType::kFull;
  binder_.outer_join_nullable_ += left_nullable;
  FromResult left = BindTableRef(*ref.left);
  binder_.outer_join_nullable_ += static_cast<int>(right_nullable) - static_cast<int>(left_nullable);
  FromResult right = BindTableRef(*ref.right);
  binder_.outer_join_nullable_ -= right_nullable;
  FromResult out;
  int left_width = static_cast<int>(left.scope.columns.size());
  out.scope.columns = left.scope.columns;
  out.scope.columns.insert(out.scope.columns.end(), right.scope.columns.begin(), right.scope.columns.end());
  JoinKind kind = ToJoinKind(ref.join_type);
  std::vector<std::string> using_columns = ref.using_columns;
  if (ref.natural) {
    for (auto& l : left.scope.columns)
      for (auto& r : right.scope.columns)
        if (!l.hidden && !r.hidden && !l.system && !r.system && l.name == r.name) using_columns.push_back(l.name);
  }
  ExprRef condition;
  if (!using_columns.empty()) {
    std::vector<ExprRef> equalities;
    for (auto& name : using_columns) {
      int li = -1, ri = -1;
      for (int i = 0; i < left_width; ++i)
        if (left.scope.columns[i].name == name && !left.scope.columns[i].hidden) li = i;
      for (size_t i = 0; i < right.scope.columns.size(); ++i)
        if (right.scope.columns[i].name == name && !right.scope.columns[i].hidden) ri = static_cast<int>(i);
      if (li < 0 || ri < 0)
        throw SqlError(sqlstate::kUndefinedColumn, "column \"" + name + "\" specified in USING clause does not exist in " +
                                                       (li < 0 ? "left" : "right") + " table");
      auto& lc = left.scope.columns[li];
      auto& rc = right.scope.columns[ri];
      equalities.push_back(binder_.BindComparison("=", MakeColumnExpr(li, lc.type, lc.table + "." + lc.name),
                                                  MakeColumnExpr(left_width + ri, rc.type, rc.table + "." + rc.name),
                                                  ref.location));
      // The merged column: found unqualified on the left side only (right side for RIGHT JOIN).
      out.scope.columns[kind == JoinKind::kRight ? li : left_width + ri].hidden = true;
    }
    condition = MakeAndExpr(std::move(equalities));
  } else if (ref.join_condition) {
    condition = binder_.BindPredicate(*ref.join_condition, out.scope, "JOIN/ON");
  }
  if (kind == JoinKind::kInner && !condition) kind = JoinKind::kCross;
  out.plan = std::make_shared<LogicalJoin>(left.plan, right.plan, kind, condition);
  return out;
}

FromResult SelectBinder::BindFrom(const std::vector<ast::TableRefPtr>& from) {
  if (from.empty()) {
    FromResult out;
    out.plan = std::make_shared<LogicalValues>(std::vector<std::vector<ExprRef>>{{}}, std::vector<Type>{});
    return out;
  }
  FromResult acc = BindTableRef(*from[0]);
  for (size_t i = 1; i < from.size(); ++i) {
    FromResult next = BindTableRef(*from[i]);
    for (auto& c : next.scope.columns)
      if (!c.table.empty() && acc.scope.HasTable(c.table) && from[i]->kind != ast::TableRefKind::kJoin)
        throw SqlError("42712", "table name \"" + c.table + "\" specified more than once");
    acc.scope.columns.insert(acc.scope.columns.end(), next.scope.columns.begin(), next.scope.columns.end());
    acc.plan = std::make_shared<LogicalJoin>(acc.plan, next.plan, JoinKind::kCross, nullptr);
  }
  return acc;
}

}  // namespace tessera::planner
