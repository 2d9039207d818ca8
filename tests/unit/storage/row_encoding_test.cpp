#include "storage/row_encoding.h"

#include <gtest/gtest.h>

#include <limits>

namespace tessera::storage {
namespace {

std::vector<Type> AllTypes() {
  return {Type::Of(TypeId::kBool),      Type::Of(TypeId::kInt2),      Type::Of(TypeId::kInt4),
          Type::Of(TypeId::kInt8),      Type::Of(TypeId::kFloat4),    Type::Of(TypeId::kFloat8),
          Type::Numeric(12, 3),         Type::Of(TypeId::kText),      Type::Varchar(10),
          Type::Bpchar(4),              Type::Of(TypeId::kBytea),     Type::Of(TypeId::kDate),
          Type::Of(TypeId::kTimestamp), Type::Of(TypeId::kTimestampTz)};
}

Row Sample() {
  return {Value::Bool(true),
          Value::Int2(-32768),
          Value::Int4(std::numeric_limits<int32_t>::max()),
          Value::Int8(std::numeric_limits<int64_t>::min()),
          Value::Float4(-1.25f),
          Value::Float8(1e300),
          Value::Num(Numeric(-123456, 3)),
          Value::Text(std::string("he\0llo", 6)),
          Value::Text("abc", Type::Varchar(10)),
          Value::Text("ab  ", Type::Bpchar(4)),
          Value::Bytea(std::string("\x00\xFF\x01", 3)),
          Value::Date(-730000),
          Value::Timestamp(1700000000123456LL),
          Value::TimestampTz(-1)};
}

// Exact payload equality (numeric scale included), stricter than Compare.
bool SamePayload(const Value& a, const Value& b) {
  if (a.Id() == TypeId::kNumeric && b.Id() == TypeId::kNumeric) {
    return a.GetNumeric().Mantissa() == b.GetNumeric().Mantissa() && a.GetNumeric().Scale() == b.GetNumeric().Scale();
  }
  if (a.GetPayload().index() != b.GetPayload().index()) return false;
  if (a.Id() == TypeId::kFloat4 || a.Id() == TypeId::kFloat8) return a.GetFloat() == b.GetFloat();
  if (std::holds_alternative<std::string>(a.GetPayload())) return a.GetString() == b.GetString();
  return a.GetInt() == b.GetInt();
}

void ExpectSameRow(const Row& got, const Row& want) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].IsNull(), want[i].IsNull()) << "column " << i;
    if (want[i].IsNull()) continue;
    EXPECT_EQ(got[i].Id(), want[i].Id()) << "column " << i;
    EXPECT_TRUE(SamePayload(got[i], want[i])) << "column " << i;
  }
}

TEST(RowEncoding, RoundTripAllTypes) {
  Row row = Sample();
  std::string bytes;
  EncodeRow(row, &bytes);
  ExpectSameRow(DecodeRow(bytes, AllTypes()), row);
}

TEST(RowEncoding, NumericKeepsItsScale) {
  std::string bytes;
  EncodeRow({Value::Num(Numeric(100, 2))}, &bytes);
  Row back = DecodeRow(bytes, {Type::Of(TypeId::kNumeric)});
  EXPECT_EQ(back[0].GetNumeric().Scale(), 2);
  EXPECT_EQ(back[0].GetNumeric().Mantissa(), 100);
}

TEST(RowEncoding, NullsInEveryPosition) {
  std::vector<Type> types = AllTypes();
  for (size_t mask = 0; mask < 64; ++mask) {
    Row row = Sample();
    for (size_t i = 0; i < row.size(); ++i) {
      if ((mask >> (i % 6)) & 1 && i % 3 != 1) row[i] = Value::Null(types[i]);
    }
    std::string bytes;
    EncodeRow(row, &bytes);
    ExpectSameRow(DecodeRow(bytes, types), row);
  }
  Row all_null;
  for (Type t : types) all_null.push_back(Value::Null(t));
  std::string bytes;
  EncodeRow(all_null, &bytes);
  EXPECT_LE(bytes.size(), 3u);  // count + two bitmap bytes, no values
  ExpectSameRow(DecodeRow(bytes, types), all_null);
}

TEST(RowEncoding, RowShorterThanSchemaReadsNulls) {
  std::string bytes;
  EncodeRow({Value::Int4(5), Value::Text("x")}, &bytes);
  Row back = DecodeRow(bytes, {Type::Of(TypeId::kInt4), Type::Of(TypeId::kText), Type::Of(TypeId::kInt8),
                               Type::Of(TypeId::kText)});
  ASSERT_EQ(back.size(), 4u);
  EXPECT_EQ(back[0].GetInt(), 5);
  EXPECT_EQ(back[1].GetString(), "x");
  EXPECT_TRUE(back[2].IsNull());
  EXPECT_TRUE(back[3].IsNull());
  EXPECT_EQ(back[3].Id(), TypeId::kText);
}

TEST(RowEncoding, CompactForSmallIntegers) {
  std::string bytes;
  EncodeRow({Value::Int4(1), Value::Int4(2), Value::Int4(0)}, &bytes);
  EXPECT_EQ(bytes.size(), 5u);  // count, bitmap, three one-byte varints
}

TEST(RowEncoding, CorruptInputThrows) {
  std::string bytes;
  EncodeRow({Value::Text("hello")}, &bytes);
  bytes.resize(bytes.size() - 2);
  EXPECT_ANY_THROW(DecodeRow(bytes, {Type::Of(TypeId::kText)}));
}

}  // namespace
}  // namespace tessera::storage

namespace tessera::storage {
namespace {

TEST(RowEncoding, ArraysKeepTheirElementsAndNulls) {
  Type ints = Type::Of(TypeId::kInt4Array), texts = Type::Of(TypeId::kTextArray);
  Type nums{TypeId::kNumericArray, ((5 << 16) | 2) + 4};
  Row row = {Value::Array(ints, {Value::Int4(-7), Value::Null(Type::Of(TypeId::kInt4)), Value::Int4(9)}),
             Value::Array(texts, {}), Value::Array(nums, {Value::Num(Numeric(150, 2), nums.typmod)}),
             Value::Null(ints)};
  std::string bytes;
  EncodeRow(row, &bytes);
  Row back = DecodeRow(bytes, {ints, texts, nums, ints});
  ASSERT_EQ(back.size(), 4u);
  EXPECT_EQ(back[0].ToText(), "{-7,NULL,9}");
  EXPECT_EQ(back[0].GetArray()[0].Id(), TypeId::kInt4);
  EXPECT_EQ(back[1].ToText(), "{}");
  EXPECT_EQ(back[2].ToText(), "{1.50}");
  EXPECT_TRUE(back[3].IsNull());
}

// Decoding only some columns skips each kind of value correctly: every
// choice of one needed column, after any mix of skipped ones, reads exactly
// the value a full decode reads, and the skipped ones come out NULL.
TEST(RowEncoding, NeededColumnsSkipTheOthersExactly) {
  std::vector<Type> types = AllTypes();
  Type ints = Type::Of(TypeId::kInt4Array);
  types.push_back(ints);
  Row row = Sample();
  row.push_back(Value::Array(ints, {Value::Int4(3), Value::Null(Type::Of(TypeId::kInt4))}));
  row[5] = Value::Null(types[5]);  // a NULL among the skipped ones
  std::string bytes;
  EncodeRow(row, &bytes);
  const Row full = DecodeRow(bytes, types);
  for (size_t wanted = 0; wanted < types.size(); ++wanted) {
    std::vector<bool> needed(types.size(), false);
    needed[wanted] = true;
    const Row partial = DecodeRow(bytes, types, needed);
    ASSERT_EQ(partial.size(), types.size());
    for (size_t i = 0; i < types.size(); ++i) {
      if (i == wanted) {
        ASSERT_EQ(partial[i].IsNull(), full[i].IsNull()) << "column " << i;
        if (!full[i].IsNull()) EXPECT_EQ(partial[i].ToText(), full[i].ToText()) << "column " << i;
      } else {
        EXPECT_TRUE(partial[i].IsNull()) << "column " << i << " was not needed";
        EXPECT_EQ(partial[i].Id(), types[i].id) << "column " << i;
      }
    }
  }
  // A row written before two columns were added: the needed new one is NULL.
  std::vector<Type> wider = types;
  wider.push_back(Type::Of(TypeId::kInt8));
  std::vector<bool> last(wider.size(), false);
  last.back() = true;
  EXPECT_TRUE(DecodeRow(bytes, wider, last).back().IsNull());
}

}  // namespace
}  // namespace tessera::storage
