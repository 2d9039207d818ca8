// INSERT, UPDATE, DELETE.
#pragma once

#include "parser/ast/select_stmt.h"

namespace tessera::ast {

struct SetClause {
  std::string column;
  ExprPtr value;  // kDefault for SET x = DEFAULT
  int location = -1;
};

struct InsertStmt : Statement {
  InsertStmt() : Statement(StmtKind::kInsert) {}
  WithClauseRef with;  // WITH ... in front of the statement; null: none
  QualifiedName table;
  std::string alias;
  std::vector<std::string> columns;       // empty: all columns in order
  std::unique_ptr<SelectStmt> source;     // VALUES rows (source->values) or a SELECT
  bool default_values = false;            // INSERT ... DEFAULT VALUES
  // ON CONFLICT [(columns) | ON CONSTRAINT name] DO NOTHING | DO UPDATE SET ... [WHERE ...]
  bool on_conflict_do_nothing = false;
  bool on_conflict_do_update = false;
  std::vector<std::string> conflict_columns;  // the inference specification, if given
  int conflict_columns_location = -1;  // its opening parenthesis
  std::string conflict_constraint;            // ON CONSTRAINT name, if given
  int conflict_location = -1;
  std::vector<SetClause> conflict_set;
  ExprPtr conflict_where;
  std::vector<SelectTarget> returning;
};

struct UpdateStmt : Statement {
  UpdateStmt() : Statement(StmtKind::kUpdate) {}
  WithClauseRef with;  // WITH ... in front of the statement; null: none
  QualifiedName table;
  std::string alias;
  std::vector<SetClause> set;
  std::vector<TableRefPtr> from;  // UPDATE ... FROM
  ExprPtr where;
  std::vector<SelectTarget> returning;
};

struct DeleteStmt : Statement {
  DeleteStmt() : Statement(StmtKind::kDelete) {}
  WithClauseRef with;  // WITH ... in front of the statement; null: none
  QualifiedName table;
  std::string alias;
  std::vector<TableRefPtr> using_tables;  // DELETE ... USING
  ExprPtr where;
  std::vector<SelectTarget> returning;
};

}  // namespace tessera::ast
