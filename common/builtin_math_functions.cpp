// Numeric built-ins. Each is registered per input type as in pg_proc, so
// abs(int2) stays smallint and round(5) resolves to round(float8) exactly as
// PostgreSQL's resolver picks it.
#include <algorithm>
#include <cmath>
#include <random>

#include "common/builtin_registry.h"
#include "common/error.h"
#include "common/value_ops.h"

namespace tessera::builtins {
namespace {

constexpr TypeId kInt2 = TypeId::kInt2, kInt4 = TypeId::kInt4, kInt8 = TypeId::kInt8, kF4 = TypeId::kFloat4,
                 kF8 = TypeId::kFloat8, kNum = TypeId::kNumeric;
using Args = std::vector<Value>;
using Ctx = FunctionContext;

double D(const Args& a, size_t i) { return a[i].GetFloat(); }
const Numeric& N(const Args& a, size_t i) { return a[i].GetNumeric(); }

Value CheckedFloat(double r, double in) {
  if (std::isinf(r) && !std::isinf(in))
    throw SqlError(sqlstate::kNumericValueOutOfRange, "value out of range: overflow");
  return Value::Float8(r);
}

// round/trunc's integer argument limits the scale, as numeric_round clamps it.
int32_t ScaleArg(int64_t s) { return static_cast<int32_t>(std::clamp<int64_t>(s, -1000, 1000)); }

std::mt19937_64& Rng() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  return rng;
}

void AddRounding(std::vector<FunctionOverload>& out) {
  Add(out, "round", {kNum}, kNum, [](const Args& a, const Ctx&) { return Value::Num(N(a, 0).Round(0)); });
  Add(out, "round", {kNum, kInt4}, kNum,
      [](const Args& a, const Ctx&) { return Value::Num(N(a, 0).Round(ScaleArg(a[1].GetInt()))); });
  Add(out, "round", {kF8}, kF8, [](const Args& a, const Ctx&) { return Value::Float8(std::rint(D(a, 0))); });
  Add(out, "trunc", {kNum}, kNum, [](const Args& a, const Ctx&) { return Value::Num(N(a, 0).Trunc(0)); });
  Add(out, "trunc", {kNum, kInt4}, kNum,
      [](const Args& a, const Ctx&) { return Value::Num(N(a, 0).Trunc(ScaleArg(a[1].GetInt()))); });
  Add(out, "trunc", {kF8}, kF8, [](const Args& a, const Ctx&) { return Value::Float8(std::trunc(D(a, 0))); });
  for (const char* n : {"ceil", "ceiling"}) {
    Add(out, n, {kNum}, kNum, [](const Args& a, const Ctx&) { return Value::Num(N(a, 0).Ceil()); });
    Add(out, n, {kF8}, kF8, [](const Args& a, const Ctx&) { return Value::Float8(std::ceil(D(a, 0)) + 0.0); });
  }
  Add(out, "floor", {kNum}, kNum, [](const Args& a, const Ctx&) { return Value::Num(N(a, 0).Floor()); });
  Add(out, "floor", {kF8}, kF8, [](const Args& a, const Ctx&) { return Value::Float8(std::floor(D(a, 0))); });
}

void AddPowers(std::vector<FunctionOverload>& out) {
  for (const char* n : {"power", "pow"}) {
    Add(out, n, {kF8, kF8}, kF8, [](const Args& a, const Ctx&) { return Arith(ArithOp::kPow, a[0], a[1]); });
    Add(out, n, {kNum, kNum}, kNum, [](const Args& a, const Ctx&) { return Arith(ArithOp::kPow, a[0], a[1]); });
  }
  Add(out, "sqrt", {kF8}, kF8, [](const Args& a, const Ctx&) {
    if (D(a, 0) < 0) throw SqlError("2201F", "cannot take square root of a negative number");
    return Value::Float8(std::sqrt(D(a, 0)));
  });
  Add(out, "sqrt", {kNum}, kNum, [](const Args& a, const Ctx&) { return Value::Num(N(a, 0).Sqrt()); });
  Add(out, "exp", {kF8}, kF8, [](const Args& a, const Ctx&) { return CheckedFloat(std::exp(D(a, 0)), D(a, 0)); });
  auto log_check = [](double v) {
    if (v == 0) throw SqlError("2201E", "cannot take logarithm of zero");
    if (v < 0) throw SqlError("2201E", "cannot take logarithm of a negative number");
  };
  Add(out, "ln", {kF8}, kF8, [log_check](const Args& a, const Ctx&) {
    log_check(D(a, 0));
    return Value::Float8(std::log(D(a, 0)));
  });
  Add(out, "log", {kF8}, kF8, [log_check](const Args& a, const Ctx&) {
    log_check(D(a, 0));
    return Value::Float8(std::log10(D(a, 0)));
  });
  Add(out, "pi", {}, kF8, [](const Args&, const Ctx&) { return Value::Float8(M_PI); });
  Add(
      out, "random", {}, kF8,
      [](const Args&, const Ctx&) { return Value::Float8(std::uniform_real_distribution<double>(0, 1)(Rng())); }, true);
}

}  // namespace

void AddMathFunctions(std::vector<FunctionOverload>& out) {
  for (TypeId t : {kInt2, kInt4, kInt8}) {
    Add(out, "abs", {t}, t, [](const Args& a, const Ctx&) { return a[0].GetInt() < 0 ? Negate(a[0]) : a[0]; });
    Add(out, "mod", {t, t}, t, [](const Args& a, const Ctx&) { return Arith(ArithOp::kMod, a[0], a[1]); });
  }
  Add(out, "abs", {kF4}, kF4,
      [](const Args& a, const Ctx&) { return Value::Float4(static_cast<float>(std::fabs(D(a, 0)))); });
  Add(out, "abs", {kF8}, kF8, [](const Args& a, const Ctx&) { return Value::Float8(std::fabs(D(a, 0))); });
  Add(out, "abs", {kNum}, kNum, [](const Args& a, const Ctx&) { return Value::Num(N(a, 0).Abs()); });
  Add(out, "div", {kNum, kNum}, kNum, [](const Args& a, const Ctx&) {
    // div() is the truncated quotient: numeric_div_trunc.
    if (N(a, 1).Mantissa() == 0) throw SqlError::DivisionByZero();
    // a - (a mod b) is an exact multiple of b, so this quotient is exact.
    Numeric multiple = N(a, 0).Sub(N(a, 0).Mod(N(a, 1)));
    return Value::Num(multiple.Div(N(a, 1)).Round(0));
  });
  Add(out, "mod", {kNum, kNum}, kNum, [](const Args& a, const Ctx&) { return Arith(ArithOp::kMod, a[0], a[1]); });
  Add(out, "sign", {kF8}, kF8, [](const Args& a, const Ctx&) {
    double v = D(a, 0);
    return Value::Float8(v > 0 ? 1.0 : v < 0 ? -1.0 : 0.0);
  });
  Add(out, "sign", {kNum}, kNum, [](const Args& a, const Ctx&) {
    __int128 m = N(a, 0).Mantissa();
    return Value::Num(Numeric::FromInt(m > 0 ? 1 : m < 0 ? -1 : 0));
  });
  AddRounding(out);
  AddPowers(out);
}

}  // namespace tessera::builtins
