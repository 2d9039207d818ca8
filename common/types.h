// SQL types as PostgreSQL knows them: the type id is the PostgreSQL OID, so
// the wire layer and pg_catalog can use it unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tessera {

enum class TypeId : uint32_t {
  kUnknown = 705,  // untyped literal ('abc' before resolution) and NULL
  kBool = 16,
  kBytea = 17,
  kInt8 = 20,
  kInt2 = 21,
  kInt4 = 23,
  kText = 25,
  kOid = 26,
  kFloat4 = 700,
  kFloat8 = 701,
  kBpchar = 1042,   // char(n)
  kVarchar = 1043,  // varchar(n)
  kDate = 1082,
  kTimestamp = 1114,
  kTimestampTz = 1184,
  kNumeric = 1700,
};

// A type plus its modifier, encoded exactly as PostgreSQL's atttypmod:
// varchar(n)/char(n): n + 4; numeric(p,s): ((p << 16) | s) + 4; -1: none.
struct Type {
  TypeId id = TypeId::kUnknown;
  int32_t typmod = -1;

  friend bool operator==(const Type&, const Type&) = default;

  static Type Of(TypeId id) { return Type{id, -1}; }
  static Type Varchar(int32_t n) { return Type{TypeId::kVarchar, n + 4}; }
  static Type Bpchar(int32_t n) { return Type{TypeId::kBpchar, n + 4}; }
  static Type Numeric(int32_t precision, int32_t scale) {
    return Type{TypeId::kNumeric, ((precision << 16) | scale) + 4};
  }
  // Length limit of varchar(n)/char(n), if any.
  std::optional<int32_t> CharLength() const;
  std::optional<int32_t> NumericPrecision() const;
  std::optional<int32_t> NumericScale() const;
};

bool IsIntegerType(TypeId id);  // int2, int4, int8
bool IsNumericCategory(TypeId id);  // integers, float4/8, numeric
bool IsStringType(TypeId id);  // text, varchar, bpchar, unknown

// PostgreSQL's format_type() text: "integer", "character varying(10)", "numeric(10,2)".
std::string FormatType(Type type);

// Resolves a type name as written in SQL ("int", "int4", "integer", "varchar",
// "character varying", "timestamp with time zone", "serial", ...) with its
// modifiers. Serial types resolve to their integer type; `is_serial` reports it.
// Throws SqlError 42704 (undefined_object) for an unknown name.
Type ResolveTypeName(std::string_view name, const std::optional<int32_t>& mod1,
                     const std::optional<int32_t>& mod2, bool* is_serial = nullptr);

// Fixed binary length for the wire's RowDescription (typlen): -1 for variable.
int16_t TypeLength(TypeId id);

}  // namespace tessera
