// Entry point of parser/: SQL text in, the project's own AST out. ANTLR types
// never leave this folder.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "parser/ast/ddl_stmts.h"
#include "parser/ast/dml_stmts.h"
#include "parser/ast/select_stmt.h"
#include "parser/ast/utility_stmts.h"

namespace tessera {

// Parses one or more ';'-separated statements. An empty or comment-only
// string yields one EmptyStmt. Throws SqlError 42601 with a 1-based
// position (PostgreSQL's: "syntax error at or near \"x\"", or "at end of input").
std::vector<ast::StatementPtr> ParseSql(std::string_view sql);

// Parses a lone expression (column defaults stored in the catalog as text).
ast::ExprPtr ParseExpression(std::string_view sql);

}  // namespace tessera
