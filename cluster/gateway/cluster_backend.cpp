#include "cluster/gateway/cluster_backend.h"

#include <unistd.h>

#include <spdlog/spdlog.h>

#include <random>
#include <thread>

#include "cluster/common/etcd_keys.h"
#include "cluster/common/node_protocol.h"
#include "cluster/etcd/range_allocator.h"
#include "cluster/gateway/cluster_txn.h"
#include "cluster/gateway/etcd_catalog_store.h"
#include "common/blocking_call.h"
#include "cluster/gateway/fragment_router.h"
#include "common/error.h"
#include "executor/embedded_database.h"

namespace tessera::cluster {

namespace {

std::string NewGatewayId() {
  std::random_device random;
  char buffer[32];
  snprintf(buffer, sizeof buffer, "%d-%08x", static_cast<int>(getpid()), random());
  return buffer;
}

}  // namespace

ClusterBackend::ClusterBackend(GatewayOptions options, std::chrono::milliseconds wait)
    : options_(std::move(options)), id_(NewGatewayId()) {
  etcd_ = std::make_unique<etcd::Client>(options_.etcd);
  // Processes may start in any order: wait for etcd, then for `ctl init`.
  auto deadline = std::chrono::steady_clock::now() + wait;
  auto next_log = std::chrono::steady_clock::now();
  while (true) {
    std::string waiting_for;
    if (!etcd_->WaitUntilReady(std::chrono::seconds(1))) {
      waiting_for = "etcd at " + options_.etcd;
    } else if (auto found = etcd_->Get(keys::kShardMap); !found.kvs.empty()) {
      map_ = ShardMap::FromJson(found.kvs[0].value);
      break;
    } else {
      waiting_for = "`tessera ctl --etcd " + options_.etcd + " init --groups N`";
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("gave up waiting for " + waiting_for);
    if (std::chrono::steady_clock::now() >= next_log) {
      spdlog::info("gateway waiting for {}", waiting_for);
      next_log = std::chrono::steady_clock::now() + std::chrono::seconds(10);
    }
  }
  nodes_ = std::make_unique<NodeDirectory>(*etcd_);
  row_ids_ = std::make_unique<storage::CounterCache>(
      [this](const std::string& counter, int64_t count) { return AllocateRange(counter, count); }, 1000);
  // One I/O thread: callers read their own answers (rpc_client.h), so it only
  // reads for calls that overlap on a connection; a second thread would be
  // woken by each of its wake-ups too (Asio hands the reactor over).
  rpc_ = std::make_unique<transport::RpcClient>(1, options_.link_tls);
  tso_ = std::make_unique<TsoClient>(*etcd_, *rpc_);
  lease_ = std::make_unique<etcd::KeptLease>(*etcd_, 3);
  catalog_ = std::make_unique<catalog::DocumentCatalog>(std::make_unique<EtcdCatalogStore>(*etcd_, id_));
  int64_t revision = etcd_->Get(keys::kCatalog).revision;
  Announce(revision);
  catalog_watch_ = std::make_unique<etcd::Watcher>(
      options_.etcd, keys::kCatalog, revision + 1,
      [this](const std::vector<etcd::WatchEvent>&, int64_t at) { OnCatalogChange(at); },
      [this] { OnCatalogChange(etcd_->Get(keys::kCatalog).revision); });
  releaser_ = std::thread([this] { ReleaseLoop(); });
  finisher_ = std::thread([this] { FinishLoop(); });
  registrar_ = std::thread([this] { RegistrarLoop(); });
  spdlog::info("gateway {} joined the cluster ({} shard groups, {} buckets)", id_, map_.Groups(), map_.Buckets());
  executor::DropLeftoverTempTables(*this);  // of sessions whose gateway died
}

ClusterBackend::~ClusterBackend() {
  {
    std::lock_guard lock(release_mutex_);
    stopping_ = true;
  }
  release_wake_.notify_all();
  finishing_wake_.notify_all();
  if (releaser_.joinable()) releaser_.join();
  if (finisher_.joinable()) finisher_.join();
  if (registrar_.joinable()) registrar_.join();
  catalog_watch_.reset();
  try {
    etcd_->Delete(keys::Gateway(id_));
  } catch (const std::exception&) {
  }
  lease_.reset();
}

void ClusterBackend::Announce(int64_t catalog_revision) {
  std::lock_guard lock(registration_mutex_);
  etcd_->Put(keys::Gateway(id_), GatewayRegistration(options_.port, catalog_revision), lease_->Id());
  announced_revision_ = catalog_revision;
}

// Without this, a gateway whose lease ran out while etcd was away (20 s of
// etcd downtime is enough) stayed unregistered for good: `ctl status` listed
// no gateway, and DDL's barrier, which waits for the registered gateways to
// load a catalog change, silently stopped waiting for it.
void ClusterBackend::RegistrarLoop() {
  std::unique_lock lock(release_mutex_);
  while (!stopping_) {
    release_wake_.wait_for(lock, std::chrono::milliseconds(500));
    if (stopping_) break;
    lock.unlock();
    {
      std::lock_guard registration(registration_mutex_);
      if (lease_->Lost()) {
        try {
          auto fresh = std::make_unique<etcd::KeptLease>(*etcd_, 3);
          etcd_->Put(keys::Gateway(id_), GatewayRegistration(options_.port, announced_revision_), fresh->Id());
          for (int64_t n : temp_schemas_) etcd_->Put(keys::TempSchema(n), id_, fresh->Id());
          lease_ = std::move(fresh);
          spdlog::info("gateway {} registered in etcd again", id_);
        } catch (const std::exception& e) {
          spdlog::debug("gateway {}: registering again failed ({}); retrying", id_, e.what());
        }
      }
    }
    lock.lock();
  }
}

void ClusterBackend::OnCatalogChange(int64_t revision) {
  try {
    catalog_->Reload();
    Announce(revision);
  } catch (const std::exception& e) {
    spdlog::warn("reloading the catalog at revision {} failed: {}", revision, e.what());
  }
}

std::unique_ptr<executor::BackendTxn> ClusterBackend::Begin(const storage::mvcc::TxnOptions& options) {
  return std::make_unique<ClusterTxn>(*this, options);
}

int64_t ClusterBackend::ClaimTempSchema() {
  int64_t n = AllocateRange("temp_schema", 1);
  RunBlocking([&] {
    std::lock_guard lock(registration_mutex_);
    etcd_->Put(keys::TempSchema(n), id_, lease_->Id());
    temp_schemas_.insert(n);
  });
  return n;
}

void ClusterBackend::ReleaseTempSchema(int64_t n) {
  RunBlocking([&] {
    std::lock_guard lock(registration_mutex_);
    temp_schemas_.erase(n);
    etcd_->Delete(keys::TempSchema(n));
  });
}

bool ClusterBackend::TempSchemaLive(int64_t n) {
  return RunBlocking([&] { return !etcd_->Get(keys::TempSchema(n)).kvs.empty(); });
}

int64_t ClusterBackend::AllocateRange(const std::string& counter, int64_t count) {
  try {
    // Parks a fiber (a statement's) while etcd answers: the row id cache's waiters park too.
    return RunBlocking([&] { return etcd::AllocateRange(*etcd_, keys::kCounters + counter, count); });
  } catch (const etcd::EtcdError& e) {
    throw SqlError("08006", std::string("the cluster metadata store (etcd) is unavailable: ") + e.what());
  }
}

int64_t ClusterBackend::NextVal(const std::string& qualified_name) {
  auto [schema, name] = executor::SplitQualifiedName(qualified_name);
  return catalog_->NextVal(schema, name);
}

std::string ClusterBackend::FragmentPlacement(const planner::Fragment& fragment) {
  std::string all = "Shards: all " + std::to_string(map_.Groups()) + " groups";
  if (fragment.kind == planner::FragmentKind::kInsert) return "Shards: each row to its key's group";
  bool whole_key = fragment.scan.kind == planner::ScanKind::kPoint && fragment.scan.index_id == 0 &&
                   !fragment.table.HasHiddenRowId() && fragment.scan.lower.size() == fragment.table.primary_key.size();
  bool key_list = fragment.scan.kind == planner::ScanKind::kKeyList;
  if (!whole_key && !key_list) return all;
  planner::FragmentRequest request;
  request.fragment = std::make_shared<planner::Fragment>(fragment);
  planner::EvalContext ctx;
  try {
    auto routed = RouteFragment(request, map_, ctx);
    if (routed.size() == 1) return "Shards: group " + std::to_string(routed[0].group) + " (by primary key)";
    std::string groups;
    for (auto& r : routed) groups += (groups.empty() ? "" : ", ") + std::to_string(r.group);
    return "Shards: groups " + groups + " (by primary key)";
  } catch (const SqlError&) {
    // The key is a parameter: known when the statement runs.
  }
  return key_list ? "Shards: the keys' groups" : "Shards: one group, by primary key";
}

void ClusterBackend::DeferRelease(int group, const std::string& txn_name) {
  std::lock_guard lock(release_mutex_);
  pending_releases_.emplace_back(group, txn_name);
}

void ClusterBackend::FinishInBackground(const std::string& txn_name, int group,
                                        std::shared_ptr<transport::RpcClient::Pending> call) {
  secondaries_in_flight_.fetch_add(1, std::memory_order_acq_rel);  // before the client hears of the commit
  {
    std::lock_guard lock(release_mutex_);
    finishing_.push_back({txn_name, group, std::move(call)});
  }
  finishing_wake_.notify_one();
}

void ClusterBackend::FinishLoop() {
  std::unique_lock lock(release_mutex_);
  while (true) {
    finishing_wake_.wait(lock, [this] { return stopping_ || !finishing_.empty(); });
    if (finishing_.empty()) return;  // stopping, nothing left
    Finishing next = std::move(finishing_.front());
    finishing_.pop_front();
    lock.unlock();
    try {
      next.call->Wait();  // calls finish in about the order they started
    } catch (const std::exception& e) {
      spdlog::warn("transaction {} committed; group {} will learn it from its cleaner ({})", next.txn_name,
                   next.group, e.what());
    }
    secondaries_in_flight_.fetch_sub(1, std::memory_order_acq_rel);
    lock.lock();
  }
}

void ClusterBackend::ReleaseLoop() {
  std::unique_lock lock(release_mutex_);
  while (!stopping_) {
    release_wake_.wait_for(lock, std::chrono::seconds(1));
    if (pending_releases_.empty() || stopping_) continue;
    auto batch = std::move(pending_releases_);
    pending_releases_.clear();
    lock.unlock();
    std::vector<std::pair<int, std::string>> again;
    for (auto& [group, name] : batch) {
      try {
        TxnRequest release;
        release.txn_id = name;
        transport::CallOptions options;
        options.timeout = std::chrono::milliseconds(1000);
        rpc_->Call(nodes_->Address(group), kRollback, Encode(release), options);
        spdlog::info("released transaction {} on group {} after it came back", name, group);
      } catch (const std::exception&) {
        again.emplace_back(group, name);  // still unreachable: next round
      }
    }
    lock.lock();
    pending_releases_.insert(pending_releases_.end(), again.begin(), again.end());
  }
}

std::string ClusterBackend::NextTxnName() { return id_ + "-" + std::to_string(next_txn_.fetch_add(1)); }

}  // namespace tessera::cluster
