// RowMap (executor/operators/row_hash.h): one table while small, kParts
// tables past kSplitAt entries; every entry stays findable across the split,
// and inserting an existing key keeps its value.
#include <gtest/gtest.h>

#include "executor/operators/row_hash.h"

namespace tessera::executor {
namespace {

std::vector<Value> Key(int64_t i) { return {Value::Int8(i), Value::Text("k" + std::to_string(i % 7))}; }

TEST(RowMapTest, EntriesSurviveTheSplitIntoParts) {
  RowMap<int64_t> map;
  const int64_t n = 3 * static_cast<int64_t>(RowMap<int64_t>::kSplitAt);
  for (int64_t i = 0; i < n; ++i) {
    auto [it, inserted] = map.try_emplace(Key(i), i * 10);
    ASSERT_TRUE(inserted) << i;
    ASSERT_EQ(it->second, i * 10) << "the iterator returned for entry " << i;
  }
  EXPECT_EQ(map.size(), static_cast<size_t>(n));
  for (int64_t i = 0; i < n; ++i) {
    const int64_t* found = map.Find(Key(i));
    ASSERT_NE(found, nullptr) << i;
    EXPECT_EQ(*found, i * 10);
  }
  EXPECT_EQ(map.Find(Key(n)), nullptr);
  // An existing key is not inserted again, before and after the split point.
  for (int64_t i : {int64_t{0}, static_cast<int64_t>(RowMap<int64_t>::kSplitAt) - 1, n - 1}) {
    auto [it, inserted] = map.emplace(Key(i), -1);
    EXPECT_FALSE(inserted);
    EXPECT_EQ(it->second, i * 10);
  }
  EXPECT_EQ(map.size(), static_cast<size_t>(n));
}

TEST(RowMapTest, ValuesAreUpdatedThroughFind) {
  RowMap<int64_t> map;
  map.emplace(Key(1), 5);
  ++*map.Find(Key(1));
  EXPECT_EQ(*map.Find(Key(1)), 6);
}

}  // namespace
}  // namespace tessera::executor
