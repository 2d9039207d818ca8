#include "cluster/replication/in_sync_tracker.h"

#include <algorithm>

namespace tessera::cluster::replication {

void InSyncTracker::SetMembers(const std::vector<std::string>& members) {
  members_ = std::set<std::string>(members.begin(), members.end());
}

void InSyncTracker::Acked(const std::string& node, uint64_t position) {
  uint64_t& acked = acked_[node];
  acked = std::max(acked, position);
}

std::optional<uint64_t> InSyncTracker::AckedBy(const std::string& node) const {
  auto it = acked_.find(node);
  if (it == acked_.end()) return std::nullopt;
  return it->second;
}

void InSyncTracker::Forget(const std::string& node) {
  if (!IsMember(node)) acked_.erase(node);
}

bool InSyncTracker::Replicated(uint64_t position) {
  for (const std::string& member : members_) {
    auto it = acked_.find(member);
    if (it == acked_.end() || it->second < position) return false;
  }
  released_ = std::max(released_, position);
  return true;
}

std::vector<std::string> InSyncTracker::Missing(uint64_t position) const {
  std::vector<std::string> missing;
  for (const std::string& member : members_) {
    auto it = acked_.find(member);
    if (it == acked_.end() || it->second < position) missing.push_back(member);
  }
  return missing;
}

bool InSyncTracker::TryAdd(const std::string& node) {
  if (IsMember(node)) return true;
  auto it = acked_.find(node);
  if (it == acked_.end() || it->second < released_) return false;
  members_.insert(node);
  return true;
}

void InSyncTracker::Remove(const std::string& node) { members_.erase(node); }

}  // namespace tessera::cluster::replication
