#include "tests/runners/slt_parser.h"

#include <sstream>
#include <stdexcept>

namespace tessera::slt {
namespace {

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::string line;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    // Many corpus files use CRLF line ends.
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
  }
  return lines;
}

std::vector<std::string> Words(const std::string& line) {
  std::vector<std::string> words;
  std::istringstream in(line);
  std::string word;
  while (in >> word) {
    if (word[0] == '#') break;  // trailing comment, e.g. "skipif postgresql # why"
    words.push_back(word);
  }
  return words;
}

bool IsBlank(const std::string& line) { return line.find_first_not_of(" \t") == std::string::npos; }

bool IsSqlState(const std::string& word) {
  if (word.size() != 5) return false;
  for (char c : word) {
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z'))) return false;
  }
  return true;
}

bool IsConnectionName(const std::string& word) { return word.rfind("con", 0) == 0 && word.size() > 3; }

SortMode ParseSort(const std::string& word, bool* ok) {
  *ok = true;
  if (word == "nosort") return SortMode::kNoSort;
  if (word == "rowsort") return SortMode::kRowSort;
  if (word == "valuesort") return SortMode::kValueSort;
  *ok = false;
  return SortMode::kNoSort;
}

void ParseStatementHeader(const std::vector<std::string>& words, Record* record) {
  if (words.size() < 2 || (words[1] != "ok" && words[1] != "error")) {
    throw std::runtime_error("bad statement header at line " + std::to_string(record->line));
  }
  record->expect_error = words[1] == "error";
  for (size_t i = 2; i < words.size(); ++i) {
    if (record->expect_error && IsSqlState(words[i])) {
      record->expected_sqlstate = words[i];
    } else if (IsConnectionName(words[i])) {
      record->connection = words[i];
    }
  }
}

void ParseQueryHeader(const std::vector<std::string>& words, Record* record) {
  if (words.size() < 2) throw std::runtime_error("query without types at line " + std::to_string(record->line));
  record->types = words[1];
  for (size_t i = 2; i < words.size(); ++i) {
    bool is_sort = false;
    SortMode sort = ParseSort(words[i], &is_sort);
    if (is_sort) {
      record->sort = sort;
    } else if (IsConnectionName(words[i])) {
      record->connection = words[i];
    } else {
      record->label = words[i];
    }
  }
}

// Reads SQL lines up to a blank line or "----"; then, for "----", the expected lines.
size_t ReadBody(const std::vector<std::string>& lines, size_t i, Record* record) {
  std::string sql;
  while (i < lines.size() && !IsBlank(lines[i]) && lines[i] != "----") {
    if (!sql.empty()) sql += '\n';
    sql += lines[i++];
  }
  record->sql = sql;
  if (i < lines.size() && lines[i] == "----") {
    record->has_expected = true;
    ++i;
    while (i < lines.size() && !IsBlank(lines[i])) record->expected_lines.push_back(lines[i++]);
  }
  if (record->kind == RecordKind::kStatement && record->has_expected) {
    for (const auto& l : record->expected_lines) {
      if (!record->expected_error_text.empty()) record->expected_error_text += '\n';
      record->expected_error_text += l;
    }
  }
  return i;
}

}  // namespace

std::vector<Record> ParseScript(const std::string& text) {
  std::vector<std::string> lines = SplitLines(text);
  std::vector<Record> records;
  std::vector<std::string> conditions;
  size_t i = 0;
  while (i < lines.size()) {
    const std::string& line = lines[i];
    if (IsBlank(line) || line[0] == '#') {
      ++i;
      continue;
    }
    std::vector<std::string> words = Words(line);
    if (words.empty()) {
      ++i;
      continue;
    }
    Record record;
    record.line = static_cast<int>(i) + 1;
    const std::string& head = words[0];
    if (head == "skipif" || head == "onlyif") {
      if (words.size() >= 2) conditions.push_back(head + " " + words[1]);
      ++i;
      continue;
    }
    record.conditions = std::move(conditions);
    conditions.clear();
    if (head == "halt") {
      record.kind = RecordKind::kHalt;
      ++i;
    } else if (head == "hash-threshold") {
      record.kind = RecordKind::kHashThreshold;
      record.hash_threshold = words.size() > 1 ? std::stoi(words[1]) : 8;
      ++i;
    } else if (head == "statement") {
      record.kind = RecordKind::kStatement;
      ParseStatementHeader(words, &record);
      i = ReadBody(lines, i + 1, &record);
    } else if (head == "query") {
      record.kind = RecordKind::kQuery;
      ParseQueryHeader(words, &record);
      i = ReadBody(lines, i + 1, &record);
    } else {
      // Unknown directives (e.g. DuckDB's "require", "loop") are skipped with their body.
      while (i < lines.size() && !IsBlank(lines[i])) ++i;
      continue;
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace tessera::slt
