// The cluster's timestamp oracle (DESIGN.md, Transactions), served by shard
// group 0's primary while it holds that group's lease: the oracle fails over
// with group 0, in the same 1.3 s, instead of waiting out an etcd election's
// TTL of its own (3 s). The primary serves timestamps from memory out of
// windows it reserves in etcd (etcd/timestamp_window.h), as TiDB's PD does,
// and publishes its address at /tessera/tso/leader for clients
// (common/tso_client.h).
//
// Why a deposed oracle cannot hand out a timestamp below one its successor
// served: a backup promotes only after the old primary's lease has run out
// (storage_node/replication_role.cpp), and the old primary checks its lease
// after taking a timestamp from its window and before answering. A value it
// answers with was taken while it still held the lease, so before its
// successor existed, so before any transaction committed at a successor's
// timestamp; a transaction that began after such a commit was acknowledged
// cannot receive it. The successor starts above the window end stored in
// etcd, so above every value the old one could take.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cluster/etcd/etcd_client.h"
#include "cluster/etcd/kept_lease.h"
#include "cluster/etcd/timestamp_window.h"

namespace tessera::cluster {

class TsoService {
 public:
  // `authority` says whether this node may serve timestamps now (it is group
  // 0's primary and holds the group's lease). It is asked on every
  // allocation, so it must never wait.
  TsoService(etcd::Client& etcd, std::string my_address, std::function<bool()> authority);
  ~TsoService();
  // The first of `count` fresh timestamps, or 0 when this node may not serve them.
  uint64_t Allocate(uint32_t count);
  bool IsLeader() const { return authority_(); }

 private:
  void Publish();  // the publisher thread: keeps /tessera/tso/leader naming us while we lead

  etcd::Client& etcd_;
  const std::string address_;
  const std::function<bool()> authority_;
  std::mutex mutex_;
  // The window we serve from; dropped whenever authority lapses, so a node
  // that regains it starts above whatever was reserved meanwhile.
  std::unique_ptr<etcd::TimestampWindow> window_;
  std::unique_ptr<etcd::KeptLease> published_on_;  // publisher thread only
  std::atomic<bool> stop_{false};
  std::thread publisher_;
};

}  // namespace tessera::cluster
