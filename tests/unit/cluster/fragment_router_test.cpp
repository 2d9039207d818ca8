#include <gtest/gtest.h>

#include "cluster/common/shard_map.h"
#include "cluster/gateway/fragment_router.h"
#include "common/error.h"
#include "executor/table_store.h"
#include "storage/key_encoding.h"

namespace tessera::cluster {
namespace {

planner::TableLayout Table(bool with_key) {
  planner::TableLayout t;
  t.table_id = 16384;
  t.table_name = "t";
  t.column_names = {"k", "v"};
  t.column_types = {Type::Of(TypeId::kInt4), Type::Of(TypeId::kText)};
  t.not_null = {true, false};
  if (with_key) t.primary_key = {0};
  return t;
}

planner::FragmentRequest Request(planner::FragmentKind kind, bool with_key) {
  auto f = std::make_shared<planner::Fragment>();
  f->kind = kind;
  f->table = Table(with_key);
  planner::FragmentRequest r;
  r.fragment = f;
  return r;
}

TEST(FragmentRouterTest, PointLookupGoesToTheKeysGroup) {
  ShardMap map = ShardMap::Even(3, 64);
  planner::EvalContext ctx;
  for (int k = 0; k < 50; ++k) {
    auto r = Request(planner::FragmentKind::kScan, true);
    auto f = std::make_shared<planner::Fragment>(*r.fragment);
    f->scan.kind = planner::ScanKind::kPoint;
    f->scan.lower = {planner::MakeConstantExpr(Value::Int4(k))};
    r.fragment = f;
    auto routed = RouteFragment(r, map, ctx);
    ASSERT_EQ(routed.size(), 1u);
    std::string suffix;
    storage::AppendKeyValue(&suffix, Value::Int4(k));
    EXPECT_EQ(routed[0].group, map.GroupOf(suffix));
  }
}

TEST(FragmentRouterTest, KeyListSendsEachGroupOnlyItsKeys) {
  ShardMap map = ShardMap::Even(3, 64);
  planner::EvalContext ctx;
  auto r = Request(planner::FragmentKind::kDelete, true);
  auto f = std::make_shared<planner::Fragment>(*r.fragment);
  f->scan.kind = planner::ScanKind::kKeyList;
  for (int k = 0; k < 30; ++k) f->scan.lower.push_back(planner::MakeConstantExpr(Value::Int4(k)));
  f->scan.lower.push_back(planner::MakeConstantExpr(Value::Null(Type::Of(TypeId::kInt4))));
  r.fragment = f;
  auto routed = RouteFragment(r, map, ctx);
  ASSERT_EQ(routed.size(), 3u);
  size_t keys = 0;
  for (auto& part : routed) {
    EXPECT_EQ(part.request.fragment->kind, planner::FragmentKind::kDelete);
    for (auto& value : part.request.fragment->scan.lower) {
      std::string suffix;
      storage::AppendKeyValue(&suffix, value->value);
      EXPECT_EQ(map.GroupOf(suffix), part.group) << value->value.ToText();
      ++keys;
    }
  }
  EXPECT_EQ(keys, 30u);  // the NULL goes nowhere
  EXPECT_EQ(f->scan.lower.size(), 31u);  // the statement's fragment is unchanged
}

TEST(FragmentRouterTest, FullScanFansOut) {
  ShardMap map = ShardMap::Even(3, 64);
  planner::EvalContext ctx;
  auto routed = RouteFragment(Request(planner::FragmentKind::kScan, true), map, ctx);
  ASSERT_EQ(routed.size(), 3u);
  EXPECT_EQ(routed[0].group, 0);
  EXPECT_EQ(routed[2].group, 2);
}

TEST(FragmentRouterTest, InsertRowsSplitByKey) {
  ShardMap map = ShardMap::Even(3, 64);
  planner::EvalContext ctx;
  auto r = Request(planner::FragmentKind::kInsert, true);
  for (int k = 0; k < 30; ++k) r.rows.push_back({Value::Int4(k), Value::Text("v")});
  auto routed = RouteFragment(r, map, ctx);
  size_t total = 0;
  for (auto& part : routed) {
    total += part.request.rows.size();
    for (auto& row : part.request.rows)
      EXPECT_EQ(part.group, map.GroupOf(executor::PrimaryKeySuffixOf(r.fragment->table, row)));
  }
  EXPECT_EQ(total, 30u);
  EXPECT_EQ(routed.size(), 3u);
}

TEST(FragmentRouterTest, HiddenRowIdsTravelWithTheirRows) {
  ShardMap map = ShardMap::Even(3, 64);
  planner::EvalContext ctx;
  auto r = Request(planner::FragmentKind::kInsert, false);
  for (int i = 0; i < 20; ++i) {
    r.rows.push_back({Value::Int4(i), Value::Text("v")});
    r.row_ids.push_back(1000 + i);
  }
  auto routed = RouteFragment(r, map, ctx);
  for (auto& part : routed) {
    ASSERT_EQ(part.request.rows.size(), part.request.row_ids.size());
    for (size_t i = 0; i < part.request.rows.size(); ++i) {
      EXPECT_EQ(part.request.row_ids[i], 1000 + part.request.rows[i][0].GetInt());
      std::string suffix;
      storage::AppendKeyValue(&suffix, Value::Int8(part.request.row_ids[i]));
      EXPECT_EQ(part.group, map.GroupOf(suffix));
    }
  }
  r.row_ids.pop_back();
  EXPECT_THROW(RouteFragment(r, map, ctx), SqlError);
}

}  // namespace
}  // namespace tessera::cluster
