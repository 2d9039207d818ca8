// Entry point of parser/: SQL text in, the project's own AST out. ANTLR types
// never leave this folder.
//
// How it works. grammar/TesseraLexer.g4 and TesseraParser.g4 are a
// PostgreSQL-15 dialect; the antlr4 tool turns them into C++ at build time.
// Keywords come in PostgreSQL's four classes (reserved, type_func_name,
// col_name, unreserved), so `key`, `value` or `name` stay usable as column
// names. The expression grammar is two left-recursive rules (boolean levels
// and arithmetic levels) in PostgreSQL's precedence order. Parsing is ANTLR's
// two-stage strategy: SLL prediction with a bail-out error strategy first,
// which almost always succeeds, then full LL only to report an error or for
// statements SLL cannot decide (ParserLlFallbackCount counts those).
// build_*.cpp then walk the parse tree into parser/ast/ structs; identifiers
// are folded to lower case there, unless quoted.
//
// Errors carry PostgreSQL's SQLSTATE, wording and 1-based character position
// (42601 "syntax error at or near ...", "unterminated quoted string ...").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/memory_account.h"
#include "parser/ast/cursor_stmts.h"
#include "parser/ast/ddl_stmts.h"
#include "parser/ast/grant_stmts.h"
#include "parser/ast/lock_stmt.h"
#include "parser/ast/dml_stmts.h"
#include "parser/ast/select_stmt.h"
#include "parser/ast/utility_stmts.h"

namespace tessera {

// What one token costs at the peak of a parse: the ANTLR token and its slot
// in the token buffer, its share of the parse tree's rule contexts and
// terminal nodes, and of the AST. Measured (peak resident size over the
// input's own) at 650 to 1,025 bytes on 10^5-term OR and + chains, IN
// lists, multi-row VALUES and select lists of calls: the shapes that make
// statements huge.
inline constexpr int64_t kParseBytesPerToken = 1024;

// Parses one or more ';'-separated statements. An empty or comment-only
// string yields one EmptyStmt. Throws SqlError 42601 with a 1-based
// position (PostgreSQL's: "syntax error at or near \"x\"", or "at end of input").
// `memory`, if given, is charged kParseBytesPerToken for every token while
// the statement is parsed (53200 past its limit); nesting deeper than 500
// parentheses is 54001.
std::vector<ast::StatementPtr> ParseSql(std::string_view sql, MemoryAccount* memory = nullptr);

// Parses a lone expression (column defaults stored in the catalog as text).
ast::ExprPtr ParseExpression(std::string_view sql);

// How many parses so far needed ANTLR's slow full-LL second stage (a syntax
// error, or a statement SLL prediction cannot decide). Hot statements must
// not: tests check it, and it is worth a metric.
uint64_t ParserLlFallbackCount();

}  // namespace tessera
