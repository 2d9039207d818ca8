// Which shard groups a fragment runs on (DESIGN.md, Sharding and Fragments):
//  - a point lookup on the whole primary key goes to the one group owning
//    the key's bucket;
//  - an insert is split: each row goes to the group of its primary key (a
//    table without one is keyed by hidden row ids, which the gateway assigns
//    before routing: request.row_ids);
//  - everything else fans out to every group, and the gateway merges.
#pragma once

#include <functional>
#include <vector>

#include "cluster/common/shard_map.h"
#include "planner/expr_evaluator.h"
#include "planner/fragment.h"

namespace tessera::cluster {

struct RoutedRequest {
  int group = 0;
  planner::FragmentRequest request;
};

std::vector<RoutedRequest> RouteFragment(const planner::FragmentRequest& request, const ShardMap& map,
                                         const planner::EvalContext& ctx);

// The group owning a storage key (row key: hashed suffix); nullopt for index
// entries, whose owner only their value (the row's key suffix) tells.
std::optional<int> GroupOfRowKey(std::string_view key, const ShardMap& map);

}  // namespace tessera::cluster
