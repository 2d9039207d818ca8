// Savepoints in the MVCC transaction: the undo log restores the write set
// to a mark and gives back the locks of keys first written after it.
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "storage/mvcc/lock_table.h"
#include "tests/unit/storage_mvcc/mvcc_test_util.h"

namespace tessera::storage::mvcc {
namespace {

using namespace std::chrono_literals;

TEST_F(MvccTest, RollbackToMarkRestoresTheWriteSet) {
  PutCommitted("a", "a0");
  PutCommitted("b", "b0");
  auto txn = Begin();
  txn->Put("a", "a1");
  txn->KeepUndo();
  size_t mark = txn->UndoMark();
  txn->Put("a", "a2");   // rewrite of a key written before the mark
  txn->Delete("b");      // first write after the mark
  txn->Put("c", "c1");   // a new key
  txn->Put("c", "c2");   // and its rewrite
  EXPECT_EQ(txn->Get("a"), "a2");
  EXPECT_EQ(txn->Get("b"), std::nullopt);
  txn->RollbackToMark(mark);
  EXPECT_EQ(txn->Get("a"), "a1");
  EXPECT_EQ(txn->Get("b"), "b0");
  EXPECT_EQ(txn->Get("c"), std::nullopt);
  EXPECT_EQ(txn->Writes().size(), 1u);
  EXPECT_EQ(txn->UndoMark(), mark);
  // The savepoint stays usable: write again and roll back again.
  txn->Put("c", "c3");
  txn->RollbackToMark(mark);
  EXPECT_EQ(txn->Get("c"), std::nullopt);
  txn->Put("d", "d1");
  txn->Commit();
  EXPECT_EQ(ReadCommitted("a"), "a1");
  EXPECT_EQ(ReadCommitted("b"), "b0");
  EXPECT_EQ(ReadCommitted("c"), std::nullopt);
  EXPECT_EQ(ReadCommitted("d"), "d1");
}

TEST_F(MvccTest, NestedMarksUndoNewestFirst) {
  auto txn = Begin();
  txn->KeepUndo();
  size_t outer = txn->UndoMark();
  txn->Put("k", "1");
  size_t inner = txn->UndoMark();
  txn->Put("k", "2");
  txn->Delete("k");
  txn->RollbackToMark(inner);
  EXPECT_EQ(txn->Get("k"), "1");
  txn->Put("k", "3");
  txn->RollbackToMark(outer);
  EXPECT_EQ(txn->Get("k"), std::nullopt);
  EXPECT_FALSE(txn->HasWrites());
  txn->Commit();
  EXPECT_EQ(ReadCommitted("k"), std::nullopt);
}

TEST_F(MvccTest, RollbackToMarkReleasesLocksTakenAfterIt) {
  PutCommitted("before", "0");
  PutCommitted("after", "0");
  auto first = Begin(IsolationLevel::kReadCommitted);
  first->Put("before", "1");
  first->KeepUndo();
  size_t mark = first->UndoMark();
  first->Put("after", "1");
  first->Put("before", "2");  // a rewrite keeps the lock taken before the mark
  auto second = Begin(IsolationLevel::kReadCommitted);
  std::atomic<bool> done{false};
  auto waiter = std::async(std::launch::async, [&] {
    second->Put("after", "second");
    done = true;
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(done.load()) << "the second writer waits for the lock on \"after\"";
  first->RollbackToMark(mark);
  waiter.get();  // granted at the rollback, not at the first's end
  EXPECT_TRUE(done.load());
  auto third = Begin(IsolationLevel::kReadCommitted);
  EXPECT_TRUE(third->LockedByOther("before")) << "the lock taken before the mark stays";
  third->Rollback();
  second->Commit();
  first->Commit();
  EXPECT_EQ(ReadCommitted("before"), "1");
  EXPECT_EQ(ReadCommitted("after"), "second");
}

TEST_F(MvccTest, FailedWriteDoesNotKeepItsLock) {
  PutCommitted("k", "v0");
  auto txn = Begin(IsolationLevel::kRepeatableRead);
  txn->KeepUndo();
  size_t mark = txn->UndoMark();
  PutCommitted("k", "v1");  // after the snapshot: the write below is 40001
  EXPECT_EQ(SqlstateOf([&] { txn->Put("k", "mine"); }), "40001");
  txn->RollbackToMark(mark);
  auto other = Begin();
  EXPECT_FALSE(other->LockedByOther("k"));
  other->Put("k", "other");
  other->Commit();
  txn->Rollback();
  EXPECT_EQ(ReadCommitted("k"), "other");
}

TEST_F(MvccTest, DropUndoStopsRecording) {
  auto txn = Begin();
  txn->KeepUndo();
  txn->Put("k", "1");
  EXPECT_EQ(txn->UndoMark(), 1u);
  txn->DropUndo();
  EXPECT_EQ(txn->UndoMark(), 0u);
  txn->Put("k", "2");
  EXPECT_EQ(txn->UndoMark(), 0u);
  txn->Commit();
  EXPECT_EQ(ReadCommitted("k"), "2");
}

TEST(LockTableTest, ReleasesChosenKeysOnly) {
  LockTable table;
  EXPECT_EQ(table.Acquire(1, "a"), AcquireResult::kGranted);
  EXPECT_EQ(table.Acquire(1, "b"), AcquireResult::kGranted);
  EXPECT_EQ(table.Acquire(2, "b"), AcquireResult::kWaiting);
  EXPECT_EQ(table.Release(1, {"b", "not-held"}), std::vector<TxnId>{2});
  EXPECT_EQ(table.Holder("a"), TxnId{1});
  EXPECT_EQ(table.Holder("b"), TxnId{2});
  EXPECT_EQ(table.ReleaseAll(1), std::vector<TxnId>{});
  EXPECT_EQ(table.Holder("a"), std::nullopt);
  EXPECT_TRUE(table.ReleaseAll(2).empty());
  EXPECT_EQ(table.LockedKeys(), 0u);
}

}  // namespace
}  // namespace tessera::storage::mvcc
