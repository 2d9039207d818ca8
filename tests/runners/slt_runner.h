// Runs one sqllogictest file against a server and counts its records.
#pragma once

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "tests/runners/pg_session.h"
#include "tests/runners/slt_parser.h"

namespace tessera::slt {

struct RunnerOptions {
  std::string conninfo;               // libpq connection string
  int timeout_seconds = 30;           // per statement
  std::string engine = "postgresql";  // our name for skipif/onlyif
  int max_failures_shown = 10;        // per file; 0 shows none
  int max_timeouts = 2;               // per file; after that its remaining records fail unrun
};

struct FileResult {
  int run = 0;  // statement and query records executed
  int passed = 0;
  int failed = 0;
  int skipped = 0;  // skipped by skipif/onlyif or after halt
  bool parse_error = false;
};

class FileRunner {
 public:
  FileRunner(const RunnerOptions& options, std::ostream& log);
  FileResult Run(const std::string& path);

 private:
  bool Applies(const Record& record) const;
  PgSession& Session(const std::string& name);
  bool RunStatement(const Record& record, std::string* why);
  bool RunQuery(const Record& record, std::string* why);
  void ReportFailure(const std::string& path, const Record& record, const std::string& why);
  void NoteCreated(const std::string& sql);
  void DropCreated();

  const RunnerOptions& options_;
  std::ostream& log_;
  std::map<std::string, std::unique_ptr<PgSession>> sessions_;
  std::map<std::string, std::string> label_hashes_;
  // Tables and views the file created ("TABLE t"), dropped at its end because
  // corpus files reuse names and the server may not offer CREATE DATABASE.
  std::vector<std::string> created_;
  int hash_threshold_ = 8;
  int failures_shown_ = 0;
  int timeouts_ = 0;  // a hung server must not turn one file into hours of waiting
};

}  // namespace tessera::slt
