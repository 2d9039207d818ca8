// The write lock table: which transaction holds the write lock on each key,
// who queues behind it, and the wait-for graph that spots deadlocks.
//
// A transaction locks a key when it first writes it (Put/Delete), not at
// commit, so a second writer learns of the conflict at its statement, as in
// PostgreSQL, and waits for the first to finish instead of racing it. Locks
// live until commit or rollback. Plain readers never take locks; SELECT ...
// FOR UPDATE takes the same exclusive lock without writing the row. There
// are no shared locks: FOR SHARE and FOR KEY SHARE are refused (0A000).
//
// Deadlocks are found on enqueue: a waiter waits for exactly one key, so the
// wait-for graph has at most one edge out of each transaction (to that key's
// holder) and a cycle check is a walk along a chain. A new edge is the only
// thing that can close a cycle (a newly granted holder waits for nothing),
// so checking each enqueue keeps the graph acyclic, and the transaction that
// would close the cycle is the one refused. That is deterministic and costs
// nothing while there are no waits; PostgreSQL instead waits deadlock_timeout
// before checking, to avoid the graph walk on short waits.
//
// Deterministic core: no threads, no clock; LockManager adds those.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace tessera::storage::mvcc {

using TxnId = uint64_t;

enum class AcquireResult : uint8_t { kGranted, kWaiting, kDeadlock };

class LockTable {
 public:
  // Grants at once if the key is free or already ours; otherwise queues the
  // transaction behind the holder, unless that would close a wait-for cycle.
  // A transaction waits for one key at a time.
  AcquireResult Acquire(TxnId txn, const std::string& key);
  // Grants at once if the key is free or already ours, else refuses without
  // queueing (SELECT ... FOR UPDATE NOWAIT / SKIP LOCKED).
  bool TryLock(TxnId txn, const std::string& key);
  // Leaves the queue it waits in (timeout, cancel); false if not waiting.
  bool CancelWait(TxnId txn);
  // Drops every lock and wait of `txn`; each freed key passes to the first
  // transaction queued for it. Returns those newly granted, in grant order.
  std::vector<TxnId> ReleaseAll(TxnId txn);
  // Drops the locks of `txn` on `keys` (ROLLBACK TO SAVEPOINT: the keys it
  // first wrote after the savepoint); keys it does not hold are skipped.
  // Returns those newly granted, as ReleaseAll.
  std::vector<TxnId> Release(TxnId txn, const std::vector<std::string>& keys);

  bool IsWaiting(TxnId txn) const { return waiting_.count(txn) != 0; }
  // Every wait as (waiter, holder): this table's part of a wait-for graph
  // that spans nodes (a cluster's deadlock detector joins them).
  std::vector<std::pair<TxnId, TxnId>> WaitEdges() const;
  std::optional<TxnId> Holder(const std::string& key) const;
  // Every held key starting with `prefix`, with its holder (a walk of all locks).
  std::vector<std::pair<std::string, TxnId>> HeldWithPrefix(const std::string& prefix) const;
  size_t LockedKeys() const { return locks_.size(); }

 private:
  struct Entry {
    TxnId holder = 0;
    // Usually empty, and then a vector allocates nothing: libstdc++'s
    // std::deque allocated 576 bytes for every lock, most of a write's cost
    // in memory. Queues are short; taking the first waiter shifts the rest.
    std::vector<TxnId> waiters;
  };

  // Frees `key`, held by `txn`: to its first waiter (appended to `granted`), or gone.
  void HandOver(TxnId txn, std::string key, std::vector<TxnId>& granted);
  // True if `holder` already waits, directly or through others, for `waiter`.
  bool WouldDeadlock(TxnId waiter, TxnId holder) const;

  std::unordered_map<std::string, Entry> locks_;
  std::unordered_map<TxnId, std::vector<std::string>> held_;
  std::unordered_map<TxnId, std::string> waiting_;  // waiter -> key
};

}  // namespace tessera::storage::mvcc
