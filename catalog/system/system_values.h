// Shorthands for the values a row generator writes, named after the
// PostgreSQL type of the column they fill (see SystemColumnType).
#pragma once

#include <string>

#include "common/value.h"

namespace tessera::catalog::system {

inline Value OidValue(uint32_t oid) { return Value::Int8(oid).CastTo(Type::Of(TypeId::kOid)); }
inline Value NameValue(std::string s) { return Value::Text(std::move(s)); }
inline Value CharValue(char c) { return Value::Text(std::string(1, c)); }
inline Value TextValue(std::string s) { return Value::Text(std::move(s)); }
inline Value BoolValue(bool b) { return Value::Bool(b); }
inline Value Int2Value(int v) { return Value::Int2(static_cast<int16_t>(v)); }
inline Value Int4Value(int64_t v) { return Value::Int4(static_cast<int32_t>(v)); }
inline Value Int8Value(int64_t v) { return Value::Int8(v); }
// NULL of the column's declared type (GenerateSystemRows retypes it).
inline Value NullValue() { return Value::Null(); }

}  // namespace tessera::catalog::system
