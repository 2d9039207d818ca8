#include "storage/mvcc/lock_manager.h"

#include <memory>
#include <vector>

#include "common/error.h"
#include "common/fiber.h"

namespace tessera::storage::mvcc {

AcquireResult LockManager::TryAcquire(TxnId txn, const std::string& key, Waker on_granted) {
  std::lock_guard lock(mutex_);
  AcquireResult result = table_.Acquire(txn, key);
  if (result == AcquireResult::kWaiting) {
    wakers_[txn] = std::move(on_granted);
    waiting_since_[txn] = std::chrono::steady_clock::now();
  }
  return result;
}

bool LockManager::TryLock(TxnId txn, const std::string& key) {
  std::lock_guard lock(mutex_);
  return table_.TryLock(txn, key);
}

bool LockManager::CancelWait(TxnId txn) {
  std::lock_guard lock(mutex_);
  if (!table_.CancelWait(txn)) return false;
  wakers_.erase(txn);
  waiting_since_.erase(txn);
  return true;
}

void LockManager::ReleaseAll(TxnId txn) {
  std::vector<Waker> to_wake;
  {
    std::lock_guard lock(mutex_);
    wakers_.erase(txn);
    waiting_since_.erase(txn);
    interrupted_.erase(txn);
    to_wake = TakeWakers(table_.ReleaseAll(txn));
  }
  // Outside the mutex: a waker may resume its transaction inline, which
  // may take locks again.
  for (Waker& wake : to_wake) wake();
}

void LockManager::Release(TxnId txn, const std::vector<std::string>& keys) {
  std::vector<Waker> to_wake;
  {
    std::lock_guard lock(mutex_);
    to_wake = TakeWakers(table_.Release(txn, keys));
  }
  for (Waker& wake : to_wake) wake();  // outside the mutex, as in ReleaseAll
}

std::vector<LockManager::Waker> LockManager::TakeWakers(const std::vector<TxnId>& granted) {
  std::vector<Waker> to_wake;
  for (TxnId txn : granted) {
    waiting_since_.erase(txn);
    auto it = wakers_.find(txn);
    if (it == wakers_.end()) continue;
    to_wake.push_back(std::move(it->second));
    wakers_.erase(it);
  }
  return to_wake;
}

void LockManager::Acquire(TxnId txn, const std::string& key, std::chrono::milliseconds timeout) {
  // On a session fiber the wait parks the fiber and frees its worker; on a
  // plain thread it blocks (common/fiber.h). Shared: the waker may run after
  // this function returned on a timeout race.
  auto slot = WaitSlot::Make();
  AcquireResult result = TryAcquire(txn, key, [slot] { slot->Wake(); });
  if (result == AcquireResult::kGranted) return;
  if (result == AcquireResult::kDeadlock) throw SqlError(sqlstate::kDeadlockDetected, "deadlock detected");
  if (slot->Wait(timeout)) {
    InterruptReason reason;
    {
      std::lock_guard guard(mutex_);
      auto it = interrupted_.find(txn);
      if (it == interrupted_.end()) return;
      reason = it->second;
      interrupted_.erase(it);
    }
    if (reason == InterruptReason::kDeadlock)
      throw SqlError(sqlstate::kDeadlockDetected, "deadlock detected",
                     "The transaction waited for a lock in a cycle of waits that spans storage nodes.");
    throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to user request");
  }
  // Either we withdraw in time, or the grant won the race and the lock is ours.
  if (CancelWait(txn)) throw SqlError(kLockNotAvailable, "canceling statement due to lock timeout");
}

bool LockManager::Interrupt(TxnId txn, InterruptReason reason) {
  Waker waker;
  {
    std::lock_guard lock(mutex_);
    if (!table_.CancelWait(txn)) return false;
    waiting_since_.erase(txn);
    auto it = wakers_.find(txn);
    if (it != wakers_.end()) {
      waker = std::move(it->second);
      wakers_.erase(it);
    }
    interrupted_[txn] = reason;
  }
  if (waker) waker();
  return true;
}

std::vector<LockManager::WaitEdge> LockManager::WaitEdges() const {
  std::lock_guard lock(mutex_);
  auto now = std::chrono::steady_clock::now();
  std::vector<WaitEdge> edges;
  for (auto& [waiter, holder] : table_.WaitEdges()) {
    auto since = waiting_since_.find(waiter);
    auto waited = since == waiting_since_.end() ? std::chrono::milliseconds(0)
                                                : std::chrono::duration_cast<std::chrono::milliseconds>(now - since->second);
    edges.push_back({waiter, holder, waited});
  }
  return edges;
}

std::vector<std::pair<std::string, TxnId>> LockManager::HeldWithPrefix(const std::string& prefix) const {
  std::lock_guard lock(mutex_);
  return table_.HeldWithPrefix(prefix);
}

std::optional<TxnId> LockManager::Holder(const std::string& key) const {
  std::lock_guard lock(mutex_);
  return table_.Holder(key);
}

size_t LockManager::LockedKeys() const {
  std::lock_guard lock(mutex_);
  return table_.LockedKeys();
}

}  // namespace tessera::storage::mvcc
