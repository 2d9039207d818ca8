// A primary's view of its backups (DESIGN.md, Replication and failover): the
// position each has acknowledged, which of them are in sync, and the rules
// that keep "every in-sync backup holds every acknowledged commit" true:
//  - a commit at position P is acknowledged once every member acked P;
//  - a member is dropped only after etcd recorded the smaller set (the
//    caller writes etcd first, then calls Remove), so no commit is ever
//    acknowledged without a backup that etcd still calls in sync;
//  - a backup joins only if it already holds every position acknowledged so
//    far (TryAdd checks that against Released()), and joins in memory
//    before etcd hears of it, so every commit acknowledged after the etcd
//    write waited for it.
// Not thread-safe: the Replicator guards it with its mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tessera::cluster::replication {

class InSyncTracker {
 public:
  using Clock = std::chrono::steady_clock;

  // The set as etcd had it when this primary took over.
  void SetMembers(const std::vector<std::string>& members);
  std::vector<std::string> Members() const { return {members_.begin(), members_.end()}; }
  bool IsMember(const std::string& node) const { return members_.count(node) != 0; }

  // A backup acknowledged everything up to `position` durably.
  void Acked(const std::string& node, uint64_t position);
  std::optional<uint64_t> AckedBy(const std::string& node) const;
  void Forget(const std::string& node);  // a backup that left (no member)

  // Every member has `position`. Records it as released when true.
  bool Replicated(uint64_t position);
  // The highest position a commit was acknowledged at.
  uint64_t Released() const { return released_; }
  // Members that have not acked `position`.
  std::vector<std::string> Missing(uint64_t position) const;

  // Adds `node` as a member if it holds every released position.
  bool TryAdd(const std::string& node);
  void Remove(const std::string& node);

 private:
  std::set<std::string> members_;
  std::map<std::string, uint64_t> acked_;
  uint64_t released_ = 0;
};

}  // namespace tessera::cluster::replication
