// Arrays: PostgreSQL's text format (array_in/array_out), order and casts.
#include "common/value.h"
#include "test_helpers.h"

namespace tessera {
namespace {

const Type kIntArray = Type::Of(TypeId::kInt4Array), kTextArray = Type::Of(TypeId::kTextArray);

std::string RoundTrip(const char* text, Type type) { return Value::FromText(text, type).ToText(); }

TEST(ValueArrayTest, TextFormatQuotesWhatArrayInWouldMisread) {
  EXPECT_EQ(RoundTrip("{1, 2 ,NULL}", kIntArray), "{1,2,NULL}");
  EXPECT_EQ(RoundTrip("  {}  ", kIntArray), "{}");
  EXPECT_EQ(RoundTrip(R"({a,"b c","",null,"NULL","q\"x",back\\slash, d e })", kTextArray),
            R"({a,"b c","",NULL,"NULL","q\"x","back\\slash","d e"})");
  EXPECT_EQ(RoundTrip(R"({"{}",",",x\,y})", kTextArray), R"({"{}",",","x,y"})");
  EXPECT_EQ(RoundTrip("{1.50,2}", Type{TypeId::kNumericArray, ((5 << 16) | 2) + 4}), "{1.50,2.00}");
}

TEST(ValueArrayTest, MalformedLiteralsAre22P02AndMoreDimensions0A000) {
  for (const char* bad : {"", "1,2", "{1,2", "{1,}", "{,}", "{1} x", "{\"a}"})
    EXPECT_SQL_ERROR(Value::FromText(bad, kIntArray), "22P02", "");
  EXPECT_SQL_ERROR(Value::FromText("{a}", kIntArray), "22P02", "invalid input syntax for type integer: \"a\"");
  EXPECT_SQL_ERROR(Value::FromText("{{1},{2}}", kIntArray), "0A000", "");
  EXPECT_SQL_ERROR(Value::FromText("[0:1]={1,2}", kIntArray), "0A000", "");
}

TEST(ValueArrayTest, OrderIsElementwiseThenShorterFirst) {
  auto a = [](const char* text) { return Value::FromText(text, kIntArray); };
  EXPECT_LT(a("{1,2}").Compare(a("{1,3}")), 0);
  EXPECT_LT(a("{1,2}").Compare(a("{1,2,0}")), 0);
  EXPECT_GT(a("{2}").Compare(a("{1,5}")), 0);
  EXPECT_LT(a("{1}").Compare(a("{NULL}")), 0);  // a NULL element sorts last
  EXPECT_EQ(a("{1,NULL}").Compare(a("{1,NULL}")), 0);
  EXPECT_EQ(a("{1,2}").Hash(), a("{1,2}").Hash());
}

TEST(ValueArrayTest, CastsConvertEachElement) {
  Value v = Value::FromText("{1.7,NULL,2.2}", Type::Of(TypeId::kNumericArray));
  EXPECT_EQ(v.CastTo(kIntArray).ToText(), "{2,NULL,2}");
  EXPECT_EQ(v.CastTo(kTextArray).GetArray()[0].GetString(), "1.7");
  EXPECT_EQ(v.CastTo(Type::Of(TypeId::kText)).GetString(), "{1.7,NULL,2.2}");
  EXPECT_EQ(Value::Text("{3}").CastTo(Type::Of(TypeId::kInt8Array)).ToText(), "{3}");
}

}  // namespace
}  // namespace tessera
