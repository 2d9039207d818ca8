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
//  - After a SqlError from a write the transaction must be rolled back, or
//    rolled back to a savepoint taken before it (RollbackToMark).
//
// Cluster mode (mvcc_engine.h): the snapshot is the caller's (BeginAt,
// RefreshSnapshotAt); Get and Scan wait on the prepare gate only for the
// prepared transactions that wrote the keys they read (prepare_gate.h);
// a writer ends with Prepare and then CommitAt(C) or
// Rollback. A prepared transaction keeps its locks and snapshot (the GC
// horizon) but gives up its LMDB reader: after Prepare only CommitAt,
// Rollback and the accessors are allowed. A failed CommitAt leaves it
// prepared (it must never lose its locks undecided). Destroying a prepared
// transaction does not decide it: a durable one stays in LMDB and comes back
// at the next Open, like after a crash (only do that when closing).
// Not thread-safe: one user at a time, but it may move between threads.
#pragma once

#include <lmdb.h>

#include <functional>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "common/memory_account.h"
#include "storage/engine.h"
#include "storage/group_committer.h"
#include "storage/mvcc/lock_table.h"
#include "storage/mvcc/mvcc_engine.h"
#include "storage/mvcc/prepared_store.h"
#include "storage/mvcc/undo_log.h"

namespace tessera::storage::mvcc {

enum class WriteOutcome : uint8_t {
  kDone,                   // buffered; no newer committed version
  kNewerVersionCommitted,  // READ COMMITTED only: buffered over a version newer than the snapshot
  kWaiting,                // TryWrite only: parked behind another writer
};

class MvccTransaction final : public Transaction {
 public:
  // Embedded mode: a snapshot at the watermark (`snapshot_ts` must be
  // kNoTimestamp). Cluster mode: at `snapshot_ts`, or latest when
  // kNoTimestamp, after the prepare gate (MvccEngine::BeginAt).
  MvccTransaction(MvccEngine* engine, KeySpace space, const TxnOptions& options, Timestamp snapshot_ts = kNoTimestamp);
  // Recovery (MvccEngine::Open, cluster mode): a durable prepared
  // transaction back in the prepared state, its keys locked again.
  MvccTransaction(MvccEngine* engine, PreparedRecord record);
  ~MvccTransaction() override;  // rolls back if still open (see above for prepared ones)

  std::optional<std::string> Get(std::string_view key) override;
  void Put(std::string_view key, std::string_view value) override { Write(key, std::string(value)); }
  void Delete(std::string_view key) override { Write(key, std::nullopt); }
  void PutNew(std::string_view key, std::string_view value) override;
  std::unique_ptr<Iterator> Scan(std::string_view start, std::string_view end) override;
  // Throws 40001 if validation finds a key changed since it was locked (it
  // cannot while locks work; this is a safety net), or the commit's error.
  // Cluster mode: only for a transaction without writes (XX000 otherwise).
  void Commit() override;
  // Of a prepared transaction: also deletes its durable prepare record (if
  // that write fails it throws and the transaction stays prepared).
  void Rollback() override;
  bool HasWrites() const override { return !writes_.empty(); }
  RowLock LockRow(std::string_view key, std::optional<std::string_view> current) override;
  SelectLock LockRowForSelect(std::string_view key, bool no_wait) override;
  // Gives back the FOR UPDATE locks of `keys` that this transaction holds
  // without having written them (written keys keep theirs): a cluster
  // gateway unlocks the rows a shard locked beyond the statement's LIMIT.
  void ReleaseSelectLocks(const std::vector<std::string>& keys);
  std::vector<LockedKey> LockedByOthers(std::string_view prefix) override;
  bool WaitsForMe(uint64_t other) override;
  bool LockedByOther(std::string_view key) override;
  std::optional<std::string> LatestCommitted(std::string_view key) override { return GetLatestCommitted(key); }
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
  // Cluster mode: RefreshSnapshotAt(kNoTimestamp).
  void RefreshSnapshot() { RefreshSnapshotAt(kNoTimestamp); }
  // Cluster mode, READ COMMITTED: a new snapshot at `ts` (or latest) for the
  // next statement, through the prepare gate like BeginAt; on a SqlError the
  // old snapshot stays.
  void RefreshSnapshotAt(Timestamp ts);

  // --- Savepoints (undo_log.h). ---
  // From now on every write records what it replaces, so that
  // RollbackToMark can undo it (costs a copy of each rewritten value).
  void KeepUndo() { keep_undo_ = true; }
  // Stops recording and frees the log (no savepoint is left).
  void DropUndo();
  // The current position: a savepoint.
  size_t UndoMark() const { return undo_.size(); }
  // Undoes every write made after `mark` (a position from UndoMark while
  // recording): the write set is as it was then, and the keys first written
  // since are no longer locked (waiters get them). No iterator may be open.
  void RollbackToMark(size_t mark);

  // --- Cluster mode: two-phase commit. ---
  // Ends the write phase: validates (40001, then rolled back), joins this
  // node's prepare gate, keeps the locks. `durable`: the external id (the
  // key, required), `coordinator` (opaque: who decides), the snapshot and
  // the write set are written to "mvcc_prepared" (and synced) before it
  // returns. Any failure rolls the transaction back. XX000 if another
  // transaction with this external id is prepared here. No iterator may be
  // open (the LMDB reader goes).
  void Prepare(std::string_view external_id, std::string_view coordinator, bool durable);
  // Commits a prepared transaction at `commit_ts`: every version at that
  // timestamp, the deletion of the durable prepare record and, if `record`
  // is given, the transaction record (key: the external id) land in one
  // LMDB write transaction through the group committer; then it leaves the
  // gate and releases its locks. Throws, staying prepared: XX000 if
  // commit_ts is not above its snapshot, its floor (snapshots requested
  // here before it prepared) and the versions it wrote over, or if a locked
  // key changed; 40001 if `record` differs from one already stored (the
  // decision was taken elsewhere: roll back); the LMDB write's error.
  void CommitAt(Timestamp commit_ts, std::optional<std::string_view> record = std::nullopt);
  bool IsPrepared() const { return prepared_; }
  bool IsDurable() const { return durable_; }
  const std::string& ExternalId() const { return external_id_; }
  const std::string& Coordinator() const { return coordinator_; }
  // The buffered writes (key -> row, nullopt: delete).
  const WriteSet& Writes() const { return writes_; }
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
  // Open and not prepared: reads and writes allowed.
  void CheckActive() const;
  void CheckKey(std::string_view key) const;
  std::string LockKey(std::string_view key) const;
  // With the key's lock held: checks for a newer committed version, buffers.
  // If that fails the key's lock goes again (the transaction may go on, after
  // ROLLBACK TO SAVEPOINT, and must not keep a lock on a key it never wrote).
  WriteOutcome Record(std::string_view key, std::optional<std::string> value);
  // With the key's lock held: the newest committed version's timestamp;
  // 40001 if it is newer than the snapshot under REPEATABLE READ. On an
  // error the lock goes again (see Record).
  Timestamp CheckLocked(std::string_view key, int64_t charge);
  // Overwrites a key already in the write set (and locked).
  void Rewrite(WriteSet::iterator it, std::optional<std::string> value);
  // Charges write_memory_ for a buffered value that grows.
  void ChargeRewrite(const std::optional<std::string>& old_value, const std::optional<std::string>& new_value);
  // Per written key beyond its bytes: the write set's tree node and the
  // optional value's heap block, locked_at_'s hash node, and the lock
  // table's entry (a hash node, its key, the holder's list). Measured: a
  // transaction deleting 500,000 rows grew the server's RSS by 944 bytes a
  // key (1,534 while each lock entry held a std::deque), of which about 300
  // are the DELETE's collected row; rounded up.
  static constexpr int64_t kWriteEntryOverhead = 600;
  // A key written with PutNew: no locked_at_ node, no lock table entry.
  static constexpr int64_t kNewEntryOverhead = 200;
  Timestamp NewestCommitted(std::string_view key);
  // True if a locked key got a version newer than when we locked it.
  bool KeysChanged();
  void Validate();
  // The stored form of the write set: one version per key at `commit_ts`.
  WriteSet Versions(Timestamp commit_ts) const;
  void WritePrepareRecord();
  // CommitAt's single LMDB write; false if there was nothing to write.
  bool SubmitCommitAt(Timestamp commit_ts, std::optional<std::string_view> record);
  void Finish();  // drops snapshot, reader, gate entry, locks and writes
  // Cluster mode, while transactions are pending for the snapshot: waits
  // for those that wrote inside the span (a key, or [start, end)); once
  // none is pending at all, takes reader_ for every later read.
  void PassGate(std::string_view start, std::string_view end, bool point);

  MvccEngine* engine_;
  KeySpace space_;
  MDB_dbi dbi_;
  TxnOptions options_;
  TxnId id_;
  bool open_ = true;
  Timestamp snapshot_ts_ = kNoTimestamp;
  // The snapshot's place at the prepare gate (gate_.ts == snapshot_ts_).
  SnapshotRequest gate_;
  // The LMDB view of the snapshot: nullptr while gate_.pending (each read
  // then takes a view of its own after passing the gate) and once prepared.
  MDB_txn* reader_ = nullptr;
  WriteSet writes_;
  bool keep_undo_ = false;
  UndoLog undo_;
  // The newest committed version of each written key when we locked it;
  // nobody else can add one while we hold the lock (checked at commit).
  std::unordered_map<std::string, Timestamp> locked_at_;
  // Keys locked by SELECT ... FOR UPDATE and not written (also in
  // locked_at_, not in writes_): released at the end, never committed.
  std::unordered_set<std::string> lock_only_;
  Timestamp commit_ts_ = kNoTimestamp;
  // The write set's memory, charged to the server's --memory-limit (53200
  // past it), so one huge COPY or INSERT ... SELECT cannot take the process
  // down; returned when the transaction ends. No cap of its own: a write
  // costs about 600 bytes (kWriteEntryOverhead), and loads that work today
  // (pgbench -i at scale 10, a million rows) must keep working.
  MemoryAccount write_memory_{"TransactionWriteSet", 0};
  // Cluster mode, after Prepare.
  bool prepared_ = false;
  bool durable_ = false;
  PrepareTicket ticket_ = 0;
  std::string external_id_;
  std::string coordinator_;
};

}  // namespace tessera::storage::mvcc
