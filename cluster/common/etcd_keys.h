// Where the cluster keeps its metadata in etcd. One prefix per cluster, so
// several loopback clusters (tests) can share an etcd.
//
//   /tessera/cluster            {"groups": N, "buckets": B}   written by `ctl init`
//   /tessera/shardmap           {"buckets": [group of bucket 0, ...]}
//   /tessera/nodes/<group>      {"address": "host:port", "node", "epoch", ...} on the lease of
//                               the group's primary: where gateways send the group's work
//   /tessera/groups/<g>/primary {"node", "address", "epoch"}: which replica holds the group's
//                               authority, and its epoch (durable; claimed and raised in txns)
//   /tessera/groups/<g>/replicas/<node>  {"address", "role", "epoch", "pid"} on each replica's lease
//   /tessera/groups/<g>/insync  {"epoch", "members": [node ids]}: the backups every commit
//                               waits for (written by the primary, conditioned on its epoch)
//   /tessera/gateways/<id>      {"port": P, "catalog": revision seen} on its lease
//   /tessera/catalog            the catalog document (catalog_json.h)
//   /tessera/counters/<name>    counters (table and index ids, sequences) in ranges
//   /tessera/tso/leader         {"address", "group0_epoch"} of the timestamp oracle, on its lease
//   /tessera/tso/window         the end of the oracle's reserved window
#pragma once

#include <string>

namespace tessera::cluster::keys {

inline const std::string kRoot = "/tessera/";
inline const std::string kCluster = "/tessera/cluster";
inline const std::string kShardMap = "/tessera/shardmap";
inline const std::string kNodes = "/tessera/nodes/";
inline const std::string kGateways = "/tessera/gateways/";
inline const std::string kCatalog = "/tessera/catalog";
inline const std::string kCounters = "/tessera/counters/";
inline const std::string kTsoLeader = "/tessera/tso/leader";
inline const std::string kTsoWindow = "/tessera/tso/window";

inline const std::string kGroups = "/tessera/groups/";

inline std::string Node(int group) { return kNodes + std::to_string(group); }
inline std::string Group(int group) { return kGroups + std::to_string(group) + "/"; }
inline std::string GroupPrimary(int group) { return Group(group) + "primary"; }
inline std::string GroupReplicas(int group) { return Group(group) + "replicas/"; }
inline std::string GroupReplica(int group, const std::string& node) { return GroupReplicas(group) + node; }
inline std::string GroupInSync(int group) { return Group(group) + "insync"; }
// The group's last failover, written by the backup that took over (for `tessera ctl status`).
inline std::string GroupLastFailover(int group) { return Group(group) + "last_failover"; }
inline std::string Gateway(const std::string& id) { return kGateways + id; }
// A session's temp schema pg_temp_<n> (common/temp_schema.h), under its
// gateway's lease: gone with the gateway, so its tables are leftovers.
inline const std::string kTempSchemas = "/tessera/temp_schemas/";
inline std::string TempSchema(int64_t n) { return kTempSchemas + std::to_string(n); }

}  // namespace tessera::cluster::keys
