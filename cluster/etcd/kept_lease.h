// An etcd lease kept alive by a background thread: what a node holds while it is alive (its
// registration, its leadership). Renews every ttl/6. If renewal keeps failing until the lease
// would have expired, or etcd says it is gone, on_lost runs once (on the background thread) and
// the owner must assume every key on the lease is gone.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>

#include "cluster/etcd/etcd_client.h"

namespace tessera::cluster::etcd {

class KeptLease {
 public:
  // Grants the lease now (throws EtcdError if that fails). The Client must outlive this object.
  // on_lost must not destroy this KeptLease.
  // `expiry_out` (optional, must outlive this object) gets ExpiresNs() too,
  // for an owner that must read it without holding this object.
  KeptLease(Client& client, int64_t ttl_seconds, std::function<void()> on_lost = {},
            std::atomic<int64_t>* expiry_out = nullptr);
  ~KeptLease();  // stops renewing, revokes the lease (best effort, ≤ 1 s) and joins
  KeptLease(const KeptLease&) = delete;
  KeptLease& operator=(const KeptLease&) = delete;

  int64_t Id() const { return id_; }
  bool Lost() const { return lost_.load(); }
  // When the lease expires at the latest as far as this process knows
  // (steady clock, ns): the last successful renewal's request time plus the
  // TTL. Unlike Lost(), which the renewal thread sets, this is right at once
  // after the process was stopped (SIGSTOP) or descheduled past the expiry.
  int64_t ExpiresNs() const { return expires_ns_.load(); }

 private:
  void Run();
  void MarkLost();

  Client& client_;
  int64_t ttl_seconds_;
  std::function<void()> on_lost_;
  std::chrono::steady_clock::time_point granted_at_;  // before the grant request: never later than etcd's
  int64_t id_ = 0;
  std::atomic<bool> lost_{false};
  std::atomic<int64_t> expires_ns_{0};
  std::atomic<int64_t>* expiry_out_ = nullptr;
  void SetExpiry(std::chrono::steady_clock::time_point at);
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace tessera::cluster::etcd
