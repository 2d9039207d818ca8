// Arithmetic, negation, concatenation and LIKE with PostgreSQL's results and
// errors; the operand types are already the operator's (the binder casts).
#include "common/value_ops.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "common/datetime.h"
#include "common/error.h"
#include "common/utf8.h"

namespace tessera {
namespace {

const char* IntName(TypeId id) { return id == TypeId::kInt2 ? "smallint" : id == TypeId::kInt4 ? "integer" : "bigint"; }

Value MakeInt(TypeId id, int64_t v) {
  bool fits = id == TypeId::kInt8 || (id == TypeId::kInt4 && v >= INT32_MIN && v <= INT32_MAX) ||
              (id == TypeId::kInt2 && v >= INT16_MIN && v <= INT16_MAX);
  if (!fits) throw SqlError::OutOfRange(IntName(id));
  if (id == TypeId::kInt2) return Value::Int2(static_cast<int16_t>(v));
  if (id == TypeId::kInt4) return Value::Int4(static_cast<int32_t>(v));
  return Value::Int8(v);
}

SqlError FloatOverflow() { return SqlError(sqlstate::kNumericValueOutOfRange, "value out of range: overflow"); }
SqlError FloatUnderflow() { return SqlError(sqlstate::kNumericValueOutOfRange, "value out of range: underflow"); }
SqlError PowerError(const char* message) { return SqlError("2201F", message); }

Value IntArith(ArithOp op, TypeId id, int64_t a, int64_t b) {
  int64_t r = 0;
  bool overflow = false;
  switch (op) {
    case ArithOp::kAdd:
      overflow = __builtin_add_overflow(a, b, &r);
      break;
    case ArithOp::kSub:
      overflow = __builtin_sub_overflow(a, b, &r);
      break;
    case ArithOp::kMul:
      overflow = __builtin_mul_overflow(a, b, &r);
      break;
    case ArithOp::kDiv:
      if (b == 0) throw SqlError::DivisionByZero();
      if (b == -1) {  // INT_MIN / -1 overflows
        overflow = __builtin_sub_overflow(int64_t{0}, a, &r);
        break;
      }
      r = a / b;  // truncates toward zero
      break;
    case ArithOp::kMod:
      if (b == 0) throw SqlError::DivisionByZero();
      r = b == -1 ? 0 : a % b;  // the sign follows the dividend
      break;
    case ArithOp::kPow:
      break;
  }
  if (overflow) throw SqlError::OutOfRange(IntName(id));
  return MakeInt(id, r);
}

double FloatPow(double a, double b) {
  if (a == 0 && b < 0) throw PowerError("zero raised to a negative power is undefined");
  if (a < 0 && std::floor(b) != b)
    throw PowerError("a negative number raised to a non-integer power yields a complex result");
  double r = std::pow(a, b);
  if (std::isinf(r) && !std::isinf(a) && !std::isinf(b)) throw FloatOverflow();
  if (r == 0 && a != 0 && !std::isinf(b)) throw FloatUnderflow();
  return r;
}

Value FloatArith(ArithOp op, bool float4, double a, double b) {
  double r = 0;
  switch (op) {
    case ArithOp::kAdd:
      r = a + b;
      break;
    case ArithOp::kSub:
      r = a - b;
      break;
    case ArithOp::kMul:
      r = a * b;
      break;
    case ArithOp::kDiv:
      if (b == 0) throw SqlError::DivisionByZero();
      r = a / b;
      break;
    case ArithOp::kMod:
      if (b == 0) throw SqlError::DivisionByZero();
      r = std::fmod(a, b);
      break;
    case ArithOp::kPow:
      return Value::Float8(FloatPow(a, b));
  }
  // check_float8_val: infinity from finite inputs is overflow; zero is
  // underflow unless an input makes zero the exact answer.
  double check = float4 ? static_cast<double>(static_cast<float>(r)) : r;
  bool inf_ok = std::isinf(a) || (op != ArithOp::kDiv && std::isinf(b));
  bool zero_ok = op == ArithOp::kMul ? (a == 0 || b == 0) : op == ArithOp::kDiv ? (a == 0 || std::isinf(b)) : true;
  if (std::isinf(check) && !inf_ok) throw FloatOverflow();
  if (check == 0 && !zero_ok) throw FloatUnderflow();
  return float4 ? Value::Float4(static_cast<float>(r)) : Value::Float8(r);
}

// numeric ^ numeric: exact for small integer exponents, otherwise through
// double; the result keeps at least 16 significant digits like power_var.
Numeric NumericPow(const Numeric& a, const Numeric& b) {
  if (a.Mantissa() == 0 && b.Mantissa() < 0) throw PowerError("zero raised to a negative power is undefined");
  bool integral = b.Round(0).Compare(b) == 0;
  if (a.Mantissa() < 0 && !integral)
    throw PowerError("a negative number raised to a non-integer power yields a complex result");
  double approx = std::pow(a.ToDouble(), b.ToDouble());
  if (std::isinf(approx)) throw SqlError(sqlstate::kNumericValueOutOfRange, "value overflows numeric format");
  if (integral && b.Compare(Numeric::FromInt(-1000000)) >= 0 && b.Compare(Numeric::FromInt(1000000)) <= 0) {
    // Integer exponents: exact, shown with 16 decimals (2 ^ 3 = 8.0000000000000000).
    return a.PowInt(b.ToInt64(), std::max({16, a.Scale(), b.Scale()}));
  }
  int weight = approx == 0 ? 0 : static_cast<int>(std::floor(std::log10(std::fabs(approx))));
  int scale = std::min(std::max({16 - weight, a.Scale(), b.Scale(), 0}), 1000);
  // long double carries ~19 significant digits, enough for the 16 shown.
  long double precise =
      std::pow(std::strtold(a.ToString().c_str(), nullptr), std::strtold(b.ToString().c_str(), nullptr));
  char buf[64];
  snprintf(buf, sizeof buf, "%.19Lg", precise);
  return Numeric::Parse(buf).Round(scale);
}

Value NumericArith(ArithOp op, const Numeric& a, const Numeric& b) {
  switch (op) {
    case ArithOp::kAdd:
      return Value::Num(a.Add(b));
    case ArithOp::kSub:
      return Value::Num(a.Sub(b));
    case ArithOp::kMul:
      return Value::Num(a.Mul(b));
    case ArithOp::kDiv:
      return Value::Num(a.Div(b));
    case ArithOp::kMod:
      return Value::Num(a.Mod(b));
    case ArithOp::kPow:
      return Value::Num(NumericPow(a, b));
  }
  return Value::Num(a);
}

Value DateArith(ArithOp op, const Value& left, const Value& right) {
  if (left.Id() == TypeId::kDate && right.Id() == TypeId::kDate && op == ArithOp::kSub) {
    int64_t a = left.GetInt(), b = right.GetInt();
    bool inf = a == datetime::kDateInfinity || a == datetime::kDateNegInfinity || b == datetime::kDateInfinity ||
               b == datetime::kDateNegInfinity;
    if (inf) throw SqlError(sqlstate::kDatetimeFieldOverflow, "cannot subtract infinite dates");
    return Value::Int4(static_cast<int32_t>(a - b));
  }
  bool date_left = left.Id() == TypeId::kDate;
  const Value& date = date_left ? left : right;
  const Value& days = date_left ? right : left;
  if (!IsIntegerType(days.Id()) || (op != ArithOp::kAdd && !(op == ArithOp::kSub && date_left)))
    throw SqlError::FeatureNotSupported("date arithmetic not supported");
  int64_t d = date.GetInt();
  if (d == datetime::kDateInfinity || d == datetime::kDateNegInfinity) return date;
  int64_t r = op == ArithOp::kAdd ? d + days.GetInt() : d - days.GetInt();
  if (r <= INT32_MIN || r >= INT32_MAX || r > datetime::DaysFromCivil(5874897, 12, 31) ||
      r < datetime::DaysFromCivil(-4713, 11, 24))
    throw SqlError(sqlstate::kDatetimeFieldOverflow, "date out of range");
  return Value::Date(static_cast<int32_t>(r));
}

Numeric ToNumeric(const Value& v) { return v.Id() == TypeId::kNumeric ? v.GetNumeric() : Numeric::FromInt(v.GetInt()); }

double ToDouble(const Value& v) {
  if (v.Id() == TypeId::kNumeric) return v.GetNumeric().ToDouble();
  if (v.Id() == TypeId::kFloat4 || v.Id() == TypeId::kFloat8) return v.GetFloat();
  return static_cast<double>(v.GetInt());
}

}  // namespace

Value Arith(ArithOp op, const Value& left, const Value& right) {
  TypeId a = left.Id(), b = right.Id();
  if (left.IsNull() || right.IsNull()) return Value::Null(Type::Of(ArithResultType(a, b)));
  if (a == TypeId::kDate || b == TypeId::kDate) return DateArith(op, left, right);
  if (!IsNumericCategory(a) || !IsNumericCategory(b))
    throw SqlError(sqlstate::kUndefinedFunction, "operator does not exist: " + FormatType(left.GetType()) + " " +
                                                     "op " + FormatType(right.GetType()));
  TypeId result = ArithResultType(a, b);
  if (op == ArithOp::kPow && IsIntegerType(result)) result = TypeId::kFloat8;  // int ^ int is float8
  if (IsIntegerType(result)) return IntArith(op, result, left.GetInt(), right.GetInt());
  if (result == TypeId::kNumeric) return NumericArith(op, ToNumeric(left), ToNumeric(right));
  return FloatArith(op, result == TypeId::kFloat4, ToDouble(left), ToDouble(right));
}

Value Negate(const Value& v) {
  if (v.IsNull()) return v;
  switch (v.Id()) {
    case TypeId::kInt2:
    case TypeId::kInt4:
    case TypeId::kInt8: {
      int64_t r;
      if (__builtin_sub_overflow(int64_t{0}, v.GetInt(), &r)) throw SqlError::OutOfRange(IntName(v.Id()));
      return MakeInt(v.Id(), r);
    }
    case TypeId::kFloat4:
      return Value::Float4(static_cast<float>(-v.GetFloat()));
    case TypeId::kFloat8:
      return Value::Float8(-v.GetFloat());
    case TypeId::kNumeric:
      return Value::Num(v.GetNumeric().Negate(), v.GetType().typmod);
    default:
      throw SqlError(sqlstate::kUndefinedFunction, "operator does not exist: - " + FormatType(v.GetType()));
  }
}

Value Concat(const Value& left, const Value& right) {
  if (left.IsNull() || right.IsNull()) return Value::Null(Type::Of(TypeId::kText));
  auto text = [](const Value& v) {
    if (v.Id() == TypeId::kBpchar) return v.CastTo(Type::Of(TypeId::kText)).GetString();
    return IsStringType(v.Id()) ? v.GetString() : v.ToText();
  };
  return Value::Text(text(left) + text(right));
}

}  // namespace tessera
