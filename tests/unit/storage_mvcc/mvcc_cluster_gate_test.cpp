// Cluster mode: the prepare gate is per key (prepare_gate.h). A read waits
// for a prepared transaction only when it reads a key that transaction wrote
// (a point read of the key, or a scan whose range holds it) and its commit
// may still fall at or below the read's snapshot; every other read goes on
// at once, however long the prepared transaction stays undecided.
#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>
#include <vector>

#include "tests/unit/storage_mvcc/cluster_test_util.h"

namespace tessera::storage::mvcc {
namespace {

using namespace std::chrono_literals;

std::string Keys(MvccTransaction* txn, std::string_view start, std::string_view end) {
  std::string seen;
  for (auto it = txn->Scan(start, end); it->Valid(); it->Next())
    seen += std::string(it->Key()) + "=" + std::string(it->Value()) + ";";
  return seen;
}

class GateTest : public ClusterTest {
 public:
  void SetUp() override {
    ClusterTest::SetUp();
    CommitKey("a", "a10", 10);
    CommitKey("b", "b10", 11);
    CommitKey("k", "old", 12);
  }
  // Runs `read` on another thread; true if it is still running after a while
  // (it waits), false if it finished at once.
  template <typename F>
  static bool StillWaiting(std::future<F>& result) {
    return result.wait_for(150ms) == std::future_status::timeout;
  }
};

// The undecided transaction on k (its gateway may be gone for good) delays
// neither point reads nor scans of other keys.
TEST_F(GateTest, ReadsOfOtherKeysAreNotDelayed) {
  auto prepared = PrepareKey("k", "new", 20);
  auto reader = BeginAt(50);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(reader->Get("a"), "a10");
  EXPECT_EQ(reader->Get("missing"), std::nullopt);
  EXPECT_EQ(Keys(reader.get(), "a", "k"), "a=a10;b=b10;");  // the end is exclusive
  EXPECT_EQ(Keys(reader.get(), "ka", ""), "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s) << "prepare_wait is 5 s: nothing waited";
  prepared->Rollback();
}

TEST_F(GateTest, ReaderOfThePreparedKeyWaitsAndSeesTheCommit) {
  auto prepared = PrepareKey("k", "new", 20);
  auto reader = BeginAt(50);
  auto value = std::async(std::launch::async, [&] { return reader->Get("k"); });
  EXPECT_TRUE(StillWaiting(value)) << "k may still commit below 50";
  prepared->CommitAt(40);
  EXPECT_EQ(value.get(), "new");
}

TEST_F(GateTest, ReaderOfThePreparedKeyWaitsAndMissesTheAbort) {
  auto prepared = PrepareKey("k", std::nullopt, 20);  // a delete
  auto reader = BeginAt(50);
  auto value = std::async(std::launch::async, [&] { return reader->Get("k"); });
  EXPECT_TRUE(StillWaiting(value));
  prepared->Rollback();
  EXPECT_EQ(value.get(), "old");
}

// A prepared insert of a key that does not exist yet holds every scan whose
// range would contain it; the scan then shows it (committed below the
// snapshot) or not (rolled back).
TEST_F(GateTest, RangeScanCoveringAPreparedInsertWaits) {
  auto prepared = PrepareKey("c", "c-new", 20);
  auto reader = BeginAt(50);
  auto scan = std::async(std::launch::async, [&] { return Keys(reader.get(), "a", "d"); });
  EXPECT_TRUE(StillWaiting(scan)) << "c lies inside [a, d)";
  EXPECT_EQ(Keys(reader.get(), "d", ""), "k=old;");  // meanwhile, outside the range: at once
  prepared->CommitAt(40);
  EXPECT_EQ(scan.get(), "a=a10;b=b10;c=c-new;");
}

TEST_F(GateTest, RangeScanCoveringARolledBackInsertWaitsThenMissesIt) {
  auto prepared = PrepareKey("c", "c-new", 20);
  auto reader = BeginAt(50);
  auto scan = std::async(std::launch::async, [&] { return Keys(reader.get(), "", ""); });
  EXPECT_TRUE(StillWaiting(scan));
  prepared->Rollback();
  EXPECT_EQ(scan.get(), "a=a10;b=b10;k=old;");
}

// A commit that lands while the reader is still pending on another
// transaction is seen by a later read of its keys, although it has left the
// gate by then: a pending reader never reads from a view older than its
// check (the view taken at Begin would miss it).
TEST_F(GateTest, ACommitThatLeftTheGateIsSeenByLaterReads) {
  auto txns = PrepareEach(20, {{"k", "new"}, {"b", "b-new"}});
  auto reader = BeginAt(50);
  EXPECT_EQ(reader->Get("a"), "a10");  // both pending, neither touches a
  txns[0]->CommitAt(40);               // k lands and leaves the gate
  EXPECT_EQ(reader->Get("k"), "new");
  EXPECT_EQ(Keys(reader.get(), "c", ""), "k=new;");
  auto b = std::async(std::launch::async, [&] { return reader->Get("b"); });
  EXPECT_TRUE(StillWaiting(b)) << "b is still prepared";
  txns[1]->CommitAt(45);
  EXPECT_EQ(b.get(), "b-new");
  EXPECT_EQ(Keys(reader.get(), "", ""), "a=a10;b=b-new;k=new;");
}

// Index entries are keys like any other: a prepared row brings its index
// entry, and an index scan (a range of entry keys) waits for it while a
// scan of another index does not.
TEST_F(GateTest, IndexRangeWithAPreparedEntryWaits) {
  auto writer = BeginAt(20);
  writer->Put("row/7", "seven");
  writer->Put("idx1/seven/7", "");
  writer->Prepare("", "", false);
  auto reader = BeginAt(50);
  EXPECT_EQ(Keys(reader.get(), "idx2/", "idx2/\xff"), "");
  auto scan = std::async(std::launch::async, [&] { return Keys(reader.get(), "idx1/", "idx1/\xff"); });
  EXPECT_TRUE(StillWaiting(scan));
  writer->CommitAt(30);
  EXPECT_EQ(scan.get(), "idx1/seven/7=;");
  EXPECT_EQ(reader->Get("row/7"), "seven");
}

// Keys of the meta space and the data space are apart in the gate as in
// the lock table.
TEST_F(GateTest, KeySpacesAreApart) {
  TxnOptions options;
  auto meta = engine_->BeginAt(options, 20, KeySpace::kMeta);
  meta->Put("k", "meta");
  meta->Prepare("", "", false);
  auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ReadAt(50, "k"), "old");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  auto meta_reader = engine_->BeginAt(options, 50, KeySpace::kMeta);
  auto value = std::async(std::launch::async, [&] { return meta_reader->Get("k"); });
  EXPECT_TRUE(StillWaiting(value));
  meta->CommitAt(30);
  EXPECT_EQ(value.get(), "meta");
}

// Transfers between keys committed out of timestamp order, read key by key
// with point reads (each passing the gate on its own): every snapshot sees
// the same total.
TEST_F(ClusterTest, PointReadsOfConcurrentTransfersSeeThemWhole) {
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
            std::this_thread::yield();  // let readers meet it prepared
            txn->CommitAt(next_ts());
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
      int sum = 0;
      for (int i = 0; i < kKeys; ++i) sum += std::stoi(*txn->Get("k" + std::to_string(i)));
      EXPECT_EQ(sum, kKeys * kStart) << "at snapshot " << txn->SnapshotTs();
      ++reads;
    }
    return reads;
  });
  for (auto& writer : writers) writer.get();
  stop = true;
  EXPECT_GT(reader.get(), 0);
  EXPECT_EQ(engine_->PreparedCount(), 0u);
}

}  // namespace
}  // namespace tessera::storage::mvcc
