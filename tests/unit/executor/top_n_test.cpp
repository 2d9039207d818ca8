// TopN (executor/top_n.h): the first n rows in sort order, as a stable sort
// of all of them would give, with memory for n rows only.
#include "executor/top_n.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "planner/bound_expr.h"

namespace tessera::executor {
namespace {

const Type kInt8 = Type::Of(TypeId::kInt8);

// Rows (key, arrival), sorted by key: ASC NULLS LAST or DESC NULLS FIRST.
std::vector<planner::SortKey> ByKey(bool descending) {
  planner::SortKey key;
  key.expr = planner::MakeColumnExpr(0, kInt8);
  key.descending = descending;
  key.nulls_first = descending;
  return {key};
}

std::vector<Row> Rows(const std::vector<std::optional<int64_t>>& keys) {
  std::vector<Row> rows;
  for (size_t i = 0; i < keys.size(); ++i)
    rows.push_back({keys[i] ? Value::Int8(*keys[i]) : Value::Null(kInt8), Value::Int8(static_cast<int64_t>(i))});
  return rows;
}

std::vector<Row> StableSortFirst(std::vector<Row> rows, const std::vector<planner::SortKey>& keys, size_t n) {
  planner::EvalContext ctx;
  std::vector<KeyedRow> keyed;
  for (auto& r : rows) keyed.push_back(MakeKeyed(r, keys, ctx));
  std::stable_sort(keyed.begin(), keyed.end(),
                   [&](const KeyedRow& a, const KeyedRow& b) { return CompareKeys(a.keys, b.keys, keys) < 0; });
  std::vector<Row> out;
  for (size_t i = 0; i < std::min(n, keyed.size()); ++i) out.push_back(keyed[i].row);
  return out;
}

std::vector<Row> TopOf(const std::vector<Row>& rows, const std::vector<planner::SortKey>& keys, size_t n,
                       MemoryAccount* memory = nullptr) {
  planner::EvalContext ctx;
  TopN top(keys, n, memory, "TupleSort main");
  for (auto& r : rows) top.Offer(r, ctx);
  return top.TakeSorted();
}

void ExpectSameRows(const std::vector<Row>& got, const std::vector<Row>& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    ASSERT_EQ(got[i].size(), want[i].size());
    for (size_t c = 0; c < got[i].size(); ++c) EXPECT_EQ(got[i][c].Compare(want[i][c]), 0) << "row " << i;
  }
}

TEST(TopN, SameRowsAsAStableSortWithTiesAndNulls) {
  std::mt19937 rng(7);
  for (bool descending : {false, true}) {
    auto keys = ByKey(descending);
    for (size_t n : {0, 1, 3, 10, 99, 100, 250}) {
      std::vector<std::optional<int64_t>> values;
      for (int i = 0; i < 100; ++i) {
        int64_t v = static_cast<int64_t>(rng() % 20);  // many ties
        values.push_back(v == 0 ? std::nullopt : std::optional<int64_t>(v));
      }
      auto rows = Rows(values);
      SCOPED_TRACE("n " + std::to_string(n) + (descending ? " desc" : " asc"));
      ExpectSameRows(TopOf(rows, keys, n), StableSortFirst(rows, keys, n));
    }
  }
}

TEST(TopN, AdmitsOnlyRowsThatBeatTheLastKept) {
  auto keys = ByKey(false);
  planner::EvalContext ctx;
  TopN top(keys, 2, nullptr, "TupleSort main");
  top.Offer(MakeKeyed(Rows({5})[0], keys, ctx));
  top.Offer(MakeKeyed(Rows({3})[0], keys, ctx));
  EXPECT_FALSE(top.Admits({Value::Int8(5)}));  // a tie arrives later: it loses
  EXPECT_FALSE(top.Admits({Value::Int8(9)}));
  EXPECT_TRUE(top.Admits({Value::Int8(4)}));
}

// Memory follows the rows kept, not the rows offered, and all of it is
// given back when the rows are taken.
TEST(TopN, ChargesOnlyTheRowsKept) {
  MemoryPool pool;
  MemoryAccount account("ExecutorState", 0, "limit", &pool);
  auto keys = ByKey(false);
  std::vector<std::optional<int64_t>> values;
  for (int64_t i = 1000000; i > 0; --i) values.push_back(i);  // each one evicts the last kept
  auto rows = Rows(values);
  planner::EvalContext ctx;
  TopN top(keys, 10, &account, "TupleSort main");
  for (auto& r : rows) top.Offer(MakeKeyed(r, keys, ctx));
  EXPECT_LT(top.Charged(), 10 * 1024);
  EXPECT_EQ(top.Charged(), account.Used());
  auto kept = top.TakeSorted();
  ASSERT_EQ(kept.size(), 10u);
  EXPECT_EQ(kept[0][0].GetInt(), 1);
  EXPECT_EQ(kept[9][0].GetInt(), 10);
  EXPECT_EQ(account.Used(), 0);
}

}  // namespace
}  // namespace tessera::executor
