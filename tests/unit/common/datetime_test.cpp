#include "common/datetime.h"

#include "common/value.h"
#include "test_helpers.h"

namespace tessera {
namespace {

const Type kDate = Type::Of(TypeId::kDate), kTs = Type::Of(TypeId::kTimestamp), kTsTz = Type::Of(TypeId::kTimestampTz);

TextFormat Style(DateStyle style, DateOrder order, const char* zone = "UTC") {
  TextFormat f;
  f.date_style = style;
  f.date_order = order;
  f.time_zone = zone;
  return f;
}

std::string Show(const char* text, Type type, const TextFormat& in = {}, const TextFormat& out = {}) {
  return Value::FromText(text, type, in).ToText(out);
}

TEST(DatetimeTest, CivilConversions) {
  EXPECT_EQ(datetime::DaysFromCivil(2000, 1, 1), 0);
  EXPECT_EQ(datetime::DaysFromCivil(1970, 1, 1), -10957);
  EXPECT_EQ(datetime::DaysFromCivil(2024, 3, 1) - datetime::DaysFromCivil(2024, 2, 28), 2);
  auto c = datetime::CivilFromDays(datetime::DaysFromCivil(-4712, 1, 1));
  EXPECT_EQ(c.year, -4712);
  EXPECT_EQ(c.month, 1);
  EXPECT_EQ(c.day, 1);
}

TEST(DatetimeTest, DateInputForms) {
  EXPECT_EQ(Show("2024-01-02", kDate), "2024-01-02");
  EXPECT_EQ(Show("Jan 2 2024", kDate), "2024-01-02");
  EXPECT_EQ(Show("January 2, 2024", kDate), "2024-01-02");
  EXPECT_EQ(Show("02-Jan-2024", kDate), "2024-01-02");
  EXPECT_EQ(Show("2024-Jan-02", kDate), "2024-01-02");
  EXPECT_EQ(Show("20240102", kDate), "2024-01-02");
  EXPECT_EQ(Show("01/02/2024", kDate), "2024-01-02");
  EXPECT_EQ(Show("01/02/2024", kDate, Style(DateStyle::kIso, DateOrder::kDmy)), "2024-02-01");
  EXPECT_EQ(Show("2024-01-02 03:04:05", kDate), "2024-01-02");
  EXPECT_EQ(Show("1/2/24", kDate), "2024-01-02");
  EXPECT_EQ(Show("4713-01-01 BC", kDate), "4713-01-01 BC");
  EXPECT_EQ(Show("0001-01-01 BC", kDate), "0001-01-01 BC");
  EXPECT_EQ(Show("infinity", kDate), "infinity");
  EXPECT_EQ(Show("-infinity", kDate), "-infinity");
  EXPECT_EQ(Show("epoch", kDate), "1970-01-01");
  EXPECT_SQL_ERROR(Value::FromText("2024-02-30", kDate), "22008", "date/time field value out of range: \"2024-02-30\"");
  EXPECT_SQL_ERROR(Value::FromText("2024-13-01", kDate), "22008", "");
  EXPECT_SQL_ERROR(Value::FromText("garbage", kDate), "22007", "invalid input syntax for type date: \"garbage\"");
  EXPECT_SQL_ERROR(Value::FromText("", kDate), "22007", "");
}

TEST(DatetimeTest, DateOutputStyles) {
  Value d = Value::FromText("2024-01-02", kDate);
  EXPECT_EQ(d.ToText(Style(DateStyle::kIso, DateOrder::kMdy)), "2024-01-02");
  EXPECT_EQ(d.ToText(Style(DateStyle::kPostgres, DateOrder::kMdy)), "01-02-2024");
  EXPECT_EQ(d.ToText(Style(DateStyle::kPostgres, DateOrder::kDmy)), "02-01-2024");
  EXPECT_EQ(d.ToText(Style(DateStyle::kSql, DateOrder::kMdy)), "01/02/2024");
  EXPECT_EQ(d.ToText(Style(DateStyle::kSql, DateOrder::kDmy)), "02/01/2024");
  EXPECT_EQ(d.ToText(Style(DateStyle::kGerman, DateOrder::kDmy)), "02.01.2024");
}

TEST(DatetimeTest, TimestampInputAndIsoOutput) {
  EXPECT_EQ(Show("2024-01-02 03:04:05.5", kTs), "2024-01-02 03:04:05.5");
  EXPECT_EQ(Show("2024-01-02T03:04:05", kTs), "2024-01-02 03:04:05");
  EXPECT_EQ(Show("2024-01-02 03:04", kTs), "2024-01-02 03:04:00");
  EXPECT_EQ(Show("2024-01-02 03:04:05.1234567", kTs), "2024-01-02 03:04:05.123457");
  EXPECT_EQ(Show("2024-01-02 03:04:05+05", kTs), "2024-01-02 03:04:05");  // zone ignored
  EXPECT_EQ(Show("2024-01-02 3:04 pm", kTs), "2024-01-02 15:04:00");
  EXPECT_EQ(Show("2024-01-02 12:00 am", kTs), "2024-01-02 00:00:00");
  EXPECT_EQ(Show("2024-01-02 24:00:00", kTs), "2024-01-03 00:00:00");
  EXPECT_EQ(Show("2024-01-02", kTs), "2024-01-02 00:00:00");
  EXPECT_EQ(Show("infinity", kTs), "infinity");
  EXPECT_SQL_ERROR(Value::FromText("2024-01-02 25:00", kTs), "22008", "");
  EXPECT_SQL_ERROR(Value::FromText("2024-01-02 03:04:05 nowhere", kTs), "22007",
                   "invalid input syntax for type timestamp: \"2024-01-02 03:04:05 nowhere\"");
}

TEST(DatetimeTest, TimestampTzZones) {
  EXPECT_EQ(Show("2024-01-02 03:04:05+05:30", kTsTz), "2024-01-01 21:34:05+00");
  EXPECT_EQ(Show("2024-01-02 03:04:05Z", kTsTz), "2024-01-02 03:04:05+00");
  EXPECT_EQ(Show("2024-01-02 03:04:05 PST", kTsTz), "2024-01-02 11:04:05+00");
  EXPECT_EQ(Show("2024-01-02 03:04:05 America/New_York", kTsTz), "2024-01-02 08:04:05+00");
  EXPECT_EQ(Show("2024-01-02 03:04:05-0800", kTsTz), "2024-01-02 11:04:05+00");
  EXPECT_EQ(Show("epoch", kTsTz), "1970-01-01 00:00:00+00");
  TextFormat kolkata = Style(DateStyle::kIso, DateOrder::kMdy, "Asia/Kolkata");
  EXPECT_EQ(Show("2024-01-02 03:04:05", kTsTz, kolkata, kolkata), "2024-01-02 03:04:05+05:30");
  TextFormat ny = Style(DateStyle::kIso, DateOrder::kMdy, "America/New_York");
  // In the spring gap the pre-transition offset applies; in the autumn overlap, standard time.
  EXPECT_EQ(Show("2024-03-10 02:30", kTsTz, ny, ny), "2024-03-10 03:30:00-04");
  EXPECT_EQ(Show("2024-11-03 01:30", kTsTz, ny, ny), "2024-11-03 01:30:00-05");
}

TEST(DatetimeTest, TimestampOutputStylesInSessionZone) {
  TextFormat pg = Style(DateStyle::kPostgres, DateOrder::kMdy, "PST8PDT");
  EXPECT_EQ(Show("2024-01-02 03:04:05.5", kTs, pg, pg), "Tue Jan 02 03:04:05.5 2024");
  EXPECT_EQ(Show("2024-07-02 03:04:05+00", kTsTz, pg, pg), "Mon Jul 01 20:04:05 2024 PDT");
  EXPECT_EQ(Show("Tue Jan 02 03:04:05.5 2024 PST", kTsTz, pg, pg), "Tue Jan 02 03:04:05.5 2024 PST");
  TextFormat pg_dmy = Style(DateStyle::kPostgres, DateOrder::kDmy, "PST8PDT");
  EXPECT_EQ(Show("2024-01-02 03:04:05.5", kTsTz, pg_dmy, pg_dmy), "Tue 02 Jan 03:04:05.5 2024 PST");
  TextFormat sql = Style(DateStyle::kSql, DateOrder::kMdy, "PST8PDT");
  EXPECT_EQ(Show("2024-01-02 03:04:05.5", kTsTz, sql, sql), "01/02/2024 03:04:05.5 PST");
  TextFormat sql_dmy = Style(DateStyle::kSql, DateOrder::kDmy, "PST8PDT");
  EXPECT_EQ(Show("2024-01-02 03:04:05.5", kTsTz, sql_dmy, sql_dmy), "02/01/2024 03:04:05.5 PST");
  TextFormat german = Style(DateStyle::kGerman, DateOrder::kDmy, "PST8PDT");
  EXPECT_EQ(Show("2024-01-02 03:04:05.5", kTsTz, german, german), "02.01.2024 03:04:05.5 PST");
  EXPECT_EQ(Show("2024-01-02 03:04", kTs, german, german), "02.01.2024 03:04:00");
  // Postgres-style output reads back to the same instant.
  Value v = Value::FromText("2024-07-02 03:04:05+00", kTsTz);
  EXPECT_EQ(Value::FromText(v.ToText(pg), kTsTz, pg).GetInt(), v.GetInt());
}

TEST(DatetimeTest, NowAndTodayAreCurrent) {
  int64_t before = datetime::CurrentTimestamp();
  int64_t now = Value::FromText("now", kTsTz).GetInt();
  EXPECT_GE(now, before);
  EXPECT_LT(now - before, 5 * datetime::kMicrosPerSecond);
  int64_t today = Value::FromText("today", kDate).GetInt();
  EXPECT_EQ(today, datetime::TimestampToDate(now));
  EXPECT_EQ(Value::FromText("tomorrow", kDate).GetInt(), today + 1);
}

TEST(DatetimeTest, SessionTimeZoneSpellingsFollowSetTimeZone) {
  auto show = [](const char* zone) {
    TextFormat f;
    f.time_zone = zone;
    return Value::FromText("2024-07-02 03:04:05+00", kTsTz).ToText(f);
  };
  EXPECT_EQ(show("-7"), "2024-07-01 20:04:05-07");  // a bare number: hours east (ISO sign)
  EXPECT_EQ(show("5.5"), "2024-07-02 08:34:05+05:30");
  EXPECT_EQ(show("+05:30"), "2024-07-01 21:34:05-05:30");  // POSIX spec: hours west
  EXPECT_EQ(show("UTC+3"), "2024-07-02 00:04:05-03");
  EXPECT_EQ(show("EST5EDT"), "2024-07-01 23:04:05-04");
  EXPECT_EQ(show("europe/paris"), "2024-07-02 05:04:05+02");  // names match case-insensitively
  EXPECT_EQ(show("utc"), "2024-07-02 03:04:05+00");
  EXPECT_SQL_ERROR(show("foo"), "22023", "time zone \"foo\" not recognized");
}

TEST(DatetimeTest, TimeZoneNames) {
  EXPECT_TRUE(datetime::IsValidTimeZone("PST8PDT"));
  EXPECT_TRUE(datetime::IsValidTimeZone("Europe/Berlin"));
  EXPECT_TRUE(datetime::IsValidTimeZone("UTC"));
  EXPECT_FALSE(datetime::IsValidTimeZone("Mars/Olympus"));
}

}  // namespace
}  // namespace tessera
