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
  // One-dimensional arrays of the scalar types above, with PostgreSQL's
  // array type OIDs (pg_type.typarray). An array's Type keeps its element's
  // typmod, as PostgreSQL's atttypmod of varchar(10)[] is 14.
  kBoolArray = 1000,
  kByteaArray = 1001,
  kInt2Array = 1005,
  kInt4Array = 1007,
  kTextArray = 1009,
  kBpcharArray = 1014,
  kVarcharArray = 1015,
  kInt8Array = 1016,
  kFloat4Array = 1021,
  kFloat8Array = 1022,
  kOidArray = 1028,
  kTimestampArray = 1115,
  kDateArray = 1182,
  kTimestampTzArray = 1185,
  kNumericArray = 1231,
  // Pseudo-types of polymorphic built-in functions (never a value's type):
  // any array, and the element type of the call's arrays. Unlike
  // PostgreSQL's anyarray/anyelement they resolve as its anycompatible
  // variants do: the arguments meet in their common type.
  kAnyArray = 2277,
  kAnyElement = 2283,
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

// Arrays: the element type of an array type (kUnknown for a non-array), the
// array type of an element type (kUnknown when it has none).
bool IsArrayType(TypeId id);
TypeId ArrayElementType(TypeId array);
TypeId ArrayTypeOf(TypeId element);
inline Type ElementTypeOf(Type array) { return Type{ArrayElementType(array.id), array.typmod}; }
inline Type ArrayOf(Type element) { return Type{ArrayTypeOf(element.id), element.typmod}; }
// `element[]` as written in SQL: throws 0A000 when the element type has no array type.
Type ArrayTypeFor(Type element);

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
