// The binder: resolves the names of a parsed statement against one catalog
// snapshot and types every expression with PostgreSQL's rules (implicit casts,
// unknown literals taking the other side's type, numeric promotion), then
// builds the logical plan. Errors carry PostgreSQL's SQLSTATEs and wording.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/catalog.h"
#include "parser/parser.h"
#include "planner/bound_expr.h"
#include "planner/fragment.h"
#include "planner/logical_operators.h"

namespace tessera::planner {

// One column visible to expressions: its position in the row is its index in Scope::columns.
struct ScopeColumn {
  std::string table;  // alias or table name; empty for unnamed subqueries
  std::string name;
  Type type;
  uint32_t table_oid = 0;
  int16_t attnum = 0;
  bool hidden = false;  // a USING column's duplicate: not found unqualified, not in *
};

struct Scope {
  std::vector<ScopeColumn> columns;
  bool HasTable(const std::string& name) const;
};

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

class Binder {
 public:
  // `param_types` holds the client's parameter types (kUnknown where not
  // given); the binder fills in the rest from context.
  // `subqueries` collects the plans of uncorrelated subqueries (slots of
  // kSubqueryValue/kInSubquery); nested binders share their parent's.
  Binder(const catalog::CatalogSnapshot& catalog, std::vector<Type>* param_types,
         std::vector<LogicalRef>* subqueries = nullptr)
      : catalog_(catalog), param_types_(param_types), subqueries_(subqueries ? subqueries : &own_subqueries_) {}
  Binder(const Binder&) = delete;
  // A binder for a nested query block, sharing parameters and subquery slots.
  Binder Nested() const { return Binder(catalog_, param_types_, subqueries_); }
  std::vector<LogicalRef>& Subqueries() { return *subqueries_; }

  BoundQuery BindSelect(const ast::SelectStmt& stmt);
  BoundQuery BindInsert(const ast::InsertStmt& stmt);
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
  // Leaves parameters still untyped as text, as the client sees them.
  void FinishParams();

  const catalog::TableInfo& LookupTable(const ast::QualifiedName& name) const;

 private:
  friend class SelectBinder;
  ExprRef BindColumnRef(const ast::Expr& e, const Scope& scope);
  ExprRef BindParam(const ast::Expr& e);
  ExprRef BindUnary(const ast::Expr& e, const Scope& scope);
  ExprRef BindBinary(const ast::Expr& e, const Scope& scope);
  ExprRef BindComparison(const std::string& op, ExprRef left, ExprRef right, int location);
  ExprRef BindArith(const std::string& op, ExprRef left, ExprRef right, int location);
  ExprRef BindFunction(const ast::Expr& e, const Scope& scope);
  ExprRef BindAggregate(const ast::Expr& e, const Scope& scope);
  ExprRef BindSpecialForm(const ast::Expr& e, const Scope& scope, bool* handled);
  ExprRef BindCase(const ast::Expr& e, const Scope& scope);
  ExprRef BindInList(const ast::Expr& e, const Scope& scope);
  ExprRef BindSubquery(const ast::Expr& e, const Scope& scope);
  std::vector<ExprRef> CoerceToCommon(std::vector<ExprRef> args, const char* context, Type* common);
  ExprRef Fold(ExprRef e, int location);

  const catalog::CatalogSnapshot& catalog_;
  std::vector<Type>* param_types_;
  std::vector<LogicalRef>* subqueries_;
  std::vector<LogicalRef> own_subqueries_;
  // Set while binding a select list, HAVING or ORDER BY of a grouped query.
  bool allow_aggregates_ = false;
  bool inside_aggregate_ = false;
  const char* aggregate_context_ = nullptr;  // "WHERE", "JOIN conditions", ... for 42803
};

// PostgreSQL's name for a select-list entry without an alias (FigureColname).
std::string FigureColumnName(const ast::Expr& e);
// PostgreSQL's internal short name of a type ("int4", "text", "bool").
std::string InternalTypeName(TypeId id);

}  // namespace tessera::planner
