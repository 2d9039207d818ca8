// Wire encodings of values, checked against the bytes PostgreSQL sends.
#include "wire/value_codec.h"

#include <gtest/gtest.h>

#include "wire/framer.h"

namespace tessera::wire {
namespace {

std::string Hex(const std::string& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(digits[c >> 4]);
    out.push_back(digits[c & 15]);
  }
  return out;
}

TEST(ValueCodecTest, BinaryScalars) {
  EXPECT_EQ(Hex(EncodeBinary(Value::Bool(true))), "01");
  EXPECT_EQ(Hex(EncodeBinary(Value::Int2(-2))), "fffe");
  EXPECT_EQ(Hex(EncodeBinary(Value::Int4(258))), "00000102");
  EXPECT_EQ(Hex(EncodeBinary(Value::Int8(-1))), "ffffffffffffffff");
  EXPECT_EQ(Hex(EncodeBinary(Value::Float8(1.5))), "3ff8000000000000");
  EXPECT_EQ(Hex(EncodeBinary(Value::Float4(1.5f))), "3fc00000");
  EXPECT_EQ(EncodeBinary(Value::Text("héllo")), "héllo");
  EXPECT_EQ(EncodeBinary(Value::Bytea(std::string("\x00\x01", 2))), std::string("\x00\x01", 2));
  EXPECT_EQ(Hex(EncodeBinary(Value::Date(1))), "00000001");
}

// PostgreSQL: SELECT numeric_send(12.50) = \x0002 0000 0000 0002 000c 1388
TEST(ValueCodecTest, BinaryNumericMatchesPostgres) {
  EXPECT_EQ(Hex(EncodeBinary(Value::Num(Numeric(1250, 2)))), "000200000000000200" "0c1388");
  // -0.001: one digit group 10 at weight -1, negative, dscale 3.
  EXPECT_EQ(Hex(EncodeBinary(Value::Num(Numeric(-1, 3)))), "0001ffff40000003000a");
  // 10000: one group "1" at weight 1 (trailing zero group stripped).
  EXPECT_EQ(Hex(EncodeBinary(Value::Num(Numeric(10000, 0)))), "0001000100000000" "0001");
  // zero: no digits.
  EXPECT_EQ(Hex(EncodeBinary(Value::Num(Numeric(0, 1)))), "0000000000000001");
}

TEST(ValueCodecTest, BinaryNumericRoundTrips) {
  for (auto [m, s] : std::vector<std::pair<int64_t, int>>{{1250, 2}, {-1, 3}, {10000, 0}, {123456789, 4}, {0, 0},
                                                          {-987654321012345, 7}}) {
    Value v = Value::Num(Numeric(m, s));
    Value back = DecodeParam(EncodeBinary(v), kBinaryFormat, Type::Of(TypeId::kNumeric), {}, 1);
    EXPECT_EQ(back.GetNumeric().Compare(v.GetNumeric()), 0) << m << "e-" << s;
    EXPECT_EQ(back.GetNumeric().Scale(), s);
  }
}

TEST(ValueCodecTest, BinaryParamsDecode) {
  EXPECT_EQ(DecodeParam(std::string("\x00\x00\x01\x02", 4), 1, Type::Of(TypeId::kInt4), {}, 1).GetInt(), 258);
  EXPECT_EQ(DecodeParam(std::string("\xff\xfe", 2), 1, Type::Of(TypeId::kInt2), {}, 1).GetInt(), -2);
  EXPECT_TRUE(DecodeParam(std::string("\x01", 1), 1, Type::Of(TypeId::kBool), {}, 1).GetBool());
  EXPECT_DOUBLE_EQ(DecodeParam(std::string("\x3f\xf8\0\0\0\0\0\0", 8), 1, Type::Of(TypeId::kFloat8), {}, 1).GetFloat(),
                   1.5);
  EXPECT_EQ(DecodeParam(std::string("abc"), 1, Type::Of(TypeId::kVarchar), {}, 1).GetString(), "abc");
  EXPECT_TRUE(DecodeParam(std::nullopt, 1, Type::Of(TypeId::kInt4), {}, 1).IsNull());
}

TEST(ValueCodecTest, BinaryParamWithWrongLengthIs22P03) {
  try {
    DecodeParam(std::string("\x00\x01", 2), 1, Type::Of(TypeId::kInt8), {}, 3);
    FAIL() << "no error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "22P03");
    EXPECT_EQ(e.Message(), "incorrect binary data format in bind parameter 3");
  }
}

TEST(ValueCodecTest, TextParamsUseTheParamType) {
  Value v = DecodeParam(std::string("42"), 0, Type::Of(TypeId::kInt8), {}, 1);
  EXPECT_EQ(v.Id(), TypeId::kInt8);
  EXPECT_EQ(v.GetInt(), 42);
  try {
    DecodeParam(std::string("x"), 0, Type::Of(TypeId::kInt4), {}, 1);
    FAIL() << "no error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "22P02");
  }
}

TEST(ValueCodecTest, UnsupportedFormatCode) {
  try {
    DecodeParam(std::string("1"), 2, Type::Of(TypeId::kInt4), {}, 1);
    FAIL() << "no error";
  } catch (const SqlError& e) {
    EXPECT_EQ(e.Sqlstate(), "22023");
    EXPECT_EQ(e.Message(), "unsupported format code: 2");
  }
}

TEST(ValueCodecTest, DataRowColumns) {
  WriteBuffer out;
  EncodeColumn(Value::Null(Type::Of(TypeId::kInt4)), kTextFormat, {}, out);
  EncodeColumn(Value::Bool(false), kTextFormat, {}, out);
  EXPECT_EQ(Hex(out.Data()), "ffffffff" "00000001" "66");  // NULL, then "f"
}

TEST(FramerTest, LimitsAreCheckedBeforeTheBodyArrives) {
  Framer framer(FramerLimits{100, 1000});
  framer.Append(std::string("\x00\x00\x00\x08\x00\x03\x00\x00", 8));
  ASSERT_TRUE(framer.Next().has_value());
  EXPECT_FALSE(framer.InStartup());
  framer.Append(std::string("Q\x00\x00\x03\xe9", 5));  // 1001 > max
  EXPECT_THROW(framer.Next(), SqlError);
}

TEST(FramerTest, PartialMessagesWait) {
  Framer framer;
  framer.Append(std::string("\x00\x00\x00\x08\x00\x03", 6));
  EXPECT_FALSE(framer.Next().has_value());
  framer.Append(std::string("\x00\x00", 2));
  auto startup = framer.Next();
  ASSERT_TRUE(startup.has_value());
  EXPECT_EQ(startup->type, RawMessage::kStartupType);
  framer.Append(std::string("S\x00\x00\x00", 4));
  EXPECT_FALSE(framer.Next().has_value());
  framer.Append(std::string("\x04", 1));
  auto sync = framer.Next();
  ASSERT_TRUE(sync.has_value());
  EXPECT_EQ(sync->type, 'S');
  EXPECT_TRUE(sync->body.empty());
}

TEST(FramerTest, SslRequestKeepsStartupMode) {
  Framer framer;
  framer.Append(std::string("\x00\x00\x00\x08\x04\xd2\x16\x2f", 8));
  ASSERT_TRUE(framer.Next().has_value());
  EXPECT_TRUE(framer.InStartup());
}

// array_send: ndim, has-NULL flag, element OID, (size, lower bound), then
// each element as length + bytes, -1 for NULL; an empty array has no dimension.
TEST(ValueCodecTest, BinaryArrays) {
  Type ints = Type::Of(TypeId::kInt4Array);
  Value v = Value::Array(ints, {Value::Int4(1), Value::Null(Type::Of(TypeId::kInt4))});
  EXPECT_EQ(Hex(EncodeBinary(v)), "000000010000000100000017000000020000000100000004" "00000001ffffffff");
  EXPECT_EQ(Hex(EncodeBinary(Value::Array(ints, {}))), "000000000000000000000017");
  Value back = DecodeParam(EncodeBinary(v), kBinaryFormat, ints, {}, 1);
  EXPECT_EQ(back.ToText(), "{1,NULL}");
  Value texts = Value::Array(Type::Of(TypeId::kTextArray), {Value::Text("a b")});
  EXPECT_EQ(DecodeParam(EncodeBinary(texts), kBinaryFormat, texts.GetType(), {}, 1).ToText(), "{\"a b\"}");
  // An int8[] sent where int4[] is expected is refused, as PostgreSQL does.
  EXPECT_THROW(DecodeParam(EncodeBinary(v), kBinaryFormat, Type::Of(TypeId::kInt8Array), {}, 1), SqlError);
}

}  // namespace
}  // namespace tessera::wire
