// Session transactions: MVCC transactions at the session's isolation level,
// BEGIN/COMMIT/ROLLBACK, SET TRANSACTION, settings, and the DDL a transaction publishes at COMMIT.
#include <chrono>

#include "common/error.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

using storage::mvcc::IsolationLevel;

int64_t NowPgMicros() {
  using namespace std::chrono;
  int64_t unix_us = duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
  return unix_us - 946684800LL * 1000000LL;
}

// SERIALIZABLE runs as REPEATABLE READ (snapshot isolation), READ
// UNCOMMITTED as READ COMMITTED, as PostgreSQL does for the latter.
IsolationLevel LevelOf(const std::string& setting) {
  if (setting == "repeatable read" || setting == "serializable") return IsolationLevel::kRepeatableRead;
  return IsolationLevel::kReadCommitted;
}

}  // namespace

BackendTxn& SqlSession::Txn() {
  if (!txn_) {
    storage::mvcc::TxnOptions options;
    const char* setting = in_block_ ? "transaction_isolation" : "default_transaction_isolation";
    options.isolation = LevelOf(settings_.Show(setting));
    options.lock_timeout = std::chrono::milliseconds(settings_.MillisecondsOf("lock_timeout"));
    txn_ = db_.Begin(options);
    txn_id_.store(txn_->Id());
    txn_start_ = NowPgMicros();
    ++txn_generation_;
    // Savepoints taken before the first statement mark its beginning (0).
    if (!savepoints_.empty()) txn_->Savepoint();
  }
  return *txn_;
}

BackendTxn& SqlSession::StatementTxn() {
  bool fresh = !txn_;
  BackendTxn& txn = Txn();
  if (!fresh) txn.RefreshSnapshot();
  int64_t lock_ms = settings_.MillisecondsOf("lock_timeout");
  int64_t statement_ms = settings_.StatementTimeoutMs();
  statement_timeout_binds_ = statement_ms > 0 && (lock_ms <= 0 || statement_ms < lock_ms);
  txn.SetLockTimeout(std::chrono::milliseconds(statement_timeout_binds_ ? statement_ms : lock_ms));
  return txn;
}

void SqlSession::RethrowLockWait(const SqlError& error) const {
  if (statement_timeout_binds_ && error.Sqlstate() == storage::mvcc::kLockNotAvailable)
    throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
  throw error;
}

int64_t SqlSession::IdleTimeoutMs() const {
  return settings_.MillisecondsOf(Status() == TxnStatus::kIdle ? "idle_session_timeout"
                                                               : "idle_in_transaction_session_timeout");
}

void SqlSession::Cancel() {
  // Ending: its temp tables are being dropped, and no statement of the
  // client's is left to cancel (the lost client's cancel comes now too).
  if (ending_.load()) return;
  cancel_.store(true);
  // A statement blocked on a row lock is woken to see the cancel.
  if (uint64_t id = txn_id_.load(); id != 0) db_.Interrupt(id);
}

void SqlSession::CommitTxn() {
  RunOnCommitActions();  // in the transaction, before it commits
  ReleaseTableLocks();
  EndCursors(true);
  std::unique_ptr<BlockCatalog> ddl = std::move(block_catalog_);
  std::unique_ptr<BackendTxn> txn = std::move(txn_);
  savepoints_.clear();
  txn_id_.store(0);
  // The transaction's DDL becomes visible first, as one catalog version, and
  // is taken back if its data then fails to commit (ARCHITECTURE.md).
  if (ddl && ddl->HasChanges()) {
    try {
      ddl->Publish();
    } catch (...) {
      ddl->Discard();
      if (txn) txn->Rollback();
      throw;
    }
  }
  if (txn) {
    try {
      txn->Commit();
    } catch (...) {
      if (ddl) {
        ddl->Unpublish();
        ddl->Discard();
      }
      throw;
    }
  }
  if (ddl) ddl->ForgetDroppedTables();
  for (auto& [name, cursor] : cursors_) cursor->Details().committed = true;  // the WITH HOLD ones left
}

void SqlSession::RollbackTxn() {
  ReleaseTableLocks();
  EndCursors(false);
  savepoints_.clear();
  if (block_catalog_) {
    block_catalog_->Discard();
    block_catalog_.reset();
  }
  if (!txn_) return;
  auto txn = std::move(txn_);
  txn_id_.store(0);
  txn->Rollback();
}

void SqlSession::EndBlockSettings(bool commit) {
  if (block_settings_) {
    if (commit) {
      for (auto& name : local_settings_) settings_.Restore(*block_settings_, name);
    } else {
      settings_.RestoreAll(*block_settings_);
    }
  }
  block_settings_.reset();
  local_settings_.clear();
  settings_.Set("transaction_isolation", {settings_.Show("default_transaction_isolation")});
}

void SqlSession::SetIsolation(const std::string& level, ResultSink& sink) {
  if (!in_block_) {
    sink.Notice("WARNING", sqlstate::kNoActiveSqlTransaction, "SET TRANSACTION can only be used in transaction blocks");
    return;
  }
  if (txn_)
    throw SqlError(sqlstate::kActiveSqlTransaction, "SET TRANSACTION ISOLATION LEVEL must be called before any query");
  settings_.Set("transaction_isolation", {level});
}

void SqlSession::RunSet(const ast::SetStmt& set, ResultSink& sink) {
  if (set.name == "transaction_isolation") {
    if (!set.to_default && !set.values.empty()) SetIsolation(set.values[0], sink);
    sink.Complete("SET");
    return;
  }
  if (set.local && !in_block_) {
    sink.Notice("WARNING", sqlstate::kNoActiveSqlTransaction, "SET LOCAL can only be used in transaction blocks");
    sink.Complete("SET");
    return;
  }
  ApplySet(set);
  sink.Complete("SET");
}

void SqlSession::ApplySet(const ast::SetStmt& set) {
  if (set.name == "role") SetRole(set);
  else if (set.to_default) settings_.Reset(set.name);
  else settings_.Set(set.name, set.values);
  if (set.local) local_settings_.push_back(set.name);
  if (set.local && set.name == "role") local_settings_.push_back("is_superuser");  // it follows the role
  // Outside a block the default is also the next transaction's level.
  if (set.name == "default_transaction_isolation" && !in_block_)
    settings_.Set("transaction_isolation", {settings_.Show("default_transaction_isolation")});
}

void SqlSession::RunTransaction(const ast::TransactionStmt& stmt, ResultSink& sink) {
  switch (stmt.txn_kind) {
    case ast::TransactionKind::kBegin:
      if (in_block_) {
        sink.Notice("WARNING", sqlstate::kActiveSqlTransaction, "there is already a transaction in progress");
      } else {
        in_block_ = true;
        implicit_ = false;
        block_settings_ = settings_;
      }
      if (!stmt.isolation.empty() && !txn_) settings_.Set("transaction_isolation", {stmt.isolation});
      sink.Complete("BEGIN");
      return;
    case ast::TransactionKind::kCommit:
      if (!in_block_) {
        sink.Notice("WARNING", sqlstate::kNoActiveSqlTransaction, "there is no transaction in progress");
        sink.Complete("COMMIT");
        return;
      }
      in_block_ = false;
      if (failed_) {
        failed_ = false;
        RollbackTxn();
        EndBlockSettings(false);
        sink.Complete("ROLLBACK");
        return;
      }
      try {
        CommitTxn();
      } catch (...) {
        EndBlockSettings(false);
        throw;
      }
      EndBlockSettings(true);
      sink.Complete("COMMIT");
      return;
    case ast::TransactionKind::kRollback:
      if (!in_block_) {
        sink.Notice("WARNING", sqlstate::kNoActiveSqlTransaction, "there is no transaction in progress");
      }
      in_block_ = false;
      failed_ = false;
      RollbackTxn();
      EndBlockSettings(false);
      sink.Complete("ROLLBACK");
      return;
    case ast::TransactionKind::kSavepoint:
    case ast::TransactionKind::kRelease:
    case ast::TransactionKind::kRollbackTo:
      RunSavepointStmt(stmt, sink);
      return;
    case ast::TransactionKind::kSetTransaction:
      if (!stmt.isolation.empty()) SetIsolation(stmt.isolation, sink);
      sink.Complete("SET");
      return;
  }
}

}  // namespace tessera::executor
