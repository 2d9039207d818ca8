// Hashing and equality of value tuples for hash aggregation, hash joins and
// DISTINCT. Engine semantics: NULL equals NULL here (GROUP BY and DISTINCT
// treat NULLs as one group); joins skip NULL keys before they get here.
#pragma once

#include <unordered_map>
#include <vector>

#include "common/value.h"

namespace tessera::executor {

// Integers of every width (and float4/float8) hash alike, so an int4 join key
// meets an equal int8 one.
inline Value NormaliseKey(const Value& v) {
  if (v.IsNull()) return Value();
  if (IsIntegerType(v.Id())) return Value::Int8(v.GetInt());
  if (v.Id() == TypeId::kFloat4) return Value::Float8(v.GetFloat());
  return v;
}

struct RowHash {
  size_t operator()(const std::vector<Value>& row) const {
    size_t h = 0x9e3779b97f4a7c15ull;
    for (auto& v : row) h = (h ^ (v.IsNull() ? 0x51 : v.Hash())) * 0x100000001b3ull;
    return h;
  }
};

struct RowEqual {
  bool operator()(const std::vector<Value>& a, const std::vector<Value>& b) const {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].IsNull() != b[i].IsNull()) return false;
      if (!a[i].IsNull() && a[i].Compare(b[i]) != 0) return false;
    }
    return true;
  }
};

template <class T>
using RowMap = std::unordered_map<std::vector<Value>, T, RowHash, RowEqual>;

}  // namespace tessera::executor
