// PutNew: a write of a key no other transaction can know (a freshly
// allocated hidden row id) buffers like Put but takes no lock.
#include "tests/unit/storage_mvcc/mvcc_test_util.h"

namespace tessera::storage::mvcc {
namespace {

TEST_F(MvccTest, PutNewIsReadBackAndCommitted) {
  auto txn = Begin();
  txn->PutNew("r1", "one");
  txn->PutNew("r2", "two");
  EXPECT_EQ(txn->Get("r1"), "one");
  EXPECT_EQ(txn->Writes().size(), 2u);
  txn->Commit();
  EXPECT_EQ(ReadCommitted("r1"), "one");
  EXPECT_EQ(ReadCommitted("r2"), "two");
}

TEST_F(MvccTest, PutNewTakesNoLock) {
  auto writer = Begin();
  writer->Put("locked", "x");
  writer->PutNew("fresh", "y");
  auto other = Begin();
  EXPECT_TRUE(other->LockedByOther("locked"));
  EXPECT_FALSE(other->LockedByOther("fresh"));
  writer->Rollback();
  EXPECT_EQ(ReadCommitted("fresh"), std::nullopt);
}

TEST_F(MvccTest, PutNewOfAKeyAlreadyWrittenRewritesIt) {
  // A resent insert request reaches the transaction that wrote it already.
  auto txn = Begin();
  txn->PutNew("r", "first");
  txn->PutNew("r", "again");
  EXPECT_EQ(txn->Writes().size(), 1u);
  txn->Commit();
  EXPECT_EQ(ReadCommitted("r"), "again");
}

TEST_F(MvccTest, RollbackToMarkUndoesPutNewAndKeepsOtherLocks) {
  auto txn = Begin();
  txn->KeepUndo();
  txn->Put("before", "b");
  size_t mark = txn->UndoMark();
  txn->PutNew("r1", "one");
  txn->PutNew("before", "rewritten");  // in the write set already: a rewrite, undone too
  txn->RollbackToMark(mark);
  EXPECT_EQ(txn->Get("r1"), std::nullopt);
  EXPECT_EQ(txn->Get("before"), "b");
  auto other = Begin();
  EXPECT_TRUE(other->LockedByOther("before")) << "the lock taken before the mark stays";
  txn->PutNew("r2", "two");
  txn->Commit();
  EXPECT_EQ(ReadCommitted("r1"), std::nullopt);
  EXPECT_EQ(ReadCommitted("r2"), "two");
  EXPECT_EQ(ReadCommitted("before"), "b");
}

}  // namespace
}  // namespace tessera::storage::mvcc
