// Text input of dates and timestamps: a small version of PostgreSQL's
// ParseDateTime/DecodeDateTime. The text is cut into fields (a date such as
// 2024-01-02 or 01/02/2024, a time 03:04:05.5, words such as month names,
// zone names, AM/PM, BC, a numeric zone offset, bare numbers), then the
// fields are assembled with the session's DateOrder resolving 01/02/2024.
#include <cctype>
#include <optional>
#include <vector>

#include "common/datetime.h"
#include "common/error.h"

namespace tessera::datetime {
namespace {

enum class FieldKind { kDate, kTime, kWord, kOffset, kNumber };
struct Field {
  FieldKind kind;
  std::string text;      // lower-cased
  std::string original;  // as written (zone names are case sensitive)
};

struct Parsed {
  std::optional<int64_t> year, month, day;
  bool year_two_digits = false;
  int64_t hour = 0, minute = 0, second = 0, micros = 0;
  bool has_time = false;
  int ampm = 0;  // 1 = AM, 2 = PM
  bool bc = false;
  std::optional<int> offset;  // seconds east
  std::string zone;
  std::string special;  // infinity, epoch, now, today, ...
};

class Parser {
 public:
  Parser(std::string_view text, const TextFormat& fmt, const char* type_name)
      : text_(text), fmt_(fmt), type_name_(type_name) {}

  Parsed Run() {
    for (const Field& f : Tokenise()) Apply(f);
    ResolveNumbers();
    return p_;
  }

  SqlError Syntax() const {
    return SqlError(sqlstate::kInvalidDatetimeFormat,
                    std::string("invalid input syntax for type ") + type_name_ + ": \"" + std::string(text_) + "\"");
  }
  SqlError FieldRange() const {
    return SqlError(sqlstate::kDatetimeFieldOverflow,
                    "date/time field value out of range: \"" + std::string(text_) + "\"");
  }

 private:
  static bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }
  static bool IsAlpha(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; }

  std::vector<Field> Tokenise() const {
    std::vector<Field> out;
    const std::string_view s = text_;
    size_t i = 0;
    auto take = [&](size_t start, FieldKind kind) {
      std::string orig(s.substr(start, i - start));
      out.push_back(Field{kind, Lowered(orig), orig});
    };
    while (i < s.size()) {
      char c = s[i];
      if (std::isspace(static_cast<unsigned char>(c)) || c == ',') {
        ++i;
      } else if (IsDigit(c)) {
        size_t start = i;
        while (i < s.size() && IsDigit(s[i])) ++i;
        if (i < s.size() && s[i] == ':') {
          while (i < s.size() && (IsDigit(s[i]) || s[i] == ':' || s[i] == '.')) ++i;
          take(start, FieldKind::kTime);
          continue;
        }
        bool date = false;
        while (i < s.size() && (IsDigit(s[i]) || IsAlpha(s[i]) || s[i] == '-' || s[i] == '/' || s[i] == '.')) {
          // ISO 8601's "T" between date and time ends the date.
          if ((s[i] == 't' || s[i] == 'T') && i + 1 < s.size() && IsDigit(s[i + 1]) && IsDigit(s[i - 1])) break;
          if (!IsDigit(s[i])) date = true;
          ++i;
        }
        take(start, date ? FieldKind::kDate : FieldKind::kNumber);
        if (i < s.size() && (s[i] == 't' || s[i] == 'T')) ++i;
      } else if ((c == '+' || c == '-') && i + 1 < s.size() && IsDigit(s[i + 1])) {
        size_t start = i++;
        while (i < s.size() && (IsDigit(s[i]) || s[i] == ':')) ++i;
        take(start, FieldKind::kOffset);
      } else if (IsAlpha(c) || ((c == '+' || c == '-') && i + 1 < s.size() && IsAlpha(s[i + 1]))) {
        size_t start = i++;
        bool zone_path = false;
        // Zone names may hold digits (PST8PDT) or, after a '/', signs (Etc/GMT+5).
        while (i < s.size() && (IsAlpha(s[i]) || IsDigit(s[i]) || s[i] == '_' || s[i] == '/' || s[i] == '.' ||
                                (zone_path && (s[i] == '+' || s[i] == '-')))) {
          if (s[i] == '/') zone_path = true;
          ++i;
        }
        std::string word = Lowered(s.substr(start, i - start));
        bool more = i + 1 < s.size() && IsDigit(s[i + 1]);
        if (more && (s[i] == '-' || s[i] == '/' || s[i] == '.') && MonthNumber(word) != 0) {
          // Feb-10-1997: a date that starts with the month name.
          while (i < s.size() && (IsDigit(s[i]) || IsAlpha(s[i]) || s[i] == '-' || s[i] == '/' || s[i] == '.')) ++i;
          take(start, FieldKind::kDate);
          continue;
        }
        if (more && (s[i] == '+' || s[i] == '-') && (word == "gmt" || word == "utc" || word == "ut")) {
          // POSIX style GMT+8 means eight hours west of Greenwich.
          ++i;
          while (i < s.size() && (IsDigit(s[i]) || s[i] == ':')) ++i;
        }
        take(start, FieldKind::kWord);
      } else {
        throw Syntax();
      }
    }
    return out;
  }

  static std::string Lowered(std::string_view v) {
    std::string low(v);
    for (auto& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return low;
  }

  static int64_t ToInt(const std::string& s) {
    int64_t v = 0;
    for (char c : s) {
      if (v > 100000000) break;  // later range checks reject it
      v = v * 10 + (c - '0');
    }
    return v;
  }

  static bool AllDigits(const std::string& s) {
    if (s.empty()) return false;
    for (char c : s)
      if (!IsDigit(c)) return false;
    return true;
  }

  static int MonthNumber(const std::string& w) {
    static const char* kNames[] = {"january", "february", "march",     "april",   "may",      "june",
                                   "july",    "august",   "september", "october", "november", "december"};
    if (w == "sept") return 9;
    for (int m = 0; m < 12; ++m) {
      std::string full = kNames[m];
      if (w == full || (w.size() == 3 && full.compare(0, 3, w) == 0)) return m + 1;
    }
    return 0;
  }

  static bool IsWeekday(const std::string& w) {
    static const char* kNames[] = {"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"};
    if (w == "tues" || w == "thur" || w == "thurs" || w == "wednes") return true;
    for (const char* n : kNames) {
      std::string full = n;
      if (w == full || (w.size() == 3 && full.compare(0, 3, w) == 0)) return true;
    }
    return false;
  }

  // Abbreviations from PostgreSQL's Default timezone_abbreviations set.
  static std::optional<int> AbbrevOffset(const std::string& w) {
    static const std::pair<const char*, int> kAbbrevs[] = {
        {"z", 0},           {"zulu", 0},         {"utc", 0},          {"gmt", 0},
        {"ut", 0},          {"pst", -8 * 3600},  {"pdt", -7 * 3600},  {"mst", -7 * 3600},
        {"mdt", -6 * 3600}, {"cst", -6 * 3600},  {"cdt", -5 * 3600},  {"est", -5 * 3600},
        {"edt", -4 * 3600}, {"akst", -9 * 3600}, {"akdt", -8 * 3600}, {"hst", -10 * 3600},
        {"wet", 0},         {"west", 3600},      {"bst", 3600},       {"cet", 3600},
        {"cest", 7200},     {"met", 3600},       {"mest", 7200},      {"eet", 7200},
        {"eest", 10800},    {"msk", 10800},      {"ist", 7200},       {"jst", 9 * 3600},
        {"kst", 9 * 3600},  {"aest", 10 * 3600}, {"aedt", 11 * 3600}, {"nzst", 12 * 3600},
        {"nzdt", 13 * 3600}};
    for (const auto& [name, off] : kAbbrevs)
      if (w == name) return off;
    return std::nullopt;
  }

  void SetDate(int64_t y, int64_t m, int64_t d, bool y2) {
    if (p_.year || p_.month || p_.day) throw Syntax();
    p_.year = y;
    p_.month = m;
    p_.day = d;
    p_.year_two_digits = y2;
  }

  void ApplyDate(const Field& f) {
    std::vector<std::string> parts;
    std::string cur;
    char separator = 0;
    for (char c : f.text) {
      if (c == '-' || c == '/' || c == '.') {
        if (separator != 0 && c != separator) throw Syntax();  // 1.5-10 mixes separators
        separator = c;
        parts.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    parts.push_back(cur);
    if (parts.size() != 3) throw Syntax();
    int alpha = -1;
    for (int k = 0; k < 3; ++k) {
      if (AllDigits(parts[k])) continue;
      if (alpha >= 0 || MonthNumber(parts[k]) == 0) throw Syntax();
      alpha = k;
    }
    auto n = [&](int k) { return ToInt(parts[k]); };
    if (alpha == 1) {  // 02-jan-2024 or 2024-jan-02
      if (parts[0].size() > 2) return SetDate(n(0), MonthNumber(parts[1]), n(2), false);
      return SetDate(n(2), MonthNumber(parts[1]), n(0), parts[2].size() <= 2);
    }
    if (alpha == 0) return SetDate(n(2), MonthNumber(parts[0]), n(1), parts[2].size() <= 2);
    if (alpha == 2) throw Syntax();
    if (parts[0].size() > 2) return SetDate(n(0), n(1), n(2), false);
    if (fmt_.date_order == DateOrder::kYmd) return SetDate(n(0), n(1), n(2), true);
    bool y2 = parts[2].size() <= 2;
    if (fmt_.date_order == DateOrder::kDmy) return SetDate(n(2), n(1), n(0), y2);
    SetDate(n(2), n(0), n(1), y2);
  }

  void ApplyTime(const Field& f) {
    if (p_.has_time) throw Syntax();
    p_.has_time = true;
    std::vector<std::string> parts;
    std::string cur;
    for (char c : f.text) {
      if (c == ':') {
        parts.push_back(cur);
        cur.clear();
      } else {
        cur.push_back(c);
      }
    }
    parts.push_back(cur);
    if (parts.size() < 2 || parts.size() > 3) throw Syntax();
    std::string sec = parts.size() == 3 ? parts[2] : "0";
    std::string frac;
    if (auto dot = sec.find('.'); dot != std::string::npos) {
      frac = sec.substr(dot + 1);
      sec = sec.substr(0, dot);
      if (!frac.empty() && !AllDigits(frac)) throw Syntax();
    }
    if (!AllDigits(parts[0]) || !AllDigits(parts[1]) || !AllDigits(sec)) throw Syntax();
    p_.hour = ToInt(parts[0]);
    p_.minute = ToInt(parts[1]);
    p_.second = ToInt(sec);
    // Round the fraction to microseconds, as PostgreSQL does.
    int64_t micros = 0;
    for (size_t k = 0; k < 6; ++k) micros = micros * 10 + (k < frac.size() ? frac[k] - '0' : 0);
    if (frac.size() > 6 && frac[6] >= '5') ++micros;
    p_.micros = micros;
  }

  void ApplyOffset(const Field& f) {
    // After a time or a date: pgjdbc's setDate sends '2020-01-02 +00'.
    if ((!p_.has_time && !p_.day) || p_.offset || !p_.zone.empty()) throw Syntax();
    int sign = f.text[0] == '-' ? -1 : 1;
    std::string body = f.text.substr(1);
    int64_t h = 0, m = 0, s = 0;
    if (body.find(':') != std::string::npos) {
      size_t c1 = body.find(':');
      size_t c2 = body.find(':', c1 + 1);
      h = ToInt(body.substr(0, c1));
      m = ToInt(body.substr(c1 + 1, c2 == std::string::npos ? std::string::npos : c2 - c1 - 1));
      if (c2 != std::string::npos) s = ToInt(body.substr(c2 + 1));
    } else if (body.size() <= 2) {
      h = ToInt(body);
    } else if (body.size() == 4) {
      h = ToInt(body.substr(0, 2));
      m = ToInt(body.substr(2));
    } else {
      throw Syntax();
    }
    if (h > 15 || m > 59 || s > 59) throw FieldRange();
    p_.offset = static_cast<int>(sign * (h * 3600 + m * 60 + s));
  }

  void ApplyWord(const Field& f) {
    const std::string& w = f.text;
    if (w == "infinity" || w == "+infinity" || w == "-infinity" || w == "epoch" || w == "now" || w == "today" ||
        w == "tomorrow" || w == "yesterday") {
      if (!p_.special.empty()) throw Syntax();
      p_.special = w == "+infinity" ? "infinity" : w;
      return;
    }
    if (w == "allballs") {
      if (p_.has_time) throw Syntax();
      p_.has_time = true;
      return;
    }
    if (int m = MonthNumber(w)) {
      if (p_.month) throw Syntax();
      p_.month = m;
      return;
    }
    if (IsWeekday(w) || w == "t" || w == "ad" || w == "at" || w == "on") return;
    if (w == "am" || w == "a.m.") {
      p_.ampm = 1;
      return;
    }
    if (w == "pm" || w == "p.m.") {
      p_.ampm = 2;
      return;
    }
    if (w == "bc") {
      p_.bc = true;
      return;
    }
    if (p_.offset || !p_.zone.empty()) throw Syntax();
    if ((w.rfind("gmt", 0) == 0 || w.rfind("utc", 0) == 0 || w.rfind("ut", 0) == 0) &&
        w.find_first_of("+-") != std::string::npos) {
      Field offset{FieldKind::kOffset, w.substr(w.find_first_of("+-")), ""};
      ApplyOffset(offset);
      *p_.offset = -*p_.offset;
      return;
    }
    if (auto off = AbbrevOffset(w)) {
      p_.offset = *off;
      return;
    }
    if (IsValidTimeZone(f.original)) {
      p_.zone = f.original;
      return;
    }
    throw Syntax();
  }

  void Apply(const Field& f) {
    switch (f.kind) {
      case FieldKind::kDate:
        return ApplyDate(f);
      case FieldKind::kTime:
        return ApplyTime(f);
      case FieldKind::kOffset:
        return ApplyOffset(f);
      case FieldKind::kWord:
        return ApplyWord(f);
      case FieldKind::kNumber:
        if (f.text.size() == 8 && !p_.year && !p_.month && !p_.day) {  // 20240102
          SetDate(ToInt(f.text.substr(0, 4)), ToInt(f.text.substr(4, 2)), ToInt(f.text.substr(6)), false);
          return;
        }
        if (f.text.size() == 6 && p_.year && p_.month && p_.day && !p_.has_time) {  // 20240102 030405
          p_.has_time = true;
          p_.hour = ToInt(f.text.substr(0, 2));
          p_.minute = ToInt(f.text.substr(2, 2));
          p_.second = ToInt(f.text.substr(4));
          return;
        }
        numbers_.push_back(f.text);
        return;
    }
  }

  // Bare numbers next to a month name: "Jan 2 2024", "2 January 2024",
  // "Tue Jan 02 03:04:05 2024 PST".
  void ResolveNumbers() {
    for (const std::string& n : numbers_) {
      int64_t v = ToInt(n);
      if (n.size() > 2 || v > 31) {
        if (p_.year) throw Syntax();
        p_.year = v;
        p_.year_two_digits = false;
      } else if (!p_.day) {
        p_.day = v;
      } else if (!p_.year) {
        p_.year = v;
        p_.year_two_digits = true;
      } else {
        throw Syntax();
      }
    }
  }

  std::string_view text_;
  const TextFormat& fmt_;
  const char* type_name_;
  Parsed p_;
  std::vector<std::string> numbers_;
};

// The wall-clock date and time of the fields, as days and µs of the day.
struct Civil {
  int32_t days;
  int64_t time;
};

Civil Assemble(Parsed& p, const Parser& parser) {
  if (!p.year || !p.month || !p.day) throw parser.Syntax();
  int64_t year = *p.year;
  if (p.year_two_digits && !p.bc) year += year < 70 ? 2000 : 1900;
  if (year <= 0) throw parser.FieldRange();  // there is no year 0 in input
  if (p.bc) year = 1 - year;
  if (year < -4712 || year > 5874897) throw parser.FieldRange();
  if (*p.month < 1 || *p.month > 12 || *p.day < 1 || *p.day > DaysInMonth(year, static_cast<int>(*p.month)))
    throw parser.FieldRange();
  if (p.ampm != 0) {
    if (p.hour > 12) throw parser.FieldRange();
    if (p.ampm == 1 && p.hour == 12) p.hour = 0;
    if (p.ampm == 2 && p.hour != 12) p.hour += 12;
  }
  bool hour24 = p.hour == 24 && p.minute == 0 && p.second == 0 && p.micros == 0;
  if ((p.hour > 23 && !hour24) || p.minute > 59 || p.second > 60) throw parser.FieldRange();
  int64_t time = ((p.hour * 60 + p.minute) * 60 + p.second) * kMicrosPerSecond + p.micros;
  return Civil{DaysFromCivil(year, static_cast<int>(*p.month), static_cast<int>(*p.day)), time};
}

int64_t FloorDiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

// The local date of "today" in the session's zone.
int32_t LocalToday(const TextFormat& fmt) {
  return static_cast<int32_t>(FloorDiv(UtcToLocal(CurrentTimestamp(), fmt.time_zone), kMicrosPerDay));
}

}  // namespace

int32_t ParseDate(std::string_view text, const TextFormat& fmt) {
  Parser parser(text, fmt, "date");
  Parsed p = parser.Run();
  if (!p.special.empty()) {
    if (p.special == "infinity") return kDateInfinity;
    if (p.special == "-infinity") return kDateNegInfinity;
    if (p.special == "epoch") return DaysFromCivil(1970, 1, 1);
    int32_t today = LocalToday(fmt);
    if (p.special == "tomorrow") return today + 1;
    if (p.special == "yesterday") return today - 1;
    return today;  // now, today
  }
  Civil c = Assemble(p, parser);
  if (c.time >= kMicrosPerDay) ++c.days;  // 24:00:00 is the next day
  return c.days;
}

int64_t ParseTimestamp(std::string_view text, const TextFormat& fmt, bool with_tz) {
  Parser parser(text, fmt, with_tz ? "timestamp with time zone" : "timestamp");
  Parsed p = parser.Run();
  if (!p.special.empty()) {
    if (p.special == "infinity") return kTimestampInfinity;
    if (p.special == "-infinity") return kTimestampNegInfinity;
    if (p.special == "epoch") return -kUnixToPgEpochSeconds * kMicrosPerSecond;
    int64_t now = CurrentTimestamp();
    if (p.special == "now") return with_tz ? now : UtcToLocal(now, fmt.time_zone);
    int64_t day = LocalToday(fmt) + (p.special == "tomorrow" ? 1 : p.special == "yesterday" ? -1 : 0);
    int64_t local = day * kMicrosPerDay;
    return with_tz ? LocalToUtc(local, fmt.time_zone) : local;
  }
  Civil c = Assemble(p, parser);
  if (c.days > DaysFromCivil(294276, 12, 31))
    throw SqlError(sqlstate::kDatetimeFieldOverflow, "timestamp out of range: \"" + std::string(text) + "\"");
  int64_t local = static_cast<int64_t>(c.days) * kMicrosPerDay + c.time;
  if (!with_tz) return local;  // a zone written in timestamp input is ignored, as in PostgreSQL
  if (p.offset) return local - static_cast<int64_t>(*p.offset) * kMicrosPerSecond;
  return LocalToUtc(local, p.zone.empty() ? fmt.time_zone : p.zone);
}

}  // namespace tessera::datetime
