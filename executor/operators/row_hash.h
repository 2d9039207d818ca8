// Hashing and equality of value tuples for hash aggregation, hash joins and
// DISTINCT. Engine semantics: NULL equals NULL here (GROUP BY and DISTINCT
// treat NULLs as one group); joins skip NULL keys before they get here.
#pragma once

#include <unordered_map>
#include <utility>
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

// A hash map keyed by value tuples for the executor's big tables (hash
// aggregates, join builds, DISTINCT and set operations). A std::unordered_map
// that outgrows its buckets rehashes every entry in one call, which no
// cancel or statement_timeout can interrupt: 3.6 s at 3M entries on a loaded
// 2-core machine, while every other insert takes microseconds. Past
// kSplitAt entries this map splits into kParts tables picked by the key's
// high hash bits, so a rehash moves at most 1/kParts of the entries (under
// 0.1 s in the same run). Small maps (most DISTINCT sets) stay one table.
template <class T>
class RowMap {
  using Table = std::unordered_map<std::vector<Value>, T, RowHash, RowEqual>;

 public:
  using iterator = typename Table::iterator;
  static constexpr size_t kParts = 64;
  static constexpr size_t kSplitAt = 1 << 16;

  RowMap() : parts_(1) {}

  template <class... Args>
  std::pair<iterator, bool> try_emplace(const std::vector<Value>& key, Args&&... args) {
    auto result = TableOf(key).try_emplace(key, std::forward<Args>(args)...);
    if (result.second) return Grown(result, key);
    return result;
  }
  std::pair<iterator, bool> emplace(const std::vector<Value>& key, T value) {
    return try_emplace(key, std::move(value));
  }
  // The value of `key`, or null.
  T* Find(const std::vector<Value>& key) {
    Table& table = TableOf(key);
    auto it = table.find(key);
    return it == table.end() ? nullptr : &it->second;
  }
  size_t size() const { return size_; }

 private:
  static size_t PartOf(const std::vector<Value>& key) { return (RowHash{}(key) >> 58) % kParts; }
  Table& TableOf(const std::vector<Value>& key) { return parts_.size() == 1 ? parts_[0] : parts_[PartOf(key)]; }
  std::pair<iterator, bool> Grown(std::pair<iterator, bool> inserted, const std::vector<Value>& key) {
    if (++size_ != kSplitAt || parts_.size() != 1) return inserted;
    // The split moves kSplitAt entries once (milliseconds); the entry just
    // inserted is found again in its new table.
    std::vector<Table> parts(kParts);
    Table& whole = parts_[0];
    for (auto it = whole.begin(); it != whole.end();) {
      auto node = whole.extract(it++);
      parts[PartOf(node.key())].insert(std::move(node));
    }
    parts_ = std::move(parts);
    Table& table = TableOf(key);
    return {table.find(key), true};
  }

  std::vector<Table> parts_;
  size_t size_ = 0;
};

}  // namespace tessera::executor
