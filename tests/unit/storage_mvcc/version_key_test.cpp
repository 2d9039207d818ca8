#include "storage/mvcc/version_key.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "storage/lmdb_util.h"

namespace tessera::storage::mvcc {
namespace {

int Compare(const std::string& a, const std::string& b) {
  MDB_val va = ToVal(a), vb = ToVal(b);
  return CompareVersionKeys(&va, &vb);
}

TEST(VersionKeyTest, RoundTrips) {
  std::string stored = EncodeVersionKey("user\0key", 42);
  std::string_view user;
  Timestamp ts = 0;
  ASSERT_TRUE(DecodeVersionKey(stored, &user, &ts));
  EXPECT_EQ(user, std::string_view("user\0key"));
  EXPECT_EQ(ts, 42u);
  EXPECT_FALSE(DecodeVersionKey("short", &user, &ts));
}

TEST(VersionKeyTest, NewestVersionFirst) {
  EXPECT_LT(Compare(EncodeVersionKey("k", 9), EncodeVersionKey("k", 3)), 0);
  EXPECT_LT(Compare(EncodeVersionKey("k", kMaxTimestamp), EncodeVersionKey("k", 1)), 0);
}

TEST(VersionKeyTest, UserKeysOrderFirstEvenWhenOneIsAPrefix) {
  // With plain byte order "a"+~1 (0xFF...) would sort after "ab"+ts.
  EXPECT_LT(Compare(EncodeVersionKey("a", 1), EncodeVersionKey("ab", 100)), 0);
  EXPECT_LT(Compare(EncodeVersionKey("a", 100), EncodeVersionKey("a\x01", 1)), 0);
  std::vector<std::string> keys = {EncodeVersionKey("b", 5), EncodeVersionKey("a", 1), EncodeVersionKey("ab", 2),
                                   EncodeVersionKey("a", 7), EncodeVersionKey("", 3)};
  std::sort(keys.begin(), keys.end(), [](const std::string& x, const std::string& y) { return Compare(x, y) < 0; });
  std::vector<std::string> expected = {EncodeVersionKey("", 3), EncodeVersionKey("a", 7), EncodeVersionKey("a", 1),
                                       EncodeVersionKey("ab", 2), EncodeVersionKey("b", 5)};
  EXPECT_EQ(keys, expected);
}

TEST(VersionKeyTest, ValueTags) {
  VersionTag tag{};
  std::string_view row;
  ASSERT_TRUE(DecodeVersionValue(EncodeVersionValue(VersionTag::kRow, "abc"), &tag, &row));
  EXPECT_EQ(tag, VersionTag::kRow);
  EXPECT_EQ(row, "abc");
  ASSERT_TRUE(DecodeVersionValue(EncodeVersionValue(VersionTag::kTombstone, ""), &tag, &row));
  EXPECT_EQ(tag, VersionTag::kTombstone);
  EXPECT_FALSE(DecodeVersionValue("", &tag, &row));
  EXPECT_FALSE(DecodeVersionValue("\x07", &tag, &row));
}

}  // namespace
}  // namespace tessera::storage::mvcc
