#include "cluster/gateway/fragment_router.h"

#include <map>

#include "executor/fragment_runner.h"
#include "executor/table_store.h"
#include "storage/key_encoding.h"

namespace tessera::cluster {

using planner::FragmentKind;
using planner::ScanKind;

namespace {

std::vector<RoutedRequest> Everywhere(const planner::FragmentRequest& request, const ShardMap& map) {
  std::vector<RoutedRequest> out;
  for (int g = 0; g < map.Groups(); ++g) out.push_back({g, request});
  return out;
}

}  // namespace

std::vector<RoutedRequest> RouteFragment(const planner::FragmentRequest& request, const ShardMap& map,
                                         const planner::EvalContext& ctx, const std::function<int()>& pick_group) {
  const planner::Fragment& f = *request.fragment;
  const planner::TableLayout& table = f.table;
  if (f.kind == FragmentKind::kInsert) {
    if (table.HasHiddenRowId()) return {{pick_group(), request}};
    std::map<int, RoutedRequest> by_group;
    for (const Row& row : request.rows) {
      int group = map.GroupOf(executor::PrimaryKeySuffixOf(table, row));
      auto [it, added] = by_group.try_emplace(group);
      if (added) {
        it->second.group = group;
        it->second.request = request;
        it->second.request.rows.clear();
      }
      it->second.request.rows.push_back(row);
    }
    std::vector<RoutedRequest> out;
    for (auto& [group, routed] : by_group) out.push_back(std::move(routed));
    return out;
  }
  bool whole_key = f.scan.kind == ScanKind::kPoint && f.scan.index_id == 0 && !table.HasHiddenRowId() &&
                   f.scan.lower.size() == table.primary_key.size();
  if (!whole_key) return Everywhere(request, map);
  std::string key;
  if (!executor::EncodeScanBound(f, f.scan.lower, ctx, &key)) {
    // A NULL key matches nothing; any one group answers that.
    return {{0, request}};
  }
  return {{map.GroupOf(std::string_view(key).substr(storage::kKeyPrefixSize)), request}};
}

std::optional<int> GroupOfRowKey(std::string_view key, const ShardMap& map) {
  std::string_view rest = key;
  uint32_t table_id = 0, index_id = 0;
  if (!storage::DecodeKeyPrefix(&rest, &table_id, &index_id) || index_id != storage::kPrimaryIndexId)
    return std::nullopt;
  return map.GroupOf(rest);
}

}  // namespace tessera::cluster
