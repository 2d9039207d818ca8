// A transaction of MvccEngine: storage::Transaction plus isolation levels,
// per-statement snapshots and lock waits (mvcc_engine.h has the overview).
//
// For the SQL engine:
//  - REPEATABLE READ (the default) keeps one snapshot; READ COMMITTED calls
//    RefreshSnapshot() before each statement (no iterator may be open).
//  - Put/Delete lock the key; if another transaction holds it they block up
//    to the lock timeout. TryWrite is the non-blocking form for callers that
//    park a session instead of a thread.
//  - A write that finds a version committed after the snapshot throws 40001
//    under REPEATABLE READ; under READ COMMITTED it proceeds and Write/TryWrite
//    report kNewerVersionCommitted, so the caller can re-read the row at a
//    fresh snapshot (PostgreSQL's EvalPlanQual re-check).
//  - After a SqlError from a write the transaction must be rolled back.
// Not thread-safe: one user at a time, but it may move between threads.
#pragma once

#include <lmdb.h>

#include <functional>
#include <string>
#include <unordered_map>

#include "storage/engine.h"
#include "storage/group_committer.h"
#include "storage/mvcc/lock_table.h"
#include "storage/mvcc/mvcc_engine.h"

namespace tessera::storage::mvcc {

enum class WriteOutcome : uint8_t {
  kDone,                   // buffered; no newer committed version
  kNewerVersionCommitted,  // READ COMMITTED only: buffered over a version newer than the snapshot
  kWaiting,                // TryWrite only: parked behind another writer
};

class MvccTransaction final : public Transaction {
 public:
  MvccTransaction(MvccEngine* engine, KeySpace space, const TxnOptions& options);
  ~MvccTransaction() override;  // rolls back if still open

  std::optional<std::string> Get(std::string_view key) override;
  void Put(std::string_view key, std::string_view value) override { Write(key, std::string(value)); }
  void Delete(std::string_view key) override { Write(key, std::nullopt); }
  std::unique_ptr<Iterator> Scan(std::string_view start, std::string_view end) override;
  // Throws 40001 if validation finds a key changed since it was locked (it
  // cannot while locks work; this is a safety net), or the commit's error.
  void Commit() override;
  void Rollback() override;
  bool HasWrites() const override { return !writes_.empty(); }
  RowLock LockRow(std::string_view key, std::optional<std::string_view> current) override;
  // How long later writes wait for a lock (a statement's lock_timeout or
  // statement_timeout); zero: forever.
  void SetLockTimeout(std::chrono::milliseconds timeout) { options_.lock_timeout = timeout; }

  // Buffers a put (value) or delete (nullopt), blocking for the key's lock.
  // Throws 40001 (REPEATABLE READ conflict), 40P01 (deadlock), 55P03 (lock
  // timeout).
  WriteOutcome Write(std::string_view key, std::optional<std::string> value);
  // Non-blocking Write. On kWaiting nothing is buffered: `on_ready` runs once
  // the lock is ours (on another thread); then call TryWrite again with the
  // same key, which completes. CancelWait() gives up a wait. Throws as Write.
  WriteOutcome TryWrite(std::string_view key, std::optional<std::string> value, std::function<void()> on_ready);
  // True if the wait was withdrawn; false if the lock was granted already.
  bool CancelWait();

  // READ COMMITTED: take a new snapshot (call before each statement).
  void RefreshSnapshot();
  // The newest committed version of `key`, ignoring the snapshot and this
  // transaction's writes: after kNewerVersionCommitted, the row to re-check
  // and update again. Stable while this transaction holds the key's lock.
  std::optional<std::string> GetLatestCommitted(std::string_view key);

  TxnId Id() const { return id_; }
  Timestamp SnapshotTs() const { return snapshot_ts_; }
  IsolationLevel Isolation() const { return options_.isolation; }
  // The commit timestamp after a successful Commit of a writing transaction.
  Timestamp CommitTs() const { return commit_ts_; }

 private:
  void CheckOpen() const;
  void CheckKey(std::string_view key) const;
  std::string LockKey(std::string_view key) const;
  // With the key's lock held: checks for a newer committed version, buffers.
  WriteOutcome Record(std::string_view key, std::optional<std::string> value);
  Timestamp NewestCommitted(std::string_view key);
  void Validate();
  void Finish();  // drops snapshot, reader, locks and writes

  MvccEngine* engine_;
  KeySpace space_;
  MDB_dbi dbi_;
  TxnOptions options_;
  TxnId id_;
  bool open_ = true;
  Timestamp snapshot_ts_ = kNoTimestamp;
  MDB_txn* reader_ = nullptr;
  WriteSet writes_;
  // The newest committed version of each written key when we locked it;
  // nobody else can add one while we hold the lock (checked at commit).
  std::unordered_map<std::string, Timestamp> locked_at_;
  Timestamp commit_ts_ = kNoTimestamp;
};

}  // namespace tessera::storage::mvcc
