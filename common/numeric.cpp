// Exact decimal arithmetic. The mantissa holds at most 38 decimal digits;
// intermediate products and quotients use Boost's wide integers so a result
// is either exact (after PostgreSQL's rounding) or 22003, never silently cut.
#include "common/numeric.h"

#include <algorithm>
#include <boost/multiprecision/cpp_int.hpp>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <string>

#include "common/error.h"

namespace tessera {
namespace {

using Wide = boost::multiprecision::cpp_int;
constexpr int kMaxDigits = 38;

SqlError Overflow() { return SqlError(sqlstate::kNumericValueOutOfRange, "value overflows numeric format"); }

Wide Pow10(int n) {
  Wide r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}

Wide ToWide(__int128 v) {
  bool neg = v < 0;
  unsigned __int128 u = neg ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  Wide w = static_cast<uint64_t>(u >> 64);
  w <<= 64;
  w += static_cast<uint64_t>(u);
  return neg ? Wide(-w) : w;
}

// Narrows back to the 38-digit mantissa; 22003 when it does not fit.
__int128 FromWide(const Wide& w) {
  static const Wide kLimit = Pow10(kMaxDigits);
  Wide a = abs(w);
  if (a >= kLimit) throw Overflow();
  uint64_t lo = static_cast<uint64_t>(a & Wide(UINT64_MAX));
  uint64_t hi = static_cast<uint64_t>(a >> 64);
  __int128 v = (static_cast<__int128>(hi) << 64) | lo;
  return w < 0 ? -v : v;
}

// Divides rounding half away from zero, as PostgreSQL's div_var(round=true).
Wide DivRound(const Wide& num, const Wide& den) {
  Wide q = num / den;
  Wide r = num % den;
  if (2 * abs(r) >= abs(den)) q += ((num < 0) != (den < 0)) ? -1 : 1;
  return q;
}

int DigitCount(__int128 v) {
  unsigned __int128 u = v < 0 ? -static_cast<unsigned __int128>(v) : static_cast<unsigned __int128>(v);
  int n = 0;
  while (u != 0) {
    u /= 10;
    ++n;
  }
  return n;
}

// PostgreSQL stores numerics in base-10000 digits; its division scale rule
// (select_div_scale) depends on the weight and first digit in that base.
void BaseTenThousandHead(const Numeric& v, int* weight, int* first_digit) {
  if (v.Mantissa() == 0) {
    *weight = 0;
    *first_digit = 0;
    return;
  }
  std::string digits = Numeric(v.Abs().Mantissa(), 0).ToString();
  int top = static_cast<int>(digits.size()) - 1 - v.Scale();  // power of ten of the leading digit
  int w = top >= 0 ? top / 4 : -((-top + 3) / 4);
  int first = 0;
  for (int p = 4 * w + 3; p >= 4 * w; --p) {
    int idx = static_cast<int>(digits.size()) - 1 - (p + v.Scale());
    int d = (idx >= 0 && idx < static_cast<int>(digits.size())) ? digits[idx] - '0' : 0;
    first = first * 10 + d;
  }
  *weight = w;
  *first_digit = first;
}

// m * 10^n in 128 bits when it fits in 38 digits; false otherwise.
bool ScaleUp(__int128 m, int n, __int128* out) {
  static const __int128 kLimit = [] {
    __int128 v = 1;
    for (int i = 0; i < kMaxDigits; ++i) v *= 10;
    return v;
  }();
  if (n > kMaxDigits) return m == 0 ? (*out = 0, true) : false;
  for (int i = 0; i < n; ++i)
    if (__builtin_mul_overflow(m, 10, &m)) return false;
  if (m >= kLimit || m <= -kLimit) return false;
  *out = m;
  return true;
}

}  // namespace

Numeric Numeric::FromDouble(double v) {
  if (v != v || v == HUGE_VAL || v == -HUGE_VAL)
    throw SqlError(sqlstate::kFeatureNotSupported, "cannot convert NaN or infinity to numeric");
  // float8_numeric prints with DBL_DIG (15) significant digits first.
  char buf[64];
  snprintf(buf, sizeof buf, "%.15g", v);
  return Parse(buf);
}

Numeric Numeric::Parse(std::string_view text) {
  auto bad = [&] { return SqlError::InvalidText("numeric", std::string(text)); };
  size_t i = 0, n = text.size();
  while (i < n && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  bool neg = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) neg = text[i++] == '-';
  // Digits accumulate in 128 bits while they fit, then in a wide integer.
  __int128 fast = 0;
  bool wide_mode = false;
  Wide mant = 0;
  int scale = 0, digits = 0;
  bool dot = false;
  for (; i < n; ++i) {
    char c = text[i];
    if (c == '.' && !dot) {
      dot = true;
    } else if (std::isdigit(static_cast<unsigned char>(c))) {
      __int128 next;
      if (!wide_mode) {
        if (!__builtin_mul_overflow(fast, 10, &next) && !__builtin_add_overflow(next, c - '0', &next)) {
          fast = next;
        } else {
          wide_mode = true;
          mant = ToWide(fast);
        }
      }
      if (wide_mode) mant = mant * 10 + (c - '0');
      ++digits;
      if (dot) ++scale;
    } else {
      break;
    }
  }
  if (digits == 0) throw bad();
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) eneg = text[i++] == '-';
    if (i >= n || !std::isdigit(static_cast<unsigned char>(text[i]))) throw bad();
    long exp = 0;
    while (i < n && std::isdigit(static_cast<unsigned char>(text[i]))) {
      exp = exp * 10 + (text[i++] - '0');
      if (exp > 1000) throw Overflow();
    }
    scale -= eneg ? -exp : exp;
  }
  while (i < n && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i != n) throw bad();
  if (!wide_mode) {
    __int128 out;
    if (!ScaleUp(fast, scale < 0 ? -scale : 0, &out)) throw Overflow();
    return Numeric(neg ? -out : out, scale < 0 ? 0 : scale);
  }
  if (scale < 0) {  // 1e3: PostgreSQL shows 1000, display scale 0
    mant *= Pow10(-scale);
    scale = 0;
  }
  if (neg) mant = -mant;
  return Numeric(FromWide(mant), scale);
}

std::string Numeric::ToString() const {
  bool neg = mantissa_ < 0;
  unsigned __int128 u = neg ? -static_cast<unsigned __int128>(mantissa_) : static_cast<unsigned __int128>(mantissa_);
  std::string digits;
  do {
    digits.push_back(static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u != 0);
  while (static_cast<int>(digits.size()) <= scale_) digits.push_back('0');
  std::reverse(digits.begin(), digits.end());
  if (scale_ > 0) digits.insert(digits.size() - scale_, ".");
  return neg ? "-" + digits : digits;
}

double Numeric::ToDouble() const { return std::strtod(ToString().c_str(), nullptr); }

int64_t Numeric::ToInt64() const {
  __int128 r = Round(0).mantissa_;
  if (r > INT64_MAX || r < INT64_MIN) throw SqlError::OutOfRange("bigint");
  return static_cast<int64_t>(r);
}

Numeric Numeric::Add(const Numeric& o) const {
  int s = std::max(scale_, o.scale_);
  __int128 fa, fb, sum;
  if (ScaleUp(mantissa_, s - scale_, &fa) && ScaleUp(o.mantissa_, s - o.scale_, &fb) &&
      !__builtin_add_overflow(fa, fb, &sum) && ScaleUp(sum, 0, &sum))
    return Numeric(sum, s);
  Wide a = ToWide(mantissa_) * Pow10(s - scale_);
  Wide b = ToWide(o.mantissa_) * Pow10(s - o.scale_);
  return Numeric(FromWide(a + b), s);
}

Numeric Numeric::Sub(const Numeric& o) const { return Add(o.Negate()); }

Numeric Numeric::Mul(const Numeric& o) const {
  __int128 out;
  if (!__builtin_mul_overflow(mantissa_, o.mantissa_, &out) && DigitCount(out) <= kMaxDigits)
    return Numeric(out, scale_ + o.scale_);
  return Numeric(FromWide(ToWide(mantissa_) * ToWide(o.mantissa_)), scale_ + o.scale_);
}

Numeric Numeric::Div(const Numeric& o) const {
  if (o.mantissa_ == 0) throw SqlError::DivisionByZero();
  // select_div_scale: at least 16 significant digits, never less than either input's scale.
  int w1, f1, w2, f2;
  BaseTenThousandHead(*this, &w1, &f1);
  BaseTenThousandHead(o, &w2, &f2);
  int qweight = w1 - w2;
  if (f1 <= f2) --qweight;
  int rscale = 16 - qweight * 4;
  rscale = std::max({rscale, scale_, o.scale_, 0});
  rscale = std::min(rscale, 1000);
  // q = m1/10^s1 / (m2/10^s2) scaled by 10^rscale.
  Wide num = ToWide(mantissa_) * Pow10(rscale - scale_ + o.scale_);
  return Numeric(FromWide(DivRound(num, ToWide(o.mantissa_))), rscale);
}

Numeric Numeric::Mod(const Numeric& o) const {
  if (o.mantissa_ == 0) throw SqlError::DivisionByZero();
  int s = std::max(scale_, o.scale_);
  Wide a = ToWide(mantissa_) * Pow10(s - scale_);
  Wide b = ToWide(o.mantissa_) * Pow10(s - o.scale_);
  return Numeric(FromWide(a % b), s);  // truncating %: the sign follows the dividend
}

Numeric Numeric::Round(int32_t scale) const {
  if (scale >= scale_) {
    if (scale - scale_ > kMaxDigits) throw Overflow();
    return Numeric(FromWide(ToWide(mantissa_) * Pow10(scale - scale_)), scale);
  }
  Wide q = DivRound(ToWide(mantissa_), Pow10(scale_ - scale));
  if (scale < 0) {  // round(1234.5, -2) = 1200 with display scale 0
    return Numeric(FromWide(q * Pow10(-scale)), 0);
  }
  return Numeric(FromWide(q), scale);
}

Numeric Numeric::Trunc(int32_t scale) const {
  if (scale >= scale_) return Round(scale);
  Wide q = ToWide(mantissa_) / Pow10(scale_ - scale);  // cpp_int division truncates
  if (scale < 0) return Numeric(FromWide(q * Pow10(-scale)), 0);
  return Numeric(FromWide(q), scale);
}

Numeric Numeric::Floor() const {
  Numeric t = Trunc(0);
  return (mantissa_ < 0 && t.Compare(*this) != 0) ? t.Sub(FromInt(1)) : t;
}

Numeric Numeric::Ceil() const {
  Numeric t = Trunc(0);
  return (mantissa_ > 0 && t.Compare(*this) != 0) ? t.Add(FromInt(1)) : t;
}

Numeric Numeric::Sqrt() const {
  if (mantissa_ < 0) throw SqlError("2201F", "cannot take square root of a negative number");
  // numeric_sqrt: 16 significant digits from the base-10000 weight of the input.
  int weight, first;
  BaseTenThousandHead(*this, &weight, &first);
  int sweight = (weight + 1) * 4 / 2 - 1;
  int rscale = std::min(std::max({16 - sweight, scale_, 0}), 1000);
  // sqrt(m / 10^s) * 10^r = sqrt(m * 10^(2r - s)); one extra digit to round on.
  Wide radicand = ToWide(mantissa_) * Pow10(2 * (rscale + 1) - scale_);
  Wide root = boost::multiprecision::sqrt(radicand);
  Wide rounded = (root + 5) / 10;
  return Numeric(FromWide(rounded), rscale);
}

Numeric Numeric::PowInt(int64_t exponent, int32_t scale) const {
  if (exponent == 0) return FromInt(1).Round(scale);
  if (mantissa_ == 0) {
    if (exponent < 0) throw SqlError("2201F", "zero raised to a negative power is undefined");
    return Numeric(0, scale);
  }
  // Binary exponentiation in fixed point with guard digits well beyond the
  // result's scale, so the rounded answer is exact in practice.
  const int fixed = scale + 60;
  const Wide one = Pow10(fixed);
  Wide base = ToWide(mantissa_) * Pow10(fixed - scale_);
  Wide result = one;
  uint64_t e = exponent < 0 ? static_cast<uint64_t>(-(exponent + 1)) + 1 : static_cast<uint64_t>(exponent);
  static const Wide kHuge = Pow10(2000);
  while (e != 0) {
    if (e & 1) result = DivRound(result * base, one);
    e >>= 1;
    if (e != 0) base = DivRound(base * base, one);
    if (abs(result) > kHuge || abs(base) > kHuge) throw Overflow();
  }
  if (exponent < 0) result = DivRound(one * one, result);
  return Numeric(FromWide(DivRound(result, Pow10(fixed - scale))), scale);
}

Numeric Numeric::ApplyTypmod(int32_t typmod) const {
  if (typmod < 4) return *this;
  int32_t precision = ((typmod - 4) >> 16) & 0xffff;
  int32_t scale = (typmod - 4) & 0x7ff;
  Numeric r = Round(scale);
  int max_int_digits = precision - scale;
  if (r.mantissa_ != 0 && DigitCount(r.mantissa_) - scale > max_int_digits) {
    std::string bound = max_int_digits > 0 ? "10^" + std::to_string(max_int_digits) : "1";
    throw SqlError(sqlstate::kNumericValueOutOfRange, "numeric field overflow",
                   "A field with precision " + std::to_string(precision) + ", scale " + std::to_string(scale) +
                       " must round to an absolute value less than " + bound + ".");
  }
  return r;
}

int Numeric::Compare(const Numeric& o) const {
  if (scale_ == o.scale_) return mantissa_ < o.mantissa_ ? -1 : (mantissa_ > o.mantissa_ ? 1 : 0);
  int s = std::max(scale_, o.scale_);
  __int128 x, y;
  if (ScaleUp(mantissa_, s - scale_, &x) && ScaleUp(o.mantissa_, s - o.scale_, &y)) return x < y ? -1 : (x > y ? 1 : 0);
  Wide a = ToWide(mantissa_) * Pow10(s - scale_);
  Wide b = ToWide(o.mantissa_) * Pow10(s - o.scale_);
  return a < b ? -1 : (a > b ? 1 : 0);
}

}  // namespace tessera
