// Cluster mode, commits: durable prepares across crashes, transaction
// records, the commit-timestamp checks, the GC horizon with external
// snapshots, and embedded mode refusing the cluster API.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "storage/mvcc/gc.h"
#include "tests/unit/storage_mvcc/cluster_test_util.h"

namespace tessera::storage::mvcc {
namespace {

using namespace std::chrono_literals;

TEST_F(ClusterTest, DurablePrepareSurvivesCrashNonDurableDoesNot) {
  CommitKey("base", "b", 10);
  CommitKey("later", "l", 20);
  engine_.reset();  // LMDB environments must not cross fork()
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    MvccOptions options = options_;
    options.engine.sync = true;
    auto engine = MvccEngine::Open(dir_.string(), options);
    auto durable = engine->BeginAt(TxnOptions{}, 15);
    auto fleeting = engine->BeginAt(TxnOptions{}, 15);
    durable->Put("d1", "one");
    durable->Delete("base");
    fleeting->Put("v1", "x");
    durable->Prepare("g1", "coordinator bytes", true);
    fleeting->Prepare("s1", "", false);
    _exit(0);  // a crash: nothing decided, nothing closed
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);

  options_.prepare_wait = 200ms;
  Reopen();
  EXPECT_EQ(engine_->PreparedCount(), 1u);
  auto recovered = engine_->RecoverPrepared();
  ASSERT_EQ(recovered.size(), 1u);
  EXPECT_TRUE(engine_->RecoverPrepared().empty());  // handed out once
  MvccTransaction& txn = *recovered[0];
  EXPECT_TRUE(txn.IsPrepared());
  EXPECT_TRUE(txn.IsDurable());
  EXPECT_EQ(txn.ExternalId(), "g1");
  EXPECT_EQ(txn.Coordinator(), "coordinator bytes");
  EXPECT_EQ(txn.SnapshotTs(), 15u);
  WriteSet expected;
  expected.emplace("base", std::nullopt);
  expected.emplace("d1", "one");
  EXPECT_EQ(txn.Writes(), expected);

  // Locked again (the non-durable one's key is not), and in the gate with
  // its write set and its persisted floor (15): a read of one of its keys
  // above the floor waits until it is decided (here: past prepare_wait); a
  // read of another key, or at or below the floor, does not.
  EXPECT_EQ(engine_->Locks().LockedKeys(), 2u);
  EXPECT_EQ(SqlstateOf([&] { BeginAt(16)->Get("d1"); }), "40001");
  EXPECT_EQ(SqlstateOf([&] { BeginAt(kNoTimestamp)->Get("base"); }), "40001");  // latest: 20
  EXPECT_EQ(SqlstateOf([&] { BeginAt(kNoTimestamp)->Scan("a", "c"); }), "40001");
  EXPECT_EQ(BeginAt(kNoTimestamp)->Get("later"), "l");
  EXPECT_EQ(BeginAt(12)->Get("base"), "b");
  // Its snapshot holds the GC horizon (the newest commit is 20).
  EXPECT_EQ(engine_->MaxCommitted(), 20u);
  engine_->Gc().RunPass();
  EXPECT_EQ(engine_->Gc().Stats().last_horizon, 15u);

  // A writer that got in before the decision finds the key locked and then
  // changed.
  auto writer = std::async(std::launch::async, [&] {
    auto w = BeginAt(20);
    return SqlstateOf([&] { w->Put("d1", "theirs"); });
  });
  std::this_thread::sleep_for(50ms);
  txn.CommitAt(30);
  EXPECT_EQ(writer.get(), "40001");
  EXPECT_EQ(ReadAt(29, "d1"), std::nullopt);
  EXPECT_EQ(ReadAt(29, "base"), "b");
  EXPECT_EQ(ReadAt(31, "d1"), "one");
  EXPECT_EQ(ReadAt(31, "base"), std::nullopt);
  EXPECT_EQ(ReadAt(kNoTimestamp, "v1"), std::nullopt);  // the non-durable prepare is gone
  EXPECT_EQ(engine_->Locks().LockedKeys(), 0u);
  CommitKey("v1", "y", 40);

  // CommitAt deleted the prepare record in the same write.
  recovered.clear();
  Reopen();
  EXPECT_TRUE(engine_->RecoverPrepared().empty());
  EXPECT_EQ(engine_->MaxCommitted(), 40u);
  EXPECT_EQ(ReadAt(kNoTimestamp, "d1"), "one");
}

TEST_F(ClusterTest, AbandonedDurablePrepareComesBackAtReopen) {
  auto txn = PrepareKey("k", "v", 10, "g1", true);
  txn.reset();  // released undecided: like a crash for the record
  EXPECT_EQ(engine_->PreparedCount(), 0u);
  Reopen();
  auto recovered = engine_->RecoverPrepared();
  ASSERT_EQ(recovered.size(), 1u);
  recovered[0]->CommitAt(20);
  EXPECT_EQ(ReadAt(kNoTimestamp, "k"), "v");
}

TEST_F(ClusterTest, RollbackOfPreparedDeletesTheDurableRecord) {
  CommitKey("k", "old", 10);
  auto txn = PrepareKey("k", "new", 15, "g1", true);
  EXPECT_EQ(engine_->PreparedCount(), 1u);
  txn->Rollback();
  EXPECT_EQ(engine_->PreparedCount(), 0u);
  EXPECT_EQ(engine_->Locks().LockedKeys(), 0u);
  Reopen();
  EXPECT_TRUE(engine_->RecoverPrepared().empty());
  EXPECT_EQ(ReadAt(kNoTimestamp, "k"), "old");
  CommitKey("k", "again", 20);  // not locked by a ghost
}

TEST_F(ClusterTest, PutTxnRecordIfAbsentKeepsTheFirst) {
  EXPECT_EQ(engine_->GetTxnRecord("t1"), std::nullopt);
  EXPECT_EQ(engine_->PutTxnRecordIfAbsent("t1", "aborted"), "aborted");
  EXPECT_EQ(engine_->PutTxnRecordIfAbsent("t1", "committed@5"), "aborted");
  Reopen();
  EXPECT_EQ(engine_->GetTxnRecord("t1"), "aborted");
  engine_->DeleteTxnRecord("t1");
  EXPECT_EQ(engine_->GetTxnRecord("t1"), std::nullopt);
  EXPECT_EQ(engine_->PutTxnRecordIfAbsent("t1", "committed@7"), "committed@7");
  EXPECT_EQ(SqlstateOf([&] { engine_->GetTxnRecord(""); }), "54000");
}

TEST_F(ClusterTest, ConcurrentPutTxnRecordIfAbsentAgree) {
  std::vector<std::future<std::string>> writers;
  for (int i = 0; i < 8; ++i) {
    writers.push_back(std::async(std::launch::async, [this, i] {
      return engine_->PutTxnRecordIfAbsent("t1", "writer" + std::to_string(i));
    }));
  }
  std::vector<std::string> results;
  for (auto& writer : writers) results.push_back(writer.get());
  std::string winner = *engine_->GetTxnRecord("t1");
  for (const std::string& result : results) EXPECT_EQ(result, winner);
}

TEST_F(ClusterTest, CommitAtWritesTheRecordWithTheData) {
  auto primary = PrepareKey("k", "v", 10, "t1", true);
  primary->CommitAt(20, std::string_view("committed@20"));
  EXPECT_EQ(engine_->GetTxnRecord("t1"), "committed@20");
  EXPECT_EQ(ReadAt(21, "k"), "v");
  // A cleaner asking afterwards finds the decision, and cannot replace it.
  EXPECT_EQ(engine_->PutTxnRecordIfAbsent("t1", "aborted"), "committed@20");
  Reopen();
  EXPECT_TRUE(engine_->RecoverPrepared().empty());
  EXPECT_EQ(engine_->GetTxnRecord("t1"), "committed@20");
  EXPECT_EQ(ReadAt(21, "k"), "v");
}

TEST_F(ClusterTest, LateCommitAfterAbortRecordFails) {
  auto primary = PrepareKey("k", "v", 10, "t1", true);
  EXPECT_EQ(engine_->PutTxnRecordIfAbsent("t1", "aborted"), "aborted");  // the cleaner decided
  EXPECT_EQ(SqlstateOf([&] { primary->CommitAt(20, std::string_view("committed@20")); }), "40001");
  EXPECT_TRUE(primary->IsPrepared());  // undecided here: the caller rolls it back
  primary->Rollback();
  EXPECT_EQ(engine_->GetTxnRecord("t1"), "aborted");
  EXPECT_EQ(ReadAt(kNoTimestamp, "k"), std::nullopt);
  EXPECT_EQ(engine_->MaxCommitted(), kNoTimestamp);
}

TEST_F(ClusterTest, FailedCommitAtLeavesNeitherDataNorRecord) {
  options_.engine.map_size = size_t{1} << 20;
  Reopen();
  auto txn = BeginAt(kNoTimestamp);
  txn->Put("small", "s");
  txn->Put("huge", std::string(size_t{2} << 20, 'x'));  // cannot fit the map
  txn->Prepare("t1", "", false);
  EXPECT_NE(SqlstateOf([&] { txn->CommitAt(20, std::string_view("committed@20")); }), "");
  EXPECT_TRUE(txn->IsPrepared());
  EXPECT_EQ(engine_->GetTxnRecord("t1"), std::nullopt);
  txn->Rollback();
  EXPECT_EQ(ReadAt(kNoTimestamp, "small"), std::nullopt);
  EXPECT_EQ(engine_->MaxCommitted(), kNoTimestamp);
}

TEST_F(ClusterTest, CommitTimestampMustBeAboveSnapshotAndFloor) {
  auto txn = PrepareKey("k", "v", 30);
  EXPECT_EQ(SqlstateOf([&] { txn->CommitAt(30); }), "XX000");  // not above its own snapshot
  EXPECT_TRUE(txn->IsPrepared());
  txn->CommitAt(31);
  // A reader at 50 requested before the prepare did not wait for it: a
  // commit at or below 50 would appear under its snapshot afterwards.
  auto reader = BeginAt(50);
  auto late = PrepareKey("j", "v", 31);
  EXPECT_EQ(SqlstateOf([&] { late->CommitAt(45); }), "XX000");
  EXPECT_EQ(SqlstateOf([&] { late->CommitAt(50); }), "XX000");
  late->CommitAt(51);
  EXPECT_EQ(reader->Get("j"), std::nullopt);
}

TEST_F(ClusterTest, PreparedTransactionRefusesReadsWritesAndDuplicates) {
  auto other = BeginAt(5);  // begun first: a Begin after the prepare would wait for it
  auto txn = PrepareKey("k", "v", 10, "g1");
  EXPECT_EQ(SqlstateOf([&] { txn->Get("k"); }), "XX000");
  EXPECT_EQ(SqlstateOf([&] { txn->Put("j", "v"); }), "XX000");
  EXPECT_EQ(SqlstateOf([&] { txn->Commit(); }), "XX000");
  other->Put("j", "v");
  EXPECT_EQ(SqlstateOf([&] { other->Prepare("g1", "", false); }), "XX000");
  EXPECT_EQ(engine_->Locks().LockedKeys(), 1u);  // the failed Prepare rolled back
  txn->CommitAt(20);
}

TEST_F(ClusterTest, MaxCommittedSurvivesReopenWhateverTheCommitOrder) {
  auto txns = PrepareEach(10, {{"a", "a"}, {"b", "b"}});
  txns[0]->CommitAt(50);
  txns[1]->CommitAt(40);
  EXPECT_EQ(engine_->MaxCommitted(), 50u);
  Reopen();
  EXPECT_EQ(engine_->MaxCommitted(), 50u);
  EXPECT_EQ(engine_->Watermark(), 50u);
  EXPECT_EQ(ReadAt(kNoTimestamp, "a"), "a");
  EXPECT_EQ(ReadAt(kNoTimestamp, "b"), "b");
  engine_->Gc().RunPass();  // trims the older mark
  Reopen();
  EXPECT_EQ(engine_->MaxCommitted(), 50u);
}

TEST_F(ClusterTest, GcKeepsVersionsAnExternalSnapshotNeeds) {
  CommitKey("k", "v10", 10);
  CommitKey("k", "v20", 20);
  CommitKey("k", "v30", 30);
  CommitKey("k", std::nullopt, 40);
  auto reader = BeginAt(25);
  engine_->Gc().RunPass();
  EXPECT_EQ(engine_->Gc().Stats().last_horizon, 25u);
  EXPECT_EQ(engine_->Gc().Stats().versions_removed, 1u);  // v10 only
  EXPECT_EQ(reader->Get("k"), "v20");
  EXPECT_EQ(ReadAt(35, "k"), "v30");
  reader->Rollback();
  engine_->Gc().RunPass();
  EXPECT_EQ(engine_->Gc().Stats().last_horizon, 40u);
  EXPECT_EQ(engine_->Gc().Stats().versions_removed, 4u);
  // Versions a snapshot at 35 needs are gone: refused, also after a restart.
  EXPECT_EQ(SqlstateOf([&] { BeginAt(35); }), "40001");
  Reopen();
  EXPECT_EQ(SqlstateOf([&] { BeginAt(35); }), "40001");
  EXPECT_EQ(ReadAt(40, "k"), std::nullopt);
}

TEST_F(ClusterTest, GcHorizonHeldByPreparedSnapshotAndSafePoint) {
  CommitKey("k", "v10", 10);
  CommitKey("k", "v20", 20);
  auto prepared = PrepareKey("j", "x", 15);
  engine_->Gc().RunPass();
  EXPECT_EQ(engine_->Gc().Stats().last_horizon, 15u);
  EXPECT_EQ(engine_->Gc().Stats().versions_removed, 0u);  // v10 is what 15 sees
  prepared->CommitAt(25);
  engine_->SetGcSafePoint(22);
  engine_->Gc().RunPass();
  EXPECT_EQ(engine_->Gc().Stats().last_horizon, 22u);
  EXPECT_EQ(engine_->Gc().Stats().versions_removed, 1u);  // v10
  EXPECT_EQ(ReadAt(22, "k"), "v20");
}

TEST_F(MvccTest, EmbeddedModeRefusesTheClusterApi) {
  EXPECT_EQ(SqlstateOf([&] { engine_->BeginAt(TxnOptions{}, 10); }), "XX000");
  EXPECT_EQ(SqlstateOf([&] { engine_->RecoverPrepared(); }), "XX000");
  auto txn = Begin();
  txn->Put("k", "v");
  EXPECT_EQ(SqlstateOf([&] { txn->Prepare("g1", "", false); }), "XX000");
  EXPECT_EQ(engine_->Locks().LockedKeys(), 0u);  // rolled back
  // The ordinary path is untouched: local oracle, Commit.
  PutCommitted("k", "v");
  EXPECT_EQ(ReadCommitted("k"), "v");
  EXPECT_GT(engine_->OracleReservations(), 0u);
  EXPECT_EQ(engine_->PreparedCount(), 0u);
}

}  // namespace
}  // namespace tessera::storage::mvcc
