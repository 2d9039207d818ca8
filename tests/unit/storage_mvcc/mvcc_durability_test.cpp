// Restarts: commits survive, uncommitted writes never appear, timestamps
// never go backwards.
#include <sys/wait.h>
#include <unistd.h>

#include "tests/unit/storage_mvcc/mvcc_test_util.h"

namespace tessera::storage::mvcc {
namespace {

TEST_F(MvccTest, CommitsSurviveReopen) {
  for (int i = 0; i < 100; ++i) PutCommitted("k" + std::to_string(i), std::to_string(i));
  auto del = Begin();
  del->Delete("k7");
  del->Commit();
  Reopen();
  EXPECT_EQ(ReadCommitted("k0"), "0");
  EXPECT_EQ(ReadCommitted("k99"), "99");
  EXPECT_EQ(ReadCommitted("k7"), std::nullopt);
}

TEST_F(MvccTest, TimestampsMonotonicAcrossReopen) {
  options_.timestamp_window = 5;
  Reopen();
  Timestamp last = kNoTimestamp;
  for (int i = 0; i < 12; ++i) {
    auto txn = Begin();
    txn->Put("k", std::to_string(i));
    txn->Commit();
    EXPECT_GT(txn->CommitTs(), last);
    last = txn->CommitTs();
  }
  EXPECT_GE(engine_->OracleReservations(), 3u);
  for (int round = 0; round < 3; ++round) {
    Reopen();
    EXPECT_GE(engine_->Watermark(), last);  // a new snapshot sees every old commit
    auto txn = Begin();
    EXPECT_EQ(txn->Get("k"), round == 0 ? "11" : "again" + std::to_string(round - 1));
    txn->Put("k", "again" + std::to_string(round));
    txn->Commit();
    EXPECT_GT(txn->CommitTs(), last);
    last = txn->CommitTs();
  }
}

TEST_F(MvccTest, CrashKeepsCommittedAndDropsUncommitted) {
  engine_.reset();  // LMDB environments must not cross fork()
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    MvccOptions options = options_;
    options.engine.sync = true;
    options.timestamp_window = 3;
    auto engine = MvccEngine::Open(dir_.string(), options);
    for (int i = 0; i < 5; ++i) {
      auto txn = engine->Begin(TxnOptions{});
      txn->Put("committed" + std::to_string(i), "yes");
      txn->Commit();
    }
    auto pending = engine->Begin(TxnOptions{});
    pending->Put("uncommitted", "no");
    pending->Put("committed0", "overwritten?");
    _exit(static_cast<int>(pending->SnapshotTs() & 0x7F));  // no cleanup: a crash
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status));
  Reopen();
  for (int i = 0; i < 5; ++i) EXPECT_EQ(ReadCommitted("committed" + std::to_string(i)), "yes");
  EXPECT_EQ(ReadCommitted("uncommitted"), std::nullopt);
  auto txn = Begin();
  txn->Put("after", "crash");
  txn->Commit();
  EXPECT_GT(txn->CommitTs(), static_cast<Timestamp>(WEXITSTATUS(status)));
  EXPECT_GT(txn->CommitTs(), 5u);
}

}  // namespace
}  // namespace tessera::storage::mvcc
