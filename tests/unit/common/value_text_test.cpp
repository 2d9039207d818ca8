#include <cmath>

#include "common/value.h"
#include "test_helpers.h"

namespace tessera {
namespace {

std::string RoundTrip(const char* text, Type type, const TextFormat& fmt = {}) {
  return Value::FromText(text, type, fmt).ToText(fmt);
}
const Type kInt2 = Type::Of(TypeId::kInt2), kInt4 = Type::Of(TypeId::kInt4), kInt8 = Type::Of(TypeId::kInt8);
const Type kF4 = Type::Of(TypeId::kFloat4), kF8 = Type::Of(TypeId::kFloat8), kBool = Type::Of(TypeId::kBool);

TEST(ValueTextTest, Booleans) {
  for (const char* t : {"t", "true", "TRUE", " yes ", "y", "on", "1", "tr"}) EXPECT_EQ(RoundTrip(t, kBool), "t") << t;
  for (const char* t : {"f", "false", "no", "n", "off", "of", "0", "FALSE"}) EXPECT_EQ(RoundTrip(t, kBool), "f") << t;
  for (const char* t : {"o", "2", "yess", "", "truex"})
    EXPECT_SQL_ERROR(Value::FromText(t, kBool), "22P02",
                     std::string("invalid input syntax for type boolean: \"") + t + "\"");
}

TEST(ValueTextTest, Integers) {
  EXPECT_EQ(RoundTrip("  42  ", kInt4), "42");
  EXPECT_EQ(RoundTrip("-2147483648", kInt4), "-2147483648");
  EXPECT_EQ(RoundTrip("+7", kInt2), "7");
  EXPECT_EQ(RoundTrip("-9223372036854775808", kInt8), "-9223372036854775808");
  EXPECT_SQL_ERROR(Value::FromText("abc", kInt4), "22P02", "invalid input syntax for type integer: \"abc\"");
  EXPECT_SQL_ERROR(Value::FromText("1.5", kInt4), "22P02", "");
  EXPECT_SQL_ERROR(Value::FromText("", kInt8), "22P02", "invalid input syntax for type bigint: \"\"");
  EXPECT_SQL_ERROR(Value::FromText("99999999999", kInt4), "22003",
                   "value \"99999999999\" is out of range for type integer");
  EXPECT_SQL_ERROR(Value::FromText("32768", kInt2), "22003", "value \"32768\" is out of range for type smallint");
  EXPECT_SQL_ERROR(Value::FromText("9223372036854775808", kInt8), "22003",
                   "value \"9223372036854775808\" is out of range for type bigint");
}

TEST(ValueTextTest, FloatsUseShortestRoundTripOutput) {
  EXPECT_EQ(Value::Float8(1.5).ToText(), "1.5");
  EXPECT_EQ(Value::Float8(1e100).ToText(), "1e+100");
  EXPECT_EQ(Value::Float8(1e-5).ToText(), "1e-05");
  EXPECT_EQ(Value::Float8(0.0001).ToText(), "0.0001");
  EXPECT_EQ(Value::Float8(123456789012345.0).ToText(), "123456789012345");
  EXPECT_EQ(Value::Float8(1234567890123456.0).ToText(), "1.234567890123456e+15");
  EXPECT_EQ(Value::Float8(1e15).ToText(), "1e+15");
  EXPECT_EQ(Value::Float8(1e14).ToText(), "100000000000000");
  EXPECT_EQ(Value::Float8(-0.0).ToText(), "-0");
  EXPECT_EQ(Value::Float8(1.0 / 3).ToText(), "0.3333333333333333");
  EXPECT_EQ(Value::Float8(NAN).ToText(), "NaN");
  EXPECT_EQ(Value::Float8(-INFINITY).ToText(), "-Infinity");
  EXPECT_EQ(Value::Float4(0.1f).ToText(), "0.1");
  EXPECT_EQ(Value::Float4(1e6f).ToText(), "1e+06");
  EXPECT_EQ(Value::Float4(123456.f).ToText(), "123456");
  EXPECT_EQ(Value::Float4(1.0f / 3).ToText(), "0.33333334");
  TextFormat old;
  old.extra_float_digits = 0;
  EXPECT_EQ(Value::Float8(1.0 / 3).ToText(old), "0.333333333333333");
  EXPECT_EQ(Value::Float4(1.0f / 3).ToText(old), "0.333333");
}

TEST(ValueTextTest, FloatInput) {
  EXPECT_EQ(RoundTrip(" 1.5 ", kF8), "1.5");
  EXPECT_EQ(RoundTrip("Infinity", kF8), "Infinity");
  EXPECT_EQ(RoundTrip("-inf", kF8), "-Infinity");
  EXPECT_EQ(RoundTrip("nan", kF4), "NaN");
  EXPECT_EQ(RoundTrip("12345.678", kF4), "12345.678");
  EXPECT_SQL_ERROR(Value::FromText("abc", kF8), "22P02", "invalid input syntax for type double precision: \"abc\"");
  EXPECT_SQL_ERROR(Value::FromText("1e400", kF8), "22003", "\"1e400\" is out of range for type double precision");
  EXPECT_SQL_ERROR(Value::FromText("1e40", kF4), "22003", "\"1e40\" is out of range for type real");
}

TEST(ValueTextTest, NumericWithTypmod) {
  EXPECT_EQ(RoundTrip("123.456", Type::Numeric(5, 1)), "123.5");
  EXPECT_EQ(RoundTrip("1", Type::Numeric(5, 2)), "1.00");
  EXPECT_SQL_ERROR(Value::FromText("1000", Type::Numeric(5, 2)), "22003", "numeric field overflow");
}

TEST(ValueTextTest, Bytea) {
  EXPECT_EQ(RoundTrip("abc", Type::Of(TypeId::kBytea)), "\\x616263");
  EXPECT_EQ(RoundTrip("\\x4142", Type::Of(TypeId::kBytea)), "\\x4142");
  EXPECT_EQ(RoundTrip("\\x41 42", Type::Of(TypeId::kBytea)), "\\x4142");
  EXPECT_EQ(RoundTrip("\\001a", Type::Of(TypeId::kBytea)), "\\x0161");
  EXPECT_EQ(RoundTrip("a\\\\b", Type::Of(TypeId::kBytea)), "\\x615c62");
  EXPECT_EQ(Value::FromText("\\x00ff", Type::Of(TypeId::kBytea)).GetString(), std::string("\0\xff", 2));
  EXPECT_SQL_ERROR(Value::FromText("\\x4g", Type::Of(TypeId::kBytea)), "22023", "invalid hexadecimal digit: \"g\"");
  EXPECT_SQL_ERROR(Value::FromText("\\x414", Type::Of(TypeId::kBytea)), "22023",
                   "invalid hexadecimal data: odd number of digits");
  EXPECT_SQL_ERROR(Value::FromText("\\9", Type::Of(TypeId::kBytea)), "22P02", "invalid input syntax for type bytea");
}

TEST(ValueTextTest, CharacterTypes) {
  EXPECT_EQ(Value::FromText("ab", Type::Bpchar(4)).GetString(), "ab  ");
  EXPECT_EQ(Value::FromText("abc  ", Type::Varchar(3)).GetString(), "abc");    // only blanks cut
  EXPECT_EQ(Value::FromText("héllo", Type::Varchar(5)).GetString(), "héllo");  // characters, not bytes
  EXPECT_SQL_ERROR(Value::FromText("abcd", Type::Varchar(3)), "22001", "value too long for type character varying(3)");
  EXPECT_SQL_ERROR(Value::FromText("abcd", Type::Bpchar(3)), "22001", "value too long for type character(3)");
  EXPECT_EQ(RoundTrip("any text", Type::Of(TypeId::kText)), "any text");
}

}  // namespace
}  // namespace tessera
