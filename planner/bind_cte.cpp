// WITH [RECURSIVE]: binds each common table expression once, in an order
// where every CTE comes after those it reads (PostgreSQL's order for WITH
// RECURSIVE; a plain WITH sees only the entries before it), and resolves
// FROM items naming a CTE to a scan of it (planner/logical_cte.h). A
// self-referencing CTE of WITH RECURSIVE must be `non-recursive term UNION
// [ALL] recursive term` and its self-reference must appear exactly once in
// the recursive term, outside subqueries and the nullable side of outer
// joins, with PostgreSQL's errors (42P19) otherwise.
#include "common/error.h"
#include "common/stack_depth.h"
#include "common/value_ops.h"
#include "planner/binder.h"
#include "planner/expr_evaluator.h"

namespace tessera::planner {

namespace {

constexpr const char* kInvalidRecursion = "42P19";

bool MentionsInSelect(const ast::SelectStmt& s, const std::string& name);

bool MentionsInExpr(const ast::Expr* e, const std::string& name) {
  if (e == nullptr) return false;
  CheckStackDepth();
  if (e->subquery && MentionsInSelect(*e->subquery, name)) return true;
  for (auto& a : e->args)
    if (MentionsInExpr(a.get(), name)) return true;
  return MentionsInExpr(e->case_else.get(), name);
}

bool MentionsInTableRef(const ast::TableRef& ref, const std::string& name) {
  CheckStackDepth();
  switch (ref.kind) {
    case ast::TableRefKind::kTable: return ref.table.schema.empty() && ref.table.name == name;
    case ast::TableRefKind::kJoin:
      return MentionsInTableRef(*ref.left, name) || MentionsInTableRef(*ref.right, name) ||
             MentionsInExpr(ref.join_condition.get(), name);
    case ast::TableRefKind::kSubquery: return MentionsInSelect(*ref.subquery, name);
    case ast::TableRefKind::kFunction: return MentionsInExpr(ref.function.get(), name);
  }
  return false;
}

// Whether `s` names `name` as a FROM item anywhere inside (subqueries and
// nested WITH bodies included), as PostgreSQL decides which CTEs of a WITH
// RECURSIVE depend on which.
bool MentionsInSelect(const ast::SelectStmt& s, const std::string& name) {
  CheckStackDepth();
  if (s.with)
    for (auto& cte : s.with->ctes)
      if (MentionsInSelect(*cte.query, name)) return true;
  if (s.set_left && MentionsInSelect(*s.set_left, name)) return true;
  if (s.set_right && MentionsInSelect(*s.set_right, name)) return true;
  for (auto& ref : s.from)
    if (MentionsInTableRef(*ref, name)) return true;
  for (auto& t : s.targets)
    if (MentionsInExpr(t.expr.get(), name)) return true;
  if (MentionsInExpr(s.where.get(), name) || MentionsInExpr(s.having.get(), name)) return true;
  for (auto& g : s.group_by)
    if (MentionsInExpr(g.get(), name)) return true;
  for (auto& o : s.order_by)
    if (MentionsInExpr(o.expr.get(), name)) return true;
  for (auto& row : s.values)
    for (auto& v : row)
      if (MentionsInExpr(v.get(), name)) return true;
  return false;
}

// The CTE's column names: its column list over the query's own names.
void NameColumns(const ast::CommonTableExpr& cte, std::vector<OutputColumn>* columns) {
  if (cte.column_names.size() > columns->size())
    throw SqlError(sqlstate::kInvalidColumnReference,
                   "WITH query \"" + cte.name + "\" has " + std::to_string(columns->size()) +
                       " columns available but " + std::to_string(cte.column_names.size()) + " columns specified",
                   {}, {}, cte.location + 1);
  for (size_t i = 0; i < cte.column_names.size(); ++i) (*columns)[i].name = cte.column_names[i];
  // A CTE's columns are its own, not the base table's (as for a subquery in FROM).
  for (auto& c : *columns) {
    c.table_oid = 0;
    c.column_number = 0;
  }
}

std::string RecursionError(const std::string& name, const char* where) {
  return "recursive reference to query \"" + name + "\" must not appear " + where;
}

}  // namespace

CteBinding* CteScope::Find(const std::string& name) const {
  for (const CteScope* s = this; s != nullptr; s = s->parent)
    for (auto& cte : s->ctes)
      if (cte->info->name == name) return cte.get();
  return nullptr;
}

void Binder::BindWith(const ast::WithClause& with, CteScope* scope) {
  scope->parent = ctes_;
  ctes_ = scope;
  const auto& ctes = with.ctes;
  for (size_t i = 0; i < ctes.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (ctes[i].name == ctes[j].name)
        throw SqlError("42712", "WITH query name \"" + ctes[i].name + "\" specified more than once",
                       {}, {}, ctes[i].location + 1);
  // Plain WITH: in order, each seeing those before it. WITH RECURSIVE: each
  // after the siblings it mentions, all visible to all.
  std::vector<bool> bound(ctes.size(), false);
  for (size_t done = 0; done < ctes.size(); ++done) {
    size_t next = done;
    if (with.recursive) {
      next = ctes.size();
      for (size_t i = 0; i < ctes.size() && next == ctes.size(); ++i) {
        if (bound[i]) continue;
        bool ready = true;
        for (size_t j = 0; j < ctes.size() && ready; ++j)
          ready = j == i || bound[j] || !MentionsInSelect(*ctes[i].query, ctes[j].name);
        if (ready) next = i;
      }
      if (next == ctes.size()) {
        size_t first = 0;
        while (bound[first]) ++first;
        throw SqlError(sqlstate::kFeatureNotSupported, "mutual recursion between WITH items is not implemented", {},
                       {}, ctes[first].location + 1);
      }
    }
    bound[next] = true;
    const ast::CommonTableExpr& cte = ctes[next];
    auto binding = std::make_shared<CteBinding>();
    binding->info = std::make_shared<CteInfo>();
    binding->info->name = cte.name;
    binding->location = cte.location;
    binding->info->materialized = cte.materialize == ast::CteMaterialize::kAlways;
    if (with.recursive && MentionsInSelect(*cte.query, cte.name)) {
      scope->ctes.push_back(binding);
      BindRecursiveCte(cte, binding.get());
    } else {
      BindCteBody(cte, false, binding.get());
      scope->ctes.push_back(binding);
    }
  }
}

void Binder::BindCteBody(const ast::CommonTableExpr& cte, bool /*recursive_with*/, CteBinding* binding) {
  BoundQuery q = Subquery().BindSelect(*cte.query);
  binding->columns = std::move(q.columns);
  NameColumns(cte, &binding->columns);
  binding->body = q.plan;
  binding->phase = CteBinding::Phase::kBound;
}

void Binder::BindRecursiveCte(const ast::CommonTableExpr& cte, CteBinding* binding) {
  const ast::SelectStmt& body = *cte.query;
  if (body.set_op != ast::SetOpKind::kUnion) {
    // Only an error if the reference really resolves to this CTE.
    binding->phase = CteBinding::Phase::kNotUnion;
    BindCteBody(cte, true, binding);
    return;
  }
  if (!body.order_by.empty())
    throw SqlError(sqlstate::kFeatureNotSupported, "ORDER BY in a recursive query is not implemented", {}, {},
                   body.order_by[0].expr->location + 1);
  if (body.offset)
    throw SqlError(sqlstate::kFeatureNotSupported, "OFFSET in a recursive query is not implemented", {}, {},
                   body.offset->location + 1);
  if (body.limit)
    throw SqlError(sqlstate::kFeatureNotSupported, "LIMIT in a recursive query is not implemented", {}, {},
                   body.limit->location + 1);
  Binder sub = Subquery();
  binding->phase = CteBinding::Phase::kNonRecursiveTerm;
  BoundQuery left = sub.Nested().BindSelect(*body.set_left);
  binding->columns = left.columns;
  NameColumns(cte, &binding->columns);
  binding->phase = CteBinding::Phase::kRecursiveTerm;
  binding->recursive_level = sub.query_level_;
  BoundQuery right = sub.Nested().BindSelect(*body.set_right);
  if (right.columns.size() != left.columns.size())
    throw SqlError(sqlstate::kSyntaxError, "each UNION query must have the same number of columns");
  // The CTE's types are the non-recursive term's; the UNION's own column
  // types must come out the same.
  std::vector<Type> types;
  std::vector<ExprRef> casts;
  bool needs_cast = false;
  for (size_t i = 0; i < left.columns.size(); ++i) {
    Type ltype = left.columns[i].type;
    Type rtype = right.columns[i].type;
    Type common = CommonType({ltype, rtype}, "UNION");
    if (common.id == TypeId::kUnknown) common = Type::Of(TypeId::kText);
    if (!(common == ltype)) {
      int position = body.set_left->start + 1;
      throw SqlError(sqlstate::kDatatypeMismatch,
                     "recursive query \"" + cte.name + "\" column " + std::to_string(i + 1) + " has type " +
                         FormatType(ltype) + " in non-recursive term but type " + FormatType(common) + " overall",
                     {}, "Cast the output of the non-recursive term to the correct type.", position);
    }
    types.push_back(ltype);
    needs_cast = needs_cast || !(rtype == ltype);
    casts.push_back(Coerce(MakeColumnExpr(static_cast<int>(i), rtype), ltype, kCastImplicit));
  }
  LogicalRef recursive = needs_cast ? std::make_shared<LogicalProjection>(right.plan, casts) : right.plan;
  if (binding->self_references == 0) {
    // The name was mentioned but resolved elsewhere (an inner WITH): a plain UNION.
    binding->body = std::make_shared<LogicalSetOp>(left.plan, recursive, SetOpType::kUnion, body.set_all, types);
  } else {
    binding->info->recursive = true;
    binding->body = std::make_shared<LogicalRecursiveUnion>(left.plan, recursive, body.set_all, binding->info);
  }
  binding->phase = CteBinding::Phase::kBound;
}

bool Binder::InsideRecursiveTerm() const {
  for (const CteScope* s = ctes_; s != nullptr; s = s->parent)
    for (auto& cte : s->ctes)
      if (cte->phase == CteBinding::Phase::kRecursiveTerm) return true;
  return false;
}

LogicalRef Binder::BindCteReference(CteBinding& cte, const std::string& alias, int location) {
  const std::string& name = cte.info->name;
  switch (cte.phase) {
    case CteBinding::Phase::kBound:
      // A scan in a recursive term is built again every round, so it must
      // not be the only reader that consumes the CTE's rows: count it twice.
      cte.info->references += InsideRecursiveTerm() ? 2 : 1;
      return std::make_shared<LogicalCteScan>(cte.body, cte.info, alias);
    case CteBinding::Phase::kNotUnion:
      throw SqlError(kInvalidRecursion,
                     "recursive query \"" + name + "\" does not have the form non-recursive-term UNION [ALL] recursive-term",
                     {}, {}, cte.location + 1);
    case CteBinding::Phase::kNonRecursiveTerm:
      throw SqlError(kInvalidRecursion, RecursionError(name, "within its non-recursive term"), {}, {}, location + 1);
    case CteBinding::Phase::kRecursiveTerm: break;
  }
  if (query_level_ != cte.recursive_level)
    throw SqlError(kInvalidRecursion, RecursionError(name, "within a subquery"), {}, {}, location + 1);
  if (outer_join_nullable_ > 0)
    throw SqlError(kInvalidRecursion, RecursionError(name, "within an outer join"), {}, {}, location + 1);
  if (++cte.self_references > 1)
    throw SqlError(kInvalidRecursion, RecursionError(name, "more than once"), {}, {}, location + 1);
  ++work_table_refs_;
  std::vector<Type> types;
  for (auto& c : cte.columns) types.push_back(c.type);
  return std::make_shared<LogicalWorkTableScan>(std::move(types), cte.info, alias);
}

}  // namespace tessera::planner
