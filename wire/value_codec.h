// Conversion between Values and their wire formats: text (format 0) through
// Value::ToText/FromText with the session's TextFormat, binary (format 1) as
// PostgreSQL's send/recv functions write it for bool, int2/4/8, oid,
// float4/8, text/varchar/bpchar, bytea, date, timestamp(tz) and numeric.
// This is the only place that knows the binary formats (STYLE.md §5).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/value.h"
#include "wire/wire_buffer.h"

namespace tessera::wire {

inline constexpr int16_t kTextFormat = 0;
inline constexpr int16_t kBinaryFormat = 1;

// Writes one DataRow column: int32 length (-1 for NULL) then the bytes.
void EncodeColumn(const Value& value, int16_t format, const TextFormat& fmt, WriteBuffer& out);

// The value's bytes in `format` (not NULL).
std::string EncodeText(const Value& value, const TextFormat& fmt);
std::string EncodeBinary(const Value& value);

// A Bind parameter (nullopt: NULL) of `type`. `index` is 1-based, for the
// error message. Throws SqlError (22P02, 22P03, 22023, ...).
Value DecodeParam(const std::optional<std::string>& bytes, int16_t format, Type type, const TextFormat& fmt,
                  int index);

// Raises 22023 unless `format` is 0 or 1 (PostgreSQL: unsupported format code).
void CheckFormatCode(int16_t format);

}  // namespace tessera::wire
