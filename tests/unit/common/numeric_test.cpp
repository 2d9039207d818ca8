#include "common/numeric.h"

#include "test_helpers.h"

namespace tessera {
namespace {

std::string N(const char* s) { return Numeric::Parse(s).ToString(); }
Numeric P(const char* s) { return Numeric::Parse(s); }

TEST(NumericTest, ParseAndPrintKeepScale) {
  EXPECT_EQ(N("12.50"), "12.50");
  EXPECT_EQ(N("  -0.001 "), "-0.001");
  EXPECT_EQ(N("1.23e3"), "1230");
  EXPECT_EQ(N("1e-3"), "0.001");
  EXPECT_EQ(N("0.000"), "0.000");
  EXPECT_EQ(N(".5"), "0.5");
  EXPECT_EQ(N("+7"), "7");
  EXPECT_EQ(N("12345678901234567890123456789012345678"), "12345678901234567890123456789012345678");
  EXPECT_SQL_ERROR(P("abc"), "22P02", "invalid input syntax for type numeric: \"abc\"");
  EXPECT_SQL_ERROR(P("1.2.3"), "22P02", "");
  EXPECT_SQL_ERROR(P(""), "22P02", "");
  EXPECT_SQL_ERROR(P("123456789012345678901234567890123456789"), "22003", "");
}

TEST(NumericTest, ArithmeticIsExact) {
  EXPECT_EQ(P("0.1").Add(P("0.2")).ToString(), "0.3");
  EXPECT_EQ(P("1.000").Mul(P("2.50")).ToString(), "2.50000");
  EXPECT_EQ(P("5").Sub(P("7.25")).ToString(), "-2.25");
  EXPECT_EQ(P("7.5").Mod(P("2")).ToString(), "1.5");
  EXPECT_EQ(P("-7.5").Mod(P("2")).ToString(), "-1.5");
  EXPECT_SQL_ERROR(P("1").Div(P("0")), "22012", "division by zero");
  EXPECT_SQL_ERROR(P("1").Mod(P("0.0")), "22012", "division by zero");
  EXPECT_SQL_ERROR(P("99999999999999999999999999999999999999").Add(P("1")), "22003", "");
}

TEST(NumericTest, DivisionScaleFollowsPostgres) {
  EXPECT_EQ(P("1").Div(P("3")).ToString(), "0.33333333333333333333");
  EXPECT_EQ(P("10").Div(P("4")).ToString(), "2.5000000000000000");
  EXPECT_EQ(P("1e20").Div(P("3")).ToString(), "33333333333333333333");
  EXPECT_EQ(P("100").Div(P("7")).ToString(), "14.2857142857142857");
  EXPECT_EQ(P("1").Div(P("1000000")).ToString(), "0.000001000000000000000000");
  EXPECT_EQ(P("2").Div(P("3")).ToString(), "0.66666666666666666667");
  EXPECT_EQ(P("-2").Div(P("3")).ToString(), "-0.66666666666666666667");
}

TEST(NumericTest, RoundingAndTypmod) {
  EXPECT_EQ(P("2.5").Round(0).ToString(), "3");
  EXPECT_EQ(P("-2.5").Round(0).ToString(), "-3");
  EXPECT_EQ(P("1.5").Round(3).ToString(), "1.500");
  EXPECT_EQ(P("1234.5").Round(-2).ToString(), "1200");
  EXPECT_EQ(P("123.456").ApplyTypmod(((5 << 16) | 1) + 4).ToString(), "123.5");
  try {
    P("1234.5").ApplyTypmod(((5 << 16) | 2) + 4);
    FAIL();
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "22003");
    EXPECT_EQ(e.Message(), "numeric field overflow");
    EXPECT_EQ(e.Detail(), "A field with precision 5, scale 2 must round to an absolute value less than 10^3.");
  }
  EXPECT_EQ(P("2.5").ToInt64(), 3);
  EXPECT_EQ(P("-2.5").ToInt64(), -3);
  EXPECT_SQL_ERROR(P("1e19").ToInt64(), "22003", "bigint out of range");
}

TEST(NumericTest, CompareByValue) {
  EXPECT_EQ(P("1.0").Compare(P("1.00")), 0);
  EXPECT_LT(P("-1").Compare(P("0.5")), 0);
  EXPECT_GT(P("2").Compare(P("1.99999")), 0);
  EXPECT_DOUBLE_EQ(P("0.25").ToDouble(), 0.25);
  EXPECT_EQ(Numeric::FromDouble(0.1).ToString(), "0.1");
  EXPECT_EQ(Numeric::FromDouble(1.0 / 3).ToString(), "0.333333333333333");
}

}  // namespace
}  // namespace tessera
