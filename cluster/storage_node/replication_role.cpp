// The replication side of a storage node (DESIGN.md, Replication and
// failover; ARCHITECTURE.md, The cluster): a primary's replicator and
// lease, a backup's applying of its primary's log, and a backup's takeover
// when its primary falls silent.
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <shared_mutex>
#include <thread>

#include "cluster/common/etcd_keys.h"
#include "cluster/replication/replication_protocol.h"
#include "cluster/storage_node/storage_node.h"
#include "common/blocking_call.h"
#include "common/error.h"

namespace tessera::cluster {

using Clock = std::chrono::steady_clock;

namespace {

// A backup takes over after hearing nothing from its primary for this long:
// the primary's lease (ReplicatorOptions::lease, 1 s) plus a margin of 0.3 s
// for the two monotonic clocks' rates and for a request that checked the
// lease just before it lapsed. The primary calls every in-sync backup at
// least every 0.1 s (ReplicatorOptions::idle_call), so 1.3 s of silence is
// 13 missed calls, not a busy moment.
constexpr std::chrono::milliseconds kPromoteAfter{1300};

}  // namespace

std::string WallClockIso8601() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03d}Z", fmt::gmtime(std::chrono::system_clock::to_time_t(now)),
                     static_cast<int>(ms));
}

void StorageNode::StartReplicator() {
  // Before gateways can find this node: from here on no commit is
  // acknowledged before every in-sync backup has it.
  replication::ReplicatorOptions replication_options;
  replication_options.group = options_.group;
  replication_options.node = node_id_;
  replication_options.epoch = role_.primary.epoch;
  replication_options.primary_record_json = role_.record_json;
  replication_options.link_tls = options_.link_tls;
  engine_->Log()->SetEpoch(role_.primary.epoch);
  replicator_ = std::make_shared<replication::Replicator>(
      replication_options, *etcd_, *engine_->Log(), [this](uint64_t below) { engine_->TrimReplicationLog(below); },
      [this] {
        // Another node holds the group now and may have acknowledged writes:
        // nothing this process still holds may be acknowledged or read.
        spdlog::critical("storage node {} of group {} was deposed; exiting (restart it to rejoin as a backup)",
                         node_id_, options_.group);
        std::_Exit(3);
      });
  engine_->Committer().SetDurabilityBarrier(
      [replicator = replicator_](uint64_t position) { replicator->WaitReplicated(position); });
}

// A primary restarted on its data starts with its previous epoch's in-sync
// backups and no acknowledgement from them, so it holds no lease yet: it may
// serve only once they have acknowledged this epoch or been dropped from the
// set (about lag_allowed). Requests meanwhile get "still starting" (08006),
// the answer of any starting node, rather than a lease lost. Bounded, so a
// node whose etcd stopped answering still comes up and says why it refuses.
void StorageNode::AwaitLease(const std::atomic<bool>& stop) {
  const auto deadline = Clock::now() + std::chrono::seconds(5);
  while (!stop && !replicator_->HoldsLease() && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (!replicator_->HoldsLease())
    spdlog::warn("storage node {} of group {}: no lease as primary 5 s after it started (its in-sync backups have "
                 "not answered, and etcd could not drop them); it refuses requests until they do",
                 node_id_, options_.group);
}

// A backup whose primary has been silent for longer than the primary's
// lease (plus a margin for clock rates) takes the group over, if etcd still
// names that primary and lists this backup in sync: one transaction raises
// the epoch, so a late write of the old primary, which would need this
// node's acknowledgement or an in-sync change in etcd, can never succeed.
void StorageNode::MaybePromote() {
  auto silence = [this] {
    return std::chrono::nanoseconds(Clock::now().time_since_epoch().count() - last_heard_from_primary_.load());
  };
  if (silence() < kPromoteAfter) return;
  std::unique_lock apply(apply_mutex_);
  // Measured again under the apply lock: a replication request that held it
  // may have just come from a primary (one restarted at a new epoch, say),
  // and a backup must never depose a primary it has just heard from.
  const auto silent = silence();
  if (silent < kPromoteAfter) return;
  auto started = Clock::now();
  auto primary_kv = etcd_->Get(keys::GroupPrimary(options_.group));
  auto in_sync_kv = etcd_->Get(keys::GroupInSync(options_.group));
  if (primary_kv.kvs.empty() || in_sync_kv.kvs.empty()) return;
  auto record = replication::PrimaryRecord::FromJson(primary_kv.kvs[0].value);
  if (!record) return;
  if (record->node == node_id_) {
    // A planned move named this node (planned_failover.cpp), and its
    // request to take over never came: the old primary serves nothing since.
    if (record->epoch > accepted_epoch_) {
      spdlog::warn("failover: etcd names backup {} primary of group {} at epoch {}; taking over", node_id_,
                   options_.group, record->epoch);
      BecomePrimary(*record, primary_kv.kvs[0].value);
    }
    return;
  }
  replication::InSyncSet in_sync = replication::InSyncSet::FromJson(in_sync_kv.kvs[0].value);
  bool eligible = record->epoch == accepted_epoch_ && record->node == accepted_primary_ &&
                  std::find(in_sync.members.begin(), in_sync.members.end(), node_id_) != in_sync.members.end();
  if (!eligible) {
    if (!promotion_refused_logged_) {
      spdlog::warn("backup {} of group {}: primary {} silent for {} ms, but this backup is not in its in-sync set "
                   "(or follows an older epoch): it may not take over",
                   node_id_, options_.group, record->node,
                   std::chrono::duration_cast<std::chrono::milliseconds>(silent).count());
      promotion_refused_logged_ = true;
    }
    return;
  }
  replication::PrimaryRecord mine{node_id_, address_, record->epoch + 1};
  std::string mine_json = mine.ToJson();
  auto result = etcd_->Txn(
      {etcd::Compare::Value(keys::GroupPrimary(options_.group), etcd::Compare::Result::kEqual, primary_kv.kvs[0].value),
       etcd::Compare::Value(keys::GroupInSync(options_.group), etcd::Compare::Result::kEqual, in_sync_kv.kvs[0].value)},
      {etcd::Op::Put(keys::GroupPrimary(options_.group), mine_json),
       etcd::Op::Put(keys::GroupInSync(options_.group), replication::InSyncSet{mine.epoch, {}}.ToJson())},
      {});
  if (!result.succeeded) return;
  spdlog::warn("failover: backup {} takes group {} over from {} at epoch {} (primary silent for {} ms, log at {})",
               node_id_, options_.group, record->node, mine.epoch,
               std::chrono::duration_cast<std::chrono::milliseconds>(silent).count(), engine_->Log()->LastPosition());
  BecomePrimary(mine, mine_json);
  const auto takeover_ms = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started).count();
  const auto silent_ms = std::chrono::duration_cast<std::chrono::milliseconds>(silent).count();
  spdlog::warn("failover: group {} served by {} at epoch {}, {} ms after the takeover began", options_.group,
               address_, mine.epoch, takeover_ms);
  // For operators (`tessera ctl status`): best effort, the takeover stands either way.
  try {
    nlohmann::json last{{"from", record->node},         {"to", node_id_},
                        {"address", address_},          {"epoch", mine.epoch},
                        {"at", WallClockIso8601()},     {"primary_silent_ms", silent_ms},
                        {"takeover_ms", takeover_ms},   {"unavailable_ms", silent_ms + takeover_ms}};
    etcd_->Put(keys::GroupLastFailover(options_.group), last.dump());
  } catch (const std::exception& e) {
    spdlog::warn("failover: could not record group {}'s failover in etcd: {}", options_.group, e.what());
  }
}

void StorageNode::ReopenAs(replication::Role role, const replication::PrimaryRecord& primary,
                           const std::string& primary_json) {
  {
    std::unique_lock swap(engine_mutex_);
    engine_.reset();
    OpenEngine(role == replication::Role::kPrimary);
  }
  std::lock_guard lock(role_mutex_);
  role_.role = role;
  role_.primary = primary;
  role_.record_json = primary_json;
}

void StorageNode::BecomePrimary(const replication::PrimaryRecord& mine, const std::string& mine_json) {
  // Reopened as a primary: recovered prepared transactions, GC.
  ReopenAs(replication::Role::kPrimary, mine, mine_json);
  StartReplicator();
  primary_ = true;
  Register();
  try {
    engine_->SetGcSafePoint(tso_->Next());
  } catch (const SqlError& e) {
    spdlog::warn("no timestamp oracle yet ({}); the GC keeps local state only", e.what());
  }
}

std::string StorageNode::HandleReplicate(std::string_view payload) {
  if (IsPrimary())
    throw SqlError("08006", "node " + node_id_ + " is the primary of shard group " + std::to_string(options_.group) +
                                "; it takes no replication stream");
  if (engine_->Log()->HasUnloggedHistory())
    throw SqlError("08006", "node " + node_id_ + " cannot be a backup: its data directory holds data from before "
                                "replication (start a backup on an empty data directory)");
  replication::ReplicateRequest request = replication::DecodeReplicateRequest(payload);
  if (!request.backup.empty() && request.backup != node_id_)
    throw SqlError("08006", "replication for node " + request.backup + " refused: this is node " + node_id_ +
                                " (the replica at this address was replaced)");
  bool new_primary;
  {
    std::lock_guard lock(apply_mutex_);
    new_primary = request.epoch > accepted_epoch_ || request.primary != accepted_primary_;
  }
  if (new_primary) {
    // A primary of a newer epoch (it restarted, or a backup took over): believe it only if etcd
    // does. Asked outside apply_mutex_ and on a thread of its own (common/blocking_call.h), so
    // neither this handler's worker nor another handler waiting for the mutex is held by etcd.
    auto current = RunBlocking([&] { return etcd_->Get(keys::GroupPrimary(options_.group)); });
    std::optional<replication::PrimaryRecord> record;
    if (!current.kvs.empty()) record = replication::PrimaryRecord::FromJson(current.kvs[0].value);
    if (!record || record->epoch != request.epoch || record->node != request.primary)
      throw SqlError("08006", "replication from node " + request.primary + " at epoch " +
                                  std::to_string(request.epoch) + " refused: it is not the primary etcd records");
  }
  std::lock_guard lock(apply_mutex_);
  if (IsPrimary())  // promoted meanwhile
    throw SqlError("08006", "replication from node " + request.primary + " refused: node " + node_id_ +
                                " is the primary of shard group " + std::to_string(options_.group) + " now");
  if (request.epoch < accepted_epoch_)
    throw SqlError("08006", "replication from epoch " + std::to_string(request.epoch) + " refused: group " +
                                std::to_string(options_.group) + " is at epoch " + std::to_string(accepted_epoch_));
  if (request.epoch > accepted_epoch_ || request.primary != accepted_primary_) {
    if (!new_primary)  // another primary was accepted while etcd was asked: the sender retries
      throw SqlError("08006", "replication from node " + request.primary + " at epoch " +
                                  std::to_string(request.epoch) + " refused: the group's primary changed meanwhile");
    spdlog::info("backup of group {}: following primary {} at epoch {}", options_.group, request.primary,
                 request.epoch);
    accepted_epoch_ = request.epoch;
    accepted_primary_ = request.primary;
  }
  uint64_t applied = engine_->Log()->LastPosition();
  std::vector<storage::PositionedRecord> fresh;
  for (auto& record : request.records)
    if (record.first > applied) fresh.push_back(std::move(record));
  if (!fresh.empty()) {
    if (fresh.front().first != applied + 1)
      throw SqlError(sqlstate::kInternalError, "replication gap: this backup holds position " +
                                                   std::to_string(applied) + ", the primary sent " +
                                                   std::to_string(fresh.front().first));
    applied = engine_->ApplyReplicated(fresh);
  }
  // Heard from the primary we follow: its lease may be fresh again.
  last_heard_from_primary_ = Clock::now().time_since_epoch().count();
  promotion_refused_logged_ = false;
  return replication::EncodeReplicate(
      replication::ReplicateResponse{applied, engine_->Log()->LastRecordHash()});
}

std::string StorageNode::HandleChecksum() {
  std::shared_lock swap(engine_mutex_);
  storage::ReplicationLog::Checksum sum = engine_->Log()->TakeChecksum();
  return nlohmann::json{{"node", node_id_},
                        {"role", IsPrimary() ? "primary" : "backup"},
                        {"position", sum.position},
                        {"hash", fmt::format("{:016x}", sum.hash)},
                        {"entries", sum.entries}}
      .dump();
}

nlohmann::json StorageNode::BackupsJson() {
  nlohmann::json backups = nlohmann::json::array();
  if (!IsPrimary()) return backups;
  for (auto& b : replicator_->Status())
    backups.push_back({{"node", b.node}, {"address", b.address}, {"acked", b.acked}, {"in_sync", b.in_sync},
                       {"problem", b.problem}, {"lag_records", b.lag_records}, {"lag_bytes", b.lag_bytes},
                       {"lag_seconds", b.lag_seconds}});
  return backups;
}

}  // namespace tessera::cluster
