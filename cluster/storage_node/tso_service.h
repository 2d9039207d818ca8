// The cluster's timestamp oracle (DESIGN.md, Transactions): every storage
// node campaigns for /tessera/tso/leader; the leader serves timestamps from
// memory out of windows it reserves in etcd (etcd/timestamp_window.h), as
// TiDB's PD does. A node that loses leadership (its lease lapsed, or another
// leader reserved the window) stops serving at once; clients look the leader
// up again (common/tso_client.h).
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "cluster/etcd/election.h"
#include "cluster/etcd/etcd_client.h"
#include "cluster/etcd/timestamp_window.h"

namespace tessera::cluster {

class TsoService {
 public:
  TsoService(etcd::Client& etcd, std::string my_address);
  ~TsoService();
  // The first of `count` fresh timestamps, or 0 when this node is not the leader.
  uint64_t Allocate(uint32_t count);
  bool IsLeader();

 private:
  void Campaign();

  etcd::Client& etcd_;
  etcd::Election election_;
  std::mutex mutex_;
  std::unique_ptr<etcd::TimestampWindow> window_;  // while leading
  std::atomic<bool> stop_{false};
  std::thread campaigner_;
};

}  // namespace tessera::cluster
