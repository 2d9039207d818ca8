#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "common/error.h"
#include "storage/counter_cache.h"
#include "storage/engine.h"
#include "storage/lmdb_engine.h"

namespace tessera::storage {
namespace {

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("tessera_engine_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }
  void Reopen() {
    engine_.reset();
    EngineOptions options;
    options.map_size = size_t{1} << 30;
    engine_ = Engine::Open(dir_.string(), options);
  }
  void PutCommit(const std::string& key, const std::string& value) {
    auto txn = engine_->Begin();
    txn->Put(key, value);
    txn->Commit();
  }
  static std::vector<std::pair<std::string, std::string>> ScanAll(Transaction& txn, std::string_view start,
                                                                  std::string_view end) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto it = txn.Scan(start, end); it->Valid(); it->Next()) out.emplace_back(it->Key(), it->Value());
    return out;
  }

  std::filesystem::path dir_;
  std::unique_ptr<Engine> engine_;
};

using KV = std::vector<std::pair<std::string, std::string>>;

TEST_F(EngineTest, ReadYourWritesAndRollback) {
  auto txn = engine_->Begin();
  EXPECT_FALSE(txn->Get("a").has_value());
  txn->Put("a", "1");
  EXPECT_EQ(txn->Get("a"), "1");
  txn->Put("a", "2");
  EXPECT_EQ(txn->Get("a"), "2");
  EXPECT_TRUE(txn->HasWrites());
  txn->Rollback();
  auto again = engine_->Begin();
  EXPECT_FALSE(again->Get("a").has_value());
}

TEST_F(EngineTest, SnapshotIsolationOfReaderVsLaterCommit) {
  PutCommit("k", "old");
  auto reader = engine_->Begin();
  EXPECT_EQ(reader->Get("k"), "old");
  PutCommit("k", "new");
  PutCommit("k2", "added");
  {
    auto writer = engine_->Begin();
    writer->Delete("k");
    writer->Commit();
  }
  // The reader keeps the snapshot it took at Begin.
  EXPECT_EQ(reader->Get("k"), "old");
  EXPECT_FALSE(reader->Get("k2").has_value());
  EXPECT_EQ(ScanAll(*reader, "", ""), (KV{{"k", "old"}}));
  auto fresh = engine_->Begin();
  EXPECT_FALSE(fresh->Get("k").has_value());
  EXPECT_EQ(fresh->Get("k2"), "added");
}

TEST_F(EngineTest, MergedScanWithDeletesInsertsAndBounds) {
  {
    auto txn = engine_->Begin();
    for (const char* k : {"b", "d", "f", "h", "j"}) txn->Put(k, std::string("s") + k);
    txn->Commit();
  }
  auto txn = engine_->Begin();
  txn->Delete("d");      // hides a stored key
  txn->Put("f", "new");  // shadows a stored key
  txn->Put("a", "wa");   // before the range
  txn->Put("c", "wc");   // between stored keys
  txn->Put("k", "wk");   // after the last stored key
  txn->Delete("x");      // delete of a missing key: invisible
  txn->Put("e", "we");
  txn->Delete("e");  // written then deleted
  EXPECT_EQ(ScanAll(*txn, "", ""),
            (KV{{"a", "wa"}, {"b", "sb"}, {"c", "wc"}, {"f", "new"}, {"h", "sh"}, {"j", "sj"}, {"k", "wk"}}));
  EXPECT_EQ(ScanAll(*txn, "b", "h"), (KV{{"b", "sb"}, {"c", "wc"}, {"f", "new"}}));
  EXPECT_EQ(ScanAll(*txn, "c", "c\x01"), (KV{{"c", "wc"}}));
  EXPECT_EQ(ScanAll(*txn, "d", "f"), KV{});
  EXPECT_EQ(ScanAll(*txn, "i", ""), (KV{{"j", "sj"}, {"k", "wk"}}));
  txn->Commit();
  auto after = engine_->Begin();
  EXPECT_EQ(ScanAll(*after, "", ""),
            (KV{{"a", "wa"}, {"b", "sb"}, {"c", "wc"}, {"f", "new"}, {"h", "sh"}, {"j", "sj"}, {"k", "wk"}}));
}

TEST_F(EngineTest, WritesDuringScanKeepIteratorValid) {
  {
    auto txn = engine_->Begin();
    for (int i = 0; i < 5; ++i) txn->Put("k" + std::to_string(i), "v");
    txn->Commit();
  }
  auto txn = engine_->Begin();
  int seen = 0;
  for (auto it = txn->Scan("k", "l"); it->Valid(); it->Next()) {
    txn->Put(std::string(it->Key()), "updated");
    ++seen;
  }
  EXPECT_EQ(seen, 5);
  EXPECT_EQ(txn->Get("k3"), "updated");
}

TEST_F(EngineTest, DurableAcrossReopen) {
  PutCommit("durable", "yes");
  {
    auto txn = engine_->Begin();
    txn->Put("uncommitted", "no");
    txn->Rollback();
  }
  int64_t first = engine_->AllocateRange("ids", 10);
  Reopen();
  auto txn = engine_->Begin();
  EXPECT_EQ(txn->Get("durable"), "yes");
  EXPECT_FALSE(txn->Get("uncommitted").has_value());
  txn.reset();
  // A counter never hands out a value twice, even across a restart.
  EXPECT_EQ(first, 1);
  EXPECT_EQ(engine_->AllocateRange("ids", 5), 11);
  EXPECT_EQ(engine_->AllocateRange("other", 1), 1);
}

TEST_F(EngineTest, MetaSpaceIsSeparateFromData) {
  auto meta = engine_->BeginMeta();
  meta->Put("k", "meta");
  meta->Commit();
  auto data = engine_->Begin();
  EXPECT_FALSE(data->Get("k").has_value());
  auto meta2 = engine_->BeginMeta();
  EXPECT_EQ(meta2->Get("k"), "meta");
}

TEST_F(EngineTest, DeleteRange) {
  {
    auto txn = engine_->Begin();
    for (int i = 0; i < 1000; ++i) txn->Put("t1/" + std::to_string(10000 + i), "x");
    txn->Put("t0", "keep");
    txn->Put("t2", "keep");
    txn->Commit();
  }
  engine_->DeleteRange("t1/", "t10");
  auto txn = engine_->Begin();
  EXPECT_EQ(ScanAll(*txn, "", ""), (KV{{"t0", "keep"}, {"t2", "keep"}}));
}

TEST_F(EngineTest, OversizedKeyIsRefusedAtPut) {
  auto txn = engine_->Begin();
  try {
    txn->Put(std::string(4096, 'k'), "v");
    FAIL() << "expected SqlError";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "54000");
  }
  EXPECT_THROW(txn->Put("", "v"), SqlError);
}

TEST_F(EngineTest, ReadOnlyCommitDoesNotTouchCommitter) {
  auto* lmdb = dynamic_cast<LmdbEngine*>(engine_.get());
  ASSERT_NE(lmdb, nullptr);
  uint64_t before = lmdb->CommitCount();
  for (int i = 0; i < 10; ++i) {
    auto txn = engine_->Begin();
    txn->Get("x");
    txn->Commit();
  }
  EXPECT_EQ(lmdb->CommitCount(), before);
}

TEST_F(EngineTest, GroupCommitFromManyThreads) {
  // With fsync on, concurrent commits must share LMDB write transactions.
  constexpr int kThreads = 8;
  constexpr int kCommits = 50;
  auto* lmdb = dynamic_cast<LmdbEngine*>(engine_.get());
  ASSERT_NE(lmdb, nullptr);
  uint64_t before = lmdb->CommitCount();
  std::vector<std::thread> threads;
  std::atomic<int64_t> allocated{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommits; ++i) {
        auto txn = engine_->Begin();
        txn->Put("t" + std::to_string(t) + "/" + std::to_string(1000 + i), std::to_string(i));
        txn->Commit();
        if (i % 10 == 0) allocated += engine_->AllocateRange("shared", 1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  uint64_t commits = lmdb->CommitCount() - before;
  auto txn = engine_->Begin();
  EXPECT_EQ(ScanAll(*txn, "", "").size(), size_t{kThreads * kCommits});
  EXPECT_LT(commits, uint64_t{kThreads * kCommits});
  // 40 allocations of one value each: 1..40, each exactly once.
  EXPECT_EQ(allocated.load(), 40 * 41 / 2);
}

TEST_F(EngineTest, CounterCacheReservesBlocks) {
  auto* lmdb = dynamic_cast<LmdbEngine*>(engine_.get());
  ASSERT_NE(lmdb, nullptr);
  {
    CounterCache cache(*engine_, 100);
    uint64_t before = lmdb->CommitCount();
    for (int64_t i = 1; i <= 250; ++i) ASSERT_EQ(cache.Next("rowid:16384"), i);
    EXPECT_EQ(lmdb->CommitCount() - before, 3u);  // three blocks of 100
    EXPECT_EQ(cache.Next("rowid:16385"), 1);
  }
  // A new process skips what the old one had cached.
  CounterCache fresh(*engine_, 100);
  EXPECT_EQ(fresh.Next("rowid:16384"), 301);
}

TEST_F(EngineTest, ReadersRunWhileWritersCommit) {
  // Readers on other threads see either all or none of each commit: every
  // commit writes the same value to both keys.
  PutCommit("a", "0");
  PutCommit("b", "0");
  std::atomic<bool> stop{false};
  std::atomic<int> torn{0};
  std::thread reader([&] {
    while (!stop) {
      auto txn = engine_->Begin();
      auto a = txn->Get("a");
      auto b = txn->Get("b");
      if (a != b) ++torn;
    }
  });
  for (int i = 1; i <= 200; ++i) {
    auto txn = engine_->Begin();
    txn->Put("a", std::to_string(i));
    txn->Put("b", std::to_string(i));
    txn->Commit();
  }
  stop = true;
  reader.join();
  EXPECT_EQ(torn.load(), 0);
}

}  // namespace
}  // namespace tessera::storage
