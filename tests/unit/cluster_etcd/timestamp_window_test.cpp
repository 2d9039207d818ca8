// TimestampWindow: strictly increasing timestamps within one oracle, across a new oracle on the
// same key (a new leader), and a deposed oracle that notices the other's reservation.
#include "cluster/etcd/timestamp_window.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <thread>
#include <vector>

#include "tests/unit/cluster_etcd/etcd_test_support.h"

namespace tessera::cluster::etcd::testing {
namespace {

class TimestampWindowTest : public EtcdSuite {};

uint64_t StoredEnd(Client& client, const std::string& key) { return std::stoull(client.Get(key).kvs.at(0).value); }

TEST_F(TimestampWindowTest, ReservesTheWindowBeforeHandingItOut) {
  Client client(Endpoint());
  const std::string key = Prefix() + "ts";
  TimestampWindow oracle(client, key, 10);
  EXPECT_TRUE(client.Get(key).kvs.empty());  // lazily: nothing before the first Allocate
  uint64_t last = 0;
  for (uint32_t count : {1u, 3u, 10u, 25u, 2u, 7u}) {
    uint64_t first = oracle.Allocate(count);
    EXPECT_GT(first, last);
    last = first + count - 1;
    EXPECT_GE(StoredEnd(client, key), last);  // every value handed out is below the stored end
  }
}

TEST_F(TimestampWindowTest, NewOracleOnTheSameKeyStartsAboveTheOld) {
  Client client(Endpoint());
  const std::string key = Prefix() + "ts";
  uint64_t last = 0;
  {
    TimestampWindow old_leader(client, key, 100);
    for (int i = 0; i < 30; ++i) {
      uint64_t t = old_leader.Allocate(1 + i % 4);
      ASSERT_GT(t, last);
      last = t + i % 4;
    }
  }
  Client other(Endpoint());
  TimestampWindow new_leader(other, key, 100);
  uint64_t first = new_leader.Allocate(1);
  EXPECT_GT(first, last);
  EXPECT_GT(first, 100u);  // above the old window's end, not just above what it served
  EXPECT_GT(new_leader.Allocate(1), first);
}

TEST_F(TimestampWindowTest, DeposedOracleFailsItsNextReservationThenReReads) {
  Client client(Endpoint());
  const std::string key = Prefix() + "ts";
  TimestampWindow a(client, key, 5), b(client, key, 5);
  uint64_t a_first = a.Allocate(1);  // a reserves 1..5
  uint64_t b_first = b.Allocate(1);  // b reads a's end and reserves above it
  EXPECT_GT(b_first, a_first + 4);

  EXPECT_EQ(a.Allocate(4), a_first + 1);   // still inside a's own window
  EXPECT_THROW(a.Allocate(1), EtcdError);  // needs a new window: its CAS fails
  uint64_t b_next = b.Allocate(5);         // b must not be disturbed by the attempt
  EXPECT_GT(b_next, b_first);
  uint64_t a_again = a.Allocate(1);  // re-reads the key and serves above b
  EXPECT_GT(a_again, b_next + 4);
}

TEST_F(TimestampWindowTest, ConcurrentCallersGetDistinctIncreasingValues) {
  Client client(Endpoint());
  TimestampWindow oracle(client, Prefix() + "ts", 50);
  constexpr int kThreads = 4, kCalls = 300;
  std::mutex mu;
  std::vector<std::pair<uint64_t, uint32_t>> all;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      uint64_t previous = 0;
      std::vector<std::pair<uint64_t, uint32_t>> mine;
      for (int i = 0; i < kCalls; ++i) {
        uint32_t count = 1 + (t + i) % 3;
        uint64_t first = oracle.Allocate(count);
        EXPECT_GT(first, previous);  // increasing as seen by each caller
        previous = first + count - 1;
        mine.emplace_back(first, count);
      }
      std::lock_guard lock(mu);
      all.insert(all.end(), mine.begin(), mine.end());
    });
  }
  for (auto& t : threads) t.join();
  std::sort(all.begin(), all.end());
  for (size_t i = 1; i < all.size(); ++i) {
    ASSERT_GE(all[i].first, all[i - 1].first + all[i - 1].second) << "overlapping timestamps";
  }
}

}  // namespace
}  // namespace tessera::cluster::etcd::testing
