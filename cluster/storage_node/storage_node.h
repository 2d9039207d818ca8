// `tessera storage`: one replica of one shard group (DESIGN.md, Processes).
// It owns an LMDB environment through the MVCC engine in cluster mode
// (timestamps from the cluster oracle), serves fragments and transaction
// commands over the transport, registers itself in etcd on a lease, takes
// part in the timestamp oracle election, and runs the cleaner that settles
// prepared transactions whose gateway went away (Percolator's roll-forward /
// roll-back through the primary's transaction record).
#pragma once

#include <atomic>
#include <deque>
#include <cstdint>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "cluster/common/node_directory.h"
#include "cluster/common/node_protocol.h"
#include "cluster/common/tso_client.h"
#include "cluster/etcd/etcd_client.h"
#include "cluster/etcd/kept_lease.h"
#include "cluster/replication/group_membership.h"
#include "cluster/replication/replicator.h"
#include "cluster/storage_node/deadlock_detector.h"
#include "cluster/storage_node/heartbeats.h"
#include "cluster/storage_node/participants.h"
#include "cluster/storage_node/tso_service.h"
#include "cluster/transport/rpc_client.h"
#include "cluster/transport/rpc_server.h"
#include "storage/mvcc/mvcc_engine.h"

namespace tessera::cluster {

struct StorageNodeOptions {
  std::string etcd;
  int group = 0;
  std::string data_dir;
  std::string listen = "127.0.0.1:7100";  // host:port
  bool sync_commits = true;
  size_t workers = 32;
  transport::LinkTls link_tls;  // mutual TLS for every link in and out (link_tls.h)
  // A prepared transaction older than this is settled by the cleaner.
  std::chrono::milliseconds settle_after{2000};
};

// Now in UTC, as 2026-12-07T05:41:02.123Z (failover records' "at").
std::string WallClockIso8601();

class StorageNode {
 public:
  explicit StorageNode(StorageNodeOptions options);
  ~StorageNode();
  // Serves until `stop` becomes true.
  void Run(const std::atomic<bool>& stop);

 private:
  std::string HandleExecute(std::string_view payload, transport::ResponseStream& stream);
  std::string HandleKv(std::string_view payload, transport::ResponseStream& stream);
  std::string HandlePrepare(std::string_view payload, transport::ResponseStream& stream);
  std::string HandleCommit(std::string_view payload, transport::ResponseStream& stream);
  std::string HandleRollback(std::string_view payload);
  // ROLLBACK TO SAVEPOINT on a participant (participant_savepoints.cpp).
  std::string HandleRollbackTo(std::string_view payload);
  std::string HandleUnlockRows(std::string_view payload);
  std::string HandleTxnStatus(std::string_view payload);
  std::string HandleTimestamps(std::string_view payload);
  std::string HandlePing();
  // A backup: applies its primary's log records (replication_protocol.h).
  std::string HandleReplicate(std::string_view payload);
  std::string HandleChecksum();
  nlohmann::json BackupsJson();  // the primary's view of its backups (ping, ctl status)
  std::string HandleWaitEdges();
  std::string HandleBreakWait(std::string_view payload);
  void OnDisconnect(uint64_t connection);

  ParticipantRef Join(const TxnHeader& header, uint64_t connection);
  void BeginStatement(Participant& p, const TxnHeader& header);
  // After BeginStatement: while the gateway has savepoints, remembers where
  // this statement's writes begin (participant_savepoints.cpp).
  static void MarkStatement(Participant& p, const TxnHeader& header);
  // The decision for `txn_id`, as the primary participant: the record if one
  // exists, pending while the transaction may still commit, else aborted
  // (recorded, so that a late commit fails).
  TxnStatusResponse Decide(const std::string& txn_id);
  void CommitPrimary(Participant& p, const std::string& txn_id, uint64_t commit_ts);
  void CleanerLoop(const std::atomic<bool>& stop);
  void SettlePrepared();
  // Lets the GC collect versions no transaction younger than kLongestSnapshot can need.
  void AdvanceGcSafePoint();
  void Register();
  // Backups serve no gateway: every request but the cluster's own
  // (oracle, deadlock detector, status, replication) is refused with 08006.
  void RequirePrimary();
  OracleStanding OracleStandingNow();  // what the timestamp oracle needs to know of this node
  void ConfirmLeaseAfterRead();  // see storage_node.cpp
  bool IsPrimary() const { return primary_.load(); }
  void OpenEngine(bool primary);
  // Reopens the engine for `role` (a primary's recovers prepared
  // transactions and runs the GC) and records `primary` as the group's.
  void ReopenAs(replication::Role role, const replication::PrimaryRecord& primary, const std::string& primary_json);
  // replication_role.cpp: the primary's replicator (and durability barrier),
  // and a backup's takeover of its group.
  void StartReplicator();
  void MaybePromote();
  // The takeover itself, once etcd names this node primary under `mine`
  // (by MaybePromote's transaction or a planned move's): reopens the engine
  // as a primary, starts the replicator, registers. Under apply_mutex_.
  void BecomePrimary(const replication::PrimaryRecord& mine, const std::string& mine_json);
  void AwaitLease(const std::atomic<bool>& stop);
  // planned_failover.cpp: `tessera ctl failover` (the primary hands its
  // group to an in-sync backup and becomes a backup itself).
  std::string HandleHandOver(std::string_view payload);
  std::string HandleTakeOver(std::string_view payload);
  void DrainForHandOver(const std::string& to);
  void BecomeBackup(const replication::PrimaryRecord& successor, const std::string& successor_json);
  // Admission of new work while a planned move drains the node: a request
  // that would start a transaction (or a one-shot statement) counts itself
  // in admitting_ before it looks at handing_over_, so the drain, which sets
  // the flag and then waits for admitting_ to be 0, never misses one.
  class Admission {
   public:
    explicit Admission(StorageNode& node);  // throws NotServing while handing over
    ~Admission() { node_.admitting_.fetch_sub(1); }
    Admission(const Admission&) = delete;
    Admission& operator=(const Admission&) = delete;

   private:
    StorageNode& node_;
  };
  std::atomic<bool> handing_over_{false};  // no new transaction or one-shot statement
  std::atomic<bool> handed_over_{false};   // nothing at all: etcd names another primary
  std::atomic<int> admitting_{0};

  // Log records a backup keeps (its primary keeps as many: ReplicatorOptions).
  static constexpr uint64_t kRetainedLogRecords = 100000;

  // Cluster timestamps carry no clock, so the node samples the oracle now
  // and then: the sample taken kLongestSnapshot ago bounds what any live
  // snapshot may still read (an older one fails with 40001 on this node).
  static constexpr std::chrono::seconds kLongestSnapshot{120};
  std::deque<std::pair<std::chrono::steady_clock::time_point, uint64_t>> oracle_samples_;

  StorageNodeOptions options_;
  std::string address_;
  std::string node_id_;          // node_identity.h
  std::atomic<bool> ready_{false};  // everything a handler uses exists
  replication::GroupRole role_;  // claimed at start (group_membership.h); changed under role_mutex_
  std::mutex role_mutex_;
  std::atomic<bool> primary_{false};  // role_ is primary: set last on promotion
  // A backup: when it last accepted a call of its primary (steady clock, ns).
  std::atomic<int64_t> last_heard_from_primary_{std::chrono::steady_clock::now().time_since_epoch().count()};
  std::atomic<bool> promotion_refused_logged_{false};
  // Held exclusively while a promoted backup reopens its engine; shared by
  // the requests a backup answers that read the engine.
  std::shared_mutex engine_mutex_;
  // A backup: the primary it takes records from, and its epoch; older
  // epochs are refused. Under apply_mutex_ (one apply at a time, in order).
  std::mutex apply_mutex_;
  uint64_t accepted_epoch_ = 0;
  std::string accepted_primary_;
  std::unique_ptr<storage::mvcc::MvccEngine> engine_;
  // The primary: ships the log and is the committer's durability barrier.
  // Shared with that barrier, which may still run while this node stops.
  std::shared_ptr<replication::Replicator> replicator_;
  ParticipantTable participants_;
  std::mutex decision_mutex_;  // a primary's commit and a cleaner's abort decide one at a time
  std::unique_ptr<etcd::Client> etcd_;
  std::unique_ptr<etcd::KeptLease> lease_;
  std::unique_ptr<NodeDirectory> directory_;
  std::unique_ptr<TsoService> tso_service_;
  std::unique_ptr<transport::RpcClient> rpc_;
  std::unique_ptr<TsoClient> tso_;
  std::unique_ptr<DeadlockDetector> deadlocks_;  // runs while this node leads the oracle
  Heartbeats heartbeats_;
  std::unique_ptr<transport::RpcServer> server_;
};

}  // namespace tessera::cluster
