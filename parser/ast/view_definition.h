// A view's query as PostgreSQL 15's pg_get_viewdef prints it (ruleutils.c
// with PRETTY_INDENT): " SELECT t.a,\n    t.b\n   FROM t\n  WHERE (t.a > 1);".
//
// It prints the stored query (catalog::TableInfo::view_sql, whose column
// references CREATE VIEW has already qualified and whose stars it has written
// out) for the shapes it knows: one SELECT over tables and joins with WHERE,
// GROUP BY, HAVING, ORDER BY, LIMIT and OFFSET, and expressions made of
// columns, numbers, booleans, operators, function calls and casts. Anything
// else (WITH, UNION, subqueries, VALUES, CASE, string literals, whose type
// PostgreSQL prints and the parse tree does not know) gives the stored text
// as written, between the same leading space and trailing semicolon.
#pragma once

#include <string>
#include <vector>

#include "parser/ast/select_stmt.h"

namespace tessera::ast {

// PostgreSQL's quote_ident, close enough: quoted unless a plain lower-case
// name that is not a reserved (or type_func_name) keyword.
std::string QuoteIdentifier(const std::string& name);

// `columns`: the view's column names (an entry's AS is printed when its
// name differs); `stored_text`: what to fall back on; `pretty`:
// pg_get_viewdef(oid, true), which leaves out the parentheses PostgreSQL
// deems redundant (PRETTY_PAREN).
std::string ViewDefinitionText(const SelectStmt& query, const std::vector<std::string>& columns,
                               const std::string& stored_text, bool pretty);

}  // namespace tessera::ast
