// Dates and timestamps as PostgreSQL stores them: a date is days since
// 2000-01-01, a timestamp microseconds since 2000-01-01 00:00 UTC (for a
// timestamp without time zone: of the wall clock). The extremes of each
// range mean -infinity/infinity. Text input accepts the common ISO, SQL,
// German and Postgres forms; output follows the session's DateStyle and
// TimeZone (see TextFormat in common/value.h).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/value.h"

namespace tessera::datetime {

inline constexpr int32_t kDateNegInfinity = INT32_MIN;
inline constexpr int32_t kDateInfinity = INT32_MAX;
inline constexpr int64_t kTimestampNegInfinity = INT64_MIN;
inline constexpr int64_t kTimestampInfinity = INT64_MAX;
inline constexpr int64_t kMicrosPerSecond = 1000000;
inline constexpr int64_t kMicrosPerDay = 86400 * kMicrosPerSecond;
// Seconds from 1970-01-01 (Unix epoch) to 2000-01-01 (PostgreSQL's epoch).
inline constexpr int64_t kUnixToPgEpochSeconds = 946684800;

// A broken-down calendar date (proleptic Gregorian, astronomical year: 0 = 1 BC).
struct CivilDate {
  int64_t year;
  int month;
  int day;
};

int32_t DaysFromCivil(int64_t year, int month, int day);
CivilDate CivilFromDays(int64_t days);
int DaysInMonth(int64_t year, int month);

// Text input; `type_name` appears in error messages ("date", "timestamp ...").
int32_t ParseDate(std::string_view text, const TextFormat& fmt);
int64_t ParseTimestamp(std::string_view text, const TextFormat& fmt, bool with_tz);

std::string FormatDate(int32_t days, const TextFormat& fmt);
std::string FormatTimestamp(int64_t micros, const TextFormat& fmt, bool with_tz);

// Zone conversions. A wall-clock time in a zone to UTC and back; `offset`
// receives the UTC offset in seconds east and `abbrev` the zone abbreviation.
int64_t LocalToUtc(int64_t local_micros, const std::string& zone);
int64_t UtcToLocal(int64_t utc_micros, const std::string& zone, int* offset = nullptr, std::string* abbrev = nullptr);
// Whether SET TimeZone would accept this name.
bool IsValidTimeZone(const std::string& zone);

// The current time (µs since 2000-01-01 UTC) from the system clock.
int64_t CurrentTimestamp();
// Date -> timestamp, mapping infinities onto infinities; 22008 beyond the
// timestamp range (dates reach further, to 5874897 AD).
int64_t DateToTimestamp(int32_t days);
bool DateFitsTimestamp(int32_t days);
// Timestamp -> date, flooring; infinities onto infinities.
int32_t TimestampToDate(int64_t micros);

}  // namespace tessera::datetime
