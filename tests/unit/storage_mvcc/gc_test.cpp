#include "storage/mvcc/gc.h"

#include <thread>

#include "tests/unit/storage_mvcc/mvcc_test_util.h"

namespace tessera::storage::mvcc {
namespace {

TEST(GcDecisionTest, KeepsNewestAtOrBelowHorizonUnlessTombstone) {
  bool floor = false;
  EXPECT_FALSE(ShouldDropVersion(30, false, 20, &floor));  // above the horizon
  EXPECT_FALSE(ShouldDropVersion(20, false, 20, &floor));  // the floor
  EXPECT_TRUE(ShouldDropVersion(10, false, 20, &floor));   // shadowed
  floor = false;
  EXPECT_TRUE(ShouldDropVersion(15, true, 20, &floor));  // a tombstone floor goes too
  EXPECT_TRUE(ShouldDropVersion(5, false, 20, &floor));
}

// Versions left in both databases, counted by a GC pass that removes nothing
// more (the horizon has not moved).
uint64_t StoredVersions(MvccEngine* engine) {
  GcStats before = engine->Gc().Stats();
  engine->Gc().RunPass();
  GcStats after = engine->Gc().Stats();
  EXPECT_EQ(after.versions_removed, before.versions_removed);
  return after.versions_scanned - before.versions_scanned;
}

TEST_F(MvccTest, GcRemovesInvisibleVersionsOnly) {
  PutCommitted("k", "v1");
  PutCommitted("k", "v2");
  PutCommitted("k", "v3");
  auto old_reader = Begin();  // sees v3
  PutCommitted("k", "v4");
  engine_->Gc().RunPass();
  GcStats stats = engine_->Gc().Stats();
  EXPECT_EQ(stats.passes, 1u);
  EXPECT_EQ(stats.versions_scanned, 4u);
  EXPECT_EQ(stats.versions_removed, 2u);  // v1, v2
  EXPECT_EQ(old_reader->Get("k"), "v3");
  EXPECT_EQ(ReadCommitted("k"), "v4");
  old_reader->Rollback();
  engine_->Gc().RunPass();
  EXPECT_EQ(engine_->Gc().Stats().versions_removed, 3u);  // v3 now too
  EXPECT_EQ(ReadCommitted("k"), "v4");
  EXPECT_EQ(StoredVersions(engine_.get()), 1u);
}

TEST_F(MvccTest, GcDropsTombstonesBelowTheHorizon) {
  PutCommitted("gone", "x");
  PutCommitted("kept", "y");
  auto del = Begin();
  del->Delete("gone");
  del->Commit();
  auto meta = engine_->BeginMeta();
  meta->Put("m", "1");
  meta->Commit();
  auto meta2 = engine_->BeginMeta();
  meta2->Put("m", "2");
  meta2->Commit();
  engine_->Gc().RunPass();
  EXPECT_EQ(engine_->Gc().Stats().versions_removed, 3u);  // gone x2, m=1
  EXPECT_EQ(StoredVersions(engine_.get()), 2u);
  EXPECT_EQ(ReadCommitted("gone"), std::nullopt);
  EXPECT_EQ(ReadCommitted("kept"), "y");
  auto check = engine_->BeginMeta();
  EXPECT_EQ(check->Get("m"), "2");
}

TEST_F(MvccTest, GcKeepsTombstoneAnOpenSnapshotStillNeeds) {
  PutCommitted("k", "x");
  auto before_delete = Begin();  // sees x
  auto del = Begin();
  del->Delete("k");
  del->Commit();
  engine_->Gc().RunPass();
  EXPECT_EQ(engine_->Gc().Stats().versions_removed, 0u);
  EXPECT_EQ(before_delete->Get("k"), "x");
}

TEST_F(MvccTest, BackgroundGcRuns) {
  PutCommitted("k", "1");
  PutCommitted("k", "2");
  engine_->Gc().Start(std::chrono::milliseconds(10));
  for (int i = 0; i < 200 && engine_->Gc().Stats().versions_removed == 0; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  engine_->Gc().Stop();
  EXPECT_EQ(engine_->Gc().Stats().versions_removed, 1u);
  EXPECT_EQ(ReadCommitted("k"), "2");
}

}  // namespace
}  // namespace tessera::storage::mvcc
