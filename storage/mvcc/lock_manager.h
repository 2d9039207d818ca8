// Thread-safe edge around LockTable: a mutex, and the two ways a transaction
// waits for a lock.
//  - TryAcquire never blocks. On kWaiting the caller parks (a coroutine or
//    a session state machine, holding no thread) and `on_granted` runs once
//    the lock passes to it, on the releasing thread; the caller then
//    continues its write. To give up (statement timeout, cancel), it calls
//    CancelWait; if that returns false the lock was granted meanwhile.
//  - Acquire waits, with a timeout, on top of TryAcquire: on a session fiber
//    it parks the fiber and gives the worker thread back (common/fiber.h),
//    elsewhere it blocks the thread.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "storage/mvcc/lock_table.h"

namespace tessera::storage::mvcc {

// PostgreSQL's lock_not_available, which common/error.h does not name yet.
inline constexpr const char* kLockNotAvailable = "55P03";

class LockManager {
 public:
  using Waker = std::function<void()>;

  AcquireResult TryAcquire(TxnId txn, const std::string& key, Waker on_granted);
  // Never waits: true if granted (the key was free or already ours).
  bool TryLock(TxnId txn, const std::string& key);
  // True if the wait was withdrawn; false if the lock was granted first
  // (its waker has run or is about to).
  bool CancelWait(TxnId txn);
  // Frees every lock of `txn` and runs the wakers of those granted them.
  void ReleaseAll(TxnId txn);
  // Frees the locks of `txn` on `keys` only (LockTable::Release).
  void Release(TxnId txn, const std::vector<std::string>& keys);
  // Blocks until granted. Throws SqlError 40P01 when waiting would deadlock,
  // 55P03 after `timeout` (zero or less: wait forever, PostgreSQL's
  // lock_timeout = 0).
  void Acquire(TxnId txn, const std::string& key, std::chrono::milliseconds timeout);

  // Ends a blocked Acquire of `txn` early: for a query cancel or a dropped
  // connection it throws 57014, for a deadlock found across nodes 40P01.
  // False if `txn` was not waiting.
  enum class InterruptReason : uint8_t { kCancel, kDeadlock };
  bool Interrupt(TxnId txn, InterruptReason reason = InterruptReason::kCancel);

  struct WaitEdge {
    TxnId waiter = 0;
    TxnId holder = 0;
    std::chrono::milliseconds waited{0};
  };
  // Every current wait, and how long it has lasted.
  std::vector<WaitEdge> WaitEdges() const;

  size_t LockedKeys() const;
  std::vector<std::pair<std::string, TxnId>> HeldWithPrefix(const std::string& prefix) const;
  std::optional<TxnId> Holder(const std::string& key) const;

 private:
  // With mutex_ held: the wakers of transactions just granted a lock.
  std::vector<Waker> TakeWakers(const std::vector<TxnId>& granted);

  mutable std::mutex mutex_;
  LockTable table_;
  std::unordered_map<TxnId, Waker> wakers_;
  std::unordered_map<TxnId, std::chrono::steady_clock::time_point> waiting_since_;
  std::unordered_map<TxnId, InterruptReason> interrupted_;
};

}  // namespace tessera::storage::mvcc
