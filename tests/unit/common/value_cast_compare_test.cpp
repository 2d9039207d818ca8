#include <cmath>

#include "common/value.h"
#include "test_helpers.h"

namespace tessera {
namespace {

const Type kInt2 = Type::Of(TypeId::kInt2), kInt4 = Type::Of(TypeId::kInt4), kInt8 = Type::Of(TypeId::kInt8);
const Type kF4 = Type::Of(TypeId::kFloat4), kF8 = Type::Of(TypeId::kFloat8), kText = Type::Of(TypeId::kText);
const Type kNum = Type::Of(TypeId::kNumeric);

Value Num(const char* s) { return Value::Num(Numeric::Parse(s)); }

TEST(ValueCastTest, IntegerRanges) {
  EXPECT_EQ(Value::Int8(5).CastTo(kInt2).Id(), TypeId::kInt2);
  EXPECT_SQL_ERROR(Value::Int8(1LL << 40).CastTo(kInt4), "22003", "integer out of range");
  EXPECT_SQL_ERROR(Value::Int4(40000).CastTo(kInt2), "22003", "smallint out of range");
  EXPECT_EQ(Value::Int4(7).CastTo(kNum).ToText(), "7");
  EXPECT_EQ(Value::Int4(7).CastTo(Type::Numeric(5, 2)).ToText(), "7.00");
  EXPECT_EQ(Value::Int4(7).CastTo(kF8).GetFloat(), 7.0);
}

TEST(ValueCastTest, FloatToIntRoundsHalfEven) {
  EXPECT_EQ(Value::Float8(2.5).CastTo(kInt4).GetInt(), 2);
  EXPECT_EQ(Value::Float8(3.5).CastTo(kInt4).GetInt(), 4);
  EXPECT_EQ(Value::Float8(-2.5).CastTo(kInt8).GetInt(), -2);
  EXPECT_SQL_ERROR(Value::Float8(1e10).CastTo(kInt4), "22003", "integer out of range");
  EXPECT_SQL_ERROR(Value::Float8(NAN).CastTo(kInt8), "22003", "bigint out of range");
  EXPECT_SQL_ERROR(Value::Float8(1e300).CastTo(kF4), "22003", "value out of range: overflow");
  EXPECT_SQL_ERROR(Value::Float8(1e-300).CastTo(kF4), "22003", "value out of range: underflow");
}

TEST(ValueCastTest, NumericConversions) {
  EXPECT_EQ(Num("2.5").CastTo(kInt4).GetInt(), 3);  // numeric rounds half away from zero
  EXPECT_EQ(Num("-2.5").CastTo(kInt4).GetInt(), -3);
  EXPECT_SQL_ERROR(Num("99999999999").CastTo(kInt4), "22003", "integer out of range");
  EXPECT_EQ(Num("123.456").CastTo(Type::Numeric(5, 1)).ToText(), "123.5");
  EXPECT_SQL_ERROR(Num("123.456").CastTo(Type::Numeric(3, 1)), "22003", "numeric field overflow");
  EXPECT_EQ(Value::Float8(0.1).CastTo(kNum).ToText(), "0.1");
  EXPECT_EQ(Value::Float4(0.1f).CastTo(kNum).ToText(), "0.1");
  EXPECT_DOUBLE_EQ(Num("1.25").CastTo(kF8).GetFloat(), 1.25);
}

TEST(ValueCastTest, StringCasts) {
  EXPECT_EQ(Value::Text("abcd").CastTo(Type::Varchar(2)).GetString(), "ab");  // explicit: silent truncation
  EXPECT_SQL_ERROR(Value::Text("abcd").CastTo(Type::Varchar(2), {}, false), "22001",
                   "value too long for type character varying(2)");
  EXPECT_EQ(Value::Text("ab").CastTo(Type::Bpchar(4)).GetString(), "ab  ");
  EXPECT_EQ(Value::Text("ab  ", Type::Bpchar(4)).CastTo(kText).GetString(), "ab");
  EXPECT_EQ(Value::Bool(true).CastTo(kText).GetString(), "true");
  EXPECT_EQ(Value::Int4(42).CastTo(kText).GetString(), "42");
  EXPECT_EQ(Value::Text(" 42 ").CastTo(kInt4).GetInt(), 42);
  EXPECT_SQL_ERROR(Value::Text("x").CastTo(kInt4), "22P02", "invalid input syntax for type integer: \"x\"");
  EXPECT_EQ(Value::Unknown("t").CastTo(Type::Of(TypeId::kBool)).GetBool(), true);
  EXPECT_EQ(Value::Text("2024-01-02").CastTo(Type::Of(TypeId::kDate)).ToText(), "2024-01-02");
}

TEST(ValueCastTest, BoolIntAndDates) {
  EXPECT_EQ(Value::Int4(5).CastTo(Type::Of(TypeId::kBool)).GetBool(), true);
  EXPECT_EQ(Value::Bool(true).CastTo(kInt4).GetInt(), 1);
  EXPECT_SQL_ERROR(Value::Bool(true).CastTo(Type::Of(TypeId::kDate)), "42846", "cannot cast type boolean to date");
  Value d = Value::FromText("2024-01-02", Type::Of(TypeId::kDate));
  EXPECT_EQ(d.CastTo(Type::Of(TypeId::kTimestamp)).ToText(), "2024-01-02 00:00:00");
  TextFormat ny;
  ny.time_zone = "America/New_York";
  Value tz = d.CastTo(Type::Of(TypeId::kTimestampTz), ny);
  EXPECT_EQ(tz.ToText(), "2024-01-02 05:00:00+00");
  EXPECT_EQ(tz.CastTo(Type::Of(TypeId::kTimestamp), ny).ToText(), "2024-01-02 00:00:00");
  EXPECT_EQ(tz.CastTo(Type::Of(TypeId::kDate), ny).ToText(), "2024-01-02");
  EXPECT_TRUE(Value::Null(kInt4).CastTo(kText).IsNull());
  EXPECT_EQ(Value::Null(kInt4).CastTo(kText).Id(), TypeId::kText);
}

TEST(ValueCompareTest, NumbersCompareAcrossTypes) {
  EXPECT_EQ(Value::Int4(1).Compare(Value::Float8(1.0)), 0);
  EXPECT_EQ(Value::Int8(1).Compare(Num("1.00")), 0);
  EXPECT_LT(Value::Int2(1).Compare(Num("1.5")), 0);
  EXPECT_GT(Value::Float8(2.5).Compare(Num("2.4")), 0);
  EXPECT_GT(Value::Float8(NAN).Compare(Value::Float8(INFINITY)), 0);
  EXPECT_EQ(Value::Float8(NAN).Compare(Value::Float8(NAN)), 0);
  EXPECT_EQ(Value::Int4(1).Hash(), Value::Float8(1.0).Hash());
  EXPECT_EQ(Value::Int4(2).Hash(), Num("2.000").Hash());
  EXPECT_EQ(Num("1.5").Hash(), Value::Float8(1.5).Hash());
  EXPECT_EQ(Num("1.50").Hash(), Num("1.5").Hash());
  EXPECT_EQ(Value::Float8(-0.0).Hash(), Value::Float8(0.0).Hash());
}

TEST(ValueCompareTest, NullsSortLastAndEqualEachOther) {
  EXPECT_GT(Value::Null(kInt4).Compare(Value::Int4(5)), 0);
  EXPECT_LT(Value::Int4(5).Compare(Value::Null()), 0);
  EXPECT_EQ(Value::Null(kInt4).Compare(Value::Null(kText)), 0);
  EXPECT_EQ(Value::Null().Hash(), Value::Null(kInt4).Hash());
}

TEST(ValueCompareTest, StringsAndDates) {
  EXPECT_LT(Value::Text("abc").Compare(Value::Text("abd")), 0);
  EXPECT_LT(Value::Text("ab").Compare(Value::Text("abc")), 0);
  EXPECT_EQ(Value::Text("ab  ", Type::Bpchar(4)).Compare(Value::Text("ab", Type::Bpchar(2))), 0);
  EXPECT_EQ(Value::Text("ab  ", Type::Bpchar(4)).Hash(), Value::Text("ab", Type::Bpchar(2)).Hash());
  EXPECT_NE(Value::Text("ab ").Compare(Value::Text("ab")), 0);  // text keeps trailing blanks
  Value d = Value::FromText("2024-01-02", Type::Of(TypeId::kDate));
  Value ts = Value::FromText("2024-01-02 00:00:00", Type::Of(TypeId::kTimestamp));
  EXPECT_EQ(d.Compare(ts), 0);
  EXPECT_EQ(d.Hash(), ts.Hash());
  EXPECT_LT(Value::FromText("-infinity", Type::Of(TypeId::kDate)).Compare(d), 0);
  EXPECT_GT(Value::FromText("infinity", Type::Of(TypeId::kTimestamp)).Compare(ts), 0);
  EXPECT_LT(Value::Bool(false).Compare(Value::Bool(true)), 0);
}

}  // namespace
}  // namespace tessera
