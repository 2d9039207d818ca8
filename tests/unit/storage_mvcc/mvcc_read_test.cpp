// Reads: snapshots, own writes, scans over versions.
#include <vector>

#include "tests/unit/storage_mvcc/mvcc_test_util.h"

namespace tessera::storage::mvcc {
namespace {

std::vector<std::pair<std::string, std::string>> ScanAll(Transaction& txn, std::string_view start = "",
                                                         std::string_view end = "") {
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = txn.Scan(start, end); it->Valid(); it->Next()) out.emplace_back(it->Key(), it->Value());
  return out;
}

TEST_F(MvccTest, NoDirtyReads) {
  auto writer = Begin();
  writer->Put("k", "uncommitted");
  auto reader = Begin();
  EXPECT_EQ(reader->Get("k"), std::nullopt);
  EXPECT_TRUE(ScanAll(*reader).empty());
  writer->Rollback();
  EXPECT_EQ(ReadCommitted("k"), std::nullopt);
}

TEST_F(MvccTest, SnapshotIsStableUnderRepeatableRead) {
  PutCommitted("k", "v1");
  auto reader = Begin();
  EXPECT_EQ(reader->Get("k"), "v1");
  PutCommitted("k", "v2");
  PutCommitted("new", "x");
  auto deleter = Begin();
  deleter->Delete("k");
  deleter->Commit();
  EXPECT_EQ(reader->Get("k"), "v1");
  EXPECT_EQ(ScanAll(*reader), (std::vector<std::pair<std::string, std::string>>{{"k", "v1"}}));
  reader->Commit();
  EXPECT_EQ(ReadCommitted("k"), std::nullopt);
  EXPECT_EQ(ReadCommitted("new"), "x");
}

TEST_F(MvccTest, ReadCommittedSeesNewCommitsAfterRefresh) {
  PutCommitted("k", "v1");
  auto reader = Begin(IsolationLevel::kReadCommitted);
  EXPECT_EQ(reader->Get("k"), "v1");
  PutCommitted("k", "v2");
  EXPECT_EQ(reader->Get("k"), "v1");  // same statement
  reader->RefreshSnapshot();          // next statement
  EXPECT_EQ(reader->Get("k"), "v2");
}

TEST_F(MvccTest, ReadYourOwnWrites) {
  PutCommitted("a", "1");
  PutCommitted("c", "3");
  auto txn = Begin();
  txn->Put("b", "2");
  txn->Put("a", "1'");
  txn->Delete("c");
  EXPECT_EQ(txn->Get("a"), "1'");
  EXPECT_EQ(txn->Get("b"), "2");
  EXPECT_EQ(txn->Get("c"), std::nullopt);
  EXPECT_EQ(ScanAll(*txn), (std::vector<std::pair<std::string, std::string>>{{"a", "1'"}, {"b", "2"}}));
  txn->Commit();
  EXPECT_EQ(ReadCommitted("a"), "1'");
  EXPECT_EQ(ReadCommitted("c"), std::nullopt);
}

TEST_F(MvccTest, ScanHandlesVersionsPrefixKeysAndBounds) {
  PutCommitted("a", "1");
  PutCommitted("ab", "2");
  PutCommitted("a", "1b");  // a second version of "a"
  PutCommitted("abc", "3");
  PutCommitted("b", "4");
  auto del = Begin();
  del->Delete("abc");
  del->Commit();
  auto txn = Begin();
  EXPECT_EQ(ScanAll(*txn), (std::vector<std::pair<std::string, std::string>>{{"a", "1b"}, {"ab", "2"}, {"b", "4"}}));
  EXPECT_EQ(ScanAll(*txn, "a", "ab"), (std::vector<std::pair<std::string, std::string>>{{"a", "1b"}}));
  EXPECT_EQ(ScanAll(*txn, "aa", "b"), (std::vector<std::pair<std::string, std::string>>{{"ab", "2"}}));
}

TEST_F(MvccTest, MetaSpaceIsSeparateFromData) {
  auto meta = engine_->BeginMeta();
  meta->Put("k", "catalog");
  meta->Commit();
  EXPECT_EQ(ReadCommitted("k"), std::nullopt);
  auto again = engine_->BeginMeta();
  EXPECT_EQ(again->Get("k"), "catalog");
}

TEST_F(MvccTest, DeleteRangeRemovesEveryVersion) {
  PutCommitted("t1/a", "1");
  PutCommitted("t1/a", "2");
  PutCommitted("t1/b", "3");
  PutCommitted("t2/a", "4");
  engine_->DeleteRange("t1/", "t2/");
  auto txn = Begin();
  EXPECT_EQ(ScanAll(*txn), (std::vector<std::pair<std::string, std::string>>{{"t2/a", "4"}}));
}

TEST_F(MvccTest, RejectsOversizedKeys) {
  auto txn = Begin();
  EXPECT_EQ(SqlstateOf([&] { txn->Put(std::string(engine_->MaxUserKeySize() + 1, 'x'), "v"); }), "54000");
  EXPECT_EQ(SqlstateOf([&] { txn->Put("", "v"); }), "54000");
}

}  // namespace
}  // namespace tessera::storage::mvcc
