// Leader election on one etcd key: the leader's key holds its value on its lease, so it vanishes
// when the leader dies or resigns. Used wherever exactly one node must act (the timestamp
// oracle). Leadership is only as fresh as the lease: a leader that cannot reach etcd learns
// of its loss at most one TTL later, when its KeptLease gives up.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "cluster/etcd/etcd_client.h"
#include "cluster/etcd/kept_lease.h"

namespace tessera::cluster::etcd {

class Election {
 public:
  // The Client must outlive the Election. Nothing is contacted until TryLead.
  Election(Client& client, std::string key, std::string my_value, int64_t ttl_seconds);
  ~Election();  // resigns if leading
  Election(const Election&) = delete;
  Election& operator=(const Election&) = delete;

  // Tries once to become leader (txn: create_revision(key) == 0 → put with our lease); true if we
  // lead (already or now). Starts our KeptLease on first use; if the lease is lost we are no
  // longer leader, and the next TryLead starts a new one. Throws EtcdError when etcd is unreachable.
  bool TryLead();
  // Takes leadership from the current leader if the key still holds exactly `holder_value`
  // (a leader its owner knows can no longer act: see storage_node/tso_service.h). True if we
  // lead now. Throws EtcdError when etcd is unreachable.
  bool TakeOver(const std::string& holder_value);
  bool IsLeader() const;  // never waits for etcd (or for a TryLead in progress)
  std::optional<std::string> Leader();  // current leader's value, read from etcd
  // Stops leading at once, then deletes our key and drops our lease (best effort, never throws).
  void Resign();
  const std::string& Value() const { return value_; }

 private:
  // Under mu_: a lease that is alive (a new one if the last was lost); its id.
  int64_t LiveLease();
  // Under mu_: the claim's outcome (`kvs`: the key as the failed txn read it).
  bool Claimed(const TxnResult& result);

  Client& client_;
  const std::string key_;
  const std::string value_;
  const int64_t ttl_seconds_;
  mutable std::mutex mu_;
  std::unique_ptr<KeptLease> lease_;
  int64_t create_revision_ = 0;  // of our key while we lead
  std::atomic<bool> leading_{false};
  std::atomic<bool> lease_lost_{false};  // the current lease's on_lost ran
  // The current lease's ExpiresNs (it writes here): IsLeader reads it
  // without mu_, and a leader woken after its lease expired is no leader
  // even before the lease's thread has noticed.
  std::atomic<int64_t> lease_expires_ns_{0};
};

}  // namespace tessera::cluster::etcd
