// Cluster mode, reads: snapshots at caller timestamps see exactly the
// commits below them whatever order they arrived in, and the prepare gate
// makes a read wait for the transactions prepared before its snapshot that
// wrote its key (bounded); mvcc_cluster_gate_test.cpp has the per-key cases.
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include <utility>  // before Asio: its awaitable.hpp uses std::exchange
#include <boost/asio.hpp>

#include "common/fiber.h"
#include "tests/unit/storage_mvcc/cluster_test_util.h"

namespace tessera::storage::mvcc {
namespace {

using namespace std::chrono_literals;

TEST_F(ClusterTest, SnapshotSeesCommitsBelowItInTimestampOrder) {
  CommitKey("k", "v10", 10);
  // Prepared together, committed in reverse timestamp order.
  auto txns = PrepareEach(15, {{"a", "a30"}, {"b", "b20"}, {"k", "v25"}});
  txns[0]->CommitAt(30);
  txns[2]->CommitAt(25);
  txns[1]->CommitAt(20);
  EXPECT_EQ(ReadAt(9, "k"), std::nullopt);
  EXPECT_EQ(ReadAt(15, "k"), "v10");
  EXPECT_EQ(ReadAt(19, "b"), std::nullopt);
  EXPECT_EQ(ReadAt(21, "b"), "b20");
  EXPECT_EQ(ReadAt(21, "a"), std::nullopt);  // landed first, but above 21
  EXPECT_EQ(ReadAt(21, "k"), "v10");
  EXPECT_EQ(ReadAt(29, "k"), "v25");
  EXPECT_EQ(ReadAt(29, "a"), std::nullopt);
  EXPECT_EQ(ReadAt(31, "a"), "a30");
  // Latest: every landed commit.
  EXPECT_EQ(engine_->MaxCommitted(), 30u);
  EXPECT_EQ(ReadAt(kNoTimestamp, "a"), "a30");
  EXPECT_EQ(ReadAt(kNoTimestamp, "b"), "b20");
  auto scan = BeginAt(22);
  auto it = scan->Scan("", "");
  std::string seen;
  for (; it->Valid(); it->Next()) seen += std::string(it->Key()) + "=" + std::string(it->Value()) + ";";
  EXPECT_EQ(seen, "b=b20;k=v10;");
}

TEST_F(ClusterTest, EngineInterfaceBeginReadsAtLatest) {
  CommitKey("k", "v", 40);
  auto txn = engine_->Begin();  // storage::Engine, no timestamp
  EXPECT_EQ(txn->Get("k"), "v");
  txn->Commit();  // read-only: allowed
  auto writer = engine_->Begin();
  writer->Put("k", "w");
  EXPECT_EQ(SqlstateOf([&] { writer->Commit(); }), "XX000");  // no timestamp to commit at
  writer->Rollback();
  EXPECT_EQ(ReadAt(kNoTimestamp, "k"), "v");
}

TEST_F(ClusterTest, ReaderWaitsForPreparedAndSeesItBelowItsSnapshot) {
  CommitKey("k", "old", 10);
  auto txn = PrepareKey("k", "new", 20);
  std::atomic<bool> done{false};
  auto value = std::async(std::launch::async, [&] {
    auto reader = BeginAt(50);
    auto row = reader->Get("k");
    done = true;
    return row;
  });
  std::this_thread::sleep_for(150ms);
  EXPECT_FALSE(done.load()) << "the reader must wait for the prepared transaction";
  txn->CommitAt(40);
  EXPECT_EQ(value.get(), "new");
}

TEST_F(ClusterTest, ReaderWaitsForPreparedAndMissesItAboveItsSnapshot) {
  CommitKey("k", "old", 10);
  auto txn = PrepareKey("k", "new", 20);
  std::atomic<bool> done{false};
  auto value = std::async(std::launch::async, [&] {
    auto reader = BeginAt(50);
    auto row = reader->Get("k");
    done = true;
    return row;
  });
  std::this_thread::sleep_for(150ms);
  EXPECT_FALSE(done.load());
  txn->CommitAt(60);
  EXPECT_EQ(value.get(), "old");
}

TEST_F(ClusterTest, ReaderOpenedBeforePrepareDoesNotWait) {
  CommitKey("k", "old", 10);
  auto reader = BeginAt(50);
  auto txn = PrepareKey("k", "new", 20);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(reader->Get("k"), "old");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  txn->CommitAt(60);
  EXPECT_EQ(reader->Get("k"), "old");
  EXPECT_EQ(ReadAt(61, "k"), "new");
}

TEST_F(ClusterTest, WaitingReaderIgnoresTransactionsPreparedAfterIt) {
  auto second = BeginAt(20);  // begun early: its own reads need not wait
  auto first = PrepareKey("a", "a", 20);
  std::atomic<bool> done{false};
  auto value = std::async(std::launch::async, [&] {
    auto reader = BeginAt(50);
    std::string seen;
    for (auto it = reader->Scan("a", "c"); it->Valid(); it->Next()) seen += std::string(it->Key()) + ";";
    done = true;
    return seen;
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(done.load());
  second->Put("b", "b");  // inside the reader's range
  second->Prepare("", "", false);  // after the reader's request: its C will be above 50
  first->CommitAt(40);
  EXPECT_EQ(value.wait_for(2s), std::future_status::ready) << "the reader must not wait for the later prepare";
  EXPECT_EQ(value.get(), "a;");
  second->CommitAt(60);
}

TEST_F(ClusterTest, ConcurrentTransfersAreSeenWhole) {
  // A fake TSO; writers move units between keys, so every consistent
  // snapshot sums to the same total even as commits land out of order.
  constexpr int kKeys = 6;
  constexpr int kStart = 100;
  std::atomic<Timestamp> tso{1};
  auto next_ts = [&] { return tso.fetch_add(1) + 1; };
  {
    auto init = BeginAt(next_ts());
    for (int i = 0; i < kKeys; ++i) init->Put("k" + std::to_string(i), std::to_string(kStart));
    init->Prepare("", "", false);
    init->CommitAt(next_ts());
  }
  auto total = [&](MvccTransaction* txn) {
    int sum = 0;
    for (auto it = txn->Scan("", ""); it->Valid(); it->Next()) sum += std::stoi(std::string(it->Value()));
    return sum;
  };
  std::atomic<int> commits{0};
  std::atomic<bool> stop{false};
  std::vector<std::future<void>> writers;
  for (int w = 0; w < 3; ++w) {
    writers.push_back(std::async(std::launch::async, [&, w] {
      for (int n = 0; n < 40; ++n) {
        std::string from = "k" + std::to_string((w + n) % kKeys);
        std::string to = "k" + std::to_string((w + 2 * n + 1) % kKeys);
        if (from == to) continue;
        for (;;) {
          try {
            auto txn = BeginAt(next_ts());
            txn->Put(from, std::to_string(std::stoi(*txn->Get(from)) - 1));
            txn->Put(to, std::to_string(std::stoi(*txn->Get(to)) + 1));
            txn->Prepare("", "", false);
            txn->CommitAt(next_ts());
            ++commits;
            break;
          } catch (const SqlError& e) {
            ASSERT_TRUE(e.Sqlstate() == "40001" || e.Sqlstate() == "40P01") << e.what();
          }
        }
      }
    }));
  }
  auto reader = std::async(std::launch::async, [&] {
    int reads = 0;
    while (!stop.load()) {
      auto txn = BeginAt(reads % 2 == 0 ? next_ts() : kNoTimestamp);
      EXPECT_EQ(total(txn.get()), kKeys * kStart) << "at snapshot " << txn->SnapshotTs();
      ++reads;
    }
    return reads;
  });
  for (auto& writer : writers) writer.get();
  stop = true;
  EXPECT_GT(reader.get(), 0);
  EXPECT_GT(commits.load(), 0);
  EXPECT_EQ(engine_->PreparedCount(), 0u);
  auto check = BeginAt(kNoTimestamp);
  EXPECT_EQ(total(check.get()), kKeys * kStart);
}

TEST_F(ClusterTest, LatestResolvesWhenRequestedThenWaits) {
  CommitKey("x", "x20", 20);
  auto txn = PrepareKey("k", "new", 15);  // its floor: 15
  std::atomic<bool> done{false};
  auto snapshot = std::async(std::launch::async, [&] {
    auto reader = BeginAt(kNoTimestamp);
    auto row = reader->Get("k");
    done = true;
    return std::make_pair(reader->SnapshotTs(), row);
  });
  std::this_thread::sleep_for(150ms);
  EXPECT_FALSE(done.load()) << "latest must wait for a transaction prepared before it";
  txn->CommitAt(30);
  // Latest was 20 when requested: a commit issued later may have a smaller
  // timestamp than this one and not be waited for, so 30 is not included.
  auto [ts, value] = snapshot.get();
  EXPECT_EQ(ts, 20u);
  EXPECT_EQ(value, std::nullopt);
  EXPECT_EQ(ReadAt(kNoTimestamp, "k"), "new");
}

TEST_F(ClusterTest, GateTimeoutIs40001) {
  options_.prepare_wait = 200ms;
  Reopen();
  auto txn = PrepareKey("k", "new", 20);
  auto start = std::chrono::steady_clock::now();
  try {
    BeginAt(50)->Get("k");
    ADD_FAILURE() << "expected a timeout";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "40001");
    EXPECT_NE(std::string(e.what()).find("timed out waiting for a prepared transaction"), std::string::npos)
        << e.what();
  }
  EXPECT_GE(std::chrono::steady_clock::now() - start, 200ms);
  EXPECT_EQ(SqlstateOf([&] { BeginAt(60)->Scan("a", "z"); }), "40001");  // a range holding k
  txn->Rollback();
  EXPECT_EQ(ReadAt(50, "k"), std::nullopt);  // no wait once it is gone
}

// A read that must not block (a node's I/O thread) fails at once instead of
// waiting when its key is held; reads of other keys go on, and the same
// read succeeds once the key is free.
TEST_F(ClusterTest, NoGateWaitFailsAtOnceWithGateBusy) {
  CommitKey("k", "old", 10);
  CommitKey("j", "other", 11);
  auto txn = PrepareKey("k", "new", 20);
  TxnOptions options;
  options.no_gate_wait = true;
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(SqlstateOf([&] { engine_->BeginAt(options, 50)->Get("k"); }), kGateBusy);
  EXPECT_EQ(SqlstateOf([&] { engine_->BeginAt(options, 50)->Scan("a", "z"); }), kGateBusy);
  EXPECT_EQ(engine_->BeginAt(options, 50)->Get("j"), "other");
  EXPECT_EQ(engine_->BeginAt(options, kNoTimestamp)->Get("k"), "old");  // latest (11) is below its floor (20)
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  txn->CommitAt(30);
  auto after = engine_->BeginAt(options, kNoTimestamp);
  EXPECT_EQ(after->Get("k"), "new");
  after->Rollback();
}

TEST_F(ClusterTest, RefreshSnapshotAtMovesAndReadsWaitOnTheGate) {
  options_.prepare_wait = 200ms;
  Reopen();
  CommitKey("k", "v10", 10);
  auto rc = BeginAt(15, IsolationLevel::kReadCommitted);
  CommitKey("k", "v20", 20);
  EXPECT_EQ(rc->Get("k"), "v10");
  rc->RefreshSnapshotAt(25);
  EXPECT_EQ(rc->SnapshotTs(), 25u);
  EXPECT_EQ(rc->Get("k"), "v20");
  auto txn = PrepareKey("j", "new", 25);
  rc->RefreshSnapshotAt(40);  // never waits itself
  EXPECT_EQ(rc->SnapshotTs(), 40u);
  EXPECT_EQ(rc->Get("k"), "v20");  // not j: at once
  EXPECT_EQ(SqlstateOf([&] { rc->Get("j"); }), "40001");
  txn->CommitAt(30);
  EXPECT_EQ(rc->Get("j"), "new");
  rc->RefreshSnapshotAt(kNoTimestamp);
  EXPECT_EQ(rc->SnapshotTs(), 30u);
  EXPECT_EQ(rc->Get("j"), "new");
}

TEST_F(ClusterTest, WriteConflictsCompareCallerTimestamps) {
  CommitKey("k", "v10", 10);
  auto rr = BeginAt(15);
  auto rc = BeginAt(15, IsolationLevel::kReadCommitted);
  CommitKey("k", "v20", 20);
  EXPECT_EQ(SqlstateOf([&] { rr->Put("k", "rr"); }), "40001");
  rr->Rollback();
  EXPECT_EQ(rc->Write("k", "rc"), WriteOutcome::kNewerVersionCommitted);
  rc->Prepare("", "", false);
  // It wrote over v20: its version must sort above it.
  EXPECT_EQ(SqlstateOf([&] { rc->CommitAt(18); }), "XX000");
  rc->CommitAt(30);
  EXPECT_EQ(ReadAt(31, "k"), "rc");
}

TEST_F(ClusterTest, WriterWaitsForPreparedLockThenConflicts) {
  CommitKey("k", "v10", 10);
  auto writer = BeginAt(15);  // before the prepare: it need not wait on the gate
  auto prepared = PrepareKey("k", "mine", 15);
  auto result = std::async(std::launch::async, [&] { return SqlstateOf([&] { writer->Put("k", "theirs"); }); });
  EXPECT_EQ(result.wait_for(150ms), std::future_status::timeout) << "the prepared transaction holds the lock";
  prepared->CommitAt(20);
  EXPECT_EQ(result.get(), "40001");
  writer->Rollback();
  EXPECT_EQ(ReadAt(kNoTimestamp, "k"), "mine");
}

TEST_F(ClusterTest, MetaKeySpaceWorksInClusterMode) {
  TxnOptions options;
  auto meta = engine_->BeginAt(options, kNoTimestamp, KeySpace::kMeta);
  meta->Put("t/foo", "1");
  meta->Prepare("", "", false);
  meta->CommitAt(10);
  auto check = engine_->BeginMeta();
  EXPECT_EQ(check->Get("t/foo"), "1");
  EXPECT_EQ(ReadAt(kNoTimestamp, "t/foo"), std::nullopt);  // not in the data space
}

TEST_F(ClusterTest, WaitingReadersParkAndLeaveTheWorkerToTheCommit) {
  // One worker thread runs every request on fibers, as a storage node's
  // pool does under load: readers waiting at the gate must park, or the
  // commit they wait for never gets the thread (before: 40001 after
  // prepare_wait, the cluster's occasional 40001 under load).
  CommitKey("k", "old", 10);
  auto txn = PrepareKey("k", "new", 20);
  boost::asio::thread_pool pool(1);
  auto post = [&pool](std::function<void()> task) { boost::asio::post(pool, std::move(task)); };
  constexpr int kReaders = 8;
  std::atomic<int> saw_new{0};
  std::atomic<int> failed{0};
  for (int i = 0; i < kReaders; ++i) {
    boost::asio::post(pool, [&, post] {
      Fiber::Run(post, [&] {
        try {
          if (BeginAt(50)->Get("k") == "new") ++saw_new;
        } catch (const SqlError&) {
          ++failed;
        }
      });
    });
  }
  std::this_thread::sleep_for(100ms);  // every reader is at the gate
  std::atomic<bool> committed{false};
  boost::asio::post(pool, [&, post] {
    Fiber::Run(post, [&] {
      txn->CommitAt(40);
      committed = true;
    });
  });
  for (int i = 0; i < 300 && saw_new.load() + failed.load() < kReaders; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_TRUE(committed.load()) << "the commit found no worker";
  EXPECT_EQ(saw_new.load(), kReaders);
  EXPECT_EQ(failed.load(), 0);
  pool.join();
}

}  // namespace
}  // namespace tessera::storage::mvcc
