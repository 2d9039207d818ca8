// AllocateRange: ranges from concurrent allocators (threads of several clients) never overlap
// and leave no gaps.
#include "cluster/etcd/range_allocator.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "tests/unit/cluster_etcd/etcd_test_support.h"

namespace tessera::cluster::etcd::testing {
namespace {

class RangeAllocatorTest : public EtcdSuite {};

TEST_F(RangeAllocatorTest, MissingKeyStartsAtFirstValueAndStoresTheNextFree) {
  Client client(Endpoint());
  const std::string key = Prefix() + "counter";
  EXPECT_EQ(AllocateRange(client, key, 10, 100), 100);
  EXPECT_EQ(client.Get(key).kvs.at(0).value, "110");
  EXPECT_EQ(AllocateRange(client, key, 1, 100), 110);
  EXPECT_EQ(AllocateRange(client, key, 5, 7), 111);  // first_value only matters for a missing key
  EXPECT_EQ(AllocateRange(client, Prefix() + "other", 3), 1);
}

TEST_F(RangeAllocatorTest, ConcurrentAllocatorsGetDisjointRanges) {
  const std::string key = Prefix() + "counter";
  constexpr int kClients = 2, kThreadsPerClient = 4, kAllocations = 25;
  std::vector<std::unique_ptr<Client>> clients;
  for (int c = 0; c < kClients; ++c) clients.push_back(std::make_unique<Client>(Endpoint()));

  std::mutex mu;
  std::vector<std::pair<int64_t, int64_t>> ranges;  // first, count
  std::vector<std::thread> threads;
  for (int c = 0; c < kClients; ++c) {
    for (int t = 0; t < kThreadsPerClient; ++t) {
      threads.emplace_back([&, c, t] {
        for (int i = 0; i < kAllocations; ++i) {
          int64_t count = 1 + (t * 7 + i) % 5;
          int64_t first = AllocateRange(*clients[c], key, count, 1000);
          std::lock_guard lock(mu);
          ranges.emplace_back(first, count);
        }
      });
    }
  }
  for (auto& t : threads) t.join();

  ASSERT_EQ(ranges.size(), static_cast<size_t>(kClients * kThreadsPerClient * kAllocations));
  std::sort(ranges.begin(), ranges.end());
  int64_t expected = 1000;
  for (const auto& [first, count] : ranges) {
    ASSERT_EQ(first, expected) << "gap or overlap";
    expected += count;
  }
  EXPECT_EQ(clients[0]->Get(key).kvs.at(0).value, std::to_string(expected));
}

TEST_F(RangeAllocatorTest, RejectsACorruptCounterAndABadCount) {
  Client client(Endpoint());
  const std::string key = Prefix() + "counter";
  client.Put(key, "12x");
  EXPECT_THROW(AllocateRange(client, key, 1), EtcdError);
  EXPECT_THROW(AllocateRange(client, key, 0), std::invalid_argument);
}

}  // namespace
}  // namespace tessera::cluster::etcd::testing
