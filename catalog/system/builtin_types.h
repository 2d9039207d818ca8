// The built-in types Tessera has, with PostgreSQL's pg_type facts for each
// (same OIDs, names, lengths, alignment and storage), for pg_type and the
// per-column facts of pg_attribute.
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

}  // namespace tessera::catalog::system
