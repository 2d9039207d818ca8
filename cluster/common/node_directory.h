// Where each shard group's node listens, as registered in etcd under
// /tessera/nodes/<group> on the node's lease: a key that disappears means the
// node is gone. Kept current by a watch; a lookup that finds nothing re-reads
// etcd once before giving up, so a node that just registered is found.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cluster/etcd/etcd_client.h"
#include "cluster/etcd/watcher.h"

namespace tessera::cluster {

struct NodeInfo {
  int group = 0;
  std::string address;  // host:port of its transport server
  std::string json;     // the whole registration (ctl status)
};

class NodeDirectory {
 public:
  explicit NodeDirectory(etcd::Client& etcd);
  ~NodeDirectory();
  // Throws SqlError 08006 "shard group G has no live storage node" when the
  // group has no registered node.
  std::string Address(int group);
  // The address known now, without asking etcd (nullopt if none).
  std::optional<std::string> KnownAddress(int group);
  std::map<int, NodeInfo> All();
  void Refresh();

 private:
  // Reads every registration; returns the etcd revision it read at.
  int64_t Reload();

  etcd::Client& etcd_;
  std::mutex mutex_;
  std::map<int, NodeInfo> nodes_;
  std::unique_ptr<etcd::Watcher> watcher_;
};

// The JSON a node registers, and its address field.
std::string NodeRegistration(int group, const std::string& address);

}  // namespace tessera::cluster
