// The binder: resolves the names of a parsed statement against one catalog
// snapshot and types every expression with PostgreSQL's rules (implicit casts,
// unknown literals taking the other side's type, numeric promotion), then
// builds the logical plan. Errors carry PostgreSQL's SQLSTATEs and wording.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "parser/parser.h"
#include "planner/bound_expr.h"
#include "planner/bound_window.h"
#include "planner/fragment.h"
#include "planner/logical_cte.h"
#include "planner/logical_operators.h"
#include "planner/logical_project_set.h"
#include "planner/logical_window.h"

namespace tessera::planner {

// One column visible to expressions: its position in the row is its index in Scope::columns.
struct ScopeColumn {
  std::string table;  // alias or table name; empty for unnamed subqueries
  std::string name;
  Type type;
  uint32_t table_oid = 0;
  int16_t attnum = 0;
  bool hidden = false;  // a USING column's duplicate: not found unqualified, not in *
  // A system column (a system relation's tableoid): found by name, never
  // part of * or of a NATURAL join, as in PostgreSQL.
  bool system = false;
  // Declared name (a system relation's column): Tessera keeps names as
  // text, and a subscript reads one of its bytes as PostgreSQL's does.
  bool name_type = false;
};

struct Scope {
  std::vector<ScopeColumn> columns;
  bool HasTable(const std::string& name) const;
};

// The position in `scope` of `column` (of `table`, when not empty), -1
// when absent; 42702 when two columns match.
int FindScopeColumn(const Scope& scope, const std::string& table, const std::string& column, int location);

struct OutputColumn {
  std::string name;
  uint32_t table_oid = 0;
  int16_t column_number = 0;
  Type type;
};

struct BoundQuery {
  LogicalRef plan;
  std::vector<OutputColumn> columns;
};

TableLayout MakeTableLayout(const catalog::TableInfo& table);

// A WITH query visible to the query being bound (bind_cte.cpp).
struct CteBinding {
  // Where binding its body has got to: a reference is an ordinary CTE scan
  // once the body is bound; while a WITH RECURSIVE body is being bound, a
  // reference is an error or (in the recursive term) the work table.
  enum class Phase : uint8_t { kBound, kNotUnion, kNonRecursiveTerm, kRecursiveTerm };
  std::shared_ptr<CteInfo> info;
  std::vector<OutputColumn> columns;  // the CTE's column names and types
  LogicalRef body;                    // set in kBound
  Phase phase = Phase::kBound;
  int location = -1;         // of its name in the statement
  int recursive_level = -1;  // kRecursiveTerm: the query level of the recursive term
  int self_references = 0;   // kRecursiveTerm: work-table scans bound so far
};

// The CTEs of one WITH clause and the WITH clauses around it.
struct CteScope {
  const CteScope* parent = nullptr;
  std::vector<std::shared_ptr<CteBinding>> ctes;
  // The CTE named `name`, innermost first; null when none.
  CteBinding* Find(const std::string& name) const;
};

// What binding a query at CREATE VIEW notes (planner/bind_view.cpp): the
// relations its FROM items name, the columns (table oid, attnum) it reads,
// and the edits that make its stored text mean the same whatever columns
// its tables gain later: each unqualified column reference qualified with
// its FROM item's name, each `*` of a select list written out.
struct ViewRecorder {
  enum class EditKind : uint8_t { kColumn, kStar };
  struct Edit {
    EditKind kind;
    std::string text;
    std::string name;  // kColumn: the name written there
  };
  std::set<uint32_t> relations;
  std::set<std::pair<uint32_t, int16_t>> columns;
  std::map<int, Edit> edits;  // by location (character offset in the statement)
};

// A privilege the statement needs on a relation (PostgreSQL's RTE
// requiredPerms): checked once binding is done (check_privileges.cpp),
// against `check_as` (a view's owner for the relations its query reads) or,
// when 0, the statement's current role.
struct RequiredPrivilege {
  uint32_t relation = 0;
  uint32_t mask = 0;  // catalog::privilege bits
  uint32_t check_as = 0;
};

// 42501 unless every privilege is held ("permission denied for table t",
// "... for schema s" when the relation's schema is not usable).
void CheckPrivileges(const catalog::CatalogSnapshot& catalog, const std::vector<RequiredPrivilege>& required,
                     uint32_t current_role);

// A subquery in an expression, by slot: uncorrelated ones run once before
// the statement (PostgreSQL's InitPlans), correlated ones for each row
// that evaluates them (SubPlans, kSubPlan). `cacheable`: it calls nothing
// volatile, so one result per distinct outer values will do.
struct SubqueryPlan {
  LogicalRef plan;
  bool correlated = false;
  bool cacheable = true;
};

// The subqueries of one statement, shared by all its binders.
struct SubqueryList {
  std::vector<SubqueryPlan> plans;
  int volatile_calls = 0;  // volatile calls bound so far (nextval, random, ...)
};

// The query levels around a subquery in an expression, innermost first: a
// name the subquery's own FROM items do not have is looked up in `scope`
// (the enclosing query's), then further out. Each outer column the
// subquery reads becomes one of its `outer_values` (an expression over
// `scope`: the column, or an outer reference of the enclosing query when
// the column is further out) and, inside it, a kOuterRef to that value.
struct OuterFrame {
  const Scope* scope = nullptr;
  std::vector<ExprRef>* outer_values = nullptr;
  const OuterFrame* parent = nullptr;
  // Whether the enclosing query allows an aggregate where the subquery is
  // (an aggregate of its columns only is computed there), and if not, why.
  bool aggregates_allowed = false;
  bool inside_aggregate = false;
  const char* aggregate_context = nullptr;
};

// The views being expanded, innermost first (a view naming itself is 42P17).
struct ViewFrame {
  const ViewFrame* parent = nullptr;
  uint32_t id = 0;
};

class Binder {
 public:
  // `param_types` holds the client's parameter types (kUnknown where not
  // given); the binder fills in the rest from context.
  // `subqueries` collects the plans of subqueries in expressions (slots of
  // kSubqueryValue/kInSubquery/kSubPlan); nested binders share their parent's.
  Binder(const catalog::CatalogSnapshot& catalog, std::vector<Type>* param_types, SubqueryList* subqueries = nullptr)
      : catalog_(catalog), param_types_(param_types), subqueries_(subqueries ? subqueries : &own_subqueries_) {}
  Binder(const Binder&) = delete;
  Binder(Binder&&) = default;
  // The session's role: current_user and session_user bind to it as a
  // constant (empty: the bootstrap superuser).
  void SetUser(std::string user) { user_ = std::move(user); }
  void SetSessionUser(std::string user) { session_user_ = std::move(user); }
  // Collect the privileges the statement needs into `out` (PlanQuery checks them).
  void CollectPrivileges(std::vector<RequiredPrivilege>* out) { privileges_ = out; }
  // A binder for a nested query block, sharing parameters and subquery slots.
  // A binder for a nested query block, sharing parameters and subquery slots
  // and seeing the same WITH queries: a set operation's side (same level).
  Binder Nested() const {
    Binder b(catalog_, param_types_, subqueries_);
    b.user_ = user_;
    b.session_user_ = session_user_;
    b.privileges_ = privileges_;
    b.check_as_ = check_as_;
    b.ctes_ = ctes_;
    b.recorder_ = recorder_;
    b.view_frames_ = view_frames_;
    b.outer_ = outer_;
    b.query_level_ = query_level_;
    b.outer_join_nullable_ = outer_join_nullable_;
    b.statement_root_ = false;
    return b;
  }
  // A subquery's binder (in FROM, in an expression, a CTE's body): one level down.
  Binder Subquery() const {
    Binder b = Nested();
    b.query_level_ = query_level_ + 1;
    b.outer_join_nullable_ = 0;
    return b;
  }
  std::vector<SubqueryPlan>& Subqueries() { return subqueries_->plans; }

  BoundQuery BindSelect(const ast::SelectStmt& stmt);
  BoundQuery BindInsert(const ast::InsertStmt& stmt);
  // ON CONFLICT: the arbiter key and DO UPDATE's SET and WHERE (bind_dml.cpp).
  void BindOnConflict(const ast::InsertStmt& stmt, const catalog::TableInfo& table, Fragment* fragment);
  BoundQuery BindUpdate(const ast::UpdateStmt& stmt);
  BoundQuery BindDelete(const ast::DeleteStmt& stmt);

  // Binds an expression over `scope`. With `allow_aggregates`, aggregate
  // calls become kAggregate markers whose arguments are bound over `scope`.
  ExprRef BindExpr(const ast::Expr& e, const Scope& scope, const char* context = nullptr);
  // Casts `e` to `target`: folds constants, types parameters, else a cast node.
  ExprRef Coerce(ExprRef e, Type target, uint8_t cast_kind);
  // WHERE/HAVING/ON: must be boolean (42804).
  ExprRef BindPredicate(const ast::Expr& e, const Scope& scope, const char* clause);
  // AND/OR/NOT/WHERE operands: boolean or implicitly castable to it, else 42804.
  ExprRef CoerceToBool(ExprRef e, const std::string& construct, int location);
  // Assignment to a table column (INSERT values, UPDATE SET): 42804 when impossible.
  ExprRef AssignTo(ExprRef e, const catalog::ColumnInfo& column);
  // The default of a column as a bound expression (NULL constant when none).
  ExprRef BindDefault(const catalog::ColumnInfo& column);
  // A CHECK constraint's expression over the columns of `table` (column i
  // is input column i): boolean, no subqueries or aggregates (bind_check.cpp).
  ExprRef BindCheck(const catalog::TableInfo& table, const std::string& sql);
  // Leaves parameters still untyped as text, as the client sees them.
  void FinishParams();

  const catalog::TableInfo& LookupTable(const ast::QualifiedName& name) const;
  // CREATE VIEW: note what the query reads into `recorder` while binding.
  void RecordInto(ViewRecorder* recorder) { recorder_ = recorder; }
  // A view's query bound as a FROM item's subquery, its columns named as the
  // view's (bind_view.cpp).
  BoundQuery BindView(const catalog::TableInfo& view);

 private:
  friend class SelectBinder;
  // Restores the visible WITH queries when a statement's binding ends.
  struct ScopedWith {
    explicit ScopedWith(Binder* b) : binder(b), saved(b->ctes_) {}
    ~ScopedWith() { binder->ctes_ = saved; }
    Binder* binder;
    const CteScope* saved;
  };
  ExprRef BindColumnRef(const ast::Expr& e, const Scope& scope);
  ExprRef BindParam(const ast::Expr& e);
  ExprRef BindUnary(const ast::Expr& e, const Scope& scope);
  ExprRef BindBinary(const ast::Expr& e, const Scope& scope);
  ExprRef BindComparison(const std::string& op, ExprRef left, ExprRef right, int location);
  ExprRef BindArith(const std::string& op, ExprRef left, ExprRef right, int location);
  ExprRef BindFunction(const ast::Expr& e, const Scope& scope);
  ExprRef BindAggregate(const ast::Expr& e, const Scope& scope);
  // An aggregate call's kAggregate node, whatever the context (the caller checks it).
  ExprRef BindAggregateCall(const ast::Expr& e, const Scope& scope);
  // f(...) OVER ... (bind_window.cpp): a kWindow call with its window's
  // expressions bound over `scope`; the window itself (bind_window_spec.cpp).
  ExprRef BindWindowFunction(const ast::Expr& e, const Scope& scope);
  void BindWindowArgs(const ast::Expr& e, const Scope& scope, BoundExpr* call, BoundWindow* window);
  void BindWindowSpec(const ast::WindowSpec& spec, const Scope& scope, BoundExpr* call, BoundWindow* window);
  BoundFrame BindFrame(const ast::WindowFrame* frame, size_t order_keys, int spec_location, const Scope& scope);
  ExprRef BindFrameOffset(const ast::FrameBound& bound, const char* unit, const Scope& scope);
  ExprRef BindSpecialForm(const ast::Expr& e, const Scope& scope, bool* handled);
  // generate_series, unnest, generate_subscripts in an expression
  // (bind_set_function.cpp): a kSetFunction where a select list or ORDER BY
  // allows one, else PostgreSQL's 0A000 for the context.
  ExprRef BindSetFunction(const ast::Expr& e, const Scope& scope);
  // BindExpr with set-returning functions allowed (an INSERT's one-row VALUES).
  ExprRef BindAllowingSetFunctions(const ast::Expr& e, const Scope& scope, const char* context);
  // 0A000 "set-returning functions are not allowed in CASE" (COALESCE) when
  // one of `args` holds a set-returning function, as PostgreSQL checks.
  static void RefuseSetFunctionIn(const char* construct, const std::vector<ExprRef>& args);
  ExprRef BindSequenceFunction(const ast::Expr& e, const Scope& scope);
  ExprRef BindCase(const ast::Expr& e, const Scope& scope);
  ExprRef BindInList(const ast::Expr& e, const Scope& scope);
  ExprRef BindSubquery(const ast::Expr& e, const Scope& scope);
  // A name not in the query's own scope, looked up in the levels around it
  // (bind_outer_ref.cpp): a kOuterRef, or null when no level has it.
  ExprRef BindOuterRef(const ast::Expr& e);
  // An aggregate whose arguments read only enclosing queries' columns: it
  // belongs to the nearest of them, as in PostgreSQL, and the subquery reads
  // its value as an outer value (bind_subquery.cpp). `outer_sizes`: how
  // many outer values each level around had before its arguments were
  // bound (OuterSizes), innermost first.
  ExprRef AggregateOfOuterQuery(const ExprRef& agg, const std::vector<size_t>& outer_sizes, int location);
  std::vector<size_t> OuterSizes() const;
  // bind_array.cpp
  ExprRef BindArrayConstructor(const ast::Expr& e, const Scope& scope, Type target = {});
  ExprRef BindSubscript(const ast::Expr& e, const Scope& scope);
  ExprRef BindNameSubscript(ExprRef name, const ast::Expr& e, const Scope& scope);
  ExprRef NamespaceConstant(ExprRef arg, int location);  // bind_catalog_cast.cpp
  void RecordAggregateOrder(const ast::Expr& e, const ExprRef& agg, const Scope& scope);
  ExprRef BindAnyAll(const ast::Expr& e, const Scope& scope);
  ExprRef BindArrayOperator(const std::string& op, ExprRef left, ExprRef right, int location);
  std::vector<ExprRef> CoerceToCommon(std::vector<ExprRef> args, const char* context, Type* common);
  ExprRef Fold(ExprRef e, int location);
  // ::regclass, ::regtype, ... (bind_catalog_cast.cpp).
  ExprRef BindRegCast(const std::string& type_name, ExprRef arg, int location);
  // ~, !~, ~*, !~* (bind_regex.cpp).
  ExprRef BindRegexMatch(const std::string& op, ExprRef left, ExprRef right, int location);

  // WITH [RECURSIVE] (bind_cte.cpp): binds the clause's queries into `scope`
  // and makes them visible (ctes_ = scope; the caller restores it).
  void BindWith(const ast::WithClause& with, CteScope* scope);
  void BindCteBody(const ast::CommonTableExpr& cte, bool recursive_with, CteBinding* binding);
  void BindRecursiveCte(const ast::CommonTableExpr& cte, CteBinding* binding);
  // A FROM item naming a visible CTE: its scan, or the work table in a recursive term.
  LogicalRef BindCteReference(CteBinding& cte, const std::string& alias, int location);
  bool InsideRecursiveTerm() const;

  // Notes a resolved column reference for CREATE VIEW (bind_view.cpp).
  void RecordColumnRef(const ast::Expr& e, const ScopeColumn& column);
  void RecordStar(const ast::Expr& e, const Scope& scope, const std::vector<size_t>& expanded);

  // Notes that the statement needs `mask` on `table` (nothing when not collecting).
  void Require(const catalog::TableInfo& table, uint32_t mask) const;

  const catalog::CatalogSnapshot& catalog_;
  std::string user_;
  std::string session_user_;
  std::vector<RequiredPrivilege>* privileges_ = nullptr;
  uint32_t check_as_ = 0;  // a view's owner while binding its query; 0: the current role
  std::vector<Type>* param_types_;
  const CteScope* ctes_ = nullptr;
  ViewRecorder* recorder_ = nullptr;
  const ViewFrame* view_frames_ = nullptr;
  int query_level_ = 0;          // subqueries below the statement's query
  bool statement_root_ = true;   // the statement's own query block (FOR UPDATE is allowed there only)
  int outer_join_nullable_ = 0;  // > 0: binding the nullable side of an outer join
  int work_table_refs_ = 0;      // recursive references bound by this binder (FROM items)
  SubqueryList* subqueries_;
  SubqueryList own_subqueries_;
  // The query levels around this one when it is a subquery in an
  // expression (or inside one); null at the statement's level.
  const OuterFrame* outer_ = nullptr;
  // Set while binding a select list, HAVING or ORDER BY of a grouped query.
  bool allow_aggregates_ = false;
  bool inside_aggregate_ = false;
  // agg(x ORDER BY k): each such aggregate and its sort keys, for the
  // query that plans it (SelectBinder::SortForAggregates; bind_aggregate_order.cpp).
  struct AggregateOrder {
    ExprRef aggregate;
    std::vector<SortKey> keys;
  };
  std::vector<AggregateOrder> aggregate_orders_;
  const char* aggregate_context_ = nullptr;  // "WHERE", "JOIN conditions", ... for 42803
  // Window functions: allowed while binding a select list or ORDER BY; the
  // WINDOW clause of the query block being bound (null: none).
  bool allow_windows_ = false;
  bool inside_window_args_ = false;
  bool inside_window_def_ = false;
  const std::vector<ast::WindowDef>* windows_ = nullptr;
  // Set-returning functions: allowed while binding a select list, ORDER BY,
  // GROUP BY or an INSERT's one-row VALUES (they become LogicalProjectSet
  // nodes, bind_project_set.cpp).
  bool allow_set_functions_ = false;
};

// INSERT, UPDATE or DELETE naming a view: PostgreSQL's error for a view it
// cannot update (55000, with its reason), else 0A000 (automatically
// updatable views are not supported yet). Always throws.
enum class ViewWrite : uint8_t { kInsert, kUpdate, kDelete };
[[noreturn]] void RefuseViewWrite(const catalog::TableInfo& view, ViewWrite write);

// The query text of CREATE VIEW (starting at character `query_start` of the
// statement) with `recorder`'s edits applied: the text stored for the view.
std::string ApplyViewEdits(const std::string& query_text, int query_start, const ViewRecorder& recorder);

// count, sum, avg, min, max (bind_function.cpp); row_number, rank, lag, ...
// (bind_window.cpp): the functions that exist only with OVER.
bool IsAggregateName(const std::string& name);
bool IsTableFunctionName(const std::string& name);  // generate_series, unnest, generate_subscripts
// A set-returning function's call over bound arguments: a kSetFunction with
// the arguments cast as the function takes them and its rows' type; 42883
// when no form of `name` takes them (bind_set_function.cpp).
ExprRef MakeSetFunction(Binder& binder, const std::string& name, std::vector<ExprRef> args, int location);
// Set-returning functions in `outputs` (bind_project_set.cpp): the
// ProjectSet nodes over `plan` running them, innermost calls first, which
// `outputs` then read as columns.
LogicalRef PlanSetFunctions(LogicalRef plan, std::vector<ExprRef>* outputs);
// The one-row VALUES of an INSERT whose expressions hold set-returning
// calls: a row per step of the calls, as PostgreSQL runs
// `INSERT INTO t VALUES (generate_series(1, 3))`.
LogicalRef PlanValuesRow(std::vector<ExprRef> row);
bool IsWindowFunctionName(const std::string& name);
// "f(integer, text)": a call's signature for 42883.
std::string FunctionSignature(const std::string& name, const std::vector<ExprRef>& args);

// PostgreSQL's name for a select-list entry without an alias (FigureColname).
std::string FigureColumnName(const ast::Expr& e);
// regclass, pg_catalog.regtype, ...: the OID alias types (bind_catalog_cast.cpp).
bool IsRegTypeName(const std::string& name);
// PostgreSQL's internal short name of a type ("int4", "text", "bool").
std::string InternalTypeName(TypeId id);

}  // namespace tessera::planner
