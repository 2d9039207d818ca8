#include "common/value_ops.h"

#include <cmath>

#include "test_helpers.h"

namespace tessera {
namespace {

Value Num(const char* s) { return Value::Num(Numeric::Parse(s)); }

TEST(ValueOpsTest, IntegerArithmeticAndOverflow) {
  EXPECT_EQ(Arith(ArithOp::kAdd, Value::Int4(2), Value::Int4(3)).GetInt(), 5);
  EXPECT_EQ(Arith(ArithOp::kAdd, Value::Int4(2), Value::Int4(3)).Id(), TypeId::kInt4);
  EXPECT_SQL_ERROR(Arith(ArithOp::kAdd, Value::Int4(INT32_MAX), Value::Int4(1)), "22003", "integer out of range");
  EXPECT_SQL_ERROR(Arith(ArithOp::kMul, Value::Int8(INT64_MAX), Value::Int8(2)), "22003", "bigint out of range");
  EXPECT_SQL_ERROR(Arith(ArithOp::kSub, Value::Int2(-32768), Value::Int2(1)), "22003", "smallint out of range");
  EXPECT_SQL_ERROR(Arith(ArithOp::kDiv, Value::Int4(INT32_MIN), Value::Int4(-1)), "22003", "integer out of range");
  EXPECT_EQ(Arith(ArithOp::kDiv, Value::Int4(7), Value::Int4(2)).GetInt(), 3);
  EXPECT_EQ(Arith(ArithOp::kDiv, Value::Int4(-7), Value::Int4(2)).GetInt(), -3);
  EXPECT_EQ(Arith(ArithOp::kMod, Value::Int4(-7), Value::Int4(3)).GetInt(), -1);
  EXPECT_EQ(Arith(ArithOp::kMod, Value::Int4(7), Value::Int4(-3)).GetInt(), 1);
  EXPECT_EQ(Arith(ArithOp::kMod, Value::Int4(INT32_MIN), Value::Int4(-1)).GetInt(), 0);
  EXPECT_SQL_ERROR(Arith(ArithOp::kDiv, Value::Int4(1), Value::Int4(0)), "22012", "division by zero");
  EXPECT_SQL_ERROR(Arith(ArithOp::kMod, Value::Int8(1), Value::Int8(0)), "22012", "division by zero");
  EXPECT_EQ(Arith(ArithOp::kAdd, Value::Int2(1), Value::Int8(2)).Id(), TypeId::kInt8);
  EXPECT_EQ(Arith(ArithOp::kPow, Value::Int4(2), Value::Int4(10)).GetFloat(), 1024.0);
}

TEST(ValueOpsTest, FloatArithmetic) {
  EXPECT_DOUBLE_EQ(Arith(ArithOp::kDiv, Value::Float8(1), Value::Float8(4)).GetFloat(), 0.25);
  EXPECT_SQL_ERROR(Arith(ArithOp::kDiv, Value::Float8(1), Value::Float8(0)), "22012", "division by zero");
  EXPECT_SQL_ERROR(Arith(ArithOp::kMul, Value::Float8(1e300), Value::Float8(1e300)), "22003",
                   "value out of range: overflow");
  EXPECT_SQL_ERROR(Arith(ArithOp::kMul, Value::Float8(1e-300), Value::Float8(1e-300)), "22003",
                   "value out of range: underflow");
  EXPECT_TRUE(std::isinf(Arith(ArithOp::kAdd, Value::Float8(INFINITY), Value::Float8(1)).GetFloat()));
  EXPECT_EQ(Arith(ArithOp::kAdd, Value::Float4(1), Value::Float4(2)).Id(), TypeId::kFloat4);
  EXPECT_EQ(Arith(ArithOp::kAdd, Value::Int4(1), Value::Float8(2)).Id(), TypeId::kFloat8);
  EXPECT_SQL_ERROR(Arith(ArithOp::kPow, Value::Float8(0), Value::Float8(-1)), "2201F", "");
  EXPECT_SQL_ERROR(Arith(ArithOp::kPow, Value::Float8(-8), Value::Float8(0.5)), "2201F", "");
}

TEST(ValueOpsTest, NumericArithmetic) {
  EXPECT_EQ(Arith(ArithOp::kAdd, Num("0.1"), Num("0.2")).ToText(), "0.3");
  EXPECT_EQ(Arith(ArithOp::kAdd, Value::Int4(1), Num("0.5")).ToText(), "1.5");
  EXPECT_EQ(Arith(ArithOp::kDiv, Value::Int4(1), Num("3")).ToText(), "0.33333333333333333333");
  EXPECT_EQ(Arith(ArithOp::kPow, Num("2"), Num("3")).ToText(), "8.0000000000000000");
  EXPECT_EQ(Arith(ArithOp::kPow, Num("0.01"), Num("3")).ToText(), "0.0000010000000000");
  EXPECT_EQ(Arith(ArithOp::kPow, Num("2"), Num("-2")).ToText(), "0.2500000000000000");
  EXPECT_EQ(Arith(ArithOp::kPow, Num("10"), Num("20")).ToText(), "100000000000000000000.0000000000000000");
  EXPECT_EQ(Arith(ArithOp::kPow, Num("1.5"), Num("0.5")).ToText(), "1.2247448713915890");
  EXPECT_EQ(Arith(ArithOp::kPow, Num("0.01"), Num("0.5")).ToText(), "0.10000000000000000");
  EXPECT_EQ(Arith(ArithOp::kPow, Num("1000"), Num("0.5")).ToText(), "31.622776601683793");
  EXPECT_SQL_ERROR(Arith(ArithOp::kDiv, Num("1"), Num("0")), "22012", "division by zero");
  EXPECT_EQ(Negate(Num("1.50")).ToText(), "-1.50");
}

TEST(ValueOpsTest, DateArithmetic) {
  Value d = Value::FromText("2024-02-28", Type::Of(TypeId::kDate));
  EXPECT_EQ(Arith(ArithOp::kAdd, d, Value::Int4(2)).ToText(), "2024-03-01");
  EXPECT_EQ(Arith(ArithOp::kAdd, Value::Int4(2), d).ToText(), "2024-03-01");
  EXPECT_EQ(Arith(ArithOp::kSub, d, Value::Int4(59)).ToText(), "2023-12-31");
  Value e = Value::FromText("2023-02-28", Type::Of(TypeId::kDate));
  Value diff = Arith(ArithOp::kSub, d, e);
  EXPECT_EQ(diff.Id(), TypeId::kInt4);
  EXPECT_EQ(diff.GetInt(), 365);
  Value inf = Value::FromText("infinity", Type::Of(TypeId::kDate));
  EXPECT_EQ(Arith(ArithOp::kAdd, inf, Value::Int4(1)).ToText(), "infinity");
}

TEST(ValueOpsTest, NegateAndConcat) {
  EXPECT_SQL_ERROR(Negate(Value::Int4(INT32_MIN)), "22003", "integer out of range");
  EXPECT_EQ(Negate(Value::Int2(5)).Id(), TypeId::kInt2);
  EXPECT_EQ(Negate(Value::Float8(1.5)).GetFloat(), -1.5);
  EXPECT_EQ(Concat(Value::Text("a"), Value::Text("b")).GetString(), "ab");
  EXPECT_EQ(Concat(Value::Text("a  ", Type::Bpchar(3)), Value::Text("b")).GetString(), "ab");
  EXPECT_EQ(Concat(Value::Text("n="), Value::Int4(3)).GetString(), "n=3");
  EXPECT_TRUE(Concat(Value::Text("a"), Value::Null()).IsNull());
}

TEST(ValueOpsTest, Like) {
  EXPECT_TRUE(Like("hello", "h%o", false));
  EXPECT_TRUE(Like("hello", "h_llo", false));
  EXPECT_FALSE(Like("hello", "h_lo", false));
  EXPECT_TRUE(Like("hello", "%", false));
  EXPECT_TRUE(Like("", "%", false));
  EXPECT_FALSE(Like("", "_", false));
  EXPECT_TRUE(Like("a%b", "a\\%b", false));
  EXPECT_FALSE(Like("axb", "a\\%b", false));
  EXPECT_TRUE(Like("a_b", "a\\_b", false));
  EXPECT_FALSE(Like("Hello", "hello", false));
  EXPECT_TRUE(Like("Hello", "hello", true));
  EXPECT_TRUE(Like("héllo", "h_llo", false));  // '_' is one character, not one byte
  EXPECT_TRUE(Like("abcabcabd", "%abd", false));
  EXPECT_TRUE(Like("mississippi", "%iss%ppi", false));
  EXPECT_SQL_ERROR(Like("a", "a\\", false), "22025", "LIKE pattern must not end with escape character");
}

TEST(TypeCoercionTest, ArithResultTypes) {
  EXPECT_EQ(ArithResultType(TypeId::kInt2, TypeId::kInt4), TypeId::kInt4);
  EXPECT_EQ(ArithResultType(TypeId::kInt2, TypeId::kInt2), TypeId::kInt2);
  EXPECT_EQ(ArithResultType(TypeId::kInt4, TypeId::kInt8), TypeId::kInt8);
  EXPECT_EQ(ArithResultType(TypeId::kInt4, TypeId::kNumeric), TypeId::kNumeric);
  EXPECT_EQ(ArithResultType(TypeId::kFloat4, TypeId::kFloat4), TypeId::kFloat4);
  EXPECT_EQ(ArithResultType(TypeId::kFloat4, TypeId::kInt4), TypeId::kFloat8);
  EXPECT_EQ(ArithResultType(TypeId::kNumeric, TypeId::kFloat8), TypeId::kFloat8);
  EXPECT_EQ(ArithResultType(TypeId::kUnknown, TypeId::kInt8), TypeId::kInt8);
  EXPECT_EQ(ArithResultType(TypeId::kDate, TypeId::kInt4), TypeId::kDate);
  EXPECT_EQ(ArithResultType(TypeId::kDate, TypeId::kDate), TypeId::kInt4);
  EXPECT_EQ(ArithResultType(TypeId::kText, TypeId::kInt4), TypeId::kUnknown);
}

TEST(TypeCoercionTest, ImplicitAndAssignmentCasts) {
  EXPECT_TRUE(CanImplicitCast(TypeId::kInt4, TypeId::kInt8));
  EXPECT_TRUE(CanImplicitCast(TypeId::kInt4, TypeId::kNumeric));
  EXPECT_TRUE(CanImplicitCast(TypeId::kNumeric, TypeId::kFloat8));
  EXPECT_TRUE(CanImplicitCast(TypeId::kVarchar, TypeId::kText));
  EXPECT_TRUE(CanImplicitCast(TypeId::kUnknown, TypeId::kDate));
  EXPECT_TRUE(CanImplicitCast(TypeId::kDate, TypeId::kTimestampTz));
  EXPECT_FALSE(CanImplicitCast(TypeId::kInt8, TypeId::kInt4));
  EXPECT_FALSE(CanImplicitCast(TypeId::kFloat8, TypeId::kNumeric));
  EXPECT_FALSE(CanImplicitCast(TypeId::kInt4, TypeId::kText));
  EXPECT_FALSE(CanImplicitCast(TypeId::kText, TypeId::kInt4));
  EXPECT_TRUE(CanAssignCast(TypeId::kInt8, TypeId::kInt4));
  EXPECT_TRUE(CanAssignCast(TypeId::kFloat8, TypeId::kNumeric));
  EXPECT_TRUE(CanAssignCast(TypeId::kInt4, TypeId::kText));
  EXPECT_TRUE(CanAssignCast(TypeId::kTimestampTz, TypeId::kDate));
  EXPECT_FALSE(CanAssignCast(TypeId::kText, TypeId::kInt4));
  EXPECT_FALSE(CanAssignCast(TypeId::kBool, TypeId::kInt4));
}

TEST(TypeCoercionTest, CommonType) {
  auto T = [](TypeId id) { return Type::Of(id); };
  EXPECT_EQ(CommonType({T(TypeId::kInt4), T(TypeId::kInt8)}, "UNION").id, TypeId::kInt8);
  EXPECT_EQ(CommonType({T(TypeId::kInt4), T(TypeId::kNumeric)}, "UNION").id, TypeId::kNumeric);
  EXPECT_EQ(CommonType({T(TypeId::kNumeric), T(TypeId::kFloat8), T(TypeId::kInt4)}, "CASE").id, TypeId::kFloat8);
  EXPECT_EQ(CommonType({T(TypeId::kUnknown), T(TypeId::kInt4)}, "CASE").id, TypeId::kInt4);
  EXPECT_EQ(CommonType({T(TypeId::kUnknown), T(TypeId::kUnknown)}, "UNION").id, TypeId::kText);
  // As PostgreSQL: varchar and text cast implicitly both ways, so the first one stays.
  EXPECT_EQ(CommonType({T(TypeId::kVarchar), T(TypeId::kText)}, "UNION").id, TypeId::kVarchar);
  EXPECT_EQ(CommonType({T(TypeId::kText), T(TypeId::kVarchar)}, "UNION").id, TypeId::kText);
  EXPECT_EQ(CommonType({Type::Varchar(5), Type::Varchar(5)}, "UNION"), Type::Varchar(5));
  EXPECT_EQ(CommonType({Type::Varchar(5), Type::Varchar(7)}, "UNION"), Type::Of(TypeId::kVarchar));
  EXPECT_EQ(CommonType({T(TypeId::kDate), T(TypeId::kTimestamp)}, "UNION").id, TypeId::kTimestamp);
  EXPECT_SQL_ERROR(CommonType({T(TypeId::kText), T(TypeId::kInt4)}, "UNION"), "42804",
                   "UNION types text and integer cannot be matched");
  EXPECT_SQL_ERROR(CommonType({T(TypeId::kInt4), T(TypeId::kBool)}, "CASE"), "42804",
                   "CASE types integer and boolean cannot be matched");
}

}  // namespace
}  // namespace tessera
