// Calendar arithmetic and the text output of dates and timestamps in each
// DateStyle, as PostgreSQL's EncodeDateOnly/EncodeDateTime write them.
#include <fmt/format.h>

#include "common/datetime.h"
#include "common/error.h"

namespace tessera::datetime {
namespace {

constexpr const char* kMonthAbbrevs[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr const char* kDayAbbrevs[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// Years at or before 0 are shown as BC: astronomical year 0 is 1 BC.
int64_t DisplayYear(int64_t year) { return year > 0 ? year : 1 - year; }

std::string DatePart(const CivilDate& d, const TextFormat& fmt) {
  int64_t y = DisplayYear(d.year);
  switch (fmt.date_style) {
    case DateStyle::kIso:
      return fmt::format("{:04}-{:02}-{:02}", y, d.month, d.day);
    case DateStyle::kSql:
      if (fmt.date_order == DateOrder::kDmy) return fmt::format("{:02}/{:02}/{:04}", d.day, d.month, y);
      return fmt::format("{:02}/{:02}/{:04}", d.month, d.day, y);
    case DateStyle::kGerman:
      return fmt::format("{:02}.{:02}.{:04}", d.day, d.month, y);
    case DateStyle::kPostgres:
      if (fmt.date_order == DateOrder::kDmy) return fmt::format("{:02}-{:02}-{:04}", d.day, d.month, y);
      return fmt::format("{:02}-{:02}-{:04}", d.month, d.day, y);
  }
  return {};
}

// HH:MM:SS plus the fraction with trailing zeros dropped, as PostgreSQL does.
std::string TimePart(int64_t micros_of_day) {
  int64_t secs = micros_of_day / kMicrosPerSecond;
  int64_t frac = micros_of_day % kMicrosPerSecond;
  std::string out = fmt::format("{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60);
  if (frac != 0) {
    std::string f = fmt::format("{:06}", frac);
    while (f.back() == '0') f.pop_back();
    out += "." + f;
  }
  return out;
}

// "+05:30", "-08", "+00": EncodeTimezone.
std::string OffsetText(int seconds_east) {
  char sign = seconds_east < 0 ? '-' : '+';
  int a = seconds_east < 0 ? -seconds_east : seconds_east;
  int h = a / 3600, m = a / 60 % 60, s = a % 60;
  if (s != 0) return fmt::format("{}{:02}:{:02}:{:02}", sign, h, m, s);
  if (m != 0) return fmt::format("{}{:02}:{:02}", sign, h, m);
  return fmt::format("{}{:02}", sign, h);
}

std::string ZoneText(int offset, const std::string& abbrev) {
  // Abbreviations from zoneinfo can be numeric ("+04"); an empty one falls back to the offset.
  return abbrev.empty() ? OffsetText(offset) : abbrev;
}

}  // namespace

int32_t DaysFromCivil(int64_t year, int month, int day) {
  // Howard Hinnant's days_from_civil, shifted to PostgreSQL's 2000-01-01 epoch.
  int64_t y = year - (month <= 2);
  int64_t era = FloorDiv(y, 400);
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<int32_t>(era * 146097 + doe - 719468 - 10957);
}

CivilDate CivilFromDays(int64_t days) {
  int64_t z = days + 10957 + 719468;
  int64_t era = FloorDiv(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return CivilDate{yoe + era * 400 + (month <= 2), month, day};
}

int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

int64_t DateToTimestamp(int32_t days) {
  if (days == kDateInfinity) return kTimestampInfinity;
  if (days == kDateNegInfinity) return kTimestampNegInfinity;
  if (!DateFitsTimestamp(days)) throw SqlError(sqlstate::kDatetimeFieldOverflow, "date out of range for timestamp");
  return static_cast<int64_t>(days) * kMicrosPerDay;
}

bool DateFitsTimestamp(int32_t days) {
  return days == kDateInfinity || days == kDateNegInfinity ||
         (days >= DaysFromCivil(-4713, 11, 24) && days <= DaysFromCivil(294276, 12, 31));
}

int32_t TimestampToDate(int64_t micros) {
  if (micros == kTimestampInfinity) return kDateInfinity;
  if (micros == kTimestampNegInfinity) return kDateNegInfinity;
  return static_cast<int32_t>(FloorDiv(micros, kMicrosPerDay));
}

std::string FormatDate(int32_t days, const TextFormat& fmt) {
  if (days == kDateInfinity) return "infinity";
  if (days == kDateNegInfinity) return "-infinity";
  CivilDate d = CivilFromDays(days);
  std::string out = DatePart(d, fmt);
  return d.year <= 0 ? out + " BC" : out;
}

std::string FormatTimestamp(int64_t micros, const TextFormat& fmt, bool with_tz) {
  if (micros == kTimestampInfinity) return "infinity";
  if (micros == kTimestampNegInfinity) return "-infinity";
  int offset = 0;
  std::string abbrev;
  int64_t local = with_tz ? UtcToLocal(micros, fmt.time_zone, &offset, &abbrev) : micros;
  int64_t days = FloorDiv(local, kMicrosPerDay);
  int64_t of_day = local - days * kMicrosPerDay;
  CivilDate d = CivilFromDays(days);
  std::string time = TimePart(of_day);
  std::string out;
  switch (fmt.date_style) {
    case DateStyle::kIso:
      out = DatePart(d, fmt) + " " + time;
      if (with_tz) out += OffsetText(offset);
      break;
    case DateStyle::kSql:
    case DateStyle::kGerman:
      out = DatePart(d, fmt) + " " + time;
      if (with_tz) out += " " + ZoneText(offset, abbrev);
      break;
    case DateStyle::kPostgres: {
      int64_t dow = ((days + 6) % 7 + 7) % 7;  // 2000-01-01 was a Saturday
      const char* mon = kMonthAbbrevs[d.month - 1];
      if (fmt.date_order == DateOrder::kDmy)
        out = fmt::format("{} {:02} {} {} {:04}", kDayAbbrevs[dow], d.day, mon, time, DisplayYear(d.year));
      else
        out = fmt::format("{} {} {:02} {} {:04}", kDayAbbrevs[dow], mon, d.day, time, DisplayYear(d.year));
      if (with_tz) out += " " + ZoneText(offset, abbrev);
      break;
    }
  }
  return d.year <= 0 ? out + " BC" : out;
}

}  // namespace tessera::datetime
