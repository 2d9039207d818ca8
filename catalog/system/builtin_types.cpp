#include "catalog/system/builtin_types.h"

#include <deque>
#include <string>

#include "common/types.h"

namespace tessera::catalog::system {
namespace {

// PostgreSQL's array type of `element`: "_" + its name, category 'A',
// array_in/array_out, varlena, aligned as the element ('d' for 8-byte ones).
BuiltinType MakeArrayType(const BuiltinType& element, uint32_t oid, std::deque<std::string>& names) {
  names.push_back(std::string("_") + element.name);
  return {oid,  names.back().c_str(), -1, false, 'A', false, "array_in", "array_out", "array_recv", "array_send",
          element.align == 'd' ? 'd' : 'i', 'x', element.collation, element.oid};
}

std::vector<BuiltinType> WithArrayTypes(std::vector<BuiltinType> scalars) {
  static std::deque<std::string> names;  // typname storage of the generated rows
  std::vector<BuiltinType> all = scalars;
  for (const BuiltinType& t : scalars) {
    uint32_t array = t.oid == 19 ? 1003 : static_cast<uint32_t>(tessera::ArrayTypeOf(static_cast<TypeId>(t.oid)));
    if (array != static_cast<uint32_t>(TypeId::kUnknown)) all.push_back(MakeArrayType(t, array, names));
  }
  return all;
}

}  // namespace

uint32_t BuiltinArrayTypeOf(uint32_t element_oid) {
  for (const BuiltinType& t : BuiltinTypes())
    if (t.category == 'A' && t.element == element_oid) return t.oid;
  return 0;
}

const std::vector<BuiltinType>& BuiltinTypes() {
  static const std::vector<BuiltinType> kTypes = WithArrayTypes({
      {16, "bool", 1, true, 'B', true, "boolin", "boolout", "boolrecv", "boolsend", 'c', 'p', 0, 0},
      {17, "bytea", -1, false, 'U', false, "byteain", "byteaout", "bytearecv", "byteasend", 'i', 'x', 0, 0},
      {18, "char", 1, true, 'Z', false, "charin", "charout", "charrecv", "charsend", 'c', 'p', 0, 0},
      {19, "name", 64, false, 'S', false, "namein", "nameout", "namerecv", "namesend", 'c', 'p', 950, 18},
      {20, "int8", 8, true, 'N', false, "int8in", "int8out", "int8recv", "int8send", 'd', 'p', 0, 0},
      {21, "int2", 2, true, 'N', false, "int2in", "int2out", "int2recv", "int2send", 's', 'p', 0, 0},
      {23, "int4", 4, true, 'N', false, "int4in", "int4out", "int4recv", "int4send", 'i', 'p', 0, 0},
      {25, "text", -1, false, 'S', true, "textin", "textout", "textrecv", "textsend", 'i', 'x', 100, 0},
      {26, "oid", 4, true, 'N', false, "oidin", "oidout", "oidrecv", "oidsend", 'i', 'p', 0, 0},
      {700, "float4", 4, true, 'N', false, "float4in", "float4out", "float4recv", "float4send", 'i', 'p', 0, 0},
      {701, "float8", 8, true, 'N', true, "float8in", "float8out", "float8recv", "float8send", 'd', 'p', 0, 0},
      {705, "unknown", -2, false, 'X', false, "unknownin", "unknownout", "unknownrecv", "unknownsend", 'c', 'p', 0,
       0},
      {1042, "bpchar", -1, false, 'S', false, "bpcharin", "bpcharout", "bpcharrecv", "bpcharsend", 'i', 'x', 100, 0},
      {1043, "varchar", -1, false, 'S', false, "varcharin", "varcharout", "varcharrecv", "varcharsend", 'i', 'x', 100,
       0},
      {1082, "date", 4, true, 'D', false, "date_in", "date_out", "date_recv", "date_send", 'i', 'p', 0, 0},
      {1114, "timestamp", 8, true, 'D', false, "timestamp_in", "timestamp_out", "timestamp_recv", "timestamp_send",
       'd', 'p', 0, 0},
      {1184, "timestamptz", 8, true, 'D', true, "timestamptz_in", "timestamptz_out", "timestamptz_recv",
       "timestamptz_send", 'd', 'p', 0, 0},
      {1700, "numeric", -1, false, 'N', false, "numeric_in", "numeric_out", "numeric_recv", "numeric_send", 'i', 'm',
       0, 0},
  });
  return kTypes;
}

const BuiltinType* FindBuiltinType(uint32_t oid) {
  for (const BuiltinType& t : BuiltinTypes())
    if (t.oid == oid) return &t;
  return nullptr;
}

}  // namespace tessera::catalog::system
