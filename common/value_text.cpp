// Value <-> text in PostgreSQL's formats (the *in/*out functions): bool
// prefixes, integer range errors, shortest round-trip floats, bytea hex and
// escape formats, char(n) padding; dates and timestamps are in datetime_*.cpp.
#include "common/value_text.h"

#include <strings.h>

#include <cctype>
#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <cstring>

#include "common/datetime.h"
#include "common/error.h"
#include "common/utf8.h"
#include "common/value.h"

namespace tessera {
namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool ParseBool(std::string_view text, bool* out) {
  std::string_view s = Trim(text);
  if (s.empty()) return false;
  auto prefix_of = [&](const char* word, size_t min_len) {
    return s.size() >= min_len && s.size() <= strlen(word) && strncasecmp(s.data(), word, s.size()) == 0;
  };
  if (prefix_of("true", 1) || prefix_of("yes", 1) || prefix_of("on", 2) || s == "1") {
    *out = true;
    return true;
  }
  // "of" is enough for off: "o" alone is ambiguous.
  if (prefix_of("false", 1) || prefix_of("no", 1) || prefix_of("off", 2) || s == "0") {
    *out = false;
    return true;
  }
  return false;
}

int64_t ParseInteger(std::string_view text, TypeId id) {
  const char* name = id == TypeId::kInt2   ? "smallint"
                     : id == TypeId::kInt4 ? "integer"
                     : id == TypeId::kOid  ? "oid"
                                           : "bigint";
  std::string_view s = Trim(text);
  bool neg = false;
  std::string_view digits = s;
  if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) {
    neg = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty()) throw SqlError::InvalidText(name, std::string(text));
  for (char c : digits)
    if (!std::isdigit(static_cast<unsigned char>(c))) throw SqlError::InvalidText(name, std::string(text));
  // Accumulate negatively so INT64_MIN parses.
  int64_t v = 0;
  bool overflow = false;
  for (char c : digits) {
    if (__builtin_mul_overflow(v, 10, &v) || __builtin_sub_overflow(v, c - '0', &v)) overflow = true;
  }
  if (!neg && !overflow && v == INT64_MIN) overflow = true;
  if (!neg) v = overflow ? 0 : -v;
  int64_t lo = INT64_MIN, hi = INT64_MAX;
  if (id == TypeId::kInt2) lo = INT16_MIN, hi = INT16_MAX;
  if (id == TypeId::kInt4) lo = INT32_MIN, hi = INT32_MAX;
  if (id == TypeId::kOid) lo = INT32_MIN, hi = UINT32_MAX;  // oidin accepts negatives and wraps them
  if (overflow || v < lo || v > hi)
    throw SqlError(sqlstate::kNumericValueOutOfRange,
                   "value \"" + std::string(text) + "\" is out of range for type " + name);
  if (id == TypeId::kOid) return static_cast<uint32_t>(v);
  return v;
}

Value ParseFloat(std::string_view text, TypeId id) {
  const char* name = id == TypeId::kFloat4 ? "real" : "double precision";
  std::string s(Trim(text));
  std::string low = s;
  for (auto& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  double v;
  if (low == "nan" || low == "+nan" || low == "-nan") {
    v = NAN;
  } else if (low == "infinity" || low == "+infinity" || low == "inf" || low == "+inf") {
    v = HUGE_VAL;
  } else if (low == "-infinity" || low == "-inf") {
    v = -HUGE_VAL;
  } else {
    if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.' || s[0] == '-' || s[0] == '+'))
      throw SqlError::InvalidText(name, std::string(text));
    char* end = nullptr;
    errno = 0;
    v = id == TypeId::kFloat4 ? static_cast<double>(std::strtof(s.c_str(), &end)) : std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0') throw SqlError::InvalidText(name, std::string(text));
    if (errno == ERANGE && (std::isinf(v) || v == 0.0))
      throw SqlError(sqlstate::kNumericValueOutOfRange,
                     "\"" + std::string(text) + "\" is out of range for type " + name);
  }
  return id == TypeId::kFloat4 ? Value::Float4(static_cast<float>(v)) : Value::Float8(v);
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string ParseBytea(std::string_view s) {
  std::string out;
  if (s.size() >= 2 && s[0] == '\\' && s[1] == 'x') {
    for (size_t i = 2; i < s.size();) {
      if (std::isspace(static_cast<unsigned char>(s[i]))) {
        ++i;
        continue;
      }
      int hi = HexDigit(s[i]);
      if (hi < 0)
        throw SqlError(sqlstate::kInvalidParameterValue, "invalid hexadecimal digit: \"" + std::string(1, s[i]) + "\"");
      if (i + 1 >= s.size())
        throw SqlError(sqlstate::kInvalidParameterValue, "invalid hexadecimal data: odd number of digits");
      int lo = HexDigit(s[i + 1]);
      if (lo < 0)
        throw SqlError(sqlstate::kInvalidParameterValue,
                       "invalid hexadecimal digit: \"" + std::string(1, s[i + 1]) + "\"");
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    }
    return out;
  }
  // Escape format: \\ is a backslash, \ooo an octal byte.
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '\\') {
      out.push_back(s[i++]);
    } else if (i + 1 < s.size() && s[i + 1] == '\\') {
      out.push_back('\\');
      i += 2;
    } else if (i + 3 < s.size() + 0 && s[i + 1] >= '0' && s[i + 1] <= '3' && s[i + 2] >= '0' && s[i + 2] <= '7' &&
               s[i + 3] >= '0' && s[i + 3] <= '7') {
      out.push_back(static_cast<char>((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 + (s[i + 3] - '0')));
      i += 4;
    } else {
      throw SqlError(sqlstate::kInvalidTextRepresentation, "invalid input syntax for type bytea");
    }
  }
  return out;
}

std::string ByteaToHex(const std::string& bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out = "\\x";
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

}  // namespace

std::string FormatFloat(double v, bool is_float4, int extra_float_digits) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  char buf[64];
  if (extra_float_digits <= 0) {
    // Pre-12 style output: %g with DBL_DIG/FLT_DIG + extra_float_digits digits.
    int digits = (is_float4 ? 6 : 15) + extra_float_digits;
    snprintf(buf, sizeof buf, "%.*g", digits < 1 ? 1 : digits, v);
    return buf;
  }
  // Shortest digits that read back exactly (PostgreSQL's Ryu output), then
  // fixed notation for decimal exponents in [-4, 15) (float4: [-4, 6)).
  auto res = is_float4 ? std::to_chars(buf, buf + sizeof buf, static_cast<float>(v), std::chars_format::scientific)
                       : std::to_chars(buf, buf + sizeof buf, v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  size_t e = sci.find('e');
  std::string mant = sci.substr(0, e);
  int exp = std::stoi(sci.substr(e + 1));
  bool neg = mant[0] == '-';
  if (neg) mant.erase(0, 1);
  std::string digits;
  for (char c : mant)
    if (c != '.') digits.push_back(c);
  int limit = is_float4 ? 6 : 15;
  if (exp < -4 || exp >= limit) {
    std::string out = digits.substr(0, 1);
    if (digits.size() > 1) out += "." + digits.substr(1);
    snprintf(buf, sizeof buf, "e%c%02d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    return (neg ? "-" : "") + out + buf;
  }
  std::string out;
  if (exp < 0) {
    out = "0." + std::string(-exp - 1, '0') + digits;
  } else if (static_cast<int>(digits.size()) <= exp + 1) {
    out = digits + std::string(exp + 1 - digits.size(), '0');
  } else {
    out = digits.substr(0, exp + 1) + "." + digits.substr(exp + 1);
  }
  return (neg ? "-" : "") + out;
}

std::string FitString(std::string s, Type type, bool explicit_cast) {
  auto limit = type.CharLength();
  if (!limit) return s;
  size_t chars = utf8::Length(s);
  size_t n = static_cast<size_t>(*limit);
  if (chars > n) {
    std::string_view kept = utf8::Prefix(s, n);
    if (!explicit_cast) {
      // Only blanks may be cut silently on assignment.
      for (char c : std::string_view(s).substr(kept.size()))
        if (c != ' ')
          throw SqlError(sqlstate::kStringDataRightTruncation,
                         std::string("value too long for type ") +
                             (type.id == TypeId::kBpchar ? "character(" : "character varying(") + std::to_string(n) +
                             ")");
    }
    s = std::string(kept);
    chars = n;
  }
  if (type.id == TypeId::kBpchar && chars < n) s.append(n - chars, ' ');
  return s;
}

std::string Value::ToText(const TextFormat& fmt) const {
  if (IsNull()) return "";
  if (IsArrayType(Id())) return ArrayToText(*this, fmt);
  switch (Id()) {
    case TypeId::kBool:
      return GetBool() ? "t" : "f";
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kOid:
      return std::to_string(GetInt());
    case TypeId::kFloat4:
      return FormatFloat(GetFloat(), true, fmt.extra_float_digits);
    case TypeId::kFloat8:
      return FormatFloat(GetFloat(), false, fmt.extra_float_digits);
    case TypeId::kNumeric:
      return GetNumeric().ToString();
    case TypeId::kBytea:
      return ByteaToHex(GetString());
    case TypeId::kDate:
      return datetime::FormatDate(static_cast<int32_t>(GetInt()), fmt);
    case TypeId::kTimestamp:
      return datetime::FormatTimestamp(GetInt(), fmt, false);
    case TypeId::kTimestampTz:
      return datetime::FormatTimestamp(GetInt(), fmt, true);
    case TypeId::kText:
    case TypeId::kVarchar:
    case TypeId::kBpchar:
    case TypeId::kUnknown:
      return GetString();
    default:
      break;
  }
  return {};
}

Value Value::FromText(std::string_view text, Type type, const TextFormat& fmt) {
  switch (type.id) {
    case TypeId::kBool: {
      bool b;
      if (!ParseBool(text, &b)) throw SqlError::InvalidText("boolean", std::string(text));
      return Value::Bool(b);
    }
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8:
    case TypeId::kOid:
      return Value(Type::Of(type.id), ParseInteger(text, type.id));
    case TypeId::kFloat4:
    case TypeId::kFloat8:
      return ParseFloat(text, type.id);
    case TypeId::kNumeric:
      return Value::Num(Numeric::Parse(text).ApplyTypmod(type.typmod), type.typmod);
    case TypeId::kBytea:
      return Value::Bytea(ParseBytea(text));
    case TypeId::kDate:
      return Value::Date(datetime::ParseDate(text, fmt));
    case TypeId::kTimestamp:
      return Value::Timestamp(datetime::ParseTimestamp(text, fmt, false));
    case TypeId::kTimestampTz:
      return Value::TimestampTz(datetime::ParseTimestamp(text, fmt, true));
    case TypeId::kText:
      return Value::Text(std::string(text), type);
    case TypeId::kVarchar:
    case TypeId::kBpchar:
      return Value::Text(FitString(std::string(text), type, false), type);
    case TypeId::kUnknown:
      return Value::Unknown(std::string(text));
    default:
      if (IsArrayType(type.id)) return ArrayFromText(text, type, fmt);
      break;
  }
  throw SqlError::Internal("FromText: unsupported type " + FormatType(type));
}

}  // namespace tessera
