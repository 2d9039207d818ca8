// INSERT, UPDATE, DELETE.
#pragma once

#include "parser/ast/select_stmt.h"

namespace tessera::ast {

struct InsertStmt : Statement {
  InsertStmt() : Statement(StmtKind::kInsert) {}
  QualifiedName table;
  std::string alias;
  std::vector<std::string> columns;       // empty: all columns in order
  std::unique_ptr<SelectStmt> source;     // VALUES rows (source->values) or a SELECT
  bool default_values = false;            // INSERT ... DEFAULT VALUES
  // ON CONFLICT DO NOTHING (other forms are rejected by the parser with 0A000)
  bool on_conflict_do_nothing = false;
  std::vector<SelectTarget> returning;
};

struct SetClause {
  std::string column;
  ExprPtr value;  // kDefault for SET x = DEFAULT
  int location = -1;
};

struct UpdateStmt : Statement {
  UpdateStmt() : Statement(StmtKind::kUpdate) {}
  QualifiedName table;
  std::string alias;
  std::vector<SetClause> set;
  std::vector<TableRefPtr> from;  // UPDATE ... FROM
  ExprPtr where;
  std::vector<SelectTarget> returning;
};

struct DeleteStmt : Statement {
  DeleteStmt() : Statement(StmtKind::kDelete) {}
  QualifiedName table;
  std::string alias;
  std::vector<TableRefPtr> using_tables;  // DELETE ... USING
  ExprPtr where;
  std::vector<SelectTarget> returning;
};

}  // namespace tessera::ast
