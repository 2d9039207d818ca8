// EXTRACT(field FROM x) and date_part(field, x) for date, timestamp and
// timestamptz. As in PostgreSQL 15, extract returns numeric (seconds keep 6
// decimals) and date_part float8; timestamptz fields are in the session zone.
#include <cmath>
#include <optional>

#include "common/builtin_registry.h"
#include "common/datetime.h"
#include "common/error.h"
#include "common/utf8.h"

namespace tessera::builtins {
namespace {

using Args = std::vector<Value>;
using Ctx = FunctionContext;
using datetime::kMicrosPerDay;
using datetime::kMicrosPerSecond;

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

struct Parts {
  int64_t days;    // since 2000-01-01, local
  int64_t time;    // µs of the day
  int64_t epoch;   // µs since 1970-01-01 UTC (timestamptz) or of the wall clock
  int offset = 0;  // seconds east, timestamptz only
};

std::string TypeName(TypeId id) { return FormatType(Type::Of(id)); }

// ISO 8601 week-numbering year and week of a day.
void IsoWeek(int64_t days, int64_t* iso_year, int64_t* week) {
  int64_t isodow = ((days + 5) % 7 + 7) % 7 + 1;  // 2000-01-01 was a Saturday (6)
  int64_t thursday = days - (isodow - 1) + 3;
  datetime::CivilDate t = datetime::CivilFromDays(thursday);
  *iso_year = t.year;
  *week = (thursday - datetime::DaysFromCivil(t.year, 1, 1)) / 7 + 1;
}

// The field as a numeric; nullopt when the field is unknown for the type.
std::optional<Numeric> Field(const std::string& f, const Parts& p, TypeId type) {
  datetime::CivilDate d = datetime::CivilFromDays(p.days);
  int64_t y = d.year;  // astronomical: 0 is 1 BC
  int64_t secs = p.time / kMicrosPerSecond, us = p.time % kMicrosPerSecond;
  bool is_date = type == TypeId::kDate;
  auto whole = [](int64_t v) { return Numeric::FromInt(v); };
  if (f == "year") return whole(y > 0 ? y : y - 1);
  if (f == "month") return whole(d.month);
  if (f == "day") return whole(d.day);
  if (f == "quarter") return whole((d.month - 1) / 3 + 1);
  if (f == "decade") return whole(y >= 0 ? y / 10 : -((8 - (y - 1)) / 10));
  if (f == "century") return whole(y > 0 ? (y + 99) / 100 : -((99 - (y - 1)) / 100));
  if (f == "millennium") return whole(y > 0 ? (y + 999) / 1000 : -((999 - (y - 1)) / 1000));
  if (f == "dow") return whole(((p.days + 6) % 7 + 7) % 7);
  if (f == "isodow") return whole(((p.days + 5) % 7 + 7) % 7 + 1);
  if (f == "doy") return whole(p.days - datetime::DaysFromCivil(y, 1, 1) + 1);
  if (f == "week" || f == "isoyear") {
    int64_t iso_year, week;
    IsoWeek(p.days, &iso_year, &week);
    return whole(f == "week" ? week : (iso_year > 0 ? iso_year : iso_year - 1));
  }
  if (f == "epoch") return is_date ? whole(p.epoch / kMicrosPerSecond) : Numeric(p.epoch, 6);
  if (f == "julian") {
    Numeric day = whole(p.days + 2451545);
    return is_date ? day : day.Add(Numeric::FromInt(p.time).Div(Numeric::FromInt(kMicrosPerDay)));
  }
  if (is_date) return std::nullopt;
  if (f == "hour") return whole(secs / 3600);
  if (f == "minute") return whole(secs / 60 % 60);
  if (f == "second") return Numeric((secs % 60) * kMicrosPerSecond + us, 6);
  if (f == "milliseconds") return Numeric((secs % 60) * kMicrosPerSecond + us, 3);
  if (f == "microseconds") return whole((secs % 60) * kMicrosPerSecond + us);
  if (type != TypeId::kTimestampTz) return std::nullopt;
  if (f == "timezone") return whole(p.offset);
  if (f == "timezone_hour") return whole(p.offset / 3600);
  if (f == "timezone_minute") return whole(p.offset / 60 % 60);
  return std::nullopt;
}

bool KnownField(const std::string& f) {
  static const char* kAll[] = {
      "year",   "month",        "day",          "quarter",  "decade",        "century",        "millennium", "dow",
      "isodow", "doy",          "week",         "isoyear",  "epoch",         "julian",         "hour",       "minute",
      "second", "milliseconds", "microseconds", "timezone", "timezone_hour", "timezone_minute"};
  for (const char* k : kAll)
    if (f == k) return true;
  return false;
}

// Plural and abbreviated spellings PostgreSQL accepts.
std::string CanonicalField(const std::string& raw) {
  std::string f = utf8::ToLower(raw);
  if (f == "years" || f == "y" || f == "yr" || f == "yrs") return "year";
  if (f == "months" || f == "mon" || f == "mons") return "month";
  if (f == "days" || f == "d") return "day";
  if (f == "hours" || f == "h" || f == "hr" || f == "hrs") return "hour";
  if (f == "minutes" || f == "m" || f == "min" || f == "mins") return "minute";
  if (f == "seconds" || f == "s" || f == "sec" || f == "secs") return "second";
  if (f == "millisecond" || f == "ms" || f == "msec" || f == "msecs" || f == "msecond" || f == "mseconds")
    return "milliseconds";
  if (f == "microsecond" || f == "us" || f == "usec" || f == "usecs" || f == "usecond" || f == "useconds")
    return "microseconds";
  if (f == "weeks" || f == "w") return "week";
  if (f == "centuries" || f == "c") return "century";
  if (f == "decades") return "decade";
  if (f == "millenniums" || f == "millennia" || f == "mil" || f == "mils") return "millennium";
  if (f == "j" || f == "jd") return "julian";
  return f;
}

Parts Split(const Value& v, const Ctx& ctx) {
  const std::string zone = ctx.format ? ctx.format->time_zone : "UTC";
  constexpr int64_t kUnixEpoch = -datetime::kUnixToPgEpochSeconds * kMicrosPerSecond;
  if (v.Id() == TypeId::kDate) {
    int64_t days = v.GetInt();
    return Parts{days, 0, days * kMicrosPerDay - kUnixEpoch};
  }
  int64_t ts = v.GetInt();
  Parts p{0, 0, ts - kUnixEpoch};
  int64_t local = v.Id() == TypeId::kTimestampTz ? datetime::UtcToLocal(ts, zone, &p.offset) : ts;
  p.days = FloorDiv(local, kMicrosPerDay);
  p.time = local - p.days * kMicrosPerDay;
  return p;
}

bool IsInfinite(const Value& v) {
  if (v.Id() == TypeId::kDate) return v.GetInt() == datetime::kDateInfinity || v.GetInt() == datetime::kDateNegInfinity;
  return v.GetInt() == datetime::kTimestampInfinity || v.GetInt() == datetime::kTimestampNegInfinity;
}

Numeric Extract(const std::string& raw_field, const Value& v, const Ctx& ctx) {
  std::string f = CanonicalField(raw_field);
  TypeId type = v.Id();
  if (!KnownField(f))
    throw SqlError(sqlstate::kInvalidParameterValue,
                   "unit \"" + raw_field + "\" not recognized for type " + TypeName(type));
  if (IsInfinite(v)) throw SqlError::FeatureNotSupported("extract from an infinite value is not supported");
  std::optional<Numeric> r = Field(f, Split(v, ctx), type);
  if (!r)
    throw SqlError(sqlstate::kFeatureNotSupported,
                   "unit \"" + raw_field + "\" not supported for type " + TypeName(type));
  return *r;
}

Value DatePart(const std::string& raw_field, const Value& v, const Ctx& ctx) {
  if (IsInfinite(v)) {
    // Fields that grow without bound are +/-Infinity; the others NULL.
    std::string f = CanonicalField(raw_field);
    bool unbounded = f == "year" || f == "epoch" || f == "decade" || f == "century" || f == "millennium" ||
                     f == "isoyear" || f == "julian";
    bool positive = v.GetInt() > 0;
    if (!unbounded) return Value::Null(Type::Of(TypeId::kFloat8));
    return Value::Float8(positive ? HUGE_VAL : -HUGE_VAL);
  }
  return Value::Float8(Extract(raw_field, v, ctx).ToDouble());
}

}  // namespace

void AddExtractFunctions(std::vector<FunctionOverload>& out) {
  for (TypeId t : {TypeId::kDate, TypeId::kTimestamp, TypeId::kTimestampTz}) {
    Add(out, "extract", {TypeId::kText, t}, TypeId::kNumeric,
        [](const Args& a, const Ctx& ctx) { return Value::Num(Extract(a[0].GetString(), a[1], ctx)); });
    Add(out, "date_part", {TypeId::kText, t}, TypeId::kFloat8,
        [](const Args& a, const Ctx& ctx) { return DatePart(a[0].GetString(), a[1], ctx); });
  }
}

}  // namespace tessera::builtins
