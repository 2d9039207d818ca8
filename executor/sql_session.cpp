// Session core: autocommit, the failed-block state, and the simple query
// protocol (transactions themselves: session_transaction.cpp).
#include "executor/sql_session.h"

#include <chrono>

#include "common/error.h"

namespace tessera::executor {

namespace {

// Microseconds since 2000-01-01 UTC, PostgreSQL's timestamp epoch.
int64_t NowPgMicros() {
  using namespace std::chrono;
  int64_t unix_us = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  return unix_us - 946684800LL * 1000000LL;
}

}  // namespace

bool EndsTransaction(const ast::Statement& stmt) {
  if (stmt.kind != ast::StmtKind::kTransaction) return false;
  auto kind = stmt.As<ast::TransactionStmt>().txn_kind;
  return kind == ast::TransactionKind::kCommit || kind == ast::TransactionKind::kRollback;
}

std::vector<ColumnDesc> ToColumnDescs(const std::vector<planner::OutputColumn>& columns) {
  std::vector<ColumnDesc> out;
  for (auto& c : columns) out.push_back({c.name, c.table_oid, c.column_number, c.type});
  return out;
}

SqlSession::~SqlSession() { Terminate(); }

void SqlSession::Start(const std::map<std::string, std::string>& startup) {
  auto get = [&](const char* key) -> std::string {
    auto it = startup.find(key);
    return it == startup.end() ? std::string() : it->second;
  };
  std::string user = get("user");
  std::string database = get("database").empty() ? user : get("database");
  if (!user.empty() && user != "tessera")
    throw SqlError("28000", "role \"" + user + "\" does not exist");
  if (!database.empty() && database != "tessera")
    throw SqlError("3D000", "database \"" + database + "\" does not exist");
  for (auto& [key, value] : startup) {
    if (key == "user" || key == "database" || key == "options" || key == "replication") continue;
    try {
      settings_.Set(key, {value});
    } catch (const SqlError& e) {
      // Unknown startup options are ignored as PostgreSQL does for
      // unrecognised ones only when they carry a dot; others are errors.
      if (e.Sqlstate() != sqlstate::kUndefinedObject || key.find('.') == std::string::npos) throw;
    }
  }
  settings_.TakeChanged();
}

std::vector<std::pair<std::string, std::string>> SqlSession::ReportedParameters() const { return settings_.Reported(); }

std::vector<std::pair<std::string, std::string>> SqlSession::TakeChangedParameters() { return settings_.TakeChanged(); }

TxnStatus SqlSession::Status() const {
  if (failed_) return TxnStatus::kFailed;
  if (in_block_) return TxnStatus::kInBlock;
  return TxnStatus::kIdle;
}

void SqlSession::FinishStatement() {
  if (!in_block_ && !implicit_) CommitTxn();
}

void SqlSession::HandleError() {
  if (in_block_) {
    failed_ = true;
    RollbackTxn();
    return;
  }
  RollbackTxn();
  implicit_ = false;
}

void SqlSession::OnError() { HandleError(); }

void SqlSession::Sync() {
  if (implicit_ && !in_block_) {
    implicit_ = false;
    CommitTxn();
  }
  implicit_ = false;
}

void SqlSession::Terminate() {
  try {
    RollbackTxn();
  } catch (...) {
  }
  in_block_ = false;
  failed_ = false;
  implicit_ = false;
}

FragmentServices SqlSession::Services() {
  FragmentServices services;
  Backend& db = db_;
  services.allocate = [&db](const std::string& counter, int64_t count) { return db.AllocateRange(counter, count); };
  services.next_val = [&db](const std::string& seq) { return db.NextVal(seq); };
  services.functions.format = &settings_.Format();
  services.cancel = &cancel_;
  services.functions.statement_timestamp = statement_start_;
  services.functions.transaction_timestamp = txn_start_;
  return services;
}

planner::EvalContext SqlSession::EvalFor(const std::vector<Value>* params) {
  planner::EvalContext ctx;
  ctx.params = params;
  FragmentServices services = Services();
  ctx.functions = services.functions;
  ctx.next_val = services.next_val;
  return ctx;
}

void SqlSession::RunStatement(const ast::Statement& stmt, const std::string& sql, ResultSink& sink,
                              bool describe_columns) {
  cancel_.store(false);
  statement_start_ = NowPgMicros();
  current_sql_ = sql;
  if (failed_ && !EndsTransaction(stmt))
    throw SqlError(sqlstate::kInFailedSqlTransaction,
                   "current transaction is aborted, commands ignored until end of transaction block");
  try {
    switch (stmt.kind) {
      case ast::StmtKind::kSelect:
      case ast::StmtKind::kInsert:
      case ast::StmtKind::kUpdate:
      case ast::StmtKind::kDelete: {
        std::shared_ptr<SqlPrepared> prepared = PrepareStatement(nullptr, sql, {});
        prepared->plan_ = std::make_shared<planner::PlannedQuery>(
            planner::PlanQuery(stmt, *db_.Catalog().Snapshot(), {}));
        prepared->columns_ = prepared->plan_->returns_rows ? ToColumnDescs(prepared->plan_->columns)
                                                           : std::vector<ColumnDesc>{};
        if (describe_columns && prepared->plan_->returns_rows) sink.Columns(prepared->columns_);
        SqlPortal portal(*this, prepared, {});
        portal.Execute(0, sink);
        break;
      }
      default: RunUtility(stmt, sink, describe_columns); break;
    }
    FinishStatement();
  } catch (const SqlError&) {
    HandleError();
    throw;
  } catch (const std::exception& e) {
    HandleError();
    throw SqlError::Internal(e.what());
  }
}

void SqlSession::ExecuteSimple(const std::string& sql, ResultSink& sink) {
  std::vector<ast::StatementPtr> stmts;
  try {
    stmts = ParseSql(sql);
  } catch (const SqlError&) {
    HandleError();
    throw;
  }
  // Several statements in one simple query form one implicit transaction.
  bool was_implicit = implicit_;
  implicit_ = stmts.size() > 1 && !in_block_;
  try {
    for (auto& stmt : stmts) {
      if (stmt->kind == ast::StmtKind::kEmpty) {
        if (stmts.size() == 1) sink.EmptyQuery();
        continue;
      }
      std::string text = sql.substr(stmt->start, stmt->end - stmt->start);
      RunStatement(*stmt, text, sink, true);
    }
  } catch (...) {
    implicit_ = was_implicit;
    throw;
  }
  if (implicit_ && !in_block_) {
    implicit_ = false;
    CommitTxn();
  }
  implicit_ = was_implicit;
}

}  // namespace tessera::executor
