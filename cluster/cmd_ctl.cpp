// `tessera ctl`: create the cluster's metadata (init) and show its state
// (status: groups with their primary, epoch, backups with their lag, the
// last failover, buckets, gateways and whether each node answers; checksum: each replica's databases, to
// check that backups hold exactly what their primary holds), and move a
// group's primary by hand (failover); and make the certificates of the
// cluster's mutual TLS (certs).
#include <spdlog/spdlog.h>

#include <cstdio>
#include <nlohmann/json.hpp>

#include "cluster/commands.h"
#include "cluster/common/etcd_keys.h"
#include "cluster/common/node_directory.h"
#include "cluster/common/node_protocol.h"
#include "cluster/common/shard_map.h"
#include "cluster/common/tso_client.h"
#include "cluster/etcd/etcd_client.h"
#include "cluster/replication/group_membership.h"
#include "cluster/transport/link_certificates.h"
#include "cluster/transport/rpc_client.h"

namespace tessera::cli {

namespace {

namespace etcd = cluster::etcd;
namespace keys = cluster::keys;
using nlohmann::json;

int Init(etcd::Client& client, const CtlCommand& options) {
  cluster::ShardMap map = cluster::ShardMap::Even(options.groups, options.buckets);
  etcd::Compare absent;
  absent.key = keys::kCluster;
  absent.target = etcd::Compare::Target::kCreateRevision;
  absent.result = etcd::Compare::Result::kEqual;
  absent.number = 0;
  json cluster{{"groups", options.groups}, {"buckets", options.buckets}, {"superuser", "tessera"}, {"database", "tessera"}};
  auto result = client.Txn({absent},
                           {etcd::Op::Put(keys::kCluster, cluster.dump()), etcd::Op::Put(keys::kShardMap, map.ToJson())},
                           {etcd::Op::Get(keys::kCluster)});
  if (!result.succeeded) {
    std::string existing = result.ranges.empty() || result.ranges[0].kvs.empty() ? "" : result.ranges[0].kvs[0].value;
    std::fprintf(stderr, "tessera ctl init: the cluster is already initialised: %s\n", existing.c_str());
    return 1;
  }
  std::printf("initialised cluster: %d shard groups, %d buckets\n", options.groups, options.buckets);
  return 0;
}

int Status(etcd::Client& client, const CtlCommand& options) {
  auto cluster_key = client.Get(keys::kCluster);
  auto map_key = client.Get(keys::kShardMap);
  if (cluster_key.kvs.empty() || map_key.kvs.empty()) {
    std::fprintf(stderr, "tessera ctl status: the cluster is not initialised\n");
    return 1;
  }
  cluster::ShardMap map = cluster::ShardMap::FromJson(map_key.kvs[0].value);
  cluster::NodeDirectory directory(client);
  auto nodes = directory.All();
  std::string oracle;
  if (auto leader = client.Get(keys::kTsoLeader); !leader.kvs.empty()) oracle = cluster::OracleAddressIn(leader.kvs[0].value);
  cluster::transport::RpcClient rpc(1, options.link_tls);
  std::vector<int> buckets = map.BucketsPerGroup();
  json out{{"groups", json::array()}, {"gateways", json::array()}, {"buckets", map.Buckets()}, {"oracle", oracle}};
  for (int g = 0; g < map.Groups(); ++g) {
    json group{{"group", g}, {"buckets", buckets[static_cast<size_t>(g)]}, {"address", ""}, {"health", "down"}};
    if (auto it = nodes.find(g); it != nodes.end()) {
      group["address"] = it->second.address;
      try {
        cluster::transport::CallOptions call;
        call.timeout = std::chrono::milliseconds(1000);
        json ping = json::parse(rpc.Call(it->second.address, cluster::kPing, "", call));
        group["health"] = "up";
        group["transactions"] = ping.value("transactions", 0);
        group["max_committed"] = ping.value("max_committed", uint64_t{0});
        group["log_position"] = ping.value("log_position", uint64_t{0});
        group["backups"] = ping.value("backups", json::array());
      } catch (const std::exception& e) {
        group["health"] = std::string("unreachable: ") + e.what();
      }
    }
    if (auto record = client.Get(keys::GroupPrimary(g)); !record.kvs.empty()) {
      if (auto primary = cluster::replication::PrimaryRecord::FromJson(record.kvs[0].value)) {
        group["primary"] = primary->node;
        group["epoch"] = primary->epoch;
      }
    }
    group["in_sync"] = cluster::replication::ReadInSync(client, g).members;
    if (auto last = client.Get(keys::GroupLastFailover(g)); !last.kvs.empty()) {
      json failover = json::parse(last.kvs[0].value, nullptr, false);
      if (!failover.is_discarded()) group["last_failover"] = failover;
    }
    json replicas = json::array();
    for (auto& r : cluster::replication::ReadReplicas(client, g))
      replicas.push_back({{"node", r.node}, {"address", r.address}, {"role", r.role}});
    group["replicas"] = replicas;
    out["groups"].push_back(group);
  }
  for (auto& kv : client.GetPrefix(keys::kGateways).kvs) {
    json gateway = json::parse(kv.value, nullptr, false);
    if (gateway.is_discarded()) continue;
    gateway["id"] = kv.key.substr(keys::kGateways.size());
    out["gateways"].push_back(gateway);
  }
  if (options.json) {
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%-6s %-8s %-22s %-6s %-6s %-10s %s\n", "group", "buckets", "primary", "epoch", "txns", "log", "health");
  for (auto& g : out["groups"]) {
    std::printf("%-6d %-8d %-22s %-6llu %-6d %-10llu %s\n", g["group"].get<int>(), g["buckets"].get<int>(),
                g["address"].get<std::string>().c_str(), static_cast<unsigned long long>(g.value("epoch", uint64_t{0})),
                g.value("transactions", 0), static_cast<unsigned long long>(g.value("log_position", uint64_t{0})),
                g["health"].get<std::string>().c_str());
    for (auto& b : g.value("backups", json::array())) {
      std::string problem = b.value("problem", "");
      std::printf("       backup %-22s %-8s acked %-10llu lag %llu records, %llu bytes, %.1f s %s\n",
                  b.value("address", "").c_str(), b.value("in_sync", false) ? "in-sync" : "behind",
                  static_cast<unsigned long long>(b.value("acked", uint64_t{0})),
                  static_cast<unsigned long long>(b.value("lag_records", uint64_t{0})),
                  static_cast<unsigned long long>(b.value("lag_bytes", uint64_t{0})), b.value("lag_seconds", 0.0),
                  problem.c_str());
    }
    if (g.contains("last_failover") && g["last_failover"].value("planned", false)) {
      const json& f = g["last_failover"];
      std::printf("       last failover %s: planned move from %s to %s at epoch %llu in %lld ms\n",
                  f.value("at", "").c_str(), f.value("from", "").c_str(), f.value("address", "").c_str(),
                  static_cast<unsigned long long>(f.value("epoch", uint64_t{0})),
                  static_cast<long long>(f.value("total_ms", int64_t{0})));
    } else if (g.contains("last_failover")) {
      const json& f = g["last_failover"];
      std::printf("       last failover %s: %s took over from %s at epoch %llu, primary silent %lld ms + takeover %lld ms\n",
                  f.value("at", "").c_str(), f.value("address", "").c_str(), f.value("from", "").c_str(),
                  static_cast<unsigned long long>(f.value("epoch", uint64_t{0})),
                  static_cast<long long>(f.value("primary_silent_ms", int64_t{0})),
                  static_cast<long long>(f.value("takeover_ms", int64_t{0})));
    }
  }
  std::printf("\n%-22s %s\n", "gateway", "port");
  for (auto& gw : out["gateways"])
    std::printf("%-22s %d\n", gw["id"].get<std::string>().c_str(), gw.value("port", 0));
  std::printf("\ntimestamp oracle: %s\n", oracle.empty() ? "(no leader)" : oracle.c_str());
  return 0;
}

// Every replica of the group(s) computes a checksum of its databases at one
// snapshot, with the log position it holds: replicas at the same position
// must have the same checksum.
int Checksum(etcd::Client& client, const CtlCommand& options) {
  auto cluster_key = client.Get(keys::kCluster);
  if (cluster_key.kvs.empty()) {
    std::fprintf(stderr, "tessera ctl checksum: the cluster is not initialised\n");
    return 1;
  }
  int groups = json::parse(cluster_key.kvs[0].value).value("groups", 0);
  cluster::transport::RpcClient rpc(1, options.link_tls);
  json out = json::array();
  int failures = 0;
  for (int g = 0; g < groups; ++g) {
    if (options.group >= 0 && g != options.group) continue;
    for (auto& r : cluster::replication::ReadReplicas(client, g)) {
      json row{{"group", g}, {"node", r.node}, {"address", r.address}, {"role", r.role}};
      try {
        cluster::transport::CallOptions call;
        call.timeout = std::chrono::milliseconds(5000);
        json sum = json::parse(rpc.Call(r.address, cluster::kChecksum, "", call));
        row["position"] = sum.value("position", uint64_t{0});
        row["hash"] = sum.value("hash", "");
        row["entries"] = sum.value("entries", uint64_t{0});
      } catch (const std::exception& e) {
        row["error"] = e.what();
        ++failures;
      }
      out.push_back(row);
    }
  }
  if (options.json) {
    std::printf("%s\n", out.dump(2).c_str());
  } else {
    std::printf("%-6s %-8s %-34s %-22s %-10s %-10s %s\n", "group", "role", "node", "address", "position", "entries", "checksum");
    for (auto& row : out)
      std::printf("%-6d %-8s %-34s %-22s %-10llu %-10llu %s\n", row["group"].get<int>(),
                  row["role"].get<std::string>().c_str(), row["node"].get<std::string>().c_str(),
                  row["address"].get<std::string>().c_str(),
                  static_cast<unsigned long long>(row.value("position", uint64_t{0})),
                  static_cast<unsigned long long>(row.value("entries", uint64_t{0})),
                  row.contains("error") ? ("error: " + row["error"].get<std::string>()).c_str()
                                        : row["hash"].get<std::string>().c_str());
  }
  return failures == 0 ? 0 : 1;
}

// A planned move: the group's primary drains, hands over to the backup and
// follows it (storage_node/planned_failover.cpp).
int Failover(etcd::Client& client, const CtlCommand& options) {
  auto record_kv = client.Get(keys::GroupPrimary(options.group));
  std::optional<cluster::replication::PrimaryRecord> primary;
  if (!record_kv.kvs.empty()) primary = cluster::replication::PrimaryRecord::FromJson(record_kv.kvs[0].value);
  if (!primary) {
    std::fprintf(stderr, "tessera ctl failover: shard group %d has no primary\n", options.group);
    return 1;
  }
  cluster::transport::RpcClient rpc(1, options.link_tls);
  cluster::transport::CallOptions call;
  call.timeout = std::chrono::milliseconds(20000);
  json moved = json::parse(rpc.Call(primary->address, cluster::kHandOver, json{{"to", options.to}}.dump(), call));
  if (options.json) {
    std::printf("%s\n", moved.dump(2).c_str());
    return 0;
  }
  std::printf("group %d: primary moved from %s to %s (%s) at epoch %llu in %lld ms (transactions drained in %lld ms)\n",
              options.group, moved.value("from", "").c_str(), moved.value("to", "").c_str(),
              moved.value("address", "").c_str(), static_cast<unsigned long long>(moved.value("epoch", uint64_t{0})),
              static_cast<long long>(moved.value("total_ms", int64_t{0})),
              static_cast<long long>(moved.value("drained_ms", int64_t{0})));
  return 0;
}

int Certs(const CtlCommand& options) {
  auto issued = cluster::transport::IssueLinkCertificate(options.certs_dir, options.cert_name, options.cert_hosts);
  if (issued.created_ca) std::printf("created the cluster CA %s (its key is ca.key: keep it secret)\n", issued.ca_file.c_str());
  std::printf("created %s and %s, signed by %s\n", issued.cert_file.c_str(), issued.key_file.c_str(),
              issued.ca_file.c_str());
  std::printf("use: --cluster-ca %s --cluster-cert %s --cluster-key %s\n", issued.ca_file.c_str(),
              issued.cert_file.c_str(), issued.key_file.c_str());
  return 0;
}

}  // namespace

int RunCtl(const CtlCommand& options) {
  try {
    if (options.action == "certs") return Certs(options);
    if (options.etcd.empty()) {
      std::fprintf(stderr, "tessera ctl %s: --etcd is required\n", options.action.c_str());
      return 2;
    }
    etcd::Client client(options.etcd);
    if (!client.WaitUntilReady(std::chrono::seconds(10))) {
      std::fprintf(stderr, "tessera ctl: etcd at %s does not answer\n", options.etcd.c_str());
      return 1;
    }
    if (options.action == "init") return Init(client, options);
    if (options.action == "checksum") return Checksum(client, options);
    if (options.action == "failover") return Failover(client, options);
    return Status(client, options);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tessera ctl %s: %s\n", options.action.c_str(), e.what());
    return 1;
  }
}

}  // namespace tessera::cli
