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
// holds the counters of AllocateRange and the oracle's reservation.
#pragma once

#include <lmdb.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "storage/engine.h"
#include "storage/group_committer.h"
#include "storage/reader_pool.h"
#include "storage/mvcc/lock_manager.h"
#include "storage/mvcc/snapshot_tracker.h"
#include "storage/mvcc/timestamp_oracle.h"

namespace tessera::storage::mvcc {

class MvccTransaction;
class GarbageCollector;

enum class IsolationLevel : uint8_t {
  kReadCommitted,   // a new snapshot per statement (RefreshSnapshot)
  kRepeatableRead,  // one snapshot for the whole transaction (snapshot isolation)
};

// Which versioned key space a transaction works on.
enum class KeySpace : uint8_t { kData, kMeta };

struct TxnOptions {
  IsolationLevel isolation = IsolationLevel::kRepeatableRead;
  // How long a write waits for another writer's lock; nullopt: the engine's
  // default, zero: forever (as PostgreSQL's lock_timeout = 0).
  std::optional<std::chrono::milliseconds> lock_timeout;
};

struct MvccOptions {
  EngineOptions engine;
  std::chrono::milliseconds lock_timeout{0};
  // Pause between background GC passes; zero disables the GC thread (tests
  // call Gc().RunPass() themselves).
  std::chrono::milliseconds gc_interval{10000};
  uint64_t timestamp_window = TimestampOracle::kDefaultWindow;
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

  std::unique_ptr<MvccTransaction> Begin(const TxnOptions& options, KeySpace space = KeySpace::kData);

  GarbageCollector& Gc() { return *gc_; }
  // The timestamp every commit so far is visible at (tests, monitoring).
  Timestamp Watermark();
  uint64_t OracleReservations();

  // --- For MvccTransaction and the GC. ---
  MDB_txn* AcquireReader() { return readers_.Acquire(env_); }
  void ReleaseReader(MDB_txn* txn) { readers_.Release(txn); }
  GroupCommitter& Committer() { return *committer_; }
  LockManager& Locks() { return locks_; }
  MDB_dbi Dbi(KeySpace space) const { return space == KeySpace::kData ? data_dbi_ : meta_dbi_; }
  size_t MaxUserKeySize() const { return max_user_key_size_; }
  std::chrono::milliseconds DefaultLockTimeout() const { return lock_timeout_; }
  TxnId NextTxnId() { return next_txn_id_.fetch_add(1); }
  Timestamp OpenSnapshot();
  void CloseSnapshot(Timestamp ts);
  Timestamp BeginCommit();
  void FinishCommit(Timestamp ts);
  Timestamp GcHorizon();

 private:
  void OpenDatabases();
  int64_t Allocate(std::string_view key, int64_t count);

  MDB_env* env_ = nullptr;
  MDB_dbi data_dbi_ = 0;
  MDB_dbi meta_dbi_ = 0;
  MDB_dbi plain_meta_dbi_ = 0;
  size_t max_user_key_size_ = 0;
  std::chrono::milliseconds lock_timeout_;
  std::unique_ptr<GroupCommitter> committer_;
  ReaderPool readers_;
  LockManager locks_;
  std::atomic<TxnId> next_txn_id_{1};
  // Guards the oracle and the tracker: a commit timestamp must be handed out
  // and registered in flight in one step (snapshot_tracker.h).
  std::mutex ts_mutex_;
  std::unique_ptr<TimestampOracle> oracle_;
  std::unique_ptr<SnapshotTracker> tracker_;
  std::unique_ptr<GarbageCollector> gc_;
};

}  // namespace tessera::storage::mvcc
