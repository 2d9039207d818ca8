#include "common/memory_account.h"

#include <gtest/gtest.h>

#include "common/error.h"

namespace tessera {
namespace {

std::string SqlstateOf(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const SqlError& e) {
    return e.Sqlstate();
  }
  return "";
}

TEST(MemoryAccountTest, ReservesFromThePoolInChunksAndReturnsEverything) {
  MemoryPool pool(10 * MemoryAccount::kChunk);
  {
    MemoryAccount account("test", 0, "limit", &pool);
    account.Grow(100);
    EXPECT_EQ(account.Used(), 100);
    EXPECT_EQ(pool.Used(), MemoryAccount::kChunk);  // one chunk, not 100 bytes
    account.Grow(MemoryAccount::kChunk);
    EXPECT_EQ(pool.Used(), 2 * MemoryAccount::kChunk);
  }
  EXPECT_EQ(pool.Used(), 0);
}

TEST(MemoryAccountTest, StatementLimitGives53200WithPostgresShape) {
  MemoryPool pool(0);
  MemoryAccount account("SortBuffer", 1000, "limit", &pool);
  account.Grow(600);
  try {
    account.Grow(600);
    FAIL() << "no error past the limit";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), sqlstate::kOutOfMemory);
    EXPECT_EQ(e.Message(), "out of memory");
    EXPECT_EQ(e.Detail(), "Failed on request of size 600 in memory context \"SortBuffer\".");
  }
  EXPECT_EQ(account.Used(), 600);  // the failed request is not charged
  account.Grow(400);               // up to the limit still works
}

TEST(MemoryAccountTest, PoolLimitIsSharedByAccounts) {
  MemoryPool pool(4 * MemoryAccount::kChunk);
  MemoryAccount a("a", 0, "limit", &pool);
  MemoryAccount b("b", 0, "limit", &pool);
  a.Grow(3 * MemoryAccount::kChunk);
  EXPECT_EQ(SqlstateOf([&] { b.Grow(2 * MemoryAccount::kChunk); }), sqlstate::kOutOfMemory);
  b.Grow(MemoryAccount::kChunk / 2);  // what is left still serves
  a.ReleaseAll();
  b.Grow(2 * MemoryAccount::kChunk);  // a's memory came back
  EXPECT_LE(pool.Used(), pool.Limit());
}

TEST(MemoryAccountTest, ShrinkGivesSpareChunksBack) {
  MemoryPool pool(0);
  MemoryAccount account("x", 0, "limit", &pool);
  account.Grow(10 * MemoryAccount::kChunk);
  account.Shrink(9 * MemoryAccount::kChunk);
  EXPECT_EQ(account.Used(), MemoryAccount::kChunk);
  EXPECT_LE(pool.Used(), 2 * MemoryAccount::kChunk);
}

TEST(MemoryAccountTest, ChargeReturnsWhatItAddedWhenDropped) {
  MemoryPool pool(0);
  MemoryAccount account("x", 0, "limit", &pool);
  {
    MemoryCharge charge(&account);
    charge.Add(5000);
    charge.Add(7000);
    EXPECT_EQ(account.Used(), 12000);
  }
  EXPECT_EQ(account.Used(), 0);
  MemoryCharge none;
  none.Add(1 << 30);  // no account: nothing to charge, no error
}

TEST(MemoryAccountTest, RowEstimateCountsLongStrings) {
  std::vector<Value> small{Value::Int8(1), Value::Int8(2)};
  std::vector<Value> large{Value::Int8(1), Value::Text(std::string(1000, 'x'))};
  EXPECT_GE(EstimateRowBytes(small), static_cast<int64_t>(2 * sizeof(Value)));
  EXPECT_GE(EstimateRowBytes(large), EstimateRowBytes(small) + 1000);
}

TEST(MemoryAccountTest, DefaultLimitIsAQuarterOfMemory) {
  int64_t limit = MemoryPool::DefaultLimit();
  EXPECT_GT(limit, int64_t{64} << 20);
}

}  // namespace
}  // namespace tessera
