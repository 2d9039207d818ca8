#include <cmath>

#include "common/builtin_functions.h"
#include "test_helpers.h"

namespace tessera {
namespace {

// Calls extract/date_part the way the binder does for EXTRACT(field FROM x).
Value Call(const char* fn, const char* field, const char* text, TypeId type, const char* zone = "UTC") {
  TextFormat fmt;
  fmt.time_zone = zone;
  Value v = Value::FromText(text, Type::Of(type), fmt);
  ResolvedFunction r = ResolveFunction(fn, {Type::Of(TypeId::kUnknown), Type::Of(type)});
  FunctionContext ctx;
  ctx.format = &fmt;
  return r.overload->fn({Value::Text(field), v}, ctx);
}
std::string Extract(const char* field, const char* text, TypeId type, const char* zone = "UTC") {
  return Call("extract", field, text, type, zone).ToText();
}

constexpr TypeId kDate = TypeId::kDate, kTs = TypeId::kTimestamp, kTsTz = TypeId::kTimestampTz;

TEST(ExtractTest, TimestampFieldsAsNumeric) {
  EXPECT_EQ(Extract("second", "2024-01-02 03:04:05.5", kTs), "5.500000");
  EXPECT_EQ(Extract("epoch", "2024-01-02 03:04:05.5", kTs), "1704164645.500000");
  EXPECT_EQ(Extract("milliseconds", "2024-01-02 03:04:05.5", kTs), "5500.000");
  EXPECT_EQ(Extract("microseconds", "2024-01-02 03:04:05.5", kTs), "5500000");
  EXPECT_EQ(Extract("minute", "2024-01-02 03:04:05.5", kTs), "4");
  EXPECT_EQ(Extract("MONTHS", "2024-03-02", kTs), "3");
  EXPECT_EQ(Extract("julian", "2024-01-02 12:00", kTs), "2460312.50000000000000000000");
  EXPECT_EQ(Extract("epoch", "1960-01-01 00:00:00.25", kTs), "-315619199.750000");
  EXPECT_EQ(ResolveFunction("extract", {Type::Of(TypeId::kUnknown), Type::Of(kTs)}).return_type.id, TypeId::kNumeric);
}

TEST(ExtractTest, DateFields) {
  EXPECT_EQ(Extract("year", "2024-01-02", kDate), "2024");
  EXPECT_EQ(Extract("epoch", "2024-01-02", kDate), "1704153600");
  EXPECT_EQ(Extract("dow", "2024-01-07", kDate), "0");
  EXPECT_EQ(Extract("isodow", "2024-01-07", kDate), "7");
  EXPECT_EQ(Extract("week", "2024-12-30", kDate), "1");
  EXPECT_EQ(Extract("isoyear", "2024-12-30", kDate), "2025");
  EXPECT_EQ(Extract("week", "2021-01-03", kDate), "53");
  EXPECT_EQ(Extract("doy", "2024-12-31", kDate), "366");
  EXPECT_EQ(Extract("quarter", "2024-05-01", kDate), "2");
  EXPECT_EQ(Extract("year", "0001-01-01 BC", kDate), "-1");
  EXPECT_EQ(Extract("century", "0001-01-01 BC", kDate), "-1");
  EXPECT_EQ(Extract("decade", "0005-01-01 BC", kDate), "-1");
  EXPECT_EQ(Extract("millennium", "2001-01-01", kDate), "3");
  EXPECT_EQ(Extract("julian", "2024-01-02", kDate), "2460312");
  EXPECT_SQL_ERROR(Extract("hour", "2024-01-02", kDate), "0A000", "unit \"hour\" not supported for type date");
  EXPECT_SQL_ERROR(Extract("foo", "2024-01-02", kTs), "22023",
                   "unit \"foo\" not recognized for type timestamp without time zone");
}

TEST(ExtractTest, TimestampTzUsesSessionZone) {
  EXPECT_EQ(Extract("hour", "2024-01-02 03:04:05.5+00", kTsTz, "PST8PDT"), "19");
  EXPECT_EQ(Extract("day", "2024-01-02 03:04:05.5+00", kTsTz, "PST8PDT"), "1");
  EXPECT_EQ(Extract("epoch", "2024-01-02 03:04:05.5+00", kTsTz, "PST8PDT"), "1704164645.500000");
  EXPECT_EQ(Extract("timezone", "2024-01-02 03:04:05.5+00", kTsTz, "PST8PDT"), "-28800");
  EXPECT_SQL_ERROR(Extract("timezone", "2024-01-02", kTs), "0A000", "");
}

TEST(ExtractTest, DatePartIsFloat) {
  EXPECT_EQ(Call("date_part", "epoch", "2024-01-02 03:04:05.5", kTs).GetFloat(), 1704164645.5);
  EXPECT_EQ(Call("date_part", "second", "2024-01-02 03:04:05.5", kTs).GetFloat(), 5.5);
  EXPECT_TRUE(Call("date_part", "month", "infinity", kTs).IsNull());
  EXPECT_EQ(Call("date_part", "year", "-infinity", kTs).GetFloat(), -HUGE_VAL);
}

TEST(ExtractTest, SchemaQualifiedNamesResolve) {
  EXPECT_EQ(ResolveFunction("pg_catalog.extract", {Type::Of(TypeId::kText), Type::Of(kDate)}).overload->name,
            "extract");
  EXPECT_TRUE(IsKnownFunction("pg_catalog.upper"));
}

}  // namespace
}  // namespace tessera
