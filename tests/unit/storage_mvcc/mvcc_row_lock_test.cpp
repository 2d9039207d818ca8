// SELECT ... FOR UPDATE's row locks (MvccTransaction::LockRowForSelect): a
// write lock without a write, NOWAIT's refusal, the re-read under READ
// COMMITTED, and what savepoints and commit do with them.
#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "tests/unit/storage_mvcc/mvcc_test_util.h"

namespace tessera::storage::mvcc {
namespace {

using namespace std::chrono_literals;

TEST(LockTableTest, TryLockNeverQueues) {
  LockTable table;
  EXPECT_TRUE(table.TryLock(1, "k"));
  EXPECT_TRUE(table.TryLock(1, "k"));  // ours already
  EXPECT_FALSE(table.TryLock(2, "k"));
  EXPECT_FALSE(table.IsWaiting(2));
  EXPECT_TRUE(table.ReleaseAll(1).empty());  // nobody queued
  EXPECT_TRUE(table.TryLock(2, "k"));
}

TEST_F(MvccTest, SelectLockBlocksWritersAndWritesNothing) {
  PutCommitted("k", "v0");
  auto locker = Begin(IsolationLevel::kReadCommitted);
  auto lock = locker->LockRowForSelect("k", false);
  EXPECT_TRUE(lock.obtained);
  EXPECT_FALSE(lock.changed);
  EXPECT_FALSE(locker->HasWrites());
  auto other = Begin(IsolationLevel::kReadCommitted);
  EXPECT_FALSE(other->LockRowForSelect("k", true).obtained);  // NOWAIT
  std::atomic<bool> finished{false};
  auto result = std::async(std::launch::async, [&] {
    std::string state = SqlstateOf([&] { other->Put("k", "other"); });
    finished = true;
    return state;
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(finished.load()) << "a writer must wait for the row lock";
  locker->Commit();
  EXPECT_EQ(result.get(), "");
  other->Commit();
  EXPECT_EQ(ReadCommitted("k"), "other");
}

TEST_F(MvccTest, CommittedSelectLockIsNoConflict) {
  PutCommitted("k", "v0");
  auto rr = Begin(IsolationLevel::kRepeatableRead);
  EXPECT_EQ(rr->Get("k"), "v0");
  auto locker = Begin(IsolationLevel::kReadCommitted);
  locker->LockRowForSelect("k", false);
  locker->Commit();
  EXPECT_EQ(SqlstateOf([&] { rr->Put("k", "rr"); }), "");
  rr->Commit();
  EXPECT_EQ(ReadCommitted("k"), "rr");
}

TEST_F(MvccTest, SelectLockAfterACommitRereadsOrFails) {
  PutCommitted("k", "v0");
  auto rc = Begin(IsolationLevel::kReadCommitted);
  auto rr = Begin(IsolationLevel::kRepeatableRead);
  EXPECT_EQ(rr->Get("k"), "v0");
  PutCommitted("k", "v1");
  auto lock = rc->LockRowForSelect("k", false);
  EXPECT_TRUE(lock.changed);
  EXPECT_EQ(lock.latest, "v1");
  rc->Rollback();
  EXPECT_EQ(SqlstateOf([&] { rr->LockRowForSelect("k", false); }), "40001");
  rr->Rollback();
  // The failed lock was given back.
  auto after = Begin();
  EXPECT_TRUE(after->LockRowForSelect("k", true).obtained);
  after->Rollback();
}

TEST_F(MvccTest, RollbackToSavepointReleasesLaterSelectLocksOnly) {
  PutCommitted("a", "1");
  PutCommitted("b", "2");
  auto txn = Begin(IsolationLevel::kReadCommitted);
  txn->LockRowForSelect("a", false);
  txn->KeepUndo();
  size_t mark = txn->UndoMark();
  txn->LockRowForSelect("b", false);
  txn->Put("a", "written");  // a lock-only key becomes a write
  txn->RollbackToMark(mark);
  EXPECT_FALSE(txn->HasWrites());
  auto other = Begin(IsolationLevel::kReadCommitted);
  EXPECT_FALSE(other->LockRowForSelect("a", true).obtained);  // taken before the savepoint
  EXPECT_TRUE(other->LockRowForSelect("b", true).obtained);   // taken after it
  other->Rollback();
  txn->Commit();
  EXPECT_EQ(ReadCommitted("a"), "1");
}

TEST_F(MvccTest, ReleaseSelectLocksKeepsWrittenKeys) {
  PutCommitted("a", "1");
  PutCommitted("b", "2");
  auto txn = Begin(IsolationLevel::kReadCommitted);
  txn->LockRowForSelect("a", false);
  txn->LockRowForSelect("b", false);
  txn->Put("b", "written");
  txn->ReleaseSelectLocks({"a", "b", "never-locked"});
  auto other = Begin(IsolationLevel::kReadCommitted);
  EXPECT_TRUE(other->LockRowForSelect("a", true).obtained);
  EXPECT_FALSE(other->LockRowForSelect("b", true).obtained);  // written: locked until commit
  other->Rollback();
  txn->Commit();
  EXPECT_EQ(ReadCommitted("b"), "written");
}

}  // namespace
}  // namespace tessera::storage::mvcc
