// `tessera gateway`: the SQL session's backend in a cluster (DESIGN.md,
// Processes). Stateless: the catalog lives in etcd (a cached
// DocumentCatalog, reloaded on every change etcd reports, and acknowledged
// so DDL elsewhere waits until this gateway sees it), the shard map and node
// addresses come from etcd, timestamps from the oracle leader, and all data
// from storage nodes through ClusterTxn.
#pragma once

#include <atomic>
#include <deque>
#include <condition_variable>
#include <mutex>
#include <set>
#include <thread>
#include <vector>
#include <memory>
#include <string>

#include "catalog/document_catalog.h"
#include "cluster/common/node_directory.h"
#include "cluster/common/shard_map.h"
#include "cluster/common/tso_client.h"
#include "cluster/etcd/etcd_client.h"
#include "cluster/etcd/kept_lease.h"
#include "cluster/etcd/watcher.h"
#include "cluster/transport/rpc_client.h"
#include "executor/backend.h"
#include "storage/counter_cache.h"

namespace tessera::cluster {

struct GatewayOptions {
  std::string etcd;
  int port = 5433;
  // How long a storage node may stay silent before a request fails (08006).
  std::chrono::milliseconds node_timeout{5000};
  transport::LinkTls link_tls;  // mutual TLS to the storage nodes (link_tls.h)
};

class ClusterBackend final : public executor::Backend {
 public:
  // Connects to etcd (waiting for it and for `ctl init`, up to `wait`).
  explicit ClusterBackend(GatewayOptions options, std::chrono::milliseconds wait = std::chrono::hours(24));
  ~ClusterBackend() override;

  catalog::Catalog& Catalog() override { return *catalog_; }
  std::unique_ptr<executor::BackendTxn> Begin(const storage::mvcc::TxnOptions& options) override;
  // Lock waits happen on storage nodes and end at the lock timeout.
  void Interrupt(uint64_t) override {}
  int64_t AllocateRange(const std::string& counter, int64_t count) override;
  int64_t NextVal(const std::string& qualified_name) override;
  std::string FragmentPlacement(const planner::Fragment& fragment) override;
  // Temp schemas are live while their key is in etcd under this gateway's
  // lease (kept again with a new lease when the gateway registers again).
  int64_t ClaimTempSchema() override;
  void ReleaseTempSchema(int64_t n) override;
  bool TempSchemaLive(int64_t n) override;

  // --- For ClusterTxn. ---
  const ShardMap& Map() const { return map_; }
  NodeDirectory& Nodes() { return *nodes_; }
  transport::RpcClient& Rpc() { return *rpc_; }
  TsoClient& Tso() { return *tso_; }
  etcd::Client& Etcd() { return *etcd_; }
  const GatewayOptions& Options() const { return options_; }
  std::string NextTxnName();
  // A hidden row id for a new row of `table_id`, from blocks reserved in etcd.
  int64_t NextRowId(uint32_t table_id) { return row_ids_->Next("rowid:" + std::to_string(table_id)); }
  const std::string& Id() const { return id_; }
  // A rollback that could not reach `group`'s node (down, stopped): retried
  // in the background until the node answers, so the participant's locks
  // do not outlive the transaction there. The node refuses to begin a
  // transaction again once it has ended, so a delayed request cannot
  // resurrect it either.
  void DeferRelease(int group, const std::string& txn_name);
  // Waits in the background for a secondary's commit call (logs a failure:
  // that node's cleaner finishes the commit from the primary's record).
  void FinishInBackground(const std::string& txn_name, int group, std::shared_ptr<transport::RpcClient::Pending> call);
  // Whether a commit this gateway acknowledged is still landing on one of
  // its secondaries: a read at a node's latest (no timestamp) could miss it
  // there, so statements take a timestamp meanwhile, which the node's
  // prepare gate makes wait for the landing.
  bool SecondariesInFlight() const { return secondaries_in_flight_.load(std::memory_order_acquire) > 0; }

 private:
  void ReleaseLoop();
  void FinishLoop();
  // Registers this gateway again (a new lease) whenever etcd has forgotten
  // it: its lease ran out while etcd was unreachable.
  void RegistrarLoop();
  void Announce(int64_t catalog_revision);
  void OnCatalogChange(int64_t revision);

  GatewayOptions options_;
  std::string id_;
  std::unique_ptr<etcd::Client> etcd_;
  std::mutex registration_mutex_;              // guards lease_ and announced_revision_
  std::unique_ptr<etcd::KeptLease> lease_;     // this gateway's registration
  int64_t announced_revision_ = 0;            // the catalog revision it last announced
  std::set<int64_t> temp_schemas_;            // its sessions' (guarded by registration_mutex_)
  ShardMap map_;
  std::unique_ptr<NodeDirectory> nodes_;
  std::unique_ptr<transport::RpcClient> rpc_;
  std::unique_ptr<TsoClient> tso_;
  std::unique_ptr<catalog::DocumentCatalog> catalog_;
  std::unique_ptr<etcd::Watcher> catalog_watch_;
  std::atomic<uint64_t> next_txn_{1};
  std::unique_ptr<storage::CounterCache> row_ids_;
  std::mutex release_mutex_;
  std::condition_variable release_wake_;
  std::vector<std::pair<int, std::string>> pending_releases_;
  bool stopping_ = false;
  std::thread releaser_;
  struct Finishing {
    std::string txn_name;
    int group;
    std::shared_ptr<transport::RpcClient::Pending> call;
  };
  std::deque<Finishing> finishing_;  // guarded by release_mutex_
  std::atomic<int64_t> secondaries_in_flight_{0};
  std::condition_variable finishing_wake_;
  std::thread finisher_;
  std::thread registrar_;
};

}  // namespace tessera::cluster
