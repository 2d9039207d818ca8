// Session core: autocommit, the failed-block state, and the simple query
// protocol (transactions themselves: session_transaction.cpp).
#include "executor/sql_session.h"

#include <algorithm>
#include <chrono>
#include <new>

#include "common/error.h"
#include "common/temp_schema.h"

namespace tessera::executor {

namespace {

// Microseconds since 2000-01-01 UTC, PostgreSQL's timestamp epoch.
int64_t NowPgMicros() {
  using namespace std::chrono;
  int64_t unix_us = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  return unix_us - 946684800LL * 1000000LL;
}

// Holds back a statement's CommandComplete until its transaction committed:
// PostgreSQL's simple protocol commits before it sends the tag, so a commit
// that fails sends only the error, never "INSERT 0 10" first.
class HeldCompleteSink final : public ForwardingSink {
 public:
  using ForwardingSink::ForwardingSink;
  void Complete(const std::string& tag) override {
    tag_ = tag;
    held_ = true;
  }
  // Sends the held tag, if any.
  void Release() {
    if (held_) inner_.Complete(tag_);
    held_ = false;
  }

 private:
  std::string tag_;
  bool held_ = false;
};

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
  StartRole(user.empty() ? std::string("tessera") : user);
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
    // With a savepoint the transaction lives on: ROLLBACK TO undoes the
    // failed statement's writes with the rest after the savepoint.
    if (savepoints_.empty()) RollbackTxn();
    return;
  }
  RollbackTxn();
  implicit_ = false;
}

void SqlSession::OnError() {
  TempSchemaScope temp_schema(temp_schema_);
  HandleError();
}

void SqlSession::Sync() {
  TempSchemaScope temp_schema(temp_schema_);
  if (implicit_ && !in_block_) {
    implicit_ = false;
    CommitTxn();
  }
  implicit_ = false;
}

void SqlSession::Terminate() {
  TempSchemaScope temp_schema(temp_schema_);
  try {
    RollbackTxn();
  } catch (...) {
  }
  in_block_ = false;
  failed_ = false;
  implicit_ = false;
  DropOwnTempTables();  // however the session ends (ARCHITECTURE.md, "Temporary tables")
}

FragmentServices SqlSession::Services() {
  FragmentServices services;
  Backend& db = db_;
  services.allocate = [&db](const std::string& counter, int64_t count) { return db.AllocateRange(counter, count); };
  services.next_val = [this](const std::string& seq) { return NextVal(seq); };
  services.sequence_op = [this](planner::SequenceOp op, const std::string& seq, int64_t value, bool is_called) {
    return SequenceCall(op, seq, value, is_called);
  };
  services.functions.format = &settings_.Format();
  services.cancel = &cancel_;
  services.functions.statement_timestamp = statement_start_;
  services.functions.transaction_timestamp = txn_start_;
  services.functions.backend_pid = backend_pid_;
  services.functions.catalog = &catalog_view_;
  services.functions.settings = &config_access_;
  return services;
}

int64_t SqlSession::StatementMemoryLimit() const {
  int64_t server = MemoryPool::Server().Limit();
  int64_t session = settings_.BytesOf("tessera.statement_memory_limit");
  // 0: a quarter of --memory-limit (README), never more than what
  // statements may use together. The operators' figures are estimates that
  // real allocations exceed by up to half again, and memory freed by one
  // statement is not back from the allocator at once: with half, a run of
  // big failing statements took the process past a 256MB --memory-limit
  // (tests/limits). At or above the server's limit only that one binds
  // (0: no limit of its own).
  if (session <= 0) {
    int64_t process = ResidentLimit();
    return process > 0 && server > 0 ? std::min(process / 4, server) : server / 4;
  }
  return server > 0 && session >= server ? 0 : session;
}

SqlError OutOfMemoryError() {
  return SqlError(sqlstate::kOutOfMemory, "out of memory", "Failed on request in memory context \"ExecutorState\".");
}

planner::EvalContext SqlSession::EvalFor(const std::vector<Value>* params) {
  planner::EvalContext ctx;
  ctx.params = params;
  FragmentServices services = Services();
  ctx.functions = services.functions;
  ctx.next_val = services.next_val;
  ctx.sequence_op = services.sequence_op;
  return ctx;
}

void SqlSession::RunStatement(const ast::Statement& stmt, const std::string& sql, ResultSink& sink,
                              bool describe_columns) {
  cancel_.store(false);
  statement_start_ = NowPgMicros();
  current_sql_ = sql;
  if (failed_ && !AllowedInFailedBlock(stmt))
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
            Plan(stmt, *SessionCatalog().Snapshot(), {}));
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
  } catch (const std::bad_alloc&) {
    HandleError();
    throw OutOfMemoryError();
  } catch (const std::exception& e) {
    HandleError();
    throw SqlError::Internal(e.what());
  }
}

std::vector<ast::StatementPtr> SqlSession::ParseCharged(const std::string& sql, int64_t* charged) {
  // The parse's own account, as PostgreSQL's MessageContext: tokens and
  // parse trees grow with the text, and a statement of hundreds of MB must
  // end in 53200, not in the kernel's OOM killer. Released once parsed.
  MemoryAccount memory("MessageContext", StatementMemoryLimit());
  try {
    std::vector<ast::StatementPtr> stmts = ParseSql(sql, &memory);
    if (charged != nullptr) *charged = memory.Used();
    return stmts;
  } catch (const std::bad_alloc&) {
    throw OutOfMemoryError();
  }
}

void SqlSession::ExecuteSimple(const std::string& sql, ResultSink& sink) {
  TempSchemaScope temp_schema(temp_schema_);
  std::vector<ast::StatementPtr> stmts;
  try {
    stmts = ParseCharged(sql);
  } catch (const SqlError&) {
    HandleError();
    throw;
  }
  // Several statements in one simple query form one implicit transaction.
  bool was_implicit = implicit_;
  implicit_ = stmts.size() > 1 && !in_block_;
  HeldCompleteSink held(sink);
  try {
    for (size_t i = 0; i < stmts.size(); ++i) {
      const ast::Statement& stmt = *stmts[i];
      if (stmt.kind == ast::StmtKind::kEmpty) {
        if (stmts.size() == 1) sink.EmptyQuery();
        continue;
      }
      std::string text = sql.substr(stmt.start, stmt.end - stmt.start);
      held.Release();  // the previous statement's: it did not end the implicit transaction
      RunStatement(stmt, text, held, true);
    }
    if (implicit_ && !in_block_) {
      implicit_ = false;
      CommitTxn();
    }
  } catch (...) {
    implicit_ = was_implicit;
    throw;
  }
  held.Release();
  implicit_ = was_implicit;
}

}  // namespace tessera::executor
