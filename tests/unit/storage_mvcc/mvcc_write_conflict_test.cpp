// Writes: lock waits, first-committer-wins, lock timeout, deadlocks.
#include <atomic>
#include <chrono>
#include <future>
#include <thread>
#include <vector>

#include "tests/unit/storage_mvcc/mvcc_test_util.h"

namespace tessera::storage::mvcc {
namespace {

using namespace std::chrono_literals;

TEST_F(MvccTest, RepeatableReadConflictIs40001) {
  PutCommitted("k", "v1");
  auto txn = Begin(IsolationLevel::kRepeatableRead);
  EXPECT_EQ(txn->Get("k"), "v1");
  PutCommitted("k", "v2");
  EXPECT_EQ(SqlstateOf([&] { txn->Put("k", "mine"); }), "40001");
  txn->Rollback();
  EXPECT_EQ(ReadCommitted("k"), "v2");
}

TEST_F(MvccTest, ReadCommittedWriteProceedsAndReports) {
  PutCommitted("k", "v1");
  auto txn = Begin(IsolationLevel::kReadCommitted);
  EXPECT_EQ(txn->Get("k"), "v1");
  PutCommitted("k", "v2");
  EXPECT_EQ(txn->Write("k", "mine"), WriteOutcome::kNewerVersionCommitted);
  txn->Commit();
  EXPECT_EQ(ReadCommitted("k"), "mine");
}

TEST_F(MvccTest, WriterWaitsForFirstWriterThenFailsIfItCommitted) {
  PutCommitted("k", "v0");
  auto first = Begin();
  first->Put("k", "first");
  auto second = Begin();
  std::atomic<bool> finished{false};
  auto result = std::async(std::launch::async, [&] {
    std::string state = SqlstateOf([&] { second->Put("k", "second"); });
    finished = true;
    return state;
  });
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(finished.load()) << "the second writer must wait for the first";
  first->Commit();
  EXPECT_EQ(result.get(), "40001");
  second->Rollback();
  EXPECT_EQ(ReadCommitted("k"), "first");
}

TEST_F(MvccTest, WriterProceedsIfFirstWriterRolledBack) {
  PutCommitted("k", "v0");
  auto first = Begin();
  first->Put("k", "first");
  auto second = Begin();
  auto result = std::async(std::launch::async, [&] { return SqlstateOf([&] { second->Put("k", "second"); }); });
  std::this_thread::sleep_for(50ms);
  first->Rollback();
  EXPECT_EQ(result.get(), "");
  second->Commit();
  EXPECT_EQ(ReadCommitted("k"), "second");
}

TEST_F(MvccTest, LockTimeoutIs55P03) {
  auto first = Begin();
  first->Put("k", "first");
  TxnOptions options;
  options.lock_timeout = 100ms;
  auto second = engine_->Begin(options);
  auto started = std::chrono::steady_clock::now();
  EXPECT_EQ(SqlstateOf([&] { second->Put("k", "second"); }), "55P03");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 90ms);
  second->Rollback();
  first->Commit();  // the timed-out waiter left no trace in the queue
  EXPECT_EQ(ReadCommitted("k"), "first");
  EXPECT_EQ(engine_->Locks().LockedKeys(), 0u);
}

TEST_F(MvccTest, DeadlockFailsExactlyOneOfTwo) {
  auto t1 = Begin();
  auto t2 = Begin();
  t1->Put("a", "t1");
  t2->Put("b", "t2");
  // Each writer rolls back on its error, so the survivor can go on.
  auto run = [](MvccTransaction* txn, const char* key) {
    std::string state = SqlstateOf([&] { txn->Put(key, "x"); });
    if (state.empty()) {
      txn->Commit();
    } else {
      txn->Rollback();
    }
    return state;
  };
  auto r1 = std::async(std::launch::async, run, t1.get(), "b");
  std::this_thread::sleep_for(50ms);
  auto r2 = std::async(std::launch::async, run, t2.get(), "a");
  std::vector<std::string> states = {r1.get(), r2.get()};
  int deadlocks = 0;
  for (const auto& s : states) deadlocks += s == "40P01";
  EXPECT_EQ(deadlocks, 1);
  EXPECT_TRUE(states[0].empty() || states[1].empty());
}

TEST_F(MvccTest, TryWriteParksWithoutAThread) {
  auto first = Begin();
  first->Put("k", "first");
  auto second = Begin();
  std::atomic<int> wakeups{0};
  EXPECT_EQ(second->TryWrite("k", "second", [&] { ++wakeups; }), WriteOutcome::kWaiting);
  EXPECT_FALSE(second->HasWrites());
  first->Rollback();  // the waker runs on the releasing thread
  EXPECT_EQ(wakeups.load(), 1);
  EXPECT_EQ(second->TryWrite("k", "second", [] {}), WriteOutcome::kDone);
  second->Commit();
  EXPECT_EQ(ReadCommitted("k"), "second");
}

TEST_F(MvccTest, CancelledTryWriteIsNotWoken) {
  auto first = Begin();
  first->Put("k", "first");
  auto second = Begin();
  std::atomic<int> wakeups{0};
  ASSERT_EQ(second->TryWrite("k", "second", [&] { ++wakeups; }), WriteOutcome::kWaiting);
  EXPECT_TRUE(second->CancelWait());
  first->Commit();
  EXPECT_EQ(wakeups.load(), 0);
}

// Read-increment-write from many threads: every increment counts once.
void RunIncrements(MvccTest* test, MvccEngine* engine, IsolationLevel level, int threads, int per_thread) {
  test->PutCommitted("counter", "0");
  std::atomic<int> retries{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      for (int i = 0; i < per_thread; ++i) {
        for (;;) {
          TxnOptions options;
          options.isolation = level;
          auto txn = engine->Begin(options);
          try {
            int value = std::stoi(*txn->Get("counter"));
            if (txn->Write("counter", std::to_string(value + 1)) == WriteOutcome::kNewerVersionCommitted) {
              // READ COMMITTED: re-read the row the other writer committed
              // (the lock is ours now, so it cannot move again) and redo
              // the update over it, as PostgreSQL's EvalPlanQual does.
              value = std::stoi(*txn->GetLatestCommitted("counter"));
              txn->Put("counter", std::to_string(value + 1));
            }
            txn->Commit();
            break;
          } catch (const SqlError& e) {
            ASSERT_EQ(e.Sqlstate(), "40001");
            txn->Rollback();
            ++retries;
          }
        }
      }
    });
  }
  for (auto& w : workers) w.join();
  EXPECT_EQ(test->ReadCommitted("counter"), std::to_string(threads * per_thread));
  if (level == IsolationLevel::kReadCommitted) {
    EXPECT_EQ(retries.load(), 0);
  }
}

TEST_F(MvccTest, ConcurrentIncrementsCountExactlyUnderRepeatableRead) {
  RunIncrements(this, engine_.get(), IsolationLevel::kRepeatableRead, 8, 40);
}

TEST_F(MvccTest, ConcurrentIncrementsCountExactlyUnderReadCommitted) {
  RunIncrements(this, engine_.get(), IsolationLevel::kReadCommitted, 8, 40);
}

}  // namespace
}  // namespace tessera::storage::mvcc
