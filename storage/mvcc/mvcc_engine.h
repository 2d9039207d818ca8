// MVCC snapshot isolation over LMDB (DESIGN.md, Storage and Transactions).
//
// Every committed write is a new version of its key, stamped with its
// transaction's commit timestamp (version_key.h); nothing is overwritten in
// place. A transaction reads at a snapshot timestamp, so reads never block and
// never see uncommitted or half-applied commits (snapshot_tracker.h explains
// how a snapshot is chosen). Writes are buffered in the transaction, as in
// LmdbTransaction, and each written key is locked in an in-memory lock table
// (lock_table.h) at the Put or Delete, so a second writer of a key waits for
// the first one to finish and then either fails (REPEATABLE READ, 40001) or
// proceeds (READ COMMITTED). Old versions are removed by the GC (gc.h) once no
// snapshot can see them.
//
// Crash safety: this is the single-node design, so uncommitted writes never
// reach LMDB at all: they live in the transaction's write set until its
// commit, which writes all of its versions in one LMDB write transaction
// (through the GroupCommitter, shared fsync) before Commit returns. After a
// crash LMDB holds exactly the acknowledged commits (plus possibly ones whose
// acknowledgement was lost, committed whole), and there are no intents to
// clean up. The timestamp oracle persists its window before use, so commit
// timestamps after a restart are above every stored version.
//
// Layout: one LMDB environment, databases "mvcc_data" (rows and index
// entries) and "mvcc_meta" (the catalog), both versioned; "meta" (plain)
// holds the counters of AllocateRange, the oracle's reservation and the
// cluster-mode GC floor; "mvcc_prepared", "mvcc_txn_records" and
// "mvcc_commits" (plain) serve cluster mode (created, empty, in both modes).
//
// Cluster mode (MvccOptions::external_timestamps): the engine is one storage
// node of a cluster, a participant in distributed transactions, and every
// timestamp comes from the cluster's timestamp oracle (TSO) through the
// caller; the local oracle is not even created.
//  - BeginAt(S) reads at the TSO snapshot S (or at the node's latest point).
//  - A writer ends its write phase with Prepare (keys stay locked, the
//    transaction joins the prepare gate; durable: its write set and the
//    coordinator are written to "mvcc_prepared") and finishes with
//    CommitAt(C) (versions at C, the prepare record deleted and, on the
//    primary, the transaction record written, all in one LMDB write
//    transaction) or Rollback. Single-node: Prepare(non-durable), C from the
//    TSO, CommitAt(C). Multi-node (Percolator): every participant prepares
//    durably, the primary's CommitAt(C, record) is the decision, then the
//    others commit; a cleaner resolves orphans through the primary's record
//    (GetTxnRecord / PutTxnRecordIfAbsent).
//  - The prepare gate (prepare_gate.h) keeps snapshots correct although
//    commits arrive with caller timestamps in any order: a read of a key (or
//    range) waits for the transactions prepared here before its snapshot was
//    requested that wrote that key (or inside that range) and may still
//    commit at or below the snapshot (bounded by prepare_wait, then 40001),
//    as Percolator's reader waits on a row's lock; reads of other keys go on
//    at once. CommitAt refuses a timestamp at or below a snapshot that did
//    not wait for it (XX000).
//  - Crash safety: a durable prepared transaction comes back at Open, locked
//    and in the gate (RecoverPrepared hands it out); a non-durable one is
//    gone, as its single-node commit never happened. durable_clock.h keeps
//    the newest commit and the GC floor across restarts.
//  - Commit() of a writing transaction is refused (no timestamp to use);
//    Begin()/BeginMeta() read at the latest point.
#pragma once

#include <lmdb.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/fiber.h"
#include "storage/engine.h"
#include "storage/group_committer.h"
#include "storage/reader_pool.h"
#include "storage/replication_log.h"
#include "storage/mvcc/lock_manager.h"
#include "storage/mvcc/prepare_gate.h"
#include "storage/mvcc/snapshot_tracker.h"
#include "storage/mvcc/timestamp_oracle.h"

namespace tessera::storage::mvcc {

class MvccTransaction;
class GarbageCollector;
class TxnRecords;

enum class IsolationLevel : uint8_t {
  kReadCommitted,   // a new snapshot per statement (RefreshSnapshot)
  kRepeatableRead,  // one snapshot for the whole transaction (snapshot isolation)
};

struct TxnOptions {
  IsolationLevel isolation = IsolationLevel::kRepeatableRead;
  // How long a write waits for another writer's lock; nullopt: the engine's
  // default, zero: forever (as PostgreSQL's lock_timeout = 0).
  std::optional<std::chrono::milliseconds> lock_timeout;
  // Cluster mode: when a read would have to wait on the prepare gate (it
  // reads a key a pending prepared transaction wrote), fail at once with
  // kGateBusy instead. For a read on a thread that must never block (a
  // storage node's I/O thread): the caller retries it where waiting is
  // allowed.
  bool no_gate_wait = false;
};

// Internal to the cluster (never shown to a client): a no_gate_wait read
// found its key held by a prepared transaction.
inline constexpr const char* kGateBusy = "TS001";

struct MvccOptions {
  EngineOptions engine;
  std::chrono::milliseconds lock_timeout{0};
  // Pause between background GC passes; zero disables the GC thread (tests
  // call Gc().RunPass() themselves).
  std::chrono::milliseconds gc_interval{10000};
  uint64_t timestamp_window = TimestampOracle::kDefaultWindow;
  // Cluster mode: commit and snapshot timestamps come from the caller (the
  // cluster's TSO), not the local oracle (see the overview above).
  bool external_timestamps = false;
  // Cluster mode: the longest a snapshot waits on the prepare gate for
  // undecided transactions before failing with 40001; zero or less:
  // forever. Commits already landing are waited for up to landing_wait (a
  // large secondary of a two-phase commit may take longer than prepare_wait
  // to write, and will finish).
  std::chrono::milliseconds prepare_wait{5000};
  std::chrono::milliseconds landing_wait{120000};
  // Cluster replication (storage/replication_log.h): every write transaction
  // also records what it changed, under a log position.
  bool replication_log = false;
  // A backup: applies its primary's log and writes nothing of its own (no
  // trimming of commit marks at open; set gc_interval to zero too).
  bool follower = false;
};

class MvccEngine final : public Engine {
 public:
  static std::unique_ptr<MvccEngine> Open(const std::string& dir, const MvccOptions& options = {});
  MvccEngine(const std::string& dir, const MvccOptions& options);
  // Every transaction must be gone before the engine closes.
  ~MvccEngine() override;

  // storage::Engine: REPEATABLE READ with the engine's lock timeout.
  std::unique_ptr<Transaction> Begin() override;
  std::unique_ptr<Transaction> BeginMeta() override;
  void DeleteRange(std::string_view start, std::string_view end) override;
  int64_t AllocateRange(std::string_view name, int64_t count) override;

  // Cluster mode: BeginAt(options, kNoTimestamp, space).
  std::unique_ptr<MvccTransaction> Begin(const TxnOptions& options, KeySpace space = KeySpace::kData);

  // --- Cluster mode (external_timestamps) only. ---
  // A transaction reading at `snapshot_ts` (it sees the commits at or below
  // it, i.e. below it, as the TSO never issues one timestamp twice), or at
  // the node's latest point when kNoTimestamp (every commit landed here
  // before the call is visible). Never waits: its reads wait on the prepare
  // gate for the keys they touch (40001 past prepare_wait, or landing_wait
  // while only landing commits remain). Throws 40001 if `snapshot_ts` is
  // below a GC horizon already used (its versions may be gone).
  std::unique_ptr<MvccTransaction> BeginAt(const TxnOptions& options, Timestamp snapshot_ts,
                                           KeySpace space = KeySpace::kData);
  // The newest commit timestamp landed on this node.
  Timestamp MaxCommitted();
  // The durable prepared transactions found at Open, locked and in the gate
  // since then, handed out once (later calls return none). Call right after
  // Open; any not taken are released in memory (not decided) at close.
  std::vector<std::unique_ptr<MvccTransaction>> RecoverPrepared();
  // Transaction records (txn_records.h): durable, opaque bytes per external id.
  std::optional<std::string> GetTxnRecord(std::string_view txn_id);
  // Writes the record unless one exists; returns the record now stored.
  std::string PutTxnRecordIfAbsent(std::string_view txn_id, std::string_view record);
  void DeleteTxnRecord(std::string_view txn_id);
  // The cluster's promise that no snapshot below `ts` will be requested any
  // more: the GC horizon never passes it. Until called the horizon follows
  // local state only (open snapshots, newest commit), and a late BeginAt
  // below a horizon already used fails with 40001.
  void SetGcSafePoint(Timestamp ts);
  size_t PreparedCount();

  // The replication log (nullptr unless MvccOptions::replication_log).
  ReplicationLog* Log() { return log_.get(); }
  // A backup: applies consecutive records of its primary's log, durably, in
  // one write transaction; returns the last position applied.
  uint64_t ApplyReplicated(const std::vector<PositionedRecord>& records);
  // Drops log records below `position` (never the last one), in write
  // transactions of a bounded size.
  void TrimReplicationLog(uint64_t position);

  bool External() const { return external_; }
  GarbageCollector& Gc() { return *gc_; }
  // The timestamp every commit so far is visible at (tests, monitoring);
  // cluster mode: what a "latest" snapshot would read at now.
  Timestamp Watermark();
  uint64_t OracleReservations();  // zero in cluster mode

  // --- For MvccTransaction and the GC. ---
  MDB_txn* AcquireReader() { return readers_.Acquire(env_); }
  void ReleaseReader(MDB_txn* txn) { readers_.Release(txn); }
  GroupCommitter& Committer() { return *committer_; }
  LockManager& Locks() { return locks_; }
  MDB_dbi Dbi(KeySpace space) const { return space == KeySpace::kData ? data_dbi_ : meta_dbi_; }
  size_t MaxUserKeySize() const { return max_user_key_size_; }
  // Largest key of the plain databases (external ids).
  size_t MaxPlainKeySize() const { return max_user_key_size_ + kTimestampSize; }
  std::chrono::milliseconds DefaultLockTimeout() const { return lock_timeout_; }
  TxnId NextTxnId() { return next_txn_id_.fetch_add(1); }
  // Embedded: at the watermark (`ts` must be kNoTimestamp), never pending.
  // Cluster mode: at `ts` or latest, registered with the prepare gate at
  // once (40001 if too old, see BeginAt); `pending` if a read may have to
  // wait (AwaitReadable).
  SnapshotRequest OpenSnapshotAt(Timestamp ts);
  // Cluster mode: waits (parking a fiber) until no transaction pending for
  // `request` touches `span`, or throws: kGateBusy at once if !wait, 40001
  // past prepare_wait (landing_wait while only landings remain). Updates
  // request.pending; true when nothing is pending any more, so an LMDB view
  // taken from now on holds every version the snapshot sees.
  bool AwaitReadable(SnapshotRequest& request, const ReadSpan& span, bool wait);
  void CloseSnapshot(Timestamp ts);
  // Embedded only: a commit timestamp from the local oracle, in flight.
  Timestamp BeginCommit();
  void FinishCommit(Timestamp ts);
  // Cluster mode, prepare_gate.h: joining (throws XX000 if `external_id` is
  // prepared here already), the floor, and the commit's steps. BeginCommitAt
  // throws XX000 unless commit_ts > max(floor, lower_bound).
  // `writes` (in `space`) is what the gate checks reads against; it must
  // not change until the transaction leaves the gate.
  PrepareTicket JoinPrepared(std::string_view external_id, Timestamp floor, const WriteSet* writes, KeySpace space);
  Timestamp PrepareFloor(PrepareTicket ticket);
  void BeginCommitAt(PrepareTicket ticket, Timestamp commit_ts, Timestamp lower_bound);
  void AbortCommitAt(PrepareTicket ticket);
  void FinishCommitAt(PrepareTicket ticket, bool landed);
  void LeavePrepared(PrepareTicket ticket);
  // Registers a recovered prepared transaction's snapshot (GC horizon).
  void RegisterRecoveredSnapshot(Timestamp ts);
  MDB_dbi PreparedDbi() const { return prepared_dbi_; }
  MDB_dbi CommitMarksDbi() const { return commit_marks_dbi_; }
  TxnRecords& Records() { return *records_; }
  // Cluster mode also persists the GC floor before returning the horizon.
  Timestamp GcHorizon();
  // Cluster mode: drops commit marks below the newest (durable_clock.h); the
  // GC calls it after each pass.
  void TrimCommitMarks();

 private:
  void OpenDatabases(bool replication_log);
  void OpenClusterState(bool follower);
  int64_t Allocate(std::string_view key, int64_t count);
  void PersistGcFloor(Timestamp floor);

  MDB_env* env_ = nullptr;
  MDB_dbi data_dbi_ = 0;
  MDB_dbi meta_dbi_ = 0;
  MDB_dbi plain_meta_dbi_ = 0;
  MDB_dbi prepared_dbi_ = 0;
  MDB_dbi records_dbi_ = 0;
  MDB_dbi commit_marks_dbi_ = 0;
  size_t max_user_key_size_ = 0;
  std::chrono::milliseconds lock_timeout_;
  bool external_ = false;
  std::chrono::milliseconds prepare_wait_;
  std::chrono::milliseconds landing_wait_;
  std::unique_ptr<ReplicationLog> log_;  // before committer_: it outlives the committer's last use
  std::unique_ptr<GroupCommitter> committer_;
  ReaderPool readers_;
  LockManager locks_;
  std::atomic<TxnId> next_txn_id_{1};
  // Guards the oracle and the tracker: a commit timestamp must be handed out
  // and registered in flight in one step (snapshot_tracker.h). In cluster
  // mode it guards the gate instead, and snapshots wait in gate_waiters_.
  std::mutex ts_mutex_;
  // Reads waiting at the gate (guarded by ts_mutex_). A WaitList, not a
  // condition variable: a request handler runs on a fiber, and a wait parks
  // it instead of holding a worker, so waiting reads cannot take every
  // worker from the commit they wait for.
  WaitList gate_waiters_;
  // Wakes every waiting snapshot to look at the gate again (ts_mutex_ not held).
  void WakeGateWaiters();
  std::unique_ptr<TimestampOracle> oracle_;      // embedded only
  std::unique_ptr<SnapshotTracker> tracker_;     // embedded only
  std::unique_ptr<PrepareGate> gate_;            // cluster mode only
  Timestamp persisted_gc_floor_ = kNoTimestamp;  // under gc_floor_mutex_
  std::mutex gc_floor_mutex_;
  std::unique_ptr<TxnRecords> records_;
  std::vector<std::unique_ptr<MvccTransaction>> recovered_;
  std::unique_ptr<GarbageCollector> gc_;
};

}  // namespace tessera::storage::mvcc
