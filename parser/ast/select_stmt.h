// SELECT and the FROM clause.
#pragma once

#include <optional>

#include "parser/ast/expr.h"
#include "parser/ast/statement.h"
#include "parser/ast/window_spec.h"

namespace tessera::ast {

struct TableRef;
using TableRefPtr = std::unique_ptr<TableRef>;

enum class JoinType : uint8_t { kInner, kLeft, kRight, kFull, kCross };

enum class TableRefKind : uint8_t { kTable, kJoin, kSubquery, kFunction };

struct TableRef {
  TableRefKind kind = TableRefKind::kTable;
  int location = -1;
  std::string alias;                      // empty when none
  std::vector<std::string> column_aliases; // AS t(a, b)

  // kTable
  QualifiedName table;
  // kJoin
  JoinType join_type = JoinType::kInner;
  TableRefPtr left;
  TableRefPtr right;
  ExprPtr join_condition;                  // ON ...
  std::vector<std::string> using_columns;  // USING (...)
  bool natural = false;
  // kSubquery
  std::unique_ptr<SelectStmt> subquery;
  // kFunction: generate_series(1, 10) in FROM
  ExprPtr function;
};

struct SelectTarget {
  ExprPtr expr;
  std::string alias;  // empty when none
};

struct OrderItem {
  ExprPtr expr;
  bool descending = false;
  std::optional<bool> nulls_first;  // unset: PostgreSQL's default (NULLS LAST for ASC)
};

enum class SetOpKind : uint8_t { kNone, kUnion, kIntersect, kExcept };

struct SelectStmt;

// AS MATERIALIZED / AS NOT MATERIALIZED / neither.
enum class CteMaterialize : uint8_t { kDefault, kAlways, kNever };

// One WITH entry: name [(columns)] AS [[NOT] MATERIALIZED] (query).
struct CommonTableExpr {
  std::string name;
  int location = -1;
  std::vector<std::string> column_names;  // empty: the query's own names
  CteMaterialize materialize = CteMaterialize::kDefault;
  std::shared_ptr<const SelectStmt> query;
};

// WITH [RECURSIVE] ...: immutable once built, so copies of a statement share it.
struct WithClause {
  bool recursive = false;
  int location = -1;
  std::vector<CommonTableExpr> ctes;
};
using WithClauseRef = std::shared_ptr<const WithClause>;

// FOR UPDATE | NO KEY UPDATE | SHARE | KEY SHARE [OF name, ...] [NOWAIT | SKIP LOCKED].
enum class LockStrength : uint8_t { kUpdate, kNoKeyUpdate, kShare, kKeyShare };
enum class LockWaitPolicy : uint8_t { kBlock, kNoWait, kSkipLocked };

struct LockingClause {
  LockStrength strength = LockStrength::kUpdate;
  LockWaitPolicy wait = LockWaitPolicy::kBlock;
  std::vector<QualifiedName> of;  // empty: every table of the FROM clause
  int location = -1;
};

// "FOR UPDATE", "FOR NO KEY UPDATE", ...: how PostgreSQL names a clause in its messages.
const char* LockingClauseName(LockStrength strength);

// SELECT ... INTO [TEMP] [TABLE] name: CREATE TABLE name AS the query.
struct IntoClause {
  QualifiedName table;
  bool temporary = false;
  int location = -1;
};

struct SelectStmt : Statement {
  SelectStmt() : Statement(StmtKind::kSelect) {}

  WithClauseRef with;                      // null: no WITH
  bool distinct = false;
  std::vector<ExprPtr> distinct_on;        // DISTINCT ON (...)
  std::vector<SelectTarget> targets;
  std::vector<TableRefPtr> from;           // comma-separated items (implicit cross join)
  ExprPtr where;
  std::vector<ExprPtr> group_by;
  ExprPtr having;
  std::vector<WindowDef> windows;          // WINDOW name AS (...), ...
  std::vector<OrderItem> order_by;
  ExprPtr limit;                           // null: no limit (LIMIT ALL too)
  ExprPtr offset;
  std::vector<LockingClause> locking;      // FOR UPDATE ..., in order
  // INTO name: the parser makes a statement whose own SELECT has it a
  // CreateTableStmt; anywhere else the binder refuses it (42601).
  std::shared_ptr<const IntoClause> into;

  // VALUES (...), (...) as a query: rows here, targets empty.
  std::vector<std::vector<ExprPtr>> values;

  // Set operations: this node is `left op right`; its own fields other than
  // order_by/limit/offset are unused.
  SetOpKind set_op = SetOpKind::kNone;
  bool set_all = false;
  std::unique_ptr<SelectStmt> set_left;
  std::unique_ptr<SelectStmt> set_right;
};

// Deep copies (parser/ast/clone_select.cpp); CloneExpr uses them for subqueries.
TableRefPtr CloneTableRef(const TableRef& ref);
std::unique_ptr<SelectStmt> CloneSelect(const SelectStmt& select);

}  // namespace tessera::ast
