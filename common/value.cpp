// Value construction, ordering and hashing. Numbers of different types
// compare by value (1 = 1.0 = 1.00) and hash alike, so joins and GROUP BY
// across int/float/numeric agree with comparison.
#include "common/value.h"

#include <algorithm>
#include <cmath>
#include <functional>

#include "common/datetime.h"

namespace tessera {

Value Value::Null(Type type) { return Value(type, std::monostate{}); }
Value Value::Bool(bool v) { return Value(Type::Of(TypeId::kBool), int64_t{v ? 1 : 0}); }
Value Value::Int2(int16_t v) { return Value(Type::Of(TypeId::kInt2), int64_t{v}); }
Value Value::Int4(int32_t v) { return Value(Type::Of(TypeId::kInt4), int64_t{v}); }
Value Value::Int8(int64_t v) { return Value(Type::Of(TypeId::kInt8), v); }
Value Value::Float4(float v) { return Value(Type::Of(TypeId::kFloat4), static_cast<double>(v)); }
Value Value::Float8(double v) { return Value(Type::Of(TypeId::kFloat8), v); }
Value Value::Text(std::string v, Type type) { return Value(type, std::move(v)); }
Value Value::Unknown(std::string literal) { return Value(Type::Of(TypeId::kUnknown), std::move(literal)); }
Value Value::Bytea(std::string bytes) { return Value(Type::Of(TypeId::kBytea), std::move(bytes)); }
Value Value::Num(Numeric v, int32_t typmod) { return Value(Type{TypeId::kNumeric, typmod}, v); }
Value Value::Date(int32_t days) { return Value(Type::Of(TypeId::kDate), int64_t{days}); }
Value Value::Timestamp(int64_t micros) { return Value(Type::Of(TypeId::kTimestamp), micros); }
Value Value::TimestampTz(int64_t micros) { return Value(Type::Of(TypeId::kTimestampTz), micros); }
Value Value::Array(Type type, Elements elements) {
  return Value(type, std::make_shared<const Elements>(std::move(elements)));
}

namespace {

bool IsNumberType(TypeId id) { return IsNumericCategory(id); }
bool IsFloatType(TypeId id) { return id == TypeId::kFloat4 || id == TypeId::kFloat8; }
bool IsTimeType(TypeId id) { return id == TypeId::kDate || id == TypeId::kTimestamp || id == TypeId::kTimestampTz; }

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

// PostgreSQL orders NaN above every other float and equal to itself.
int CompareDoubles(double a, double b) {
  bool an = std::isnan(a), bn = std::isnan(b);
  if (an || bn) return an && bn ? 0 : (an ? 1 : -1);
  return Cmp(a, b);
}

double AsDouble(const Value& v) {
  if (v.Id() == TypeId::kNumeric) return v.GetNumeric().ToDouble();
  if (IsFloatType(v.Id())) return v.GetFloat();
  return static_cast<double>(v.GetInt());
}

Numeric AsNumeric(const Value& v) { return v.Id() == TypeId::kNumeric ? v.GetNumeric() : Numeric::FromInt(v.GetInt()); }

int CompareNumbers(const Value& a, const Value& b) {
  TypeId x = a.Id(), y = b.Id();
  if (IsFloatType(x) || IsFloatType(y)) return CompareDoubles(AsDouble(a), AsDouble(b));
  if (x == TypeId::kNumeric || y == TypeId::kNumeric) return AsNumeric(a).Compare(AsNumeric(b));
  return Cmp(a.GetInt(), b.GetInt());
}

// Trailing blanks of char(n) are not significant in comparisons.
std::string_view StringForCompare(const Value& v) {
  std::string_view s = v.GetString();
  if (v.Id() == TypeId::kBpchar) {
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  }
  return s;
}

// Dates compare with timestamps at midnight; a date past the timestamp
// range still orders correctly by saturating just inside the infinities.
int64_t TimeAsMicros(const Value& v) {
  if (v.Id() != TypeId::kDate) return v.GetInt();
  auto days = static_cast<int32_t>(v.GetInt());
  if (datetime::DateFitsTimestamp(days)) return datetime::DateToTimestamp(days);
  return days > 0 ? datetime::kTimestampInfinity - 1 : datetime::kTimestampNegInfinity + 1;
}

size_t HashInt(int64_t v) { return std::hash<int64_t>{}(v)*0x9E3779B97F4A7C15ull; }

size_t HashNumber(const Value& v) {
  if (v.Id() == TypeId::kNumeric) {
    const Numeric& n = v.GetNumeric();
    Numeric whole = n.Round(0);
    // Integral values hash as integers so 2 = 2.0 = 2.00 hash alike.
    if (whole.Compare(n) == 0 && whole.Mantissa() >= INT64_MIN && whole.Mantissa() <= INT64_MAX)
      return HashInt(static_cast<int64_t>(whole.Mantissa()));
    return std::hash<double>{}(n.ToDouble());
  }
  if (IsFloatType(v.Id())) {
    double d = v.GetFloat();
    if (std::isnan(d)) return 0x7ff8;
    if (d == std::floor(d) && d >= -9.2e18 && d <= 9.2e18) return HashInt(static_cast<int64_t>(d));
    return std::hash<double>{}(d);
  }
  return HashInt(v.GetInt());
}

// PostgreSQL's array_cmp: element by element (a NULL element sorts after
// any value), then the shorter array first.
int CompareArrays(const Value::Elements& a, const Value::Elements& b) {
  size_t n = std::min(a.size(), b.size());
  for (size_t i = 0; i < n; ++i) {
    int c = a[i].Compare(b[i]);
    if (c != 0) return c;
  }
  return Cmp(a.size(), b.size());
}

}  // namespace

int Value::Compare(const Value& other) const {
  bool a_null = IsNull(), b_null = other.IsNull();
  if (a_null || b_null) return a_null == b_null ? 0 : (a_null ? 1 : -1);
  TypeId x = Id(), y = other.Id();
  if (std::holds_alternative<ArrayRef>(payload_) && std::holds_alternative<ArrayRef>(other.payload_))
    return CompareArrays(GetArray(), other.GetArray());
  if (IsNumberType(x) && IsNumberType(y)) return CompareNumbers(*this, other);
  if (x == TypeId::kDate && y == TypeId::kDate) return Cmp(GetInt(), other.GetInt());
  if (IsTimeType(x) && IsTimeType(y)) return Cmp(TimeAsMicros(*this), TimeAsMicros(other));
  if (std::holds_alternative<std::string>(payload_) && std::holds_alternative<std::string>(other.payload_)) {
    int c = StringForCompare(*this).compare(StringForCompare(other));
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  if (x != y) return Cmp(static_cast<uint32_t>(x), static_cast<uint32_t>(y));
  if (std::holds_alternative<int64_t>(payload_)) return Cmp(GetInt(), other.GetInt());
  if (std::holds_alternative<double>(payload_)) return CompareDoubles(GetFloat(), other.GetFloat());
  return 0;
}

size_t Value::Hash() const {
  if (IsNull()) return 0x5bd1e995;
  if (IsNumberType(Id())) return HashNumber(*this);
  if (std::holds_alternative<ArrayRef>(payload_)) {
    size_t h = 0x345678;
    for (const Value& e : GetArray()) h = h * 1000003 ^ e.Hash();
    return h;
  }
  if (Id() == TypeId::kDate && !datetime::DateFitsTimestamp(static_cast<int32_t>(GetInt()))) return HashInt(GetInt());
  if (IsTimeType(Id())) return HashInt(TimeAsMicros(*this));
  if (std::holds_alternative<std::string>(payload_)) return std::hash<std::string_view>{}(StringForCompare(*this));
  if (std::holds_alternative<int64_t>(payload_)) return HashInt(GetInt());
  return 0;
}

}  // namespace tessera
