// Turns result cells into sqllogictest's text form, sorts and hashes them.
//
// Rendering follows SQLite's reference runner, as the corpus README describes:
// I columns print integers (booleans as 0/1), R columns print "%.3f", NULL is
// "NULL", an empty string "(empty)", and control characters become '@'.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tests/runners/slt_parser.h"

namespace tessera::slt {

// PostgreSQL's boolean type OID: its text form is t/f, which I columns print as 1/0.
inline constexpr unsigned kBoolOid = 16;

// One cell; value is empty for SQL NULL.
std::string RenderValue(std::optional<std::string> value, char type_letter, unsigned type_oid);

// Values row by row (ncols per row). Sorts as the mode requires: rows compared as
// text column by column, or every value on its own.
void SortValues(std::vector<std::string>* values, size_t ncols, SortMode mode);

// MD5 over every value followed by '\n', lowercase hex.
std::string HashValues(const std::vector<std::string>& values);

// Expected lines as values: a line is either one value (SQLite style) or one row
// with tab-separated values (DuckDB style); splitting on tabs covers both.
std::vector<std::string> ExpectedValues(const std::vector<std::string>& lines);

// Parses "N values hashing to <md5>"; false when the lines are not a hash line.
bool ParseHashLine(const std::vector<std::string>& lines, size_t* count, std::string* hash);

}  // namespace tessera::slt
