#include "tests/runners/slt_runner.h"

#include <cctype>
#include <fstream>
#include <regex>
#include <sstream>

#include "tests/runners/slt_values.h"

namespace tessera::slt {
namespace {

std::string Join(const std::vector<std::string>& values, size_t limit) {
  std::string out;
  for (size_t i = 0; i < values.size() && i < limit; ++i) out += "    " + values[i] + "\n";
  if (values.size() > limit) out += "    ... (" + std::to_string(values.size()) + " values)\n";
  return out;
}

// The SQLSTATE classes that mean the connection, not the statement, failed.
bool IsConnectionFailure(const QueryOutcome& outcome) { return outcome.sqlstate.rfind("08", 0) == 0; }

}  // namespace

FileRunner::FileRunner(const RunnerOptions& options, std::ostream& log) : options_(options), log_(log) {}

bool FileRunner::Applies(const Record& record) const {
  for (const auto& condition : record.conditions) {
    std::string engine = condition.substr(7);
    bool onlyif = condition.rfind("onlyif", 0) == 0;
    if (onlyif && engine != options_.engine) return false;
    if (!onlyif && engine == options_.engine) return false;
  }
  return true;
}

PgSession& FileRunner::Session(const std::string& name) {
  auto& slot = sessions_[name];
  if (!slot) slot = std::make_unique<PgSession>(options_.conninfo, options_.timeout_seconds);
  return *slot;
}

bool FileRunner::RunStatement(const Record& record, std::string* why) {
  QueryOutcome outcome = Session(record.connection).Run(record.sql);
  if (outcome.timed_out) ++timeouts_;
  if (!record.expect_error) {
    if (!outcome.ok) *why = "expected success, got ERROR " + outcome.sqlstate + ": " + outcome.message;
    return outcome.ok;
  }
  if (outcome.ok) {
    *why = "expected an error" + (record.expected_sqlstate.empty() ? "" : " " + record.expected_sqlstate) +
           ", statement succeeded";
    return false;
  }
  if (IsConnectionFailure(outcome) && record.expected_sqlstate.rfind("08", 0) != 0) {
    *why = "connection failure instead of the expected error: " + outcome.message;
    return false;
  }
  if (!record.expected_sqlstate.empty() && outcome.sqlstate != record.expected_sqlstate) {
    *why = "expected SQLSTATE " + record.expected_sqlstate + ", got " + outcome.sqlstate + ": " + outcome.message;
    return false;
  }
  if (!record.expected_error_text.empty() && outcome.message.find(record.expected_error_text) == std::string::npos) {
    *why = "error message \"" + outcome.message + "\" lacks \"" + record.expected_error_text + "\"";
    return false;
  }
  return true;
}

bool FileRunner::RunQuery(const Record& record, std::string* why) {
  QueryOutcome outcome = Session(record.connection).Run(record.sql);
  if (outcome.timed_out) ++timeouts_;
  if (!outcome.ok) {
    *why = "query failed: ERROR " + outcome.sqlstate + ": " + outcome.message;
    return false;
  }
  size_t ncols = outcome.column_types.size();
  if (ncols != record.types.size()) {
    *why = "expected " + std::to_string(record.types.size()) + " columns, got " + std::to_string(ncols);
    return false;
  }
  std::vector<std::string> actual;
  for (const auto& row : outcome.rows) {
    for (size_t c = 0; c < ncols; ++c) actual.push_back(RenderValue(row[c], record.types[c], outcome.column_types[c]));
  }
  SortValues(&actual, ncols, record.sort);
  std::string actual_hash = HashValues(actual);

  if (!record.label.empty()) {
    auto [it, inserted] = label_hashes_.emplace(record.label, actual_hash);
    if (!inserted && it->second != actual_hash) {
      *why = "result differs from an earlier query labelled " + record.label;
      return false;
    }
  }
  size_t expected_count = 0;
  std::string expected_hash;
  if (ParseHashLine(record.expected_lines, &expected_count, &expected_hash)) {
    if (expected_count != actual.size() || expected_hash != actual_hash) {
      *why = "expected " + std::to_string(expected_count) + " values hashing to " + expected_hash + ", got " +
             std::to_string(actual.size()) + " values hashing to " + actual_hash + "\n" + Join(actual, 20);
      return false;
    }
    return true;
  }
  std::vector<std::string> expected = ExpectedValues(record.expected_lines);
  // Expected rows are sorted the same way, so files may list them in any order.
  SortValues(&expected, ncols, record.sort);
  if (expected != actual) {
    *why = "expected:\n" + Join(expected, 40) + "got:\n" + Join(actual, 40);
    return false;
  }
  return true;
}

void FileRunner::NoteCreated(const std::string& sql) {
  static const std::regex kCreate(
      R"(^\s*create\s+(?:temp\s+|temporary\s+)?(table|view)\s+(?:if\s+not\s+exists\s+)?([a-z_][a-z0-9_]*))",
      std::regex::icase);
  std::smatch m;
  if (!std::regex_search(sql, m, kCreate)) return;
  std::string kind = m[1].str();
  for (auto& c : kind) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  created_.push_back(kind + " " + m[2].str());
}

void FileRunner::DropCreated() {
  // Views first (they depend on tables), newest first; errors are ignored.
  for (const char* kind : {"VIEW ", "TABLE "}) {
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) {
      if (it->rfind(kind, 0) != 0) continue;
      std::string name = it->substr(std::string(kind).size());
      Session("").Run(std::string("DROP ") + kind + "IF EXISTS " + name);
    }
  }
  created_.clear();
}

void FileRunner::ReportFailure(const std::string& path, const Record& record, const std::string& why) {
  if (failures_shown_++ >= options_.max_failures_shown) return;
  log_ << path << ":" << record.line << ": FAILED\n  " << record.sql << "\n  " << why << "\n";
}

FileResult FileRunner::Run(const std::string& path) {
  FileResult result;
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<Record> records;
  try {
    records = ParseScript(text.str());
  } catch (const std::exception& e) {
    log_ << path << ": cannot parse: " << e.what() << "\n";
    result.parse_error = true;
    result.failed = 1;
    return result;
  }
  bool halted = false;
  for (const Record& record : records) {
    bool executable = record.kind == RecordKind::kStatement || record.kind == RecordKind::kQuery;
    if (halted || !Applies(record)) {
      if (executable) ++result.skipped;
      continue;
    }
    if (record.kind == RecordKind::kHalt) {
      halted = true;
      continue;
    }
    if (record.kind == RecordKind::kHashThreshold) {
      hash_threshold_ = record.hash_threshold;  // results are compared either way
      continue;
    }
    std::string why;
    bool ok = false;
    if (timeouts_ >= options_.max_timeouts) {
      why = "not run: " + std::to_string(timeouts_) + " statements of this file timed out";
    } else {
      ok = record.kind == RecordKind::kStatement ? RunStatement(record, &why) : RunQuery(record, &why);
    }
    ++result.run;
    if (record.kind == RecordKind::kStatement) NoteCreated(record.sql);
    if (ok) {
      ++result.passed;
    } else {
      ++result.failed;
      ReportFailure(path, record, why);
    }
  }
  if (timeouts_ < options_.max_timeouts) DropCreated();
  return result;
}

}  // namespace tessera::slt
