// Value::CastTo: PostgreSQL's casts between the supported types. Strings go
// through the target's text input and anything goes to a string through its
// text output; numbers convert with range checks (float -> int rounds to
// nearest even as rint() does, numeric -> int half away from zero); typmods
// are applied last.
#include <cmath>

#include "common/datetime.h"
#include "common/error.h"
#include "common/value.h"
#include "common/value_text.h"

namespace tessera {
namespace {

const char* IntName(TypeId id) {
  return id == TypeId::kInt2 ? "smallint" : id == TypeId::kInt4 ? "integer" : id == TypeId::kOid ? "OID" : "bigint";
}

bool IntFits(int64_t v, TypeId id) {
  switch (id) {
    case TypeId::kInt2:
      return v >= INT16_MIN && v <= INT16_MAX;
    case TypeId::kInt4:
      return v >= INT32_MIN && v <= INT32_MAX;
    case TypeId::kOid:
      return v >= 0 && v <= UINT32_MAX;
    default:
      return true;
  }
}

double CheckFloat4(double d) {
  if (std::isinf(static_cast<float>(d)) && !std::isinf(d))
    throw SqlError(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
  if (static_cast<float>(d) == 0.0f && d != 0.0)
    throw SqlError(sqlstate::kNumericValueOutOfRange, "value out of range: underflow");
  return d;
}

SqlError CannotCast(Type from, Type to) {
  return SqlError(sqlstate::kCannotCoerce, "cannot cast type " + FormatType(from) + " to " + FormatType(to));
}

bool IsString(TypeId id) { return IsStringType(id); }

}  // namespace

Value Value::CastTo(Type target, const TextFormat& fmt, bool explicit_cast) const {
  const TypeId from = Id(), to = target.id;
  if (IsNull()) return Null(target);
  if (to == TypeId::kUnknown) return *this;
  if (IsArrayType(from) && IsArrayType(to)) return CastArray(*this, target, fmt, explicit_cast);

  // Into a string type: the text output, then the length rule.
  if (IsString(to)) {
    std::string s;
    if (from == TypeId::kBool) {
      s = GetBool() ? "true" : "false";  // bool's cast to text differs from its output
    } else if (from == TypeId::kBpchar && to != TypeId::kBpchar) {
      s = GetString();
      while (!s.empty() && s.back() == ' ') s.pop_back();
    } else {
      s = ToText(fmt);
    }
    return Value(target, FitString(std::move(s), target, explicit_cast));
  }
  // From a string type: the target's text input.
  if (IsString(from)) return FromText(GetString(), target, fmt);

  if (IsIntegerType(from) || from == TypeId::kOid) {
    int64_t v = GetInt();
    if (IsIntegerType(to) || to == TypeId::kOid) {
      if (!IntFits(v, to)) throw SqlError::OutOfRange(IntName(to));
      return Value(Type::Of(to), v);
    }
    if (to == TypeId::kFloat8) return Float8(static_cast<double>(v));
    if (to == TypeId::kFloat4) return Float4(static_cast<float>(v));
    if (to == TypeId::kNumeric) return Num(Numeric::FromInt(v).ApplyTypmod(target.typmod), target.typmod);
    if (to == TypeId::kBool && from == TypeId::kInt4) return Bool(v != 0);
    throw CannotCast(GetType(), target);
  }
  if (from == TypeId::kFloat4 || from == TypeId::kFloat8) {
    double d = GetFloat();
    if (IsIntegerType(to)) {
      double r = std::rint(d);  // round half to even, as PostgreSQL's dtoi4
      bool ok = !std::isnan(r) && r >= -9223372036854775808.0 && r < 9223372036854775808.0 &&
                IntFits(static_cast<int64_t>(r), to);
      if (!ok) throw SqlError::OutOfRange(IntName(to));
      return Value(Type::Of(to), static_cast<int64_t>(r));
    }
    if (to == TypeId::kFloat8) return Float8(d);
    if (to == TypeId::kFloat4) return Float4(static_cast<float>(CheckFloat4(d)));
    if (to == TypeId::kNumeric) {
      // float4 -> numeric keeps FLT_DIG (6) significant digits.
      Numeric n = from == TypeId::kFloat4 ? Numeric::Parse(FormatFloat(d, true, 0)) : Numeric::FromDouble(d);
      return Num(n.ApplyTypmod(target.typmod), target.typmod);
    }
    throw CannotCast(GetType(), target);
  }
  if (from == TypeId::kNumeric) {
    const Numeric& n = GetNumeric();
    if (IsIntegerType(to)) {
      int64_t v;
      try {
        v = n.ToInt64();
      } catch (const SqlError&) {
        throw SqlError::OutOfRange(IntName(to));
      }
      if (!IntFits(v, to)) throw SqlError::OutOfRange(IntName(to));
      return Value(Type::Of(to), v);
    }
    if (to == TypeId::kFloat8) return Float8(n.ToDouble());
    if (to == TypeId::kFloat4) return Float4(static_cast<float>(CheckFloat4(n.ToDouble())));
    if (to == TypeId::kNumeric) return Num(n.ApplyTypmod(target.typmod), target.typmod);
    throw CannotCast(GetType(), target);
  }
  if (from == TypeId::kBool) {
    if (to == TypeId::kBool) return *this;
    if (to == TypeId::kInt4) return Int4(GetBool() ? 1 : 0);
    throw CannotCast(GetType(), target);
  }
  if (from == TypeId::kDate) {
    int32_t days = static_cast<int32_t>(GetInt());
    if (to == TypeId::kDate) return *this;
    if (to == TypeId::kTimestamp) return Timestamp(datetime::DateToTimestamp(days));
    if (to == TypeId::kTimestampTz)
      return TimestampTz(datetime::LocalToUtc(datetime::DateToTimestamp(days), fmt.time_zone));
    throw CannotCast(GetType(), target);
  }
  if (from == TypeId::kTimestamp || from == TypeId::kTimestampTz) {
    int64_t ts = GetInt();
    // Between the two kinds the session zone converts wall clock <-> UTC.
    int64_t local = from == TypeId::kTimestampTz ? datetime::UtcToLocal(ts, fmt.time_zone) : ts;
    if (to == TypeId::kDate) return Date(datetime::TimestampToDate(local));
    if (to == TypeId::kTimestamp) return Timestamp(local);
    if (to == TypeId::kTimestampTz)
      return TimestampTz(from == TypeId::kTimestampTz ? ts : datetime::LocalToUtc(ts, fmt.time_zone));
    throw CannotCast(GetType(), target);
  }
  if (from == TypeId::kBytea && to == TypeId::kBytea) return *this;
  throw CannotCast(GetType(), target);
}

}  // namespace tessera
