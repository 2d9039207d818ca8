// Who is the primary of a shard group, under which epoch (DESIGN.md,
// Replication and failover). Every replica of a group is started the same
// way; at start it claims its role in etcd:
//  - no primary recorded yet: it creates /tessera/groups/<g>/primary =
//    {node, address, epoch 1} in a transaction (create revision 0), so of
//    replicas starting together exactly one wins;
//  - the record names this very node (same data directory, see
//    node_identity.h): it is the primary coming back, and raises the epoch
//    (transaction on the record's mod revision), so that anything its
//    previous incarnation sent is recognisably stale;
//  - another node holds it: this one is a backup. It never serves gateways,
//    and only the primary writes the routing key /tessera/nodes/<g>.
// The in-sync set (/tessera/groups/<g>/insync) names the backups a commit
// waits for; only the primary of the current epoch may change it
// (transactions conditioned on the primary record being its own).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cluster/etcd/etcd_client.h"

namespace tessera::cluster::replication {

enum class Role { kPrimary, kBackup };

struct PrimaryRecord {
  std::string node;
  std::string address;
  uint64_t epoch = 0;
  std::string ToJson() const;
  static std::optional<PrimaryRecord> FromJson(const std::string& json);
};

struct GroupRole {
  Role role = Role::kBackup;
  PrimaryRecord primary;  // the record as it stands after the claim
  std::string record_json;  // its exact bytes in etcd (compared by later transactions)
};

// Claims the primary role or learns the current primary (see above).
// Throws etcd::EtcdError when etcd cannot be reached.
GroupRole ClaimGroupRole(etcd::Client& etcd, int group, const std::string& node, const std::string& address);

struct InSyncSet {
  uint64_t epoch = 0;
  std::vector<std::string> members;
  std::string ToJson() const;
  static InSyncSet FromJson(const std::string& json);  // empty set on malformed input
};

InSyncSet ReadInSync(etcd::Client& etcd, int group);
// Writes the set if `primary_json` is still the group's primary record
// (the writer's authority); false when it is not (deposed).
bool WriteInSync(etcd::Client& etcd, int group, const std::string& primary_json, const InSyncSet& set);

struct ReplicaInfo {
  std::string node;
  std::string address;
  std::string role;
};
std::vector<ReplicaInfo> ReadReplicas(etcd::Client& etcd, int group);
std::string ReplicaRegistration(const std::string& address, Role role, uint64_t epoch);

}  // namespace tessera::cluster::replication
