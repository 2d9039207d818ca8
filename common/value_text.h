// Text helpers shared by value_text.cpp and value_cast.cpp.
#pragma once

#include <string>
#include <string_view>

#include "common/types.h"

namespace tessera {

// float4/float8 output: shortest round-trip digits when extra_float_digits > 0
// (PostgreSQL 12+), else %g with 15 (float4: 6) + extra_float_digits digits.
std::string FormatFloat(double v, bool is_float4, int extra_float_digits);

// Fits a string to varchar(n)/char(n): blank-pads char(n); longer strings are
// truncated on an explicit cast and raise 22001 on assignment unless only
// blanks are cut.
std::string FitString(std::string s, Type type, bool explicit_cast);

// Arrays (value_array.cpp): PostgreSQL's text format in and out, and an
// element-by-element cast to another array type.
class Value;
struct TextFormat;
std::string ArrayToText(const Value& array, const TextFormat& fmt);
Value ArrayFromText(std::string_view text, Type type, const TextFormat& fmt);
Value CastArray(const Value& array, Type target, const TextFormat& fmt, bool explicit_cast);

}  // namespace tessera
