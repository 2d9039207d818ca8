#include "cluster/common/node_directory.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "cluster/common/etcd_keys.h"
#include "common/blocking_call.h"
#include "common/error.h"

namespace tessera::cluster {

namespace {

std::optional<NodeInfo> Parse(const std::string& key, const std::string& value) {
  try {
    NodeInfo info;
    info.group = std::stoi(key.substr(keys::kNodes.size()));
    info.address = nlohmann::json::parse(value).at("address").get<std::string>();
    info.json = value;
    return info;
  } catch (const std::exception&) {
    return std::nullopt;  // not a node registration: ignore
  }
}

}  // namespace

std::string NodeRegistration(int group, const std::string& address) {
  return nlohmann::json{{"group", group}, {"address", address}, {"pid", static_cast<int>(getpid())}}.dump();
}

NodeDirectory::NodeDirectory(etcd::Client& etcd) : etcd_(etcd) {
  // The watch starts right after the revision the first read saw: a node that
  // registers between the read and the watch's start (the watch connects on a
  // thread of its own) would otherwise be missed for good, and All() (the
  // deadlock detector's list of nodes) never re-reads.
  const int64_t read_at = Reload();
  watcher_ = std::make_unique<etcd::Watcher>(
      etcd_.Endpoints(), keys::kNodes, read_at + 1,
      [this](const std::vector<etcd::WatchEvent>& events, int64_t) {
        std::lock_guard lock(mutex_);
        for (auto& e : events) {
          if (e.type == etcd::WatchEvent::Type::kDelete) {
            try {
              nodes_.erase(std::stoi(e.kv.key.substr(keys::kNodes.size())));
            } catch (const std::exception&) {
            }
          } else if (auto info = Parse(e.kv.key, e.kv.value)) {
            nodes_[info->group] = *info;
          }
        }
      },
      [this] { Refresh(); });
}

NodeDirectory::~NodeDirectory() { watcher_.reset(); }

void NodeDirectory::Refresh() { Reload(); }

int64_t NodeDirectory::Reload() {
  std::map<int, NodeInfo> nodes;
  int64_t revision = 0;
  try {
    // Called by statements on a miss: the request must not hold their worker.
    etcd::RangeResult result = RunBlocking([&] { return etcd_.GetPrefix(keys::kNodes); });
    revision = result.revision;
    for (auto& kv : result.kvs)
      if (auto info = Parse(kv.key, kv.value)) nodes[info->group] = *info;
  } catch (const std::exception& e) {
    throw SqlError("08006", std::string("could not read the node directory from etcd: ") + e.what());
  }
  std::lock_guard lock(mutex_);
  nodes_ = std::move(nodes);
  return revision;
}

std::string NodeDirectory::Address(int group) {
  for (int attempt = 0; attempt < 2; ++attempt) {
    {
      std::lock_guard lock(mutex_);
      auto it = nodes_.find(group);
      if (it != nodes_.end()) return it->second.address;
    }
    if (attempt == 0) Refresh();
  }
  throw SqlError("08006", "shard group " + std::to_string(group) + " has no live storage node");
}

std::optional<std::string> NodeDirectory::KnownAddress(int group) {
  std::lock_guard lock(mutex_);
  auto it = nodes_.find(group);
  if (it == nodes_.end()) return std::nullopt;
  return it->second.address;
}

std::map<int, NodeInfo> NodeDirectory::All() {
  std::lock_guard lock(mutex_);
  return nodes_;
}

}  // namespace tessera::cluster
