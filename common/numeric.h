// Exact decimal arithmetic for NUMERIC: a 128-bit signed mantissa and a
// decimal scale, so up to 38 significant digits. Results that need more
// raise 22003 rather than lose digits.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tessera {

class Numeric {
 public:
  Numeric() = default;
  Numeric(__int128 mantissa, int32_t scale) : mantissa_(mantissa), scale_(scale) {}
  static Numeric FromInt(int64_t v) { return Numeric(v, 0); }
  static Numeric FromDouble(double v);               // 22003 for NaN/inf (until NaN is supported)
  static Numeric Parse(std::string_view text);       // 22P02 on bad input
  std::string ToString() const;                      // "12.50", keeps the scale

  __int128 Mantissa() const { return mantissa_; }
  int32_t Scale() const { return scale_; }
  double ToDouble() const;
  int64_t ToInt64() const;  // rounds half away from zero; 22003 when out of range

  Numeric Add(const Numeric& o) const;
  Numeric Sub(const Numeric& o) const;
  Numeric Mul(const Numeric& o) const;
  Numeric Div(const Numeric& o) const;  // 22012; scale as PostgreSQL picks it (at least 16 digits)
  Numeric Mod(const Numeric& o) const;
  Numeric Negate() const { return Numeric(-mantissa_, scale_); }
  Numeric Abs() const { return Numeric(mantissa_ < 0 ? -mantissa_ : mantissa_, scale_); }
  Numeric Round(int32_t scale) const;  // half away from zero, as PostgreSQL
  Numeric Trunc(int32_t scale) const;  // toward zero
  Numeric Ceil() const;                // scale 0
  Numeric Floor() const;               // scale 0
  // Square root with numeric_sqrt's result scale; 2201F for a negative input.
  Numeric Sqrt() const;
  // this ^ exponent rounded to `scale` decimals (power with an integer exponent).
  Numeric PowInt(int64_t exponent, int32_t scale) const;
  // Applies numeric(p,s): rounds to s and raises 22003 when the integer part
  // has more than p - s digits.
  Numeric ApplyTypmod(int32_t typmod) const;
  int Compare(const Numeric& o) const;  // by value: 1.0 == 1.00

 private:
  __int128 mantissa_ = 0;
  int32_t scale_ = 0;
};

}  // namespace tessera
