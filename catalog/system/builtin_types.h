// The built-in types Tessera has, with PostgreSQL's pg_type facts for each
// (same OIDs, names, lengths, alignment and storage), for pg_type and the
// per-column facts of pg_attribute. Each scalar type that has one is
// followed by its array type ("_int4", OID 1007, typelem 23).
#pragma once

#include <cstdint>
#include <vector>

namespace tessera::catalog::system {

struct BuiltinType {
  uint32_t oid;
  const char* name;      // typname
  int16_t length;        // typlen: -1 varlena, -2 C string
  bool by_value;
  char category;         // typcategory
  bool preferred;
  const char* input;     // typinput etc. are named after it: "int4in" -> int4out/int4recv/int4send
  const char* output;
  const char* receive;
  const char* send;
  char align;
  char storage;
  uint32_t collation;    // 100 (default) for collatable types, else 0
  uint32_t element;      // typelem
};

const std::vector<BuiltinType>& BuiltinTypes();
const BuiltinType* FindBuiltinType(uint32_t oid);
// typarray of a built-in type: its array type's OID, or 0.
uint32_t BuiltinArrayTypeOf(uint32_t element_oid);

}  // namespace tessera::catalog::system
