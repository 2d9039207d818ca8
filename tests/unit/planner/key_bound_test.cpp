// Key bounds of another type than the key column (planner/key_bound.h):
// PostgreSQL's cross-type comparison semantics at the edges of each type.
#include "planner/key_bound.h"

#include <gtest/gtest.h>

#include <limits>

#include "common/datetime.h"
#include "common/numeric.h"

namespace tessera::planner {
namespace {

const Type kInt2 = Type::Of(TypeId::kInt2);
const Type kInt4 = Type::Of(TypeId::kInt4);

struct Bound {
  bool any;  // false: no key value satisfies it
  Value value;
  bool inclusive;
};

Bound Convert(Value v, Type column, KeyBoundSide side, bool inclusive = false) {
  bool ok = ToKeyBound(&v, column, side, &inclusive);
  return {ok, v, inclusive};
}

Value Num(const char* text) { return Value::Num(Numeric::Parse(text)); }

TEST(KeyBound, WhichTypesBoundWhichKeys) {
  EXPECT_TRUE(KeyBoundConvertible(TypeId::kInt4, TypeId::kInt8));
  EXPECT_TRUE(KeyBoundConvertible(TypeId::kInt8, TypeId::kInt2));
  EXPECT_TRUE(KeyBoundConvertible(TypeId::kInt4, TypeId::kNumeric));
  EXPECT_TRUE(KeyBoundConvertible(TypeId::kNumeric, TypeId::kInt8));
  EXPECT_TRUE(KeyBoundConvertible(TypeId::kDate, TypeId::kTimestamp));
  EXPECT_TRUE(KeyBoundConvertible(TypeId::kVarchar, TypeId::kText));
  EXPECT_FALSE(KeyBoundConvertible(TypeId::kInt4, TypeId::kFloat8));  // 0.1 + 0.2 is no integer bound
  EXPECT_TRUE(KeyBoundConvertible(TypeId::kBpchar, TypeId::kText));
  EXPECT_TRUE(KeyBoundConvertible(TypeId::kText, TypeId::kBpchar));
  EXPECT_FALSE(KeyBoundConvertible(TypeId::kDate, TypeId::kTimestampTz));  // depends on TimeZone
}

TEST(KeyBound, IntegersBeyondTheKeysRangeMatchNothingOrEverything) {
  Bound eq = Convert(Value::Int8(5), kInt4, KeyBoundSide::kEqual);
  ASSERT_TRUE(eq.any);
  EXPECT_EQ(eq.value.Id(), TypeId::kInt4);
  EXPECT_EQ(eq.value.GetInt(), 5);
  EXPECT_FALSE(Convert(Value::Int8(3000000000), kInt4, KeyBoundSide::kEqual).any);  // not 22003
  EXPECT_FALSE(Convert(Value::Int4(40000), kInt2, KeyBoundSide::kEqual).any);
  EXPECT_FALSE(Convert(Value::Int8(3000000000), kInt4, KeyBoundSide::kLower).any);  // > 3e9: none
  Bound below = Convert(Value::Int8(3000000000), kInt4, KeyBoundSide::kUpper);       // < 3e9: all
  ASSERT_TRUE(below.any);
  EXPECT_EQ(below.value.GetInt(), std::numeric_limits<int32_t>::max());
  EXPECT_TRUE(below.inclusive);
  Bound above = Convert(Value::Int8(-3000000000), kInt4, KeyBoundSide::kLower);  // > -3e9: all
  ASSERT_TRUE(above.any);
  EXPECT_EQ(above.value.GetInt(), std::numeric_limits<int32_t>::min());
  EXPECT_TRUE(above.inclusive);
  EXPECT_FALSE(Convert(Value::Int8(-3000000000), kInt4, KeyBoundSide::kUpper).any);
  // In range, an exclusive bound stays exclusive.
  Bound exclusive = Convert(Value::Int8(7), kInt4, KeyBoundSide::kLower, false);
  EXPECT_EQ(exclusive.value.GetInt(), 7);
  EXPECT_FALSE(exclusive.inclusive);
}

TEST(KeyBound, NumericsRoundTowardTheBound) {
  EXPECT_FALSE(Convert(Num("2.5"), kInt4, KeyBoundSide::kEqual).any);
  Bound whole = Convert(Num("3.000"), kInt4, KeyBoundSide::kEqual);
  ASSERT_TRUE(whole.any);
  EXPECT_EQ(whole.value.GetInt(), 3);
  Bound gt = Convert(Num("2.5"), kInt4, KeyBoundSide::kLower);  // > 2.5 is >= 3
  EXPECT_EQ(gt.value.GetInt(), 3);
  EXPECT_TRUE(gt.inclusive);
  Bound lt = Convert(Num("2.5"), kInt4, KeyBoundSide::kUpper);  // < 2.5 is <= 2
  EXPECT_EQ(lt.value.GetInt(), 2);
  EXPECT_TRUE(lt.inclusive);
  Bound negative = Convert(Num("-1.5"), kInt4, KeyBoundSide::kLower);  // > -1.5 is >= -1
  EXPECT_EQ(negative.value.GetInt(), -1);
  Bound huge = Convert(Num("99999999999999999999.5"), Type::Of(TypeId::kInt8), KeyBoundSide::kUpper);
  ASSERT_TRUE(huge.any);
  EXPECT_EQ(huge.value.GetInt(), std::numeric_limits<int64_t>::max());
  EXPECT_FALSE(Convert(Num("99999999999999999999"), Type::Of(TypeId::kInt8), KeyBoundSide::kEqual).any);
  Bound key = Convert(Value::Int8(12), Type::Of(TypeId::kNumeric), KeyBoundSide::kEqual);
  ASSERT_TRUE(key.any);
  EXPECT_EQ(key.value.Id(), TypeId::kNumeric);
}

TEST(KeyBound, TimestampsBoundDatesByDay) {
  const Type date = Type::Of(TypeId::kDate);
  int64_t day = datetime::kMicrosPerDay;
  Bound midnight = Convert(Value::Timestamp(3 * day), date, KeyBoundSide::kEqual);
  ASSERT_TRUE(midnight.any);
  EXPECT_EQ(midnight.value.GetInt(), 3);
  EXPECT_FALSE(Convert(Value::Timestamp(3 * day + 1), date, KeyBoundSide::kEqual).any);
  EXPECT_EQ(Convert(Value::Timestamp(3 * day + 1), date, KeyBoundSide::kLower).value.GetInt(), 4);
  EXPECT_EQ(Convert(Value::Timestamp(3 * day + 1), date, KeyBoundSide::kUpper).value.GetInt(), 3);
  EXPECT_EQ(Convert(Value::Timestamp(-day - 1), date, KeyBoundSide::kUpper).value.GetInt(), -2);  // before 2000
  Bound infinity = Convert(Value::Timestamp(datetime::kTimestampInfinity), date, KeyBoundSide::kEqual);
  ASSERT_TRUE(infinity.any);
  EXPECT_EQ(infinity.value.GetInt(), datetime::kDateInfinity);
}

TEST(KeyBound, TextBoundsACharKeyByItsOwnBytes) {
  // The key holds 'ab' for char(4) 'ab  '; the comparison is text's of the trimmed value.
  Type char4 = Type::Of(TypeId::kBpchar);
  char4.typmod = 4 + 4;
  Bound eq = Convert(Value::Text("ab", Type::Of(TypeId::kText)), char4, KeyBoundSide::kEqual);
  ASSERT_TRUE(eq.any);
  EXPECT_EQ(eq.value.GetString(), "ab");
  Bound blanks = Convert(Value::Text("ab  ", Type::Of(TypeId::kText)), char4, KeyBoundSide::kUpper);
  ASSERT_TRUE(blanks.any);
  EXPECT_EQ(blanks.value.Id(), TypeId::kText);  // not a bpchar, whose key bytes would drop the blanks
  EXPECT_EQ(blanks.value.GetString(), "ab  ");
  EXPECT_FALSE(blanks.inclusive);
  Bound trimmed = Convert(Value::Text("ab  ", char4), Type::Of(TypeId::kVarchar), KeyBoundSide::kEqual);
  ASSERT_TRUE(trimmed.any);
  EXPECT_EQ(trimmed.value.GetString(), "ab");
}

TEST(KeyBound, NullMatchesNothing) {
  EXPECT_FALSE(Convert(Value::Null(Type::Of(TypeId::kInt8)), kInt4, KeyBoundSide::kEqual).any);
}

}  // namespace
}  // namespace tessera::planner
