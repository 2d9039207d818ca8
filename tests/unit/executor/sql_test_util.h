// Test helpers: an embedded database in a temp directory and a ResultSink
// that collects everything a statement sends.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "common/error.h"
#include "executor/database.h"

namespace tessera::testing {

class CollectingSink : public ResultSink {
 public:
  void Columns(const std::vector<ColumnDesc>& columns) override { columns_ = columns; }
  void Row(const tessera::Row& row) override {
    std::vector<std::string> text;
    for (auto& v : row) text.push_back(v.IsNull() ? "NULL" : v.ToText());
    rows_.push_back(text);
  }
  void Complete(const std::string& tag) override { tags_.push_back(tag); }
  void EmptyQuery() override { tags_.push_back("EMPTY"); }
  void Notice(const std::string& severity, const std::string& sqlstate, const std::string& message) override {
    notices_.push_back(severity + " " + sqlstate + " " + message);
  }
  std::vector<ColumnDesc> columns_;
  std::vector<std::vector<std::string>> rows_;
  std::vector<std::string> tags_;
  std::vector<std::string> notices_;
};

class SqlTest : public ::testing::Test {
 protected:
  void SetUp() override { Open(false); }
  void Open(bool encode) {
    session_.reset();
    db_.reset();
    if (dir_.empty()) {
      dir_ = std::filesystem::temp_directory_path() /
             ("tessera_exec_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
      std::filesystem::remove_all(dir_);
    }
    DatabaseOptions options;
    options.data_dir = dir_.string();
    options.sync_commits = false;
    options.encode_fragments = encode;
    db_ = OpenEmbeddedDatabase(options);
    session_ = db_->NewSession();
    session_->Start({{"user", "tessera"}, {"database", "tessera"}});
  }
  void TearDown() override {
    session_.reset();
    db_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Runs SQL and returns its rows as text, "|"-joined per row.
  std::vector<std::string> Query(const std::string& sql) {
    CollectingSink sink;
    session_->ExecuteSimple(sql, sink);
    last_ = sink;
    std::vector<std::string> out;
    for (auto& r : sink.rows_) {
      std::string line;
      for (size_t i = 0; i < r.size(); ++i) line += (i ? "|" : "") + r[i];
      out.push_back(line);
    }
    return out;
  }
  std::string Tag(const std::string& sql) {
    Query(sql);
    return last_.tags_.empty() ? "" : last_.tags_.back();
  }
  // The SQLSTATE the statement fails with ("" when it succeeds).
  std::string ErrorCode(const std::string& sql) {
    try {
      Query(sql);
    } catch (const SqlError& e) {
      last_error_ = e.Message();
      return e.Sqlstate();
    }
    return "";
  }

  std::filesystem::path dir_;
  std::unique_ptr<SessionFactory> db_;
  std::unique_ptr<Session> session_;
  CollectingSink last_;
  std::string last_error_;
  static inline int counter_ = 0;
};

using Rows = std::vector<std::string>;

}  // namespace tessera::testing
