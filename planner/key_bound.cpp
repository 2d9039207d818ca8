// See key_bound.h. Each supported pair of types reduces to the greatest
// value of the column's type at or below the given value (floor) and the
// least at or above it (ceil), either missing past the type's range; the
// bound follows from those alone.
#include "planner/key_bound.h"

#include <limits>
#include <optional>

#include "common/datetime.h"
#include "common/error.h"
#include "common/numeric.h"

namespace tessera::planner {

namespace {

bool IsPlainString(TypeId id) { return id == TypeId::kText || id == TypeId::kVarchar; }

struct FloorCeil {
  std::optional<Value> floor, ceil;
  bool exact = false;  // the value itself is one of the column's type
};

void IntegerRange(TypeId id, int64_t* min, int64_t* max) {
  switch (id) {
    case TypeId::kInt2:
      *min = std::numeric_limits<int16_t>::min();
      *max = std::numeric_limits<int16_t>::max();
      return;
    case TypeId::kInt4:
      *min = std::numeric_limits<int32_t>::min();
      *max = std::numeric_limits<int32_t>::max();
      return;
    default:
      *min = std::numeric_limits<int64_t>::min();
      *max = std::numeric_limits<int64_t>::max();
  }
}

Value IntegerOf(TypeId id, int64_t v) {
  if (id == TypeId::kInt2) return Value::Int2(static_cast<int16_t>(v));
  if (id == TypeId::kInt4) return Value::Int4(static_cast<int32_t>(v));
  return Value::Int8(v);
}

// Integers between `lo` and `hi` (lo == hi when the value is an integer),
// as floor and ceil within the column's range.
FloorCeil IntegerFloorCeil(TypeId column, __int128 lo, __int128 hi) {
  int64_t min, max;
  IntegerRange(column, &min, &max);
  FloorCeil r;
  if (lo >= min) r.floor = IntegerOf(column, static_cast<int64_t>(lo > max ? max : lo));
  if (hi <= max) r.ceil = IntegerOf(column, static_cast<int64_t>(hi < min ? min : hi));
  r.exact = lo == hi && lo >= min && lo <= max;
  return r;
}

FloorCeil FloorCeilOf(const Value& v, Type column) {
  TypeId from = v.Id(), to = column.id;
  if (IsIntegerType(to) && IsIntegerType(from)) return IntegerFloorCeil(to, v.GetInt(), v.GetInt());
  if (IsIntegerType(to) && from == TypeId::kNumeric) {
    // Floor() and Ceil() are of scale 0, where the mantissa is the integer.
    const Numeric& n = v.GetNumeric();
    return IntegerFloorCeil(to, n.Floor().Mantissa(), n.Ceil().Mantissa());
  }
  if (to == TypeId::kNumeric && IsIntegerType(from)) {
    Value n = Value::Num(Numeric::FromInt(v.GetInt()), column.typmod);
    return {n, n, true};
  }
  if (to == TypeId::kDate && from == TypeId::kTimestamp) {
    int64_t micros = v.GetInt();
    if (micros == datetime::kTimestampInfinity || micros == datetime::kTimestampNegInfinity) {
      Value d = Value::Date(micros > 0 ? datetime::kDateInfinity : datetime::kDateNegInfinity);
      return {d, d, true};
    }
    int64_t days = micros / datetime::kMicrosPerDay;
    if (micros % datetime::kMicrosPerDay < 0) --days;  // toward minus infinity
    bool exact = micros % datetime::kMicrosPerDay == 0;
    // Finite timestamps are within ±300,000 years: their days fit a date
    // and lie strictly between its infinities.
    return {Value::Date(static_cast<int32_t>(days)), Value::Date(static_cast<int32_t>(exact ? days : days + 1)),
            exact};
  }
  if (IsPlainString(to) && IsPlainString(from)) {
    Value s = Value::Text(v.GetString(), column);
    return {s, s, true};
  }
  if (to == TypeId::kBpchar && IsPlainString(from)) {
    // The key holds char(n) values without their trailing blanks, and the
    // comparison is text's (of the trimmed value): the text itself bounds
    // the key bytes exactly. It stays text, so its own trailing blanks are
    // kept in the key bytes (a bpchar would lose them): `= 'ab '` finds no
    // key, `< 'ab '` takes 'ab'.
    Value s = Value::Text(v.GetString(), Type::Of(TypeId::kText));
    return {s, s, true};
  }
  if (IsPlainString(to) && from == TypeId::kBpchar) {
    // char(n)'s trailing blanks do not count: the value compares as trimmed.
    std::string_view text = v.GetString();
    while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
    Value s = Value::Text(std::string(text), column);
    return {s, s, true};
  }
  throw SqlError::Internal("no key bound of type " + FormatType(Type::Of(from)) + " for a key of type " +
                           FormatType(column));
}

}  // namespace

bool KeyBoundConvertible(TypeId column, TypeId value) {
  if (IsIntegerType(column)) return IsIntegerType(value) || value == TypeId::kNumeric;
  if (column == TypeId::kNumeric) return IsIntegerType(value);
  if (column == TypeId::kDate) return value == TypeId::kTimestamp;
  if (IsPlainString(column)) return IsPlainString(value) || value == TypeId::kBpchar;
  if (column == TypeId::kBpchar) return IsPlainString(value);
  return false;
}

bool ToKeyBound(Value* v, Type column, KeyBoundSide side, bool* inclusive) {
  if (v->IsNull() || v->Id() == column.id) return !v->IsNull();
  FloorCeil fc = FloorCeilOf(*v, column);
  switch (side) {
    case KeyBoundSide::kEqual:
      if (!fc.exact) return false;
      *v = *fc.floor;
      return true;
    case KeyBoundSide::kLower:
      if (!fc.exact) {
        if (!fc.ceil) return false;
        *inclusive = true;
      }
      *v = *fc.ceil;
      return true;
    case KeyBoundSide::kUpper:
      if (!fc.exact) {
        if (!fc.floor) return false;
        *inclusive = true;
      }
      *v = *fc.floor;
      return true;
  }
  return false;
}

}  // namespace tessera::planner
