// Reads sqllogictest files into records.
//
// The format (see ../../../shared/corpus/sqllogictest/README.md) is a list of
// records separated by blank lines. Besides SQLite's original records we accept
// DuckDB-style headers (`# name:` comments), a SQLSTATE after `statement error`
// (our addition: the code is what we check) and connection suffixes
// (`statement ok con1`) for isolation tests.
#pragma once

#include <string>
#include <vector>

namespace tessera::slt {

enum class RecordKind { kStatement, kQuery, kHashThreshold, kHalt };
enum class SortMode { kNoSort, kRowSort, kValueSort };

struct Record {
  RecordKind kind = RecordKind::kStatement;
  int line = 0;                         // 1-based line of the record's first line
  std::vector<std::string> conditions;  // "skipif x" / "onlyif x", comments removed
  std::string connection;               // empty = default connection
  std::string sql;

  // statement
  bool expect_error = false;
  std::string expected_sqlstate;    // empty = any error
  std::string expected_error_text;  // text after ---- in a statement error (substring)

  // query
  std::string types;  // one letter per column: I, R, T
  SortMode sort = SortMode::kNoSort;
  std::string label;
  bool has_expected = false;  // a ---- line was present
  std::vector<std::string> expected_lines;

  int hash_threshold = 0;  // kHashThreshold
};

// Parses a whole file's text. Throws std::runtime_error on a malformed header.
std::vector<Record> ParseScript(const std::string& text);

}  // namespace tessera::slt
