// COPY's data formats, text and CSV as PostgreSQL 15 reads and writes them
// (src/backend/commands/copyfromparse.c, copyto.c): the options, a parser
// that cuts the client's CopyData chunks into records of raw fields, and the
// writer of one output line. Values are converted elsewhere.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parser/parser.h"

namespace tessera::executor {

struct CopyOptions {
  bool csv = false;
  bool binary = false;
  char delimiter = '\t';
  std::string null_string = "\\N";
  bool header = false;
  char quote = '"';
  char escape = '"';
  std::vector<std::string> force_not_null;  // column names (CSV input)
  std::vector<std::string> force_quote;     // column names (CSV output); "*" for all
  bool force_quote_all = false;

  // Validates the statement's options with PostgreSQL's errors (42601, 0A000, 22023).
  static CopyOptions From(const ast::CopyStmt& stmt);
};

// One record: a field per column, nullopt for NULL.
using CopyRecord = std::vector<std::optional<std::string>>;

class CopyParser {
 public:
  // `force_not_null[i]`: an unquoted null string in field i is an empty string.
  CopyParser(const CopyOptions& options, std::vector<bool> force_not_null)
      : options_(options), force_not_null_(std::move(force_not_null)) {}

  void Append(std::string_view data) { buffer_.append(data); }
  // The next complete record, or false when more data is needed (or the
  // end marker `\.` was seen). With `at_end`, a last line without a newline
  // counts. Throws 22P04 for a bad escape or an unterminated CSV field.
  bool Next(CopyRecord* record, bool at_end);
  // Line number of the last record returned (1-based, as in CONTEXT).
  int64_t Line() const { return line_; }
  bool Ended() const { return ended_; }
  // The raw text of that record, valid until the next Append() or Next().
  std::string_view LastLine() const { return last_line_; }

 private:
  bool NextText(CopyRecord* record, bool at_end);
  bool NextCsv(CopyRecord* record, bool at_end);
  void Compact();

  const CopyOptions& options_;
  std::vector<bool> force_not_null_;
  std::string buffer_;
  size_t pos_ = 0;
  int64_t line_ = 0;
  bool ended_ = false;
  std::string_view last_line_;
};

// Appends one output line (with its newline) for `fields` (nullopt: NULL).
void AppendCopyLine(const CopyOptions& options, const std::vector<std::optional<std::string>>& fields,
                    const std::vector<bool>& force_quote, std::string* out);

}  // namespace tessera::executor
