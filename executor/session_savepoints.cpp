// SAVEPOINT, RELEASE [SAVEPOINT] and ROLLBACK [WORK|TRANSACTION] TO
// [SAVEPOINT], with PostgreSQL 15's semantics (ARCHITECTURE.md, Savepoints).
// A savepoint remembers a mark in the transaction's writes (BackendTxn::
// Savepoint: a position in the MVCC undo log embedded, a statement number
// on a cluster), how many catalog changes the block had made, and the
// session settings; ROLLBACK TO returns all three to it and leaves the
// failed state.
#include "common/error.h"
#include "executor/sql_session.h"

namespace tessera::executor {

namespace {

SqlError NoSuchSavepoint(const std::string& name) {
  return SqlError(sqlstate::kInvalidSavepointSpecification, "savepoint \"" + name + "\" does not exist");
}

}  // namespace

bool AllowedInFailedBlock(const ast::Statement& stmt) {
  if (EndsTransaction(stmt)) return true;
  return stmt.kind == ast::StmtKind::kTransaction &&
         stmt.As<ast::TransactionStmt>().txn_kind == ast::TransactionKind::kRollbackTo;
}

size_t SqlSession::FindSavepoint(const std::string& name) const {
  // Names may repeat: the newest one wins.
  for (size_t i = savepoints_.size(); i-- > 0;)
    if (savepoints_[i].name == name) return i;
  throw NoSuchSavepoint(name);
}

void SqlSession::RunSavepointStmt(const ast::TransactionStmt& stmt, ResultSink& sink) {
  const char* what = stmt.txn_kind == ast::TransactionKind::kSavepoint ? "SAVEPOINT"
                     : stmt.txn_kind == ast::TransactionKind::kRelease ? "RELEASE SAVEPOINT"
                                                                       : "ROLLBACK TO SAVEPOINT";
  if (!in_block_)
    throw SqlError(sqlstate::kNoActiveSqlTransaction, std::string(what) + " can only be used in transaction blocks");
  switch (stmt.txn_kind) {
    case ast::TransactionKind::kSavepoint: {
      Savepoint savepoint;
      savepoint.name = stmt.savepoint;
      // Before the transaction's first statement there is nothing to mark:
      // 0 is its beginning (Txn() starts recording when it begins one).
      savepoint.mark = txn_ ? txn_->Savepoint() : 0;
      savepoint.catalog_changes = block_catalog_ ? block_catalog_->ChangeCount() : 0;
      if (!savepoints_.empty() && savepoints_.back().settings->SameValues(settings_))
        savepoint.settings = savepoints_.back().settings;
      else
        savepoint.settings = std::make_shared<const SessionSettings>(settings_);
      savepoint.local_settings = local_settings_;
      savepoints_.push_back(std::move(savepoint));
      sink.Complete("SAVEPOINT");
      return;
    }
    case ast::TransactionKind::kRelease: {
      // Keeps the writes; the savepoint and every later one go.
      savepoints_.resize(FindSavepoint(stmt.savepoint));
      ReleaseCursorsTo(savepoints_.size());
      if (savepoints_.empty() && txn_) txn_->ForgetSavepoints();
      sink.Complete("RELEASE");
      return;
    }
    default: break;
  }
  size_t index = FindSavepoint(stmt.savepoint);
  const Savepoint& savepoint = savepoints_[index];
  // Cursors first: those declared after the savepoint go, with their
  // portals, before the writes they may be reading are undone.
  RollbackCursorsTo(index);
  // Then the writes: if they cannot be undone (a storage node gone), the
  // block stays failed and nothing else changed.
  if (txn_) txn_->RollbackTo(savepoint.mark);
  if (block_catalog_) block_catalog_->RollbackTo(savepoint.catalog_changes);
  settings_.RestoreAll(*savepoint.settings);
  local_settings_ = savepoint.local_settings;
  // Later savepoints go; this one stays, to be rolled back to again.
  savepoints_.resize(index + 1);
  // A suspended portal may hold an iterator over writes that are gone.
  ++txn_generation_;
  failed_ = false;
  sink.Complete("ROLLBACK");
}

}  // namespace tessera::executor
