// Transactions, settings, EXPLAIN, VACUUM/ANALYZE, COPY, and the SQL forms of
// prepared statements (PREPARE, EXECUTE, DEALLOCATE).
#pragma once

#include "parser/ast/expr.h"
#include "parser/ast/select_stmt.h"
#include "parser/ast/statement.h"

namespace tessera::ast {

enum class TransactionKind : uint8_t { kBegin, kCommit, kRollback, kSetTransaction, kSavepoint, kRelease, kRollbackTo };

struct TransactionStmt : Statement {
  TransactionStmt() : Statement(StmtKind::kTransaction) {}
  TransactionKind txn_kind = TransactionKind::kBegin;
  std::string isolation;  // "read committed", "repeatable read", "serializable", ... empty: unset
  std::optional<bool> read_only;
  std::string savepoint;  // kSavepoint, kRelease, kRollbackTo: the name (identifier rules: lower-cased unless quoted)
};

struct SetStmt : Statement {
  SetStmt() : Statement(StmtKind::kSet) {}
  std::string name;                 // lower-cased; "transaction_isolation" for SET TRANSACTION ... is kTransaction
  std::vector<std::string> values;  // each value's text (identifiers lower-cased, strings unquoted, numbers as written)
  bool to_default = false;          // SET x TO DEFAULT
  bool local = false;               // SET LOCAL
};

struct ShowStmt : Statement {
  ShowStmt() : Statement(StmtKind::kShow) {}
  std::string name;  // lower-cased; "all" for SHOW ALL
};

struct ResetStmt : Statement {
  ResetStmt() : Statement(StmtKind::kReset) {}
  std::string name;  // lower-cased; "all" for RESET ALL
};

struct ExplainStmt : Statement {
  ExplainStmt() : Statement(StmtKind::kExplain) {}
  bool analyze = false;
  bool verbose = false;
  StatementPtr statement;
};

struct VacuumStmt : Statement {
  VacuumStmt() : Statement(StmtKind::kVacuum) {}
  bool analyze = false;                 // VACUUM ANALYZE or ANALYZE
  std::vector<QualifiedName> tables;
};

struct CopyStmt : Statement {
  CopyStmt() : Statement(StmtKind::kCopy) {}
  QualifiedName table;        // empty for COPY (query) TO
  std::string query;          // COPY (query) TO: the query's text, as written
  std::vector<std::string> columns;
  bool from = true;          // COPY ... FROM (false: TO)
  bool stdio = true;         // STDIN/STDOUT (false: a file name in `file`)
  std::string file;
  std::string format = "text";  // text | csv | binary
  std::string delimiter;        // empty: format default
  std::string null_string;      // empty with null_set false: format default
  bool null_set = false;
  bool header = false;
  std::vector<std::pair<std::string, std::string>> options;  // everything as written
};

// PREPARE name [(types)] AS statement. The statement is kept as text and
// prepared as the extended protocol's Parse would, into the same namespace.
struct PrepareStmt : Statement {
  PrepareStmt() : Statement(StmtKind::kPrepare) {}
  std::string name;
  std::vector<TypeName> param_types;
  std::string query;  // the statement's text, as written
};

// EXECUTE name [(args)]: the arguments, as a SELECT list without FROM, are
// evaluated once and bound as the statement's parameters.
struct ExecuteStmt : Statement {
  ExecuteStmt() : Statement(StmtKind::kExecute) {}
  std::string name;
  size_t arg_count = 0;
  std::unique_ptr<SelectStmt> args;  // SELECT arg, ...; null without arguments
};

struct DeallocateStmt : Statement {
  DeallocateStmt() : Statement(StmtKind::kDeallocate) {}
  std::string name;  // empty with `all`
  bool all = false;
};

struct EmptyStmt : Statement {
  EmptyStmt() : Statement(StmtKind::kEmpty) {}
};

}  // namespace tessera::ast
