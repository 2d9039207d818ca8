// Compact row encoding: [column count: varint][null bitmap][values...]:
// integers as zigzag varints, floats in 8 bytes, strings length-prefixed
// (details in row_encoding.cpp).
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
// Only the columns `needed[i]` marks (its size is types.size()) are read;
// the others are skipped over and come out NULL. For scans whose consumer
// reads a few columns of wide rows: a skipped string costs no allocation.
Row DecodeRow(std::string_view bytes, const std::vector<Type>& types, const std::vector<bool>& needed);

}  // namespace tessera::storage
