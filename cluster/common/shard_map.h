// Which shard group holds a row: tables are hash-partitioned on the primary
// key into a fixed number of buckets (fixed at `ctl init`, so a row's bucket
// never changes), and the shard map assigns buckets to groups. Moving a
// bucket is a shard map change, not a rehash.
//
// The hash is over the primary key's memcomparable encoding (the row key's
// suffix after table and index id), so routing needs no types: a gateway
// computes it from key values it encoded, an index entry carries the same
// suffix as its value.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tessera::cluster {

class ShardMap {
 public:
  ShardMap() = default;
  // Spreads `buckets` over `groups` round robin.
  static ShardMap Even(int groups, int buckets);
  static ShardMap FromJson(const std::string& text);  // throws SqlError XX001
  std::string ToJson() const;

  int Groups() const { return groups_; }
  int Buckets() const { return static_cast<int>(bucket_group_.size()); }
  bool Empty() const { return bucket_group_.empty(); }
  int BucketOf(std::string_view primary_key_suffix) const;
  int GroupOfBucket(int bucket) const { return bucket_group_.at(static_cast<size_t>(bucket)); }
  int GroupOf(std::string_view primary_key_suffix) const { return GroupOfBucket(BucketOf(primary_key_suffix)); }
  // How many buckets each group holds (ctl status).
  std::vector<int> BucketsPerGroup() const;

 private:
  int groups_ = 0;
  std::vector<int> bucket_group_;
};

// 64-bit FNV-1a with a final mix: stable across processes and versions
// (it decides where data lives, so it may never change).
uint64_t StableHash(std::string_view bytes);

}  // namespace tessera::cluster
