// A scripted Session for the wire tests, so the protocol can be tested
// without the SQL engine. Its "SQL" is a few commands:
//   rows N      N rows of (n int4, s text), tag "SELECT N"
//   fail        syntax error 42601 at position 1
//   notice      a NOTICE, tag "DO"
//   set V       reports application_name = V as changed, tag "SET"
//   begin/commit  moves the transaction status, tags BEGIN/COMMIT
//   crash       throws std::runtime_error (a bug, not an SqlError)
//   sleep       waits until Cancel(), then 57014
//   echo $1 $2  (extended only) one row echoing the parameters
// Statements are separated by ';'; empty text is an empty query.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "common/error.h"
#include "executor/session.h"

namespace tessera::wire::testing {

struct FakeStats {
  std::atomic<int> sessions{0};
  std::atomic<int> terminated{0};
  std::atomic<int> on_error{0};
  std::atomic<int> syncs{0};
  std::atomic<int> cancels{0};
};

inline std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\n");
  return s.substr(b, e - b + 1);
}

inline std::vector<ColumnDesc> RowsColumns() {
  return {ColumnDesc{"n", 0, 0, Type::Of(TypeId::kInt4)}, ColumnDesc{"s", 0, 0, Type::Of(TypeId::kText)}};
}

class FakeStatement final : public PreparedStatement {
 public:
  FakeStatement(std::string sql, std::vector<Type> params, std::vector<ColumnDesc> columns)
      : sql_(std::move(sql)), params_(std::move(params)), columns_(std::move(columns)) {}
  const std::vector<Type>& ParamTypes() const override { return params_; }
  const std::vector<ColumnDesc>& ResultColumns() const override { return columns_; }
  const std::string& Sql() const override { return sql_; }

 private:
  std::string sql_;
  std::vector<Type> params_;
  std::vector<ColumnDesc> columns_;
};

class FakePortal final : public Portal {
 public:
  FakePortal(std::vector<ColumnDesc> columns, std::vector<Row> rows, std::string tag)
      : columns_(std::move(columns)), rows_(std::move(rows)), tag_(std::move(tag)) {}
  const std::vector<ColumnDesc>& ResultColumns() const override { return columns_; }
  bool Execute(size_t max_rows, ResultSink& sink) override {
    size_t sent = 0;
    while (next_ < rows_.size()) {
      if (max_rows > 0 && sent == max_rows) return false;
      sink.Row(rows_[next_++]);
      ++sent;
    }
    sink.Complete(tag_);
    return true;
  }

 private:
  std::vector<ColumnDesc> columns_;
  std::vector<Row> rows_;
  std::string tag_;
  size_t next_ = 0;
};

class FakeSession final : public Session {
 public:
  explicit FakeSession(FakeStats& stats) : stats_(stats) { ++stats_.sessions; }

  void Start(const std::map<std::string, std::string>& startup) override {
    auto db = startup.find("database");
    if (db != startup.end() && db->second == "nodb") {
      throw SqlError("3D000", "database \"nodb\" does not exist");
    }
  }
  std::vector<std::pair<std::string, std::string>> ReportedParameters() const override {
    return {{"server_version", "15.0 (Tessera test)"}, {"TimeZone", "UTC"}};
  }
  std::vector<std::pair<std::string, std::string>> TakeChangedParameters() override {
    auto out = std::move(changed_);
    changed_.clear();
    return out;
  }
  const TextFormat& Format() const override { return format_; }

  void ExecuteSimple(const std::string& sql, ResultSink& sink) override {
    std::stringstream all(sql);
    std::string part;
    bool any = false;
    while (std::getline(all, part, ';')) {
      part = Trim(part);
      if (part.empty()) continue;
      any = true;
      RunOne(part, sink);
    }
    if (!any) sink.EmptyQuery();
  }

  std::shared_ptr<PreparedStatement> Prepare(const std::string& sql, const std::vector<Type>& param_types) override {
    std::string cmd = Trim(sql);
    if (cmd == "fail") throw SqlError::Syntax("fail", 1);
    if (cmd.starts_with("echo")) {
      std::vector<Type> types = param_types;
      size_t n = std::count(cmd.begin(), cmd.end(), '$');
      types.resize(n, Type::Of(TypeId::kUnknown));
      std::vector<ColumnDesc> columns;
      for (auto& t : types) {
        if (t.id == TypeId::kUnknown) t = Type::Of(TypeId::kInt4);  // "inferred"
        columns.push_back(ColumnDesc{"p" + std::to_string(columns.size() + 1), 0, 0, t});
      }
      return std::make_shared<FakeStatement>(cmd, types, columns);
    }
    if (cmd.starts_with("rows")) return std::make_shared<FakeStatement>(cmd, param_types, RowsColumns());
    return std::make_shared<FakeStatement>(cmd, param_types, std::vector<ColumnDesc>{});
  }

  std::unique_ptr<Portal> Bind(std::shared_ptr<PreparedStatement> statement, std::vector<Value> params) override {
    auto& st = static_cast<FakeStatement&>(*statement);
    if (st.Sql().starts_with("echo")) return std::make_unique<FakePortal>(st.ResultColumns(), std::vector<Row>{params}, "SELECT 1");
    if (st.Sql().starts_with("rows")) {
      int n = std::stoi(st.Sql().substr(5));
      return std::make_unique<FakePortal>(RowsColumns(), MakeRows(n), "SELECT " + std::to_string(n));
    }
    if (st.Sql() == "sleep") WaitForCancel();
    return std::make_unique<FakePortal>(std::vector<ColumnDesc>{}, std::vector<Row>{}, "DO");
  }
  void Sync() override { ++stats_.syncs; }
  void OnError() override { ++stats_.on_error; }
  TxnStatus Status() const override { return status_; }
  void Cancel() override {
    ++stats_.cancels;
    std::lock_guard lock(mutex_);
    cancelled_ = true;
    cv_.notify_all();
  }
  void Terminate() override { ++stats_.terminated; }

  static std::vector<Row> MakeRows(int n) {
    std::vector<Row> rows;
    for (int i = 1; i <= n; ++i) rows.push_back(Row{Value::Int4(i), Value::Text("row " + std::to_string(i))});
    return rows;
  }

 private:
  void RunOne(const std::string& cmd, ResultSink& sink) {
    if (cmd.starts_with("rows")) {
      int n = std::stoi(cmd.substr(5));
      sink.Columns(RowsColumns());
      for (auto& row : MakeRows(n)) sink.Row(row);
      sink.Complete("SELECT " + std::to_string(n));
    } else if (cmd == "fail") {
      throw SqlError::Syntax("fail", 1);
    } else if (cmd == "notice") {
      sink.Notice("NOTICE", "00000", "hello");
      sink.Complete("DO");
    } else if (cmd.starts_with("set ")) {
      changed_.emplace_back("application_name", cmd.substr(4));
      sink.Complete("SET");
    } else if (cmd == "begin") {
      status_ = TxnStatus::kInBlock;
      sink.Complete("BEGIN");
    } else if (cmd == "commit") {
      status_ = TxnStatus::kIdle;
      sink.Complete("COMMIT");
    } else if (cmd == "crash") {
      throw std::runtime_error("boom");
    } else if (cmd == "sleep") {
      WaitForCancel();
    } else {
      throw SqlError::Syntax(cmd, 1);
    }
  }
  void WaitForCancel() {
    std::unique_lock lock(mutex_);
    bool got = cv_.wait_for(lock, std::chrono::seconds(20), [this] { return cancelled_; });
    cancelled_ = false;
    if (got) throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
    throw SqlError::Internal("sleep was never cancelled");
  }

  FakeStats& stats_;
  TextFormat format_;
  TxnStatus status_ = TxnStatus::kIdle;
  std::vector<std::pair<std::string, std::string>> changed_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool cancelled_ = false;
};

class FakeFactory final : public SessionFactory {
 public:
  std::unique_ptr<Session> NewSession() override { return std::make_unique<FakeSession>(stats); }
  FakeStats stats;
};

}  // namespace tessera::wire::testing
