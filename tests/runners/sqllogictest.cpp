// sqllogictest: runs sqllogictest files against a PostgreSQL-protocol server.
//
//   sqllogictest [-h HOST] [-p PORT] [-d DB] [-U USER] [--timeout S]
//                [--engine NAME] [--summary] [--report] [--quiet] FILE_OR_DIR...
// --engine names the system under test for skipif/onlyif (default
// postgresql, whose behaviour Tessera matches; the cluster run uses
// tessera-cluster where its EXPLAIN output differs).
//
// --timeout limits each statement (default 30 s); after two timeouts in a file
// its remaining records count as failed without being run.
//
// Directories are searched recursively for *.test files, run in name order.
// Every file starts with fresh connections and drops the tables it created.
// The exit code is 1 when a record failed, unless --report (then it is 0, for
// pass-rate reports over third-party corpora).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "tests/runners/slt_runner.h"

namespace fs = std::filesystem;
using tessera::slt::FileResult;
using tessera::slt::FileRunner;
using tessera::slt::RunnerOptions;

namespace {

struct CommandLine {
  std::string host = "127.0.0.1";
  std::string port = "5433";
  std::string dbname = "tessera";
  std::string user = "tessera";
  bool summary = false;
  bool report = false;
  bool quiet = false;
  int timeout_seconds = 30;
  std::string engine = "postgresql";  // the name skipif/onlyif records match
  std::vector<std::string> inputs;
};

[[noreturn]] void Usage() {
  std::cerr << "usage: sqllogictest [-h HOST] [-p PORT] [-d DB] [-U USER] [--timeout SECONDS]\n"
               "                    [--engine NAME] [--summary] [--report] [--quiet] FILE_OR_DIR...\n";
  std::exit(2);
}

CommandLine ParseArgs(int argc, char** argv) {
  CommandLine cl;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Usage();
      return argv[++i];
    };
    if (arg == "-h" || arg == "--host")
      cl.host = next();
    else if (arg == "-p" || arg == "--port")
      cl.port = next();
    else if (arg == "-d" || arg == "--dbname")
      cl.dbname = next();
    else if (arg == "-U" || arg == "--user")
      cl.user = next();
    else if (arg == "--timeout")
      cl.timeout_seconds = std::stoi(next());
    else if (arg == "--engine")
      cl.engine = next();
    else if (arg == "--summary")
      cl.summary = true;
    else if (arg == "--report")
      cl.report = true;
    else if (arg == "--quiet")
      cl.quiet = true;
    else if (arg == "--help")
      Usage();
    else if (!arg.empty() && arg[0] == '-')
      Usage();
    else
      cl.inputs.push_back(arg);
  }
  if (cl.inputs.empty()) Usage();
  return cl;
}

std::vector<std::string> CollectFiles(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  for (const auto& input : inputs) {
    if (!fs::is_directory(input)) {
      files.push_back(input);
      continue;
    }
    std::vector<std::string> found;
    for (const auto& entry : fs::recursive_directory_iterator(input)) {
      if (entry.is_regular_file() && entry.path().extension() == ".test") found.push_back(entry.path().string());
    }
    std::sort(found.begin(), found.end());
    files.insert(files.end(), found.begin(), found.end());
  }
  return files;
}

std::string Percent(int passed, int run) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", run == 0 ? 100.0 : 100.0 * passed / run);
  return buf;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine cl = ParseArgs(argc, argv);
  RunnerOptions options;
  options.conninfo = "host=" + cl.host + " port=" + cl.port + " dbname=" + cl.dbname + " user=" + cl.user;
  options.timeout_seconds = cl.timeout_seconds;
  options.engine = cl.engine;
  options.max_failures_shown = cl.quiet ? 0 : 10;

  FileResult total;
  int files_failed = 0;
  std::vector<std::string> files = CollectFiles(cl.inputs);
  for (const auto& file : files) {
    if (!fs::is_regular_file(file)) {
      std::cerr << file << ": no such file\n";
      ++total.failed;
      ++files_failed;
      continue;
    }
    FileRunner runner(options, std::cout);
    FileResult r = runner.Run(file);
    total.run += r.run;
    total.passed += r.passed;
    total.failed += r.failed;
    total.skipped += r.skipped;
    if (r.failed > 0) ++files_failed;
    if (cl.summary) {
      std::cout << (r.failed == 0 ? "ok     " : "FAILED ") << file << ": " << r.passed << "/" << r.run
                << " records passed (" << Percent(r.passed, r.run) << "), " << r.skipped << " skipped\n";
    }
    std::cout.flush();
  }
  std::cout << "sqllogictest total: " << total.passed << "/" << total.run << " records passed ("
            << Percent(total.passed, total.run) << "), " << total.failed << " failed, " << total.skipped
            << " skipped; files: " << files.size() - files_failed << "/" << files.size() << " passed\n";
  if (cl.report) return 0;
  return total.failed == 0 && !files.empty() ? 0 : 1;
}
