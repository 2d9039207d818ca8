// The primary's half of replication (DESIGN.md, Replication and failover):
// one shipper thread per live backup streams the replication log
// (storage/replication_log.h) over the transport, each call carrying every
// record written since the backup's last acknowledgement (so a backup's
// fsync covers many commits: group commit across the network), while the
// group committer already writes the next batch (pipelining).
//
// WaitReplicated is the group committer's durability barrier: a commit's
// Submit returns only once every in-sync backup acknowledged its position.
// A member that stays behind for `lag_allowed` is dropped from the in-sync
// set in etcd (a transaction conditioned on this primary's record) before
// anything is acknowledged without it; if etcd cannot be reached meanwhile,
// commits wait (RPO 0 over availability). A backup that has caught up joins
// the set again (in_sync_tracker.h has the ordering rules).
//
// A backup that needs records the log no longer holds cannot catch up: a
// full copy of the environment is not built yet, so it is reported (log and
// Status) and never joins the set. Nor can one whose last record differs
// from this primary's at that position (a deposed primary's tail).
//
// The lease (failover fencing): an in-sync backup may promote itself once it
// has heard nothing from the primary for longer than the lease and a margin
// (storage_node.cpp). The primary holds the lease until `lease` after it
// SENT the last call each in-sync backup acknowledged (that call reached the
// backup later, so the backup's silence is measured from a later point on
// its own monotonic clock): HoldsLease() is checked before every read and
// write. A member silent for lag_allowed (< lease) is dropped from the set,
// which needs etcd, so while etcd answers the lease never lapses for a
// merely slow backup; with no member there is no lease to hold. If etcd
// refuses a change because the primary record is no longer ours, this node
// was deposed: on_deposed runs (the node exits, so nothing it still holds
// can be acknowledged).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <functional>
#include <thread>
#include <vector>

#include "cluster/etcd/etcd_client.h"
#include "common/fiber.h"
#include "cluster/replication/in_sync_tracker.h"
#include "cluster/transport/rpc_client.h"
#include "storage/replication_log.h"

namespace tessera::cluster::replication {

struct ReplicatorOptions {
  int group = 0;
  std::string node;                 // this primary's node id
  uint64_t epoch = 0;
  std::string primary_record_json;  // its record in etcd, exactly (the condition of every in-sync change)
  transport::LinkTls link_tls;      // the calls to backups: mutual TLS (link_tls.h)
  // How long a commit waits for an in-sync backup before that backup is dropped.
  std::chrono::milliseconds lag_allowed{700};
  std::chrono::milliseconds lease{1000};
  // With nothing to ship, a backup is still called this often: its
  // acknowledgements renew the lease, and its silence says the primary died.
  std::chrono::milliseconds idle_call{100};
  // A call to a backup that gets no answer for this long fails (and is retried).
  std::chrono::milliseconds call_timeout{1000};
  size_t max_batch_bytes = size_t{4} << 20;
  // Log records kept beyond what every live backup acknowledged, for backups
  // that restart or join later.
  uint64_t retained_records = 100000;
};

class Replicator {
 public:
  // Reads the in-sync set from etcd (rewriting it under this epoch) and
  // starts the manager thread. Throws EtcdError if etcd cannot be read.
  Replicator(ReplicatorOptions options, etcd::Client& etcd, storage::ReplicationLog& log,
             std::function<void(uint64_t below)> trim_log, std::function<void()> on_deposed);
  ~Replicator();  // Stop()
  // Stops every thread; waiting commits return (the node is going away, and
  // its clients see their connections close). Idempotent.
  void Stop();

  // The durability barrier (see above).
  void WaitReplicated(uint64_t position);
  // Whether this primary may still serve (see the lease above).
  bool HoldsLease();

  struct BackupStatus {
    std::string node, address;
    uint64_t acked = 0;
    bool in_sync = false;
    std::string problem;  // empty, or why it cannot catch up / be reached
    // Behind the log's last position: records, their bytes (counted up to
    // 1 GiB), and seconds since the backup last acknowledged anything (0
    // when it holds everything).
    uint64_t lag_records = 0, lag_bytes = 0;
    double lag_seconds = 0;
  };
  std::vector<BackupStatus> Status();

 private:
  struct Shipper;
  void ManagerLoop();
  void ManageOnce();
  void Ship(Shipper& shipper);
  bool WriteMembers(const std::vector<std::string>& members);
  void Deposed();

  ReplicatorOptions options_;
  etcd::Client& etcd_;
  storage::ReplicationLog& log_;
  std::function<void(uint64_t)> trim_log_;
  std::function<void()> on_deposed_;
  std::atomic<bool> deposed_{false};
  transport::RpcClient rpc_;

  std::mutex mutex_;
  std::condition_variable cv_;  // the manager's: drop requests, stop
  WaitList commit_waiters_;     // WaitReplicated's (parked fibers): acks, membership changes, stop
  void WakeCommits();           // under mutex_
  InSyncTracker tracker_;
  std::set<std::string> drop_requests_;  // members waited for too long: the manager drops them
  // Per backup: when the last acknowledged call was sent / its answer came.
  std::map<std::string, std::chrono::steady_clock::time_point> ack_sent_, ack_received_;
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
  // When the lease lapses (steady clock, ns), kept current under mutex_ by
  // RecomputeLease so that HoldsLease, asked by every request, takes no lock.
  std::atomic<int64_t> lease_until_{0};
  void RecomputeLease();
  std::map<std::string, std::unique_ptr<Shipper>> shippers_;  // by node id, the live backups
  bool stop_ = false;
  std::thread manager_;
};

}  // namespace tessera::cluster::replication
