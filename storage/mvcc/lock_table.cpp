#include "storage/mvcc/lock_table.h"

#include <algorithm>

#include "common/error.h"

namespace tessera::storage::mvcc {

AcquireResult LockTable::Acquire(TxnId txn, const std::string& key) {
  TS_ASSERT(!IsWaiting(txn), "a transaction waits for one lock at a time");
  auto [it, inserted] = locks_.try_emplace(key);
  Entry& entry = it->second;
  if (inserted) {
    entry.holder = txn;
    held_[txn].push_back(key);
    return AcquireResult::kGranted;
  }
  if (entry.holder == txn) return AcquireResult::kGranted;
  if (WouldDeadlock(txn, entry.holder)) return AcquireResult::kDeadlock;
  entry.waiters.push_back(txn);
  waiting_.emplace(txn, key);
  return AcquireResult::kWaiting;
}

bool LockTable::TryLock(TxnId txn, const std::string& key) {
  TS_ASSERT(!IsWaiting(txn), "a transaction waits for one lock at a time");
  auto [it, inserted] = locks_.try_emplace(key);
  if (!inserted) return it->second.holder == txn;
  it->second.holder = txn;
  held_[txn].push_back(key);
  return true;
}

bool LockTable::WouldDeadlock(TxnId waiter, TxnId holder) const {
  // The graph is acyclic (every enqueue is checked), so this walk ends; the
  // bound only guards against a broken invariant.
  for (size_t steps = 0; steps <= waiting_.size() + 1; ++steps) {
    if (holder == waiter) return true;
    auto wait = waiting_.find(holder);
    if (wait == waiting_.end()) return false;
    holder = locks_.at(wait->second).holder;
  }
  TS_ASSERT(false, "wait-for graph is acyclic");
  return true;
}

std::vector<std::pair<TxnId, TxnId>> LockTable::WaitEdges() const {
  std::vector<std::pair<TxnId, TxnId>> edges;
  edges.reserve(waiting_.size());
  for (auto& [waiter, key] : waiting_) edges.emplace_back(waiter, locks_.at(key).holder);
  return edges;
}

bool LockTable::CancelWait(TxnId txn) {
  auto wait = waiting_.find(txn);
  if (wait == waiting_.end()) return false;
  std::vector<TxnId>& waiters = locks_.at(wait->second).waiters;
  waiters.erase(std::find(waiters.begin(), waiters.end(), txn));
  waiting_.erase(wait);
  return true;
}

std::vector<TxnId> LockTable::ReleaseAll(TxnId txn) {
  CancelWait(txn);
  std::vector<TxnId> granted;
  auto held = held_.find(txn);
  if (held == held_.end()) return granted;
  std::vector<std::string> keys = std::move(held->second);
  held_.erase(held);
  for (std::string& key : keys) HandOver(txn, std::move(key), granted);
  return granted;
}

std::vector<TxnId> LockTable::Release(TxnId txn, const std::vector<std::string>& keys) {
  std::vector<TxnId> granted;
  auto held = held_.find(txn);
  if (held == held_.end()) return granted;
  std::vector<std::string>& mine = held->second;
  for (const std::string& key : keys) {
    auto it = std::find(mine.rbegin(), mine.rend(), key);  // the newest locks are the likely ones
    if (it == mine.rend()) continue;
    mine.erase(std::next(it).base());
    HandOver(txn, key, granted);
  }
  if (mine.empty()) held_.erase(txn);  // by key: HandOver may have rehashed held_
  return granted;
}

void LockTable::HandOver(TxnId txn, std::string key, std::vector<TxnId>& granted) {
  auto it = locks_.find(key);
  TS_ASSERT(it != locks_.end() && it->second.holder == txn, "released lock is held");
  Entry& entry = it->second;
  if (entry.waiters.empty()) {
    locks_.erase(it);
    return;
  }
  // FIFO hand-over: the longest waiter goes first, so none starves. The
  // rest now wait for the new holder; their graph edges follow implicitly.
  TxnId next = entry.waiters.front();
  entry.waiters.erase(entry.waiters.begin());
  entry.holder = next;
  waiting_.erase(next);
  held_[next].push_back(std::move(key));
  granted.push_back(next);
}

std::vector<std::pair<std::string, TxnId>> LockTable::HeldWithPrefix(const std::string& prefix) const {
  std::vector<std::pair<std::string, TxnId>> held;
  for (const auto& [key, entry] : locks_)
    if (key.compare(0, prefix.size(), prefix) == 0) held.emplace_back(key, entry.holder);
  return held;
}

std::optional<TxnId> LockTable::Holder(const std::string& key) const {
  auto it = locks_.find(key);
  if (it == locks_.end()) return std::nullopt;
  return it->second.holder;
}

}  // namespace tessera::storage::mvcc
