#include "storage/mvcc/lock_table.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "common/error.h"
#include "storage/mvcc/lock_manager.h"

#include "storage/mvcc/snapshot_tracker.h"
#include "storage/mvcc/timestamp_oracle.h"

namespace tessera::storage::mvcc {
namespace {

TEST(LockTableTest, GrantsQueuesAndHandsOverInOrder) {
  LockTable table;
  EXPECT_EQ(table.Acquire(1, "k"), AcquireResult::kGranted);
  EXPECT_EQ(table.Acquire(1, "k"), AcquireResult::kGranted);  // re-entrant
  EXPECT_EQ(table.Acquire(2, "k"), AcquireResult::kWaiting);
  EXPECT_EQ(table.Acquire(3, "k"), AcquireResult::kWaiting);
  EXPECT_EQ(table.ReleaseAll(1), std::vector<TxnId>{2});
  EXPECT_EQ(table.Holder("k"), TxnId{2});
  EXPECT_TRUE(table.IsWaiting(3));
  EXPECT_EQ(table.ReleaseAll(2), std::vector<TxnId>{3});
  EXPECT_TRUE(table.ReleaseAll(3).empty());
  EXPECT_EQ(table.LockedKeys(), 0u);
}

TEST(LockTableTest, ListsHeldKeysByPrefix) {
  LockTable table;
  table.Acquire(1, "t1/a");
  table.Acquire(2, "t1/b");
  table.Acquire(3, "t2/a");
  table.Acquire(3, "t1/a");  // waits: not a holder of t1/a
  auto held = table.HeldWithPrefix("t1/");
  std::sort(held.begin(), held.end());
  EXPECT_EQ(held, (std::vector<std::pair<std::string, TxnId>>{{"t1/a", 1}, {"t1/b", 2}}));
  table.ReleaseAll(1);
  held = table.HeldWithPrefix("t1/");
  std::sort(held.begin(), held.end());
  EXPECT_EQ(held, (std::vector<std::pair<std::string, TxnId>>{{"t1/a", 3}, {"t1/b", 2}}));
}

TEST(LockTableTest, RefusesTheWaitThatClosesACycle) {
  LockTable table;
  ASSERT_EQ(table.Acquire(1, "a"), AcquireResult::kGranted);
  ASSERT_EQ(table.Acquire(2, "b"), AcquireResult::kGranted);
  ASSERT_EQ(table.Acquire(3, "c"), AcquireResult::kGranted);
  EXPECT_EQ(table.Acquire(1, "b"), AcquireResult::kWaiting);   // 1 -> 2
  EXPECT_EQ(table.Acquire(2, "c"), AcquireResult::kWaiting);   // 2 -> 3
  EXPECT_EQ(table.Acquire(3, "a"), AcquireResult::kDeadlock);  // 3 -> 1 would close it
  EXPECT_FALSE(table.IsWaiting(3));
  // Once 3 gives up, the chain unwinds.
  EXPECT_EQ(table.ReleaseAll(3), std::vector<TxnId>{2});
  EXPECT_EQ(table.ReleaseAll(2), std::vector<TxnId>{1});
}

TEST(LockTableTest, CancelledWaiterIsSkipped) {
  LockTable table;
  ASSERT_EQ(table.Acquire(1, "k"), AcquireResult::kGranted);
  ASSERT_EQ(table.Acquire(2, "k"), AcquireResult::kWaiting);
  EXPECT_TRUE(table.CancelWait(2));
  EXPECT_FALSE(table.CancelWait(2));
  EXPECT_TRUE(table.ReleaseAll(1).empty());
  EXPECT_EQ(table.LockedKeys(), 0u);
}

TEST(LockTableTest, ReportsWaitEdges) {
  LockTable t;
  EXPECT_EQ(t.Acquire(1, "a"), AcquireResult::kGranted);
  EXPECT_EQ(t.Acquire(2, "b"), AcquireResult::kGranted);
  EXPECT_EQ(t.Acquire(3, "a"), AcquireResult::kWaiting);
  EXPECT_EQ(t.Acquire(1, "b"), AcquireResult::kWaiting);
  auto edges = t.WaitEdges();
  std::sort(edges.begin(), edges.end());
  ASSERT_EQ(edges.size(), 2u);
  EXPECT_EQ(edges[0], std::make_pair(TxnId{1}, TxnId{2}));
  EXPECT_EQ(edges[1], std::make_pair(TxnId{3}, TxnId{1}));
  t.ReleaseAll(2);  // 1 gets b
  ASSERT_EQ(t.WaitEdges().size(), 1u);
}

// A deadlock found elsewhere (across nodes) fails the blocked wait with
// 40P01, not the 57014 of a cancel, and the wait no longer shows.
TEST(LockManagerTest, InterruptForDeadlockFailsTheWaitWith40P01) {
  LockManager locks;
  locks.Acquire(1, "k", std::chrono::milliseconds(0));
  std::string sqlstate;
  std::thread waiter([&] {
    try {
      locks.Acquire(2, "k", std::chrono::milliseconds(10000));
    } catch (const SqlError& e) {
      sqlstate = e.Sqlstate();
    }
  });
  while (locks.WaitEdges().empty()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  auto edges = locks.WaitEdges();
  ASSERT_EQ(edges.size(), 1u);
  EXPECT_EQ(edges[0].waiter, 2u);
  EXPECT_EQ(edges[0].holder, 1u);
  EXPECT_TRUE(locks.Interrupt(2, LockManager::InterruptReason::kDeadlock));
  waiter.join();
  EXPECT_EQ(sqlstate, "40P01");
  EXPECT_TRUE(locks.WaitEdges().empty());
  EXPECT_FALSE(locks.Interrupt(2, LockManager::InterruptReason::kDeadlock));
}

TEST(TimestampOracleTest, ReservesWindowsBeforeUse) {
  uint64_t persisted_next = 1;  // what a durable counter would hold
  auto reserve = [&persisted_next](uint64_t count) {
    Timestamp first = persisted_next;
    persisted_next += count;
    return first;
  };
  TimestampOracle oracle(reserve, 3);
  EXPECT_EQ(oracle.Last(), 0u);
  EXPECT_EQ(persisted_next, 4u);
  EXPECT_EQ(oracle.Next(), 1u);
  EXPECT_EQ(oracle.Next(), 2u);
  EXPECT_EQ(oracle.Next(), 3u);
  EXPECT_EQ(oracle.Next(), 4u);  // a new window, persisted first
  EXPECT_EQ(persisted_next, 7u);
  // A "restart" resumes above everything handed out.
  TimestampOracle restarted(reserve, 3);
  EXPECT_GT(restarted.Next(), 4u);
}

TEST(SnapshotTrackerTest, WatermarkStaysBelowCommitsInFlight) {
  uint64_t next = 1;
  TimestampOracle oracle(
      [&next](uint64_t count) {
        Timestamp f = next;
        next += count;
        return f;
      },
      100);
  SnapshotTracker tracker(&oracle);
  Timestamp a = tracker.BeginCommit();
  Timestamp b = tracker.BeginCommit();
  EXPECT_EQ(tracker.Watermark(), a - 1);
  tracker.FinishCommit(b);  // b landed first: still hidden behind a
  EXPECT_EQ(tracker.Watermark(), a - 1);
  tracker.FinishCommit(a);
  EXPECT_EQ(tracker.Watermark(), b);
  Timestamp s = tracker.OpenSnapshot();
  Timestamp c = tracker.BeginCommit();
  tracker.FinishCommit(c);
  EXPECT_GT(tracker.Watermark(), s);
  EXPECT_EQ(tracker.GcHorizon(), s);  // the open snapshot holds it back
  tracker.CloseSnapshot(s);
  EXPECT_EQ(tracker.GcHorizon(), c);
}

}  // namespace
}  // namespace tessera::storage::mvcc
