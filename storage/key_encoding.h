// Order-preserving ("memcomparable") key encoding: for any two values a < b
// of the same type, Encode(a) < Encode(b) as bytes, and NULL sorts last, as
// PostgreSQL's default ASC NULLS LAST. A key is
//   [table id: 4 bytes BE][index id: 4 bytes BE][column values...]
// where index id 0 is the primary index (the rows themselves).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/value.h"

namespace tessera::storage {

inline constexpr uint32_t kPrimaryIndexId = 0;
inline constexpr size_t kKeyPrefixSize = 8;

void AppendKeyPrefix(std::string* out, uint32_t table_id, uint32_t index_id);
std::string KeyPrefix(uint32_t table_id, uint32_t index_id);
// The 4-byte prefix shared by all of a table's keys (rows and every index).
std::string TablePrefix(uint32_t table_id);
// Reads the table and index ids from the front of `in`, advancing it past
// them; false if `in` is too short.
bool DecodeKeyPrefix(std::string_view* in, uint32_t* table_id, uint32_t* index_id);
// The smallest key greater than every key starting with `prefix`.
std::string PrefixEnd(std::string_view prefix);

// Appends one value; `descending` inverts the bytes for DESC index columns.
void AppendKeyValue(std::string* out, const Value& value, bool descending = false);
// Decodes one value of `type` from the front of `in`, advancing it.
Value DecodeKeyValue(std::string_view* in, Type type, bool descending = false);

}  // namespace tessera::storage
