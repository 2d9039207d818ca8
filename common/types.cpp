// Type names, modifiers and categories, following PostgreSQL's format_type()
// and the grammar's type-name rules (gram.y's Numeric/Character productions).
#include "common/types.h"

#include <cctype>
#include <string>

#include "common/error.h"

namespace tessera {

std::optional<int32_t> Type::CharLength() const {
  if ((id != TypeId::kVarchar && id != TypeId::kBpchar) || typmod < 4) return std::nullopt;
  return typmod - 4;
}

std::optional<int32_t> Type::NumericPrecision() const {
  if (id != TypeId::kNumeric || typmod < 4) return std::nullopt;
  return ((typmod - 4) >> 16) & 0xffff;
}

std::optional<int32_t> Type::NumericScale() const {
  if (id != TypeId::kNumeric || typmod < 4) return std::nullopt;
  // The scale is stored as 11 signed bits in PostgreSQL 15; we only allow >= 0.
  return (typmod - 4) & 0x7ff;
}

bool IsIntegerType(TypeId id) { return id == TypeId::kInt2 || id == TypeId::kInt4 || id == TypeId::kInt8; }

bool IsNumericCategory(TypeId id) {
  return IsIntegerType(id) || id == TypeId::kFloat4 || id == TypeId::kFloat8 || id == TypeId::kNumeric ||
         id == TypeId::kOid;
}

bool IsStringType(TypeId id) {
  return id == TypeId::kText || id == TypeId::kVarchar || id == TypeId::kBpchar || id == TypeId::kUnknown;
}

namespace {

struct ArrayPair {
  TypeId element;
  TypeId array;
};
constexpr ArrayPair kArrayPairs[] = {
    {TypeId::kBool, TypeId::kBoolArray},         {TypeId::kBytea, TypeId::kByteaArray},
    {TypeId::kInt2, TypeId::kInt2Array},         {TypeId::kInt4, TypeId::kInt4Array},
    {TypeId::kText, TypeId::kTextArray},         {TypeId::kBpchar, TypeId::kBpcharArray},
    {TypeId::kVarchar, TypeId::kVarcharArray},   {TypeId::kInt8, TypeId::kInt8Array},
    {TypeId::kFloat4, TypeId::kFloat4Array},     {TypeId::kFloat8, TypeId::kFloat8Array},
    {TypeId::kOid, TypeId::kOidArray},           {TypeId::kTimestamp, TypeId::kTimestampArray},
    {TypeId::kDate, TypeId::kDateArray},         {TypeId::kTimestampTz, TypeId::kTimestampTzArray},
    {TypeId::kNumeric, TypeId::kNumericArray},
};

}  // namespace

// A switch, not a search of kArrayPairs: casts and row decoding ask this
// once per value (it was 8% of a 1M-row sum).
bool IsArrayType(TypeId id) {
  switch (id) {
    case TypeId::kBoolArray:
    case TypeId::kByteaArray:
    case TypeId::kInt2Array:
    case TypeId::kInt4Array:
    case TypeId::kTextArray:
    case TypeId::kBpcharArray:
    case TypeId::kVarcharArray:
    case TypeId::kInt8Array:
    case TypeId::kFloat4Array:
    case TypeId::kFloat8Array:
    case TypeId::kOidArray:
    case TypeId::kTimestampArray:
    case TypeId::kDateArray:
    case TypeId::kTimestampTzArray:
    case TypeId::kNumericArray:
      return true;
    default:
      return false;
  }
}

TypeId ArrayElementType(TypeId array) {
  if (!IsArrayType(array)) return TypeId::kUnknown;
  for (const auto& p : kArrayPairs)
    if (p.array == array) return p.element;
  return TypeId::kUnknown;
}

TypeId ArrayTypeOf(TypeId element) {
  for (const auto& p : kArrayPairs)
    if (p.element == element) return p.array;
  return TypeId::kUnknown;
}

Type ArrayTypeFor(Type element) {
  if (IsArrayType(element.id)) throw SqlError::FeatureNotSupported("multidimensional arrays are not supported");
  TypeId id = ArrayTypeOf(element.id);
  if (id == TypeId::kUnknown)
    throw SqlError::FeatureNotSupported("arrays of type " + FormatType(element) + " are not supported");
  return Type{id, element.typmod};
}

std::string FormatType(Type type) {
  if (IsArrayType(type.id)) return FormatType(ElementTypeOf(type)) + "[]";
  switch (type.id) {
    case TypeId::kUnknown:
      return "unknown";
    case TypeId::kBool:
      return "boolean";
    case TypeId::kBytea:
      return "bytea";
    case TypeId::kInt8:
      return "bigint";
    case TypeId::kInt2:
      return "smallint";
    case TypeId::kInt4:
      return "integer";
    case TypeId::kText:
      return "text";
    case TypeId::kOid:
      return "oid";
    case TypeId::kFloat4:
      return "real";
    case TypeId::kFloat8:
      return "double precision";
    case TypeId::kBpchar:
      // format_type() prints a bare "bpchar" when there is no length.
      if (auto n = type.CharLength()) return "character(" + std::to_string(*n) + ")";
      return "bpchar";
    case TypeId::kVarchar:
      if (auto n = type.CharLength()) return "character varying(" + std::to_string(*n) + ")";
      return "character varying";
    case TypeId::kDate:
      return "date";
    case TypeId::kTimestamp:
      return "timestamp without time zone";
    case TypeId::kTimestampTz:
      return "timestamp with time zone";
    case TypeId::kNumeric:
      if (auto p = type.NumericPrecision())
        return "numeric(" + std::to_string(*p) + "," + std::to_string(*type.NumericScale()) + ")";
      return "numeric";
    case TypeId::kAnyArray:
      return "anyarray";
    case TypeId::kAnyElement:
      return "anyelement";
    default:
      break;
  }
  return "???";
}

namespace {

// Lower-cases and collapses runs of blanks so "DOUBLE   PRECISION" matches.
std::string NormaliseName(std::string_view name) {
  std::string out;
  bool blank = false;
  for (char c : name) {
    if (std::isspace(static_cast<unsigned char>(c))) {
      blank = !out.empty();
      continue;
    }
    if (blank) out.push_back(' ');
    blank = false;
    out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
  if (out.rfind("pg_catalog.", 0) == 0) out.erase(0, 11);
  return out;
}

SqlError InvalidParam(const std::string& message) { return SqlError(sqlstate::kInvalidParameterValue, message); }

Type CharType(TypeId id, const char* name, const std::optional<int32_t>& len, bool default_one) {
  if (!len) return default_one ? Type{id, 1 + 4} : Type::Of(id);
  if (*len < 1) throw InvalidParam(std::string("length for type ") + name + " must be at least 1");
  if (*len > 10485760) throw InvalidParam(std::string("length for type ") + name + " cannot exceed 10485760");
  return Type{id, *len + 4};
}

Type NumericType(const std::optional<int32_t>& precision, const std::optional<int32_t>& scale) {
  if (!precision) return Type::Of(TypeId::kNumeric);
  int32_t p = *precision;
  int32_t s = scale.value_or(0);
  if (p < 1 || p > 1000) throw InvalidParam("NUMERIC precision " + std::to_string(p) + " must be between 1 and 1000");
  if (s < 0 || s > p)
    throw InvalidParam("NUMERIC scale " + std::to_string(s) + " must be between 0 and precision " + std::to_string(p));
  return Type::Numeric(p, s);
}

Type FloatType(const std::optional<int32_t>& bits) {
  if (!bits) return Type::Of(TypeId::kFloat8);
  if (*bits < 1) throw InvalidParam("precision for type float must be at least 1 bit");
  if (*bits > 53) throw InvalidParam("precision for type float must be less than 54 bits");
  return Type::Of(*bits <= 24 ? TypeId::kFloat4 : TypeId::kFloat8);
}

std::optional<TypeId> SimpleType(const std::string& n) {
  if (n == "int" || n == "int4" || n == "integer") return TypeId::kInt4;
  if (n == "int2" || n == "smallint") return TypeId::kInt2;
  if (n == "int8" || n == "bigint") return TypeId::kInt8;
  if (n == "float8" || n == "double precision") return TypeId::kFloat8;
  if (n == "float4" || n == "real") return TypeId::kFloat4;
  if (n == "text") return TypeId::kText;
  if (n == "bool" || n == "boolean") return TypeId::kBool;
  if (n == "bytea") return TypeId::kBytea;
  if (n == "date") return TypeId::kDate;
  if (n == "timestamp" || n == "timestamp without time zone") return TypeId::kTimestamp;
  if (n == "timestamptz" || n == "timestamp with time zone") return TypeId::kTimestampTz;
  if (n == "oid") return TypeId::kOid;
  if (n == "unknown") return TypeId::kUnknown;
  return std::nullopt;
}

std::optional<TypeId> SerialType(const std::string& n) {
  if (n == "serial" || n == "serial4") return TypeId::kInt4;
  if (n == "bigserial" || n == "serial8") return TypeId::kInt8;
  if (n == "smallserial" || n == "serial2") return TypeId::kInt2;
  return std::nullopt;
}

}  // namespace

Type ResolveTypeName(std::string_view name, const std::optional<int32_t>& mod1, const std::optional<int32_t>& mod2,
                     bool* is_serial) {
  const std::string n = NormaliseName(name);
  if (is_serial) *is_serial = false;
  if (auto serial = SerialType(n)) {
    if (is_serial) *is_serial = true;
    return Type::Of(*serial);
  }
  if (n == "varchar" || n == "character varying" || n == "char varying")
    return CharType(TypeId::kVarchar, "varchar", mod1, false);
  // In the grammar `char` and `character` without a length mean char(1);
  // the internal name bpchar means unlimited.
  if (n == "char" || n == "character") return CharType(TypeId::kBpchar, "bpchar", mod1, true);
  if (n == "bpchar") return CharType(TypeId::kBpchar, "bpchar", mod1, false);
  if (n == "numeric" || n == "decimal" || n == "dec") return NumericType(mod1, mod2);
  if (n == "float") return FloatType(mod1);
  if (auto simple = SimpleType(n)) {
    // timestamp(p): we always keep microseconds, so the precision is accepted and dropped.
    return Type::Of(*simple);
  }
  throw SqlError(sqlstate::kUndefinedObject, "type \"" + std::string(name) + "\" does not exist");
}

int16_t TypeLength(TypeId id) {
  switch (id) {
    case TypeId::kBool:
      return 1;
    case TypeId::kInt2:
      return 2;
    case TypeId::kInt4:
    case TypeId::kOid:
    case TypeId::kFloat4:
    case TypeId::kDate:
      return 4;
    case TypeId::kInt8:
    case TypeId::kFloat8:
    case TypeId::kTimestamp:
    case TypeId::kTimestampTz:
      return 8;
    case TypeId::kUnknown:
      return -2;
    default:
      return -1;
  }
}

}  // namespace tessera
