// Round trips of the fragment encoding: every fragment kind, every
// expression kind, every value payload; and robustness to unknown fields
// and corrupt input.
#include <gtest/gtest.h>

#include <set>

#include "common/error.h"
#include "planner/codec_buffer.h"
#include "common/value_ops.h"
#include "planner/fragment_codec.h"

namespace tessera::testing {

using namespace planner;

namespace {

const Type kBool = Type::Of(TypeId::kBool);
const Type kInt = Type::Of(TypeId::kInt4);

// One expression of every kind.
std::vector<ExprRef> AllExprKinds() {
  ExprRef c = MakeConstantExpr(Value::Int4(7));
  ExprRef col = MakeColumnExpr(2, kInt, "t.a");
  auto param = std::make_shared<BoundExpr>();
  param->kind = BoundExprKind::kParam;
  param->index = 1;
  param->type = kInt;
  ExprRef text = MakeConstantExpr(Value::Text("x%"));
  auto fn = std::make_shared<BoundExpr>();
  fn->kind = BoundExprKind::kFunction;
  fn->name = "upper";
  fn->type = Type::Of(TypeId::kText);
  fn->args = {text};
  auto next = std::make_shared<BoundExpr>();
  next->kind = BoundExprKind::kNextVal;
  next->type = Type::Of(TypeId::kInt8);
  next->name = "public.s_id_seq";
  auto agg = MakeNode(BoundExprKind::kAggregate, Type::Of(TypeId::kInt8), {col}, static_cast<uint8_t>(AggKind::kCount));
  const_cast<BoundExpr&>(*agg).distinct = true;
  ExprRef cmp = MakeCompareExpr(CompareOp::kLe, col, param);
  return {
      c,
      col,
      param,
      MakeCastExpr(col, Type::Numeric(10, 2)),
      cmp,
      MakeNode(BoundExprKind::kArith, kInt, {col, c}, static_cast<uint8_t>(ArithOp::kMul)),
      MakeNode(BoundExprKind::kNegate, kInt, {col}),
      MakeNode(BoundExprKind::kConcat, Type::Of(TypeId::kText), {text, text}),
      MakeNode(BoundExprKind::kAnd, kBool, {cmp, cmp}),
      MakeNode(BoundExprKind::kOr, kBool, {cmp, cmp}),
      MakeNode(BoundExprKind::kNot, kBool, {cmp}),
      MakeNode(BoundExprKind::kIsNull, kBool, {col}, 0, true),
      MakeNode(BoundExprKind::kBoolTest, kBool, {cmp}, static_cast<uint8_t>(BoolTestKind::kUnknown), true),
      MakeNode(BoundExprKind::kLike, kBool, {text, text}, 1, true),
      MakeNode(BoundExprKind::kInList, kBool, {col, c, c}, 0, true),
      MakeNode(BoundExprKind::kDistinctFrom, kBool, {col, c}, 0, true),
      MakeNode(BoundExprKind::kCase, kInt, {cmp, c, col}),
      MakeNode(BoundExprKind::kCoalesce, kInt, {col, c}),
      MakeNode(BoundExprKind::kNullIf, kInt, {col, c}),
      MakeNode(BoundExprKind::kGreatest, kInt, {col, c}),
      MakeNode(BoundExprKind::kLeast, kInt, {col, c}),
      fn,
      next,
      agg,
      MakeNode(BoundExprKind::kSubqueryValue, kBool, {}, static_cast<uint8_t>(SubqueryKind::kExists)),
      MakeNode(BoundExprKind::kInSubquery, kBool, {col}, 0, true),
  };
}

TableLayout Layout() {
  TableLayout t;
  t.table_id = 16390;
  t.table_name = "accounts";
  t.schema_name = "public";
  t.column_names = {"id", "name", "balance"};
  t.column_types = {kInt, Type::Varchar(20), Type::Numeric(12, 2)};
  t.not_null = {true, false, true};
  t.primary_key = {0};
  t.primary_key_name = "accounts_pkey";
  t.indexes.push_back({5, "accounts_name_idx", {1}, {true}, true});
  return t;
}

}  // namespace

TEST(FragmentCodecTest, EveryExpressionKindRoundTrips) {
  auto exprs = AllExprKinds();
  // The list must cover every kind: a new kind without a case here fails.
  std::set<BoundExprKind> kinds;
  for (auto& e : exprs) kinds.insert(e->kind);
  EXPECT_EQ(kinds.size(), static_cast<size_t>(BoundExprKind::kInSubquery) + 1);
  for (auto& e : exprs) {
    ExprRef back = DecodeExpr(EncodeExpr(*e));
    EXPECT_TRUE(ExprEquals(*e, *back)) << ExprToText(*e) << " became " << ExprToText(*back);
    EXPECT_EQ(ExprToText(*e), ExprToText(*back));
    EXPECT_EQ(back->name, e->name);
  }
}

TEST(FragmentCodecTest, EveryValuePayloadRoundTrips) {
  std::vector<Value> values = {Value::Null(kInt), Value::Bool(true), Value::Int2(-3), Value::Int4(42),
                               Value::Int8(-1234567890123LL), Value::Float4(1.5f), Value::Float8(-2.25),
                               Value::Text("héllo"), Value::Text("ab", Type::Varchar(5)), Value::Unknown("lit"),
                               Value::Bytea(std::string("\0\1", 2)), Value::Num(Numeric(12345, 2), Type::Numeric(10, 2).typmod),
                               Value::Date(9000), Value::Timestamp(123456789), Value::TimestampTz(-5)};
  FragmentRequest request;
  auto f = std::make_shared<Fragment>();
  f->kind = FragmentKind::kInsert;
  f->table = Layout();
  request.fragment = f;
  request.params = values;
  request.rows = {values, {}};
  request.subquery_rows = {{Value::Int4(3), Value::Null(kInt)}, {}};
  request.outer_values = {Value::Text("x"), Value::Null(kInt)};
  FragmentRequest back = DecodeFragmentRequest(EncodeFragmentRequest(request));
  ASSERT_EQ(back.params.size(), values.size());
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_EQ(back.params[i].GetType(), values[i].GetType()) << i;
    EXPECT_EQ(back.params[i].IsNull(), values[i].IsNull()) << i;
    if (!values[i].IsNull()) {
      EXPECT_EQ(back.params[i].Compare(values[i]), 0) << i;
    }
  }
  ASSERT_EQ(back.rows.size(), 2u);
  EXPECT_EQ(back.rows[0].size(), values.size());
  EXPECT_TRUE(back.rows[1].empty());
  ASSERT_EQ(back.subquery_rows.size(), 2u);
  EXPECT_EQ(back.subquery_rows[0].size(), 2u);
  EXPECT_TRUE(back.subquery_rows[0][1].IsNull());
  ASSERT_EQ(back.outer_values.size(), 2u);  // a correlated subquery's fragment
  EXPECT_EQ(back.outer_values[0].GetString(), "x");
  EXPECT_TRUE(back.outer_values[1].IsNull());
  // ... whose expressions read them through kOuterRef.
  ExprRef outer = MakeNode(BoundExprKind::kOuterRef, kInt, {});
  std::const_pointer_cast<BoundExpr>(outer)->index = 2;
  ExprRef outer_back = DecodeExpr(EncodeExpr(*outer));
  EXPECT_TRUE(ExprEquals(*outer, *outer_back));
}

TEST(FragmentCodecTest, EveryFragmentKindRoundTrips) {
  for (auto kind : {FragmentKind::kScan, FragmentKind::kInsert, FragmentKind::kUpdate, FragmentKind::kDelete}) {
    Fragment f;
    f.kind = kind;
    f.table = Layout();
    f.scan.kind = ScanKind::kRange;
    f.scan.index_id = 5;
    f.scan.lower = {MakeConstantExpr(Value::Text("a"))};
    f.scan.lower_inclusive = false;
    f.scan.upper = {MakeConstantExpr(Value::Text("m"))};
    f.filter = MakeCompareExpr(CompareOp::kGt, MakeColumnExpr(2, Type::Numeric(12, 2)), MakeConstantExpr(Value::Num(Numeric(0, 0))));
    f.projection = {MakeColumnExpr(0, kInt), MakeColumnExpr(1, Type::Varchar(20))};
    f.top_n = {{MakeColumnExpr(0, kInt), true, false}};
    f.limit = 10;
    f.set = {{2, MakeColumnExpr(2, Type::Numeric(12, 2))}};
    f.returning = {MakeColumnExpr(0, kInt)};
    f.on_conflict_do_nothing = kind == FragmentKind::kInsert;
    f.lock_rows = kind == FragmentKind::kScan;
    f.lock_wait = kind == FragmentKind::kScan ? RowLockWait::kSkipLocked : RowLockWait::kBlock;
    f.group_by = {MakeColumnExpr(1, Type::Varchar(20))};
    for (auto& e : AllExprKinds())
      if (e->kind == BoundExprKind::kAggregate) f.aggregates = {e};
    Fragment back = DecodeFragment(EncodeFragment(f));
    EXPECT_EQ(back.kind, kind);
    EXPECT_EQ(back.table.table_id, f.table.table_id);
    EXPECT_EQ(back.table.table_name, "accounts");
    EXPECT_EQ(back.table.schema_name, "public");
    EXPECT_EQ(back.table.column_names, f.table.column_names);
    EXPECT_EQ(back.table.column_types, f.table.column_types);
    EXPECT_EQ(back.table.not_null, f.table.not_null);
    EXPECT_EQ(back.table.primary_key, f.table.primary_key);
    ASSERT_EQ(back.table.indexes.size(), 1u);
    EXPECT_EQ(back.table.indexes[0].name, "accounts_name_idx");
    EXPECT_EQ(back.table.indexes[0].descending, std::vector<bool>{true});
    EXPECT_TRUE(back.table.indexes[0].unique);
    EXPECT_EQ(back.scan.kind, ScanKind::kRange);
    EXPECT_EQ(back.scan.index_id, 5u);
    EXPECT_FALSE(back.scan.lower_inclusive);
    ASSERT_EQ(back.scan.upper.size(), 1u);
    EXPECT_TRUE(ExprEquals(*back.filter, *f.filter));
    EXPECT_EQ(back.projection.size(), 2u);
    ASSERT_EQ(back.top_n.size(), 1u);
    EXPECT_TRUE(back.top_n[0].descending);
    EXPECT_EQ(back.limit, 10);
    ASSERT_EQ(back.set.size(), 1u);
    EXPECT_EQ(back.set[0].column, 2);
    EXPECT_EQ(back.returning.size(), 1u);
    EXPECT_EQ(back.on_conflict_do_nothing, kind == FragmentKind::kInsert);
    EXPECT_EQ(back.lock_rows, kind == FragmentKind::kScan);
    EXPECT_EQ(back.lock_wait, f.lock_wait);
    ASSERT_EQ(back.group_by.size(), 1u);
    ASSERT_EQ(back.aggregates.size(), 1u);
    EXPECT_TRUE(ExprEquals(*back.aggregates[0], *f.aggregates[0]));
  }
}

TEST(FragmentCodecTest, ColocatedJoinRoundTrips) {
  Fragment f;
  f.table = Layout();
  auto join = std::make_shared<FragmentJoin>();
  join->kind = FragmentJoinKind::kLeft;
  join->method = FragmentJoinMethod::kLookupInner;
  join->table = Layout();
  join->table.table_id = 16400;
  join->table.table_name = "ledger";
  join->scan.kind = ScanKind::kPoint;
  join->scan.lower = {MakeConstantExpr(Value::Int4(7))};
  join->filter = MakeCompareExpr(CompareOp::kGt, MakeColumnExpr(0, kInt), MakeConstantExpr(Value::Int4(1)));
  join->condition = MakeCompareExpr(CompareOp::kNe, MakeColumnExpr(1, Type::Varchar(20)), MakeColumnExpr(4, Type::Varchar(20)));
  f.join = join;
  Fragment back = DecodeFragment(EncodeFragment(f));
  ASSERT_TRUE(back.join);
  EXPECT_EQ(back.join->kind, FragmentJoinKind::kLeft);
  EXPECT_EQ(back.join->method, FragmentJoinMethod::kLookupInner);
  EXPECT_EQ(back.join->table.table_id, 16400u);
  EXPECT_EQ(back.join->table.table_name, "ledger");
  EXPECT_EQ(back.join->scan.kind, ScanKind::kPoint);
  ASSERT_EQ(back.join->scan.lower.size(), 1u);
  EXPECT_TRUE(ExprEquals(*back.join->filter, *join->filter));
  EXPECT_TRUE(ExprEquals(*back.join->condition, *join->condition));
  // A plain fragment stays plain.
  f.join = nullptr;
  EXPECT_FALSE(DecodeFragment(EncodeFragment(f)).join);
  // A join without its table, or of a kind this reader does not know, is refused.
  codec::Writer empty_join;
  empty_join.End();
  codec::Writer unknown_kind;
  unknown_kind.FieldVarint(1, 9);
  unknown_kind.FieldBytes(3, "");
  unknown_kind.End();
  for (codec::Writer* join_bytes : {&empty_join, &unknown_kind}) {
    codec::Writer w;
    w.FieldVarint(1, static_cast<uint8_t>(FragmentKind::kScan));
    w.FieldBytes(13, join_bytes->Take());
    w.End();
    EXPECT_THROW(DecodeFragment(w.Take()), SqlError);
  }
}

TEST(FragmentCodecTest, ResultRoundTrips) {
  FragmentResult r;
  r.rows = {{Value::Int4(1), Value::Text("a")}, {Value::Null(kInt), Value::Float8(0.5)}};
  r.affected = 77;
  FragmentResult back = DecodeFragmentResult(EncodeFragmentResult(r));
  EXPECT_EQ(back.affected, 77);
  ASSERT_EQ(back.rows.size(), 2u);
  EXPECT_EQ(back.rows[0][1].GetString(), "a");
  EXPECT_TRUE(back.rows[1][0].IsNull());
}

// A storage node encodes a big result polling the statement's deadline: the
// hook runs after every row, and what it throws stops the encoding there.
TEST(FragmentCodecTest, ResultEncodingCallsItsHookPerRowAndStopsWhenItThrows) {
  FragmentResult r;
  for (int i = 0; i < 5000; ++i) r.rows.push_back({Value::Int4(i), Value::Text("row " + std::to_string(i))});
  int calls = 0;
  std::string bytes = EncodeFragmentResult(r, [&calls] { ++calls; });
  EXPECT_EQ(calls, 5000);
  FragmentResult back = DecodeFragmentResult(bytes);
  ASSERT_EQ(back.rows.size(), 5000u);
  EXPECT_EQ(back.rows[4999][1].GetString(), "row 4999");  // the scratch writers leave nothing behind
  calls = 0;
  auto stop_at_100 = [&calls] {
    if (++calls == 100) throw SqlError(sqlstate::kQueryCanceled, "canceling statement due to statement timeout");
  };
  EXPECT_THROW(EncodeFragmentResult(r, stop_at_100), SqlError);
  EXPECT_EQ(calls, 100);
}

TEST(FragmentCodecTest, SkipsUnknownFieldsAndRejectsCorruption) {
  // A newer writer's extra field (number 99) is ignored by this reader.
  codec::Writer w;
  w.FieldVarint(1, static_cast<uint8_t>(BoundExprKind::kColumn));
  w.FieldVarint(2, static_cast<uint32_t>(TypeId::kInt4));
  w.FieldBytes(99, "future");
  w.FieldInt(5, 3);
  w.End();
  ExprRef e = DecodeExpr(w.Take());
  EXPECT_EQ(e->kind, BoundExprKind::kColumn);
  EXPECT_EQ(e->index, 3);
  std::string bytes = EncodeFragmentResult(FragmentResult{});
  EXPECT_THROW(DecodeFragmentResult("XXX" + bytes.substr(3)), SqlError);
  EXPECT_THROW(DecodeFragmentResult(bytes.substr(0, bytes.size() - 1)), SqlError);
}

}  // namespace tessera::testing
