#include "cluster/replication/group_membership.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cluster/common/etcd_keys.h"

namespace tessera::cluster::replication {

using nlohmann::json;

std::string PrimaryRecord::ToJson() const {
  return json{{"node", node}, {"address", address}, {"epoch", epoch}}.dump();
}

std::optional<PrimaryRecord> PrimaryRecord::FromJson(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  PrimaryRecord r;
  r.node = j.value("node", "");
  r.address = j.value("address", "");
  r.epoch = j.value("epoch", uint64_t{0});
  if (r.node.empty() || r.epoch == 0) return std::nullopt;
  return r;
}

GroupRole ClaimGroupRole(etcd::Client& etcd, int group, const std::string& node, const std::string& address) {
  const std::string key = keys::GroupPrimary(group);
  for (;;) {
    etcd::RangeResult current = etcd.Get(key);
    if (current.kvs.empty()) {
      PrimaryRecord mine{node, address, 1};
      std::string value = mine.ToJson();
      auto result = etcd.Txn({etcd::Compare::CreateRevision(key, etcd::Compare::Result::kEqual, 0)},
                             {etcd::Op::Put(key, value)}, {});
      // Lost the race (or our own answer was lost): read again and decide.
      if (result.succeeded) return {Role::kPrimary, mine, value};
      continue;
    }
    const etcd::KeyValue& kv = current.kvs[0];
    std::optional<PrimaryRecord> record = PrimaryRecord::FromJson(kv.value);
    if (!record) throw etcd::EtcdError("the primary record of shard group " + std::to_string(group) +
                                       " is malformed: " + kv.value);
    if (record->node != node) return {Role::kBackup, *record, kv.value};
    // This node held the group before it stopped: take it back under a new
    // epoch, so that messages of its previous life are refused.
    PrimaryRecord mine{node, address, record->epoch + 1};
    std::string value = mine.ToJson();
    auto result = etcd.Txn({etcd::Compare::ModRevision(key, etcd::Compare::Result::kEqual, kv.mod_revision)},
                           {etcd::Op::Put(key, value)}, {});
    if (result.succeeded) return {Role::kPrimary, mine, value};
  }
}

std::string InSyncSet::ToJson() const { return json{{"epoch", epoch}, {"members", members}}.dump(); }

InSyncSet InSyncSet::FromJson(const std::string& text) {
  InSyncSet set;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return set;
  set.epoch = j.value("epoch", uint64_t{0});
  if (j.contains("members") && j["members"].is_array())
    for (auto& m : j["members"])
      if (m.is_string()) set.members.push_back(m.get<std::string>());
  return set;
}

InSyncSet ReadInSync(etcd::Client& etcd, int group) {
  etcd::RangeResult result = etcd.Get(keys::GroupInSync(group));
  if (result.kvs.empty()) return {};
  return InSyncSet::FromJson(result.kvs[0].value);
}

bool WriteInSync(etcd::Client& etcd, int group, const std::string& primary_json, const InSyncSet& set) {
  auto result = etcd.Txn({etcd::Compare::Value(keys::GroupPrimary(group), etcd::Compare::Result::kEqual, primary_json)},
                         {etcd::Op::Put(keys::GroupInSync(group), set.ToJson())}, {});
  return result.succeeded;
}

std::vector<ReplicaInfo> ReadReplicas(etcd::Client& etcd, int group) {
  std::vector<ReplicaInfo> replicas;
  const std::string prefix = keys::GroupReplicas(group);
  for (auto& kv : etcd.GetPrefix(prefix).kvs) {
    json j = json::parse(kv.value, nullptr, false);
    if (j.is_discarded() || !j.is_object()) continue;
    replicas.push_back({kv.key.substr(prefix.size()), j.value("address", ""), j.value("role", "")});
  }
  return replicas;
}

std::string ReplicaRegistration(const std::string& address, Role role, uint64_t epoch) {
  return json{{"address", address},
              {"role", role == Role::kPrimary ? "primary" : "backup"},
              {"epoch", epoch},
              {"pid", static_cast<int>(getpid())}}
      .dump();
}

}  // namespace tessera::cluster::replication
