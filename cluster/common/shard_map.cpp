#include "cluster/common/shard_map.h"

#include <nlohmann/json.hpp>

#include "common/error.h"

namespace tessera::cluster {

uint64_t StableHash(std::string_view bytes) {
  uint64_t h = 14695981039346656037ull;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ull;
  }
  // FNV's low bits are weak for short keys; the murmur finaliser spreads them.
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ull;
  h ^= h >> 33;
  return h;
}

ShardMap ShardMap::Even(int groups, int buckets) {
  ShardMap map;
  map.groups_ = groups;
  for (int b = 0; b < buckets; ++b) map.bucket_group_.push_back(b % groups);
  return map;
}

ShardMap ShardMap::FromJson(const std::string& text) {
  try {
    auto doc = nlohmann::json::parse(text);
    ShardMap map;
    map.groups_ = doc.at("groups").get<int>();
    map.bucket_group_ = doc.at("buckets").get<std::vector<int>>();
    return map;
  } catch (const nlohmann::json::exception& e) {
    throw SqlError(sqlstate::kDataCorrupted, std::string("corrupt shard map: ") + e.what());
  }
}

std::string ShardMap::ToJson() const { return nlohmann::json{{"groups", groups_}, {"buckets", bucket_group_}}.dump(); }

int ShardMap::BucketOf(std::string_view primary_key_suffix) const {
  return static_cast<int>(StableHash(primary_key_suffix) % bucket_group_.size());
}

std::vector<int> ShardMap::BucketsPerGroup() const {
  std::vector<int> counts(static_cast<size_t>(groups_), 0);
  for (int g : bucket_group_) ++counts.at(static_cast<size_t>(g));
  return counts;
}

}  // namespace tessera::cluster
