#include "storage/key_encoding.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace tessera::storage {
namespace {

std::string Key(const Value& v, bool desc = false) {
  std::string out;
  AppendKeyValue(&out, v, desc);
  return out;
}

int Sign(int x) { return (x > 0) - (x < 0); }
int ByteCompare(const std::string& a, const std::string& b) { return Sign(a.compare(b)); }

// Byte order of the encodings must agree with Value::Compare, ascending and
// (reversed) descending, and every value must decode back to itself.
void CheckPair(const Value& a, const Value& b) {
  int expected = Sign(a.Compare(b));
  EXPECT_EQ(ByteCompare(Key(a), Key(b)), expected) << a.ToText() << " vs " << b.ToText();
  EXPECT_EQ(ByteCompare(Key(a, true), Key(b, true)), -expected) << a.ToText() << " vs " << b.ToText() << " desc";
}

void CheckRoundTrip(const Value& v, Type type) {
  for (bool desc : {false, true}) {
    std::string key = Key(v, desc) + "tail";
    std::string_view in = key;
    Value back = DecodeKeyValue(&in, type, desc);
    EXPECT_EQ(in, "tail") << v.ToText();
    EXPECT_EQ(back.IsNull(), v.IsNull());
    EXPECT_EQ(back.Compare(v), 0) << v.ToText() << " decoded as " << back.ToText();
  }
}

void CheckAll(const std::vector<Value>& values, Type type) {
  for (const Value& v : values) CheckRoundTrip(v, type);
  for (size_t i = 0; i < values.size(); ++i) {
    for (size_t j = 0; j < values.size(); ++j) CheckPair(values[i], values[j]);
  }
}

TEST(KeyEncoding, Integers) {
  std::mt19937_64 rng(42);
  std::vector<Value> v8 = {Value::Int8(0), Value::Int8(-1), Value::Int8(1),
                           Value::Int8(std::numeric_limits<int64_t>::min()),
                           Value::Int8(std::numeric_limits<int64_t>::max()), Value::Null(Type::Of(TypeId::kInt8))};
  std::vector<Value> v4 = {Value::Int4(std::numeric_limits<int32_t>::min()),
                           Value::Int4(std::numeric_limits<int32_t>::max()), Value::Null(Type::Of(TypeId::kInt4))};
  std::vector<Value> v2 = {Value::Int2(-32768), Value::Int2(32767)};
  for (int i = 0; i < 60; ++i) {
    v8.push_back(Value::Int8(static_cast<int64_t>(rng()) >> (rng() % 60)));
    v4.push_back(Value::Int4(static_cast<int32_t>(rng()) >> (rng() % 28)));
    v2.push_back(Value::Int2(static_cast<int16_t>(rng())));
  }
  CheckAll(v8, Type::Of(TypeId::kInt8));
  CheckAll(v4, Type::Of(TypeId::kInt4));
  CheckAll(v2, Type::Of(TypeId::kInt2));
  // An int8 probe finds an int4 column's entry.
  EXPECT_EQ(Key(Value::Int8(7)), Key(Value::Int4(7)));
}

TEST(KeyEncoding, BoolDateTimestamp) {
  CheckAll({Value::Bool(false), Value::Bool(true), Value::Null(Type::Of(TypeId::kBool))}, Type::Of(TypeId::kBool));
  CheckAll({Value::Date(-100000), Value::Date(-1), Value::Date(0), Value::Date(9000)}, Type::Of(TypeId::kDate));
  CheckAll({Value::Timestamp(-5), Value::Timestamp(0), Value::Timestamp(1700000000000000LL)},
           Type::Of(TypeId::kTimestamp));
  CheckAll({Value::TimestampTz(-5), Value::TimestampTz(3)}, Type::Of(TypeId::kTimestampTz));
}

TEST(KeyEncoding, FloatsOrderLikePostgres) {
  const double inf = std::numeric_limits<double>::infinity();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::mt19937_64 rng(7);
  std::vector<Value> values = {Value::Float8(-inf), Value::Float8(-1.5), Value::Float8(-0.0), Value::Float8(0.0),
                               Value::Float8(1e-300), Value::Float8(1.5), Value::Float8(inf), Value::Float8(nan),
                               Value::Float8(-nan), Value::Null(Type::Of(TypeId::kFloat8))};
  std::uniform_real_distribution<double> dist(-1e6, 1e6);
  for (int i = 0; i < 60; ++i) values.push_back(Value::Float8(dist(rng)));
  CheckAll(values, Type::Of(TypeId::kFloat8));
  EXPECT_EQ(Key(Value::Float8(-0.0)), Key(Value::Float8(0.0)));
  EXPECT_EQ(Key(Value::Float8(nan)), Key(Value::Float8(-nan)));
  EXPECT_GT(Key(Value::Float8(nan)), Key(Value::Float8(inf)));
  EXPECT_LT(Key(Value::Float8(nan)), Key(Value::Null(Type::Of(TypeId::kFloat8))));
  CheckAll({Value::Float4(-2.5f), Value::Float4(0.1f), Value::Float4(3.0f)}, Type::Of(TypeId::kFloat4));
}

TEST(KeyEncoding, NumericByValue) {
  EXPECT_EQ(Key(Value::Num(Numeric(10, 1))), Key(Value::Num(Numeric(100, 2))));  // 1.0 = 1.00
  EXPECT_EQ(Key(Value::Num(Numeric(1, 0))), Key(Value::Num(Numeric(10, 1))));
  std::mt19937_64 rng(3);
  std::vector<Value> values = {Value::Num(Numeric(0, 0)),       Value::Num(Numeric(0, 5)),
                               Value::Num(Numeric(1, 0)),       Value::Num(Numeric(-1, 0)),
                               Value::Num(Numeric(12, 1)),      Value::Num(Numeric(123, 2)),
                               Value::Num(Numeric(-12, 1)),     Value::Num(Numeric(-123, 2)),
                               Value::Num(Numeric(1000, 0)),    Value::Num(Numeric(1, 3)),
                               Value::Num(Numeric(99999, 2)),   Value::Num(Numeric(100000, 2)),
                               Value::Null(Type::Of(TypeId::kNumeric))};
  __int128 big = 1;
  for (int i = 0; i < 37; ++i) big *= 10;
  values.push_back(Value::Num(Numeric(big + 7, 0)));
  values.push_back(Value::Num(Numeric(-big - 7, 10)));
  for (int i = 0; i < 80; ++i) {
    __int128 m = static_cast<int64_t>(rng()) >> (rng() % 62);
    values.push_back(Value::Num(Numeric(m, static_cast<int32_t>(rng() % 8))));
  }
  CheckAll(values, Type::Of(TypeId::kNumeric));
}

TEST(KeyEncoding, NumericDecodeTakesColumnScale) {
  std::string key = Key(Value::Num(Numeric(150, 2)));
  std::string_view in = key;
  Value back = DecodeKeyValue(&in, Type::Numeric(10, 2));
  EXPECT_EQ(back.GetNumeric().Scale(), 2);
  EXPECT_EQ(back.GetNumeric().Mantissa(), 150);
}

TEST(KeyEncoding, StringsAndBytea) {
  std::mt19937_64 rng(11);
  std::vector<Value> text = {Value::Text(""), Value::Text("a"), Value::Text("ab"), Value::Text(std::string("a\0", 2)),
                             Value::Text(std::string("a\0b", 3)), Value::Text("b"), Value::Text("\xFF"),
                             Value::Text(std::string("\0", 1)), Value::Null(Type::Of(TypeId::kText))};
  const char alphabet[] = {'\0', '\x01', 'a', 'b', '\xFE', '\xFF'};
  for (int i = 0; i < 60; ++i) {
    std::string s;
    for (size_t n = rng() % 5; n > 0; --n) s.push_back(alphabet[rng() % sizeof(alphabet)]);
    text.push_back(Value::Text(s));
  }
  CheckAll(text, Type::Of(TypeId::kText));
  CheckAll({Value::Bytea(""), Value::Bytea(std::string("\0\0", 2)), Value::Bytea("\x01")}, Type::Of(TypeId::kBytea));
  CheckAll({Value::Text("x", Type::Varchar(5)), Value::Text("xy", Type::Varchar(5))}, Type::Varchar(5));
}

TEST(KeyEncoding, BpcharIgnoresTrailingSpaces) {
  Type type = Type::Bpchar(3);
  EXPECT_EQ(Key(Value::Text("a  ", type)), Key(Value::Text("a", type)));
  std::string key = Key(Value::Text("a  ", type));
  std::string_view in = key;
  EXPECT_EQ(DecodeKeyValue(&in, type).GetString(), "a  ");
}

TEST(KeyEncoding, NullsLastAscendingFirstDescending) {
  Value null = Value::Null(Type::Of(TypeId::kInt4));
  Value max = Value::Int4(std::numeric_limits<int32_t>::max());
  EXPECT_GT(Key(null), Key(max));
  EXPECT_LT(Key(null, true), Key(max, true));
}

TEST(KeyEncoding, CompositeKeysOrderColumnByColumn) {
  // (1, "b") < (1, "ba") < (2, "a"): a shorter string must not bleed into
  // the next column's comparison.
  auto make = [](int64_t a, const std::string& b) {
    std::string out = KeyPrefix(16384, 0);
    AppendKeyValue(&out, Value::Int8(a));
    AppendKeyValue(&out, Value::Text(b));
    return out;
  };
  EXPECT_LT(make(1, "b"), make(1, "ba"));
  EXPECT_LT(make(1, "ba"), make(2, "a"));
  EXPECT_LT(make(1, ""), make(1, std::string("\0", 1)));
}

TEST(KeyEncoding, PrefixAndPrefixEnd) {
  std::string p = KeyPrefix(16384, 2);
  ASSERT_EQ(p.size(), 8u);
  EXPECT_EQ(p, std::string("\x00\x00\x40\x00\x00\x00\x00\x02", 8));
  std::string key = p;
  AppendKeyValue(&key, Value::Text("\xFF\xFF"));
  EXPECT_LT(key, PrefixEnd(p));
  EXPECT_GE(KeyPrefix(16384, 3), PrefixEnd(p));
  EXPECT_EQ(PrefixEnd(std::string("a\xFF", 2)), "b");
  EXPECT_EQ(PrefixEnd("\xFF"), "");
  EXPECT_EQ(TablePrefix(16384), p.substr(0, 4));
  std::string_view in = key;
  uint32_t table = 0, index = 0;
  ASSERT_TRUE(DecodeKeyPrefix(&in, &table, &index));
  EXPECT_EQ(table, 16384u);
  EXPECT_EQ(index, 2u);
  EXPECT_EQ(DecodeKeyValue(&in, Type::Of(TypeId::kText)).GetString(), "\xFF\xFF");
  EXPECT_TRUE(in.empty());
  std::string_view short_key = "abc";
  EXPECT_FALSE(DecodeKeyPrefix(&short_key, &table, &index));
}

}  // namespace
}  // namespace tessera::storage
