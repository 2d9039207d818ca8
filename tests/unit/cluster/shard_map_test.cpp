#include <gtest/gtest.h>

#include <set>

#include "cluster/common/shard_map.h"
#include "common/error.h"

namespace tessera::cluster {
namespace {

TEST(ShardMapTest, EvenSpreadsBucketsRoundRobin) {
  ShardMap map = ShardMap::Even(3, 256);
  EXPECT_EQ(map.Groups(), 3);
  EXPECT_EQ(map.Buckets(), 256);
  EXPECT_EQ(map.BucketsPerGroup(), (std::vector<int>{86, 85, 85}));
  EXPECT_EQ(map.GroupOfBucket(4), 1);
}

TEST(ShardMapTest, JsonRoundTrips) {
  ShardMap map = ShardMap::Even(4, 16);
  ShardMap back = ShardMap::FromJson(map.ToJson());
  EXPECT_EQ(back.Groups(), 4);
  EXPECT_EQ(back.Buckets(), 16);
  for (int b = 0; b < 16; ++b) EXPECT_EQ(back.GroupOfBucket(b), map.GroupOfBucket(b));
  EXPECT_THROW(ShardMap::FromJson("{\"groups\": 2}"), SqlError);
  EXPECT_THROW(ShardMap::FromJson("not json"), SqlError);
}

// Where a row lives is decided by this hash, in every process and every
// release: a change would make stored rows unreachable.
TEST(ShardMapTest, HashIsPinned) {
  // FNV-1a 64 then the murmur3 finaliser, computed independently.
  EXPECT_EQ(StableHash(""), 0xefd01f60ba992926ull);
  EXPECT_EQ(StableHash("tessera"), 0xb4d779de6b4cce0bull);
  EXPECT_NE(StableHash("a"), StableHash("b"));
}

TEST(ShardMapTest, KeysSpreadOverAllGroups) {
  ShardMap map = ShardMap::Even(3, 256);
  std::vector<int> per_group(3, 0);
  for (int i = 0; i < 3000; ++i) ++per_group[static_cast<size_t>(map.GroupOf("key" + std::to_string(i)))];
  for (int count : per_group) {
    EXPECT_GT(count, 800);
    EXPECT_LT(count, 1200);
  }
}

}  // namespace
}  // namespace tessera::cluster
