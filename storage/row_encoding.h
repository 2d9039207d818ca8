// Compact row encoding: [column count: varint][null bitmap][values...], each
// value in a fixed width for fixed-size types and length-prefixed otherwise.
// The column count lets rows written before ADD COLUMN decode (missing
// trailing columns read as NULL).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "common/value.h"

namespace tessera::storage {

void EncodeRow(const Row& row, std::string* out);
Row DecodeRow(std::string_view bytes, const std::vector<Type>& types);

}  // namespace tessera::storage
