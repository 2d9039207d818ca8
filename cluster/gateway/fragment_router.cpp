#include "cluster/gateway/fragment_router.h"

#include <map>

#include "executor/fragment_runner.h"
#include "common/error.h"
#include "executor/table_store.h"
#include "planner/key_list.h"
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

// Each group gets the keys it holds (a copy of the fragment with only those).
std::vector<RoutedRequest> RouteKeyList(const planner::FragmentRequest& request, const ShardMap& map,
                                        const planner::EvalContext& ctx) {
  const planner::Fragment& f = *request.fragment;
  std::map<int, std::vector<planner::ExprRef>> by_group;
  for (auto& value : planner::KeyListValues(f.scan, ctx)) {
    std::string key;
    if (!executor::EncodeScanBound(f, {value}, ctx, &key)) continue;  // NULL matches nothing
    by_group[map.GroupOf(std::string_view(key).substr(storage::kKeyPrefixSize))].push_back(value);
  }
  if (by_group.empty()) return {{0, request}};
  std::vector<RoutedRequest> out;
  for (auto& [group, values] : by_group) {
    auto part = std::make_shared<planner::Fragment>(f);
    part->scan.lower = std::move(values);
    part->scan.key_array = false;  // an array's elements, as constants
    RoutedRequest routed{group, request};
    routed.request.fragment = std::move(part);
    out.push_back(std::move(routed));
  }
  return out;
}

}  // namespace

std::vector<RoutedRequest> RouteFragment(const planner::FragmentRequest& request, const ShardMap& map,
                                         const planner::EvalContext& ctx) {
  const planner::Fragment& f = *request.fragment;
  const planner::TableLayout& table = f.table;
  if (f.kind == FragmentKind::kInsert) {
    bool hidden = table.HasHiddenRowId();
    if (hidden && request.row_ids.size() != request.rows.size())
      throw SqlError(sqlstate::kInternalError, "rows without a primary key need row ids before routing");
    std::map<int, RoutedRequest> by_group;
    for (size_t i = 0; i < request.rows.size(); ++i) {
      const Row& row = request.rows[i];
      std::string key;
      if (hidden) {
        storage::AppendKeyValue(&key, Value::Int8(request.row_ids[i]));
      } else {
        key = executor::PrimaryKeySuffixOf(table, row);
      }
      int group = map.GroupOf(key);
      auto [it, added] = by_group.try_emplace(group);
      if (added) {
        it->second.group = group;
        it->second.request = request;
        it->second.request.rows.clear();
        it->second.request.row_ids.clear();
      }
      it->second.request.rows.push_back(row);
      if (hidden) it->second.request.row_ids.push_back(request.row_ids[i]);
    }
    std::vector<RoutedRequest> out;
    for (auto& [group, routed] : by_group) out.push_back(std::move(routed));
    return out;
  }
  if (f.scan.kind == ScanKind::kKeyList && !table.HasHiddenRowId()) return RouteKeyList(request, map, ctx);
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
