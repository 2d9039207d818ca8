// A planned move of a shard group's primary (`tessera ctl failover --group G
// [--to NODE]`, DESIGN.md, Replication and failover): the primary hands its
// group to one of its in-sync backups and becomes a backup itself, and no
// client sees an error.
//
// The steps, on the primary (all on a thread of RunBlocking's, never on a
// worker or an I/O thread):
//  1. Stop admitting: a request that would start a transaction or a one-shot
//     statement is refused as never started (transport::NotServing), which
//     gateways send again to the group's next primary (cluster_txn_failover.cpp).
//     Transactions already open here go on to their commit or rollback.
//  2. Drain: wait until none is left (5 s at most; else the move is called
//     off and everything goes on as before).
//  3. Wait until the chosen backup has acknowledged the last log position
//     (every commit already waited for it; this covers the last one's
//     acknowledgement racing the drain).
//  4. Refuse everything, stop the replicator (whose next in-sync change
//     would otherwise find the record changed and exit the process as
//     deposed), and change etcd in one transaction conditioned on this
//     node's record and the in-sync set it read: the backup becomes primary
//     at epoch + 1, with this node as its one in-sync backup (it holds
//     exactly the same log, so RPO 0 holds at once).
//  5. Tell the backup to take over (kTakeOver). It opens its engine as a
//     primary and serves once this node, now its backup, acknowledges its
//     first call (its lease). Should the message be lost, the backup finds
//     etcd naming it once its primary has been silent for the usual 2 s, and
//     takes over then (MaybePromote).
//  6. Reopen this node's engine as a backup's and follow the new primary.
// A failure before step 4 leaves the node primary, serving again.
#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>
#include <thread>

#include "cluster/common/etcd_keys.h"
#include "cluster/storage_node/storage_node.h"
#include "cluster/transport/transport_errors.h"
#include "common/blocking_call.h"
#include "common/error.h"

namespace tessera::cluster {

namespace {

using Clock = std::chrono::steady_clock;
using nlohmann::json;

constexpr auto kDrainWait = std::chrono::seconds(5);
constexpr auto kCatchUpWait = std::chrono::seconds(3);
constexpr auto kPoll = std::chrono::milliseconds(5);

int64_t MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

}  // namespace

StorageNode::Admission::Admission(StorageNode& node) : node_(node) {
  // Counted before the flag is read: a drain that set the flag and then saw
  // no admission in progress cannot have missed this one.
  node_.admitting_.fetch_add(1);
  if (node_.handing_over_.load()) {
    node_.admitting_.fetch_sub(1);
    throw transport::NotServing("storage node " + node_.address_ + " is handing shard group " +
                                std::to_string(node_.options_.group) + " over to another replica");
  }
}

std::string StorageNode::HandleHandOver(std::string_view payload) {
  const std::string group = std::to_string(options_.group);
  if (!IsPrimary())
    throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                   "node " + node_id_ + " is not the primary of shard group " + group);
  json request = json::parse(payload, nullptr, false);
  std::string to = request.is_object() ? request.value("to", "") : "";
  bool idle = false;
  if (!handing_over_.compare_exchange_strong(idle, true))
    throw SqlError(sqlstate::kObjectNotInPrerequisiteState, "shard group " + group + " is being moved already");
  const auto started = Clock::now();
  spdlog::warn("planned failover of group {}: primary {} stops admitting new transactions", options_.group, node_id_);

  // Steps 1-3; nothing has changed for good if they fail.
  replication::PrimaryRecord successor;
  std::string successor_json;
  int64_t drained_ms = 0;
  try {
    RunBlocking([&] {
      auto in_sync_kv = etcd_->Get(keys::GroupInSync(options_.group));
      replication::InSyncSet in_sync = in_sync_kv.kvs.empty()
                                           ? replication::InSyncSet{}
                                           : replication::InSyncSet::FromJson(in_sync_kv.kvs[0].value);
      if (to.empty() && !in_sync.members.empty()) to = in_sync.members.front();
      if (to.empty() || std::find(in_sync.members.begin(), in_sync.members.end(), to) == in_sync.members.end())
        throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                       "shard group " + group + " has no in-sync backup " + (to.empty() ? "" : to + " ") +
                           "to move its primary to (in sync: " + fmt::format("{}", fmt::join(in_sync.members, ", ")) +
                           ")");
      std::string address;
      for (auto& replica : replication::ReadReplicas(*etcd_, options_.group))
        if (replica.node == to) address = replica.address;
      if (address.empty())
        throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                       "backup " + to + " of shard group " + group + " is not registered (is it running?)");

      const auto drain_deadline = Clock::now() + kDrainWait;
      while (admitting_.load() > 0 || participants_.Size() > 0) {
        if (Clock::now() > drain_deadline)
          throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                         "shard group " + group + " still has " + std::to_string(participants_.Size()) +
                             " open transaction(s) after " + std::to_string(kDrainWait.count()) +
                             " s; its primary was not moved (try again)");
        std::this_thread::sleep_for(kPoll);
      }
      drained_ms = MillisecondsSince(started);

      const auto catch_up_deadline = Clock::now() + kCatchUpWait;
      for (;;) {
        const uint64_t last = engine_->Log()->LastPosition();
        bool caught_up = false;
        for (auto& b : replicator_->Status())
          if (b.node == to) caught_up = b.in_sync && b.acked >= last;
        if (caught_up) break;
        if (Clock::now() > catch_up_deadline)
          throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                         "backup " + to + " of shard group " + group + " did not acknowledge log position " +
                             std::to_string(last) + " within " + std::to_string(kCatchUpWait.count()) +
                             " s; the primary was not moved");
        std::this_thread::sleep_for(kPoll);
      }

      // Step 4: from here on this node serves nothing as a primary.
      handed_over_ = true;
      replicator_->Stop();
      replication::PrimaryRecord mine;
      {
        std::lock_guard lock(role_mutex_);
        mine = role_.primary;
      }
      successor = replication::PrimaryRecord{to, address, mine.epoch + 1};
      successor_json = successor.ToJson();
      auto result = etcd_->Txn(
          {etcd::Compare::Value(keys::GroupPrimary(options_.group), etcd::Compare::Result::kEqual, role_.record_json),
           etcd::Compare::Value(keys::GroupInSync(options_.group), etcd::Compare::Result::kEqual,
                                in_sync_kv.kvs[0].value)},
          {etcd::Op::Put(keys::GroupPrimary(options_.group), successor_json),
           etcd::Op::Put(keys::GroupInSync(options_.group),
                         replication::InSyncSet{successor.epoch, {node_id_}}.ToJson())},
          {});
      if (!result.succeeded) {
        // Still ours to serve, unless another node took it meanwhile (then the
        // restarted replicator finds out and the node exits, as any deposed one).
        StartReplicator();
        handed_over_ = false;
        throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                       "shard group " + group + "'s primary record or in-sync set changed while it was being moved; "
                       "its primary was not moved");
      }
    });
  } catch (...) {
    handing_over_ = false;
    spdlog::warn("planned failover of group {} called off; node {} serves as its primary again", options_.group,
                 node_id_);
    throw;
  }

  spdlog::warn("planned failover of group {}: etcd names {} primary at epoch {} ({} ms, drained in {} ms)",
               options_.group, successor.node, successor.epoch, MillisecondsSince(started), drained_ms);
  // Step 5. A lost message costs the 2 s after which the backup checks etcd itself.
  try {
    transport::CallOptions call;
    call.timeout = std::chrono::milliseconds(10000);
    RunBlocking([&] {
      return rpc_->Call(successor.address, kTakeOver,
                        json{{"epoch", successor.epoch}, {"from", node_id_}}.dump(), call);
    });
  } catch (const std::exception& e) {
    spdlog::warn("planned failover of group {}: {} did not confirm its takeover ({}); it takes over on its own once "
                 "it misses this node",
                 options_.group, successor.node, e.what());
  }
  // Step 6.
  RunBlocking([&] { BecomeBackup(successor, successor_json); });
  const int64_t total_ms = MillisecondsSince(started);
  spdlog::warn("planned failover of group {} done in {} ms: node {} follows {} as a backup", options_.group,
               total_ms, node_id_, successor.node);
  json moved{{"group", options_.group},   {"from", node_id_},    {"to", successor.node},
             {"address", successor.address}, {"epoch", successor.epoch}, {"drained_ms", drained_ms},
             {"total_ms", total_ms},      {"at", WallClockIso8601()}, {"planned", true}};
  try {
    RunBlocking([&] { etcd_->Put(keys::GroupLastFailover(options_.group), moved.dump()); });
  } catch (const std::exception& e) {
    spdlog::warn("planned failover: could not record group {}'s move in etcd: {}", options_.group, e.what());
  }
  return moved.dump();
}

std::string StorageNode::HandleTakeOver(std::string_view payload) {
  json request = json::parse(payload, nullptr, false);
  const uint64_t epoch = request.is_object() ? request.value("epoch", uint64_t{0}) : 0;
  RunBlocking([&] {
    std::unique_lock apply(apply_mutex_);
    if (IsPrimary()) return;
    auto primary_kv = etcd_->Get(keys::GroupPrimary(options_.group));
    std::optional<replication::PrimaryRecord> record;
    if (!primary_kv.kvs.empty()) record = replication::PrimaryRecord::FromJson(primary_kv.kvs[0].value);
    if (!record || record->node != node_id_ || record->epoch != epoch)
      throw SqlError(sqlstate::kObjectNotInPrerequisiteState,
                     "node " + node_id_ + " may not take shard group " + std::to_string(options_.group) +
                         " over: etcd does not name it primary at epoch " + std::to_string(epoch));
    auto started = Clock::now();
    BecomePrimary(*record, primary_kv.kvs[0].value);
    spdlog::warn("planned failover: node {} serves group {} at epoch {} ({} ms to reopen as primary, log at {})",
                 node_id_, options_.group, epoch, MillisecondsSince(started), engine_->Log()->LastPosition());
  });
  return {};
}

void StorageNode::BecomeBackup(const replication::PrimaryRecord& successor, const std::string& successor_json) {
  std::unique_lock apply(apply_mutex_);
  primary_ = false;
  // Reopened as a backup's: no GC, no cleaner, nothing written of its own.
  ReopenAs(replication::Role::kBackup, successor, successor_json);
  accepted_epoch_ = successor.epoch;
  accepted_primary_ = successor.node;
  last_heard_from_primary_ = Clock::now().time_since_epoch().count();
  handed_over_ = false;
  handing_over_ = false;
  Register();
}

}  // namespace tessera::cluster
