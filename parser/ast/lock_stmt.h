// LOCK [TABLE] [ONLY] name [*] [, ...] [IN lockmode MODE] [NOWAIT]
// (executor/session_lock.cpp says which modes Tessera can hold).
#pragma once

#include <string>
#include <vector>

#include "parser/ast/statement.h"

namespace tessera::ast {

struct LockStmt : Statement {
  LockStmt() : Statement(StmtKind::kLock) {}
  std::vector<QualifiedName> tables;
  std::string mode = "ACCESS EXCLUSIVE";  // upper case, as written; PostgreSQL's default
  bool nowait = false;
};

}  // namespace tessera::ast
