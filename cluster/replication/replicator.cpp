#include "cluster/replication/replicator.h"

#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <limits>

#include "cluster/common/node_protocol.h"
#include "cluster/replication/group_membership.h"
#include "cluster/replication/replication_protocol.h"
#include "common/error.h"

namespace tessera::cluster::replication {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

struct Replicator::Shipper {
  std::string node, address;
  std::atomic<bool> stop{false};
  std::string problem;  // under Replicator::mutex_
  std::thread thread;
};

Replicator::Replicator(ReplicatorOptions options, etcd::Client& etcd, storage::ReplicationLog& log,
                       std::function<void(uint64_t below)> trim_log, std::function<void()> on_deposed)
    : options_(std::move(options)),
      etcd_(etcd),
      log_(log),
      trim_log_(std::move(trim_log)),
      on_deposed_(std::move(on_deposed)),
      rpc_(1, options_.link_tls) {
  InSyncSet set = ReadInSync(etcd_, options_.group);
  // Backups that were in sync under the previous epoch still are: this
  // primary's log holds everything they acknowledged. Commits wait for them
  // until they answer or are dropped.
  std::vector<std::string> members;
  for (const std::string& m : set.members)
    if (m != options_.node) members.push_back(m);
  tracker_.SetMembers(members);
  RecomputeLease();
  if (!WriteMembers(members))
    throw SqlError("08006", "node " + options_.node + " is no longer the primary of shard group " +
                                std::to_string(options_.group));
  spdlog::info("replication: group {} epoch {}, in-sync backups: [{}], log at position {}", options_.group,
               options_.epoch, fmt::join(members, ", "), log_.LastPosition());
  manager_ = std::thread([this] { ManagerLoop(); });
}

Replicator::~Replicator() { Stop(); }

void Replicator::Stop() {
  {
    std::lock_guard lock(mutex_);
    if (stop_) return;
    stop_ = true;
    WakeCommits();
  }
  cv_.notify_all();
  log_.WakeWaiters();
  if (manager_.joinable()) manager_.join();
  std::map<std::string, std::unique_ptr<Shipper>> shippers;
  {
    std::lock_guard lock(mutex_);
    shippers.swap(shippers_);
  }
  for (auto& [node, shipper] : shippers) shipper->stop = true;
  log_.WakeWaiters();
  for (auto& [node, shipper] : shippers) shipper->thread.join();
}

void Replicator::WaitReplicated(uint64_t position) {
  std::unique_lock lock(mutex_);
  const auto since = Clock::now();
  bool warned = false;
  while (!stop_) {
    if (tracker_.Replicated(position)) return;
    auto waited = Clock::now() - since;
    if (waited >= options_.lag_allowed) {
      bool asked = false;
      for (const std::string& member : tracker_.Missing(position)) asked |= drop_requests_.insert(member).second;
      if (asked) cv_.notify_all();
      if (!warned && waited >= std::chrono::seconds(5)) {
        warned = true;
        spdlog::warn("replication: a commit at position {} has waited 5 s for backups [{}] of group {} (is etcd "
                     "reachable to drop them from the in-sync set?)",
                     position, fmt::join(tracker_.Missing(position), ", "), options_.group);
      }
    }
    // Parks (a commit runs on a fiber): waiting for backups holds no worker.
    commit_waiters_.WaitOnce(lock, milliseconds(20));
  }
}

bool Replicator::WriteMembers(const std::vector<std::string>& members) {
  InSyncSet set{options_.epoch, members};
  return WriteInSync(etcd_, options_.group, options_.primary_record_json, set);
}

bool Replicator::HoldsLease() {
  if (deposed_) return false;
  return Clock::now().time_since_epoch().count() < lease_until_.load();
}

void Replicator::WakeCommits() { WaitList::WakeAll(commit_waiters_.Take()); }

void Replicator::RecomputeLease() {
  int64_t until = std::numeric_limits<int64_t>::max();  // no member: nobody can take over
  for (const std::string& member : tracker_.Members()) {
    auto it = ack_sent_.find(member);
    int64_t expires = it == ack_sent_.end() ? 0 : (it->second + options_.lease).time_since_epoch().count();
    until = std::min(until, expires);
  }
  lease_until_ = until;
}

void Replicator::Deposed() {
  if (deposed_.exchange(true)) return;
  spdlog::critical("replication: node {} is no longer the primary of group {} (epoch {}): etcd records another",
                   options_.node, options_.group, options_.epoch);
  if (on_deposed_) on_deposed_();
}

void Replicator::ManagerLoop() {
  auto last_trim = Clock::now();
  auto last_warning = Clock::now() - std::chrono::hours(1);
  std::string last_error;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      cv_.wait_for(lock, milliseconds(200), [&] { return stop_ || !drop_requests_.empty(); });
      if (stop_) return;
    }
    try {
      ManageOnce();
      if (Clock::now() - last_trim >= std::chrono::seconds(5)) {
        last_trim = Clock::now();
        uint64_t last = log_.LastPosition();
        if (last > options_.retained_records) trim_log_(last - options_.retained_records);
      }
    } catch (const std::exception& e) {
      // etcd down: the same failure every round; say it once in a while.
      if (e.what() != last_error || Clock::now() - last_warning >= std::chrono::seconds(10)) {
        spdlog::warn("replication manager of group {}: {}", options_.group, e.what());
        last_error = e.what();
        last_warning = Clock::now();
      }
      std::this_thread::sleep_for(milliseconds(100));
    }
  }
}

void Replicator::ManageOnce() {
  // 1. Drop the backups commits waited for too long, and those silent for
  // lag_allowed (before the lease they hold up lapses): in etcd first.
  std::set<std::string> drops;
  std::vector<std::string> members;
  {
    std::lock_guard lock(mutex_);
    auto now = Clock::now();
    for (const std::string& member : tracker_.Members()) {
      auto it = ack_received_.find(member);
      auto heard = it == ack_received_.end() ? started_ : std::max(it->second, started_);
      if (now - heard >= options_.lag_allowed) drop_requests_.insert(member);
    }
    drops = drop_requests_;
    members = tracker_.Members();
  }
  if (!drops.empty()) {
    std::vector<std::string> kept;
    for (const std::string& m : members)
      if (drops.count(m) == 0) kept.push_back(m);
    if (!WriteMembers(kept)) {
      Deposed();
      throw SqlError("08006", "this node is no longer the primary; in-sync set unchanged");
    }
    {
      std::lock_guard lock(mutex_);
      for (const std::string& d : drops) {
        tracker_.Remove(d);
        drop_requests_.erase(d);
      }
      RecomputeLease();
      WakeCommits();
    }
    for (const std::string& d : drops)
      spdlog::warn("replication: dropped backup {} from the in-sync set of group {} (no acknowledgement within {} ms)",
                   d, options_.group, options_.lag_allowed.count());
  }

  // 2. Ship to every live backup; stop shipping to those gone.
  std::vector<ReplicaInfo> replicas = ReadReplicas(etcd_, options_.group);
  std::vector<std::unique_ptr<Shipper>> gone;
  std::vector<std::string> candidates;
  {
    std::lock_guard lock(mutex_);
    std::set<std::string> live;
    for (const ReplicaInfo& r : replicas) {
      if (r.node == options_.node || r.role != "backup" || r.address.empty()) continue;
      live.insert(r.node);
      auto it = shippers_.find(r.node);
      if (it != shippers_.end() && it->second->address == r.address) continue;
      if (it != shippers_.end()) gone.push_back(std::move(it->second));  // restarted elsewhere
      auto shipper = std::make_unique<Shipper>();
      shipper->node = r.node;
      shipper->address = r.address;
      Shipper* raw = shipper.get();
      shipper->thread = std::thread([this, raw] { Ship(*raw); });
      shippers_[r.node] = std::move(shipper);
      spdlog::info("replication: shipping group {}'s log to backup {} at {}", options_.group, r.node, r.address);
    }
    for (auto it = shippers_.begin(); it != shippers_.end();) {
      // An in-sync backup whose registration is missing keeps its shipper: the
      // registration is on an etcd lease, which an etcd hiccup of a few seconds
      // (its leader dying on a loaded machine) lets expire while the backup is
      // fine. Stopping the stream then left the backup without news from its
      // primary, and it took the group over: a failover nobody needed. A
      // backup that is really gone stops acknowledging and is dropped from
      // the set (step 1); then its shipper stops here.
      if (live.count(it->first) == 0 && !tracker_.IsMember(it->first)) {
        gone.push_back(std::move(it->second));
        tracker_.Forget(it->first);
        it = shippers_.erase(it);
      } else {
        if (!tracker_.IsMember(it->first) && tracker_.TryAdd(it->first)) {
          candidates.push_back(it->first);
          RecomputeLease();
        }
        ++it;
      }
    }
  }
  for (auto& shipper : gone) shipper->stop = true;
  if (!gone.empty()) log_.WakeWaiters();
  for (auto& shipper : gone) {
    shipper->thread.join();
    spdlog::info("replication: backup {} of group {} left", shipper->node, options_.group);
  }

  // 3. Caught-up backups joined in memory above (commits already wait for
  // them); now etcd hears of it. If that fails they leave again.
  if (!candidates.empty()) {
    std::vector<std::string> now;
    {
      std::lock_guard lock(mutex_);
      now = tracker_.Members();
    }
    bool written = false;
    try {
      written = WriteMembers(now);
      if (!written) Deposed();
    } catch (const std::exception&) {
    }
    std::lock_guard lock(mutex_);
    for (const std::string& c : candidates) {
      if (written) {
        spdlog::info("replication: backup {} is in sync with group {} (position {})", c, options_.group,
                     tracker_.AckedBy(c).value_or(0));
      } else {
        tracker_.Remove(c);
      }
    }
    RecomputeLease();
    WakeCommits();
  }
}

void Replicator::Ship(Shipper& shipper) {
  bool known = false;  // whether `next` is what the backup holds + 1
  uint64_t next = 0;
  auto last_call = Clock::now() - std::chrono::hours(1);
  std::string last_problem;
  auto last_logged = Clock::now() - std::chrono::hours(1);
  auto report = [&](const std::string& problem) {
    {
      std::lock_guard lock(mutex_);
      shipper.problem = problem;
    }
    // A dead backup fails every call: log a new problem at most every 5 s.
    if (problem != last_problem && !problem.empty() && Clock::now() - last_logged >= std::chrono::seconds(5)) {
      spdlog::warn("replication: backup {} of group {}: {}", shipper.node, options_.group, problem);
      last_logged = Clock::now();
    }
    last_problem = problem;
  };
  while (!shipper.stop) {
    try {
      if (log_.HasUnloggedHistory()) {
        report("this primary's data directory holds data from before its replication log, which the log "
               "cannot give a backup; catching up from a full copy is not implemented yet");
        for (int i = 0; i < 25 && !shipper.stop; ++i) std::this_thread::sleep_for(milliseconds(40));
        continue;
      }
      ReplicateRequest request{options_.epoch, options_.node, {}, shipper.node};
      if (known) {
        if (log_.LastPosition() < next) {
          log_.WaitBeyond(next - 1, options_.idle_call);
          // Nothing new: still ask now and then, so a dead backup is noticed.
          if (log_.LastPosition() < next && Clock::now() - last_call < options_.idle_call) continue;
        }
        if (log_.LastPosition() >= next) {
          if (next < log_.FirstPosition()) {
            report("it needs log records from position " + std::to_string(next) + " but the log starts at " +
                   std::to_string(log_.FirstPosition()) +
                   "; catching up from a full copy of the primary is not implemented yet (wipe its data directory "
                   "only if the primary's log still starts at 1)");
            std::this_thread::sleep_for(milliseconds(1000));
            known = false;
            continue;
          }
          request.records = log_.Read(next, options_.max_batch_bytes);
        }
      }
      transport::CallOptions call;
      call.timeout = options_.call_timeout;
      const auto sent = Clock::now();
      ReplicateResponse response =
          DecodeReplicateResponse(rpc_.Call(shipper.address, kReplicate, EncodeReplicate(request), call));
      last_call = Clock::now();
      if (!known && response.applied > 0 && response.applied <= log_.LastPosition() &&
          response.applied >= log_.FirstPosition()) {
        // Same history? Its last record must be ours at that position.
        auto mine = log_.Read(response.applied, 1);
        if (mine.empty() || mine[0].first != response.applied ||
            storage::ReplicationLog::RecordHash(mine[0].second) != response.last_hash) {
          report("its record at position " + std::to_string(response.applied) +
                 " differs from this primary's: its history diverged (a deposed primary's tail); it cannot "
                 "rejoin until it is rebuilt from a full copy, which is not implemented yet");
          std::this_thread::sleep_for(milliseconds(1000));
          continue;
        }
      }
      if (response.applied > log_.LastPosition()) {
        report("it holds position " + std::to_string(response.applied) + ", beyond this primary's " +
               std::to_string(log_.LastPosition()) + ": its history diverged; it cannot rejoin yet");
        std::this_thread::sleep_for(milliseconds(1000));
        known = false;
        continue;
      }
      next = response.applied + 1;
      known = true;
      {
        std::lock_guard lock(mutex_);
        tracker_.Acked(shipper.node, response.applied);
        ack_sent_[shipper.node] = sent;
        ack_received_[shipper.node] = last_call;
        RecomputeLease();
        WakeCommits();
      }
      report("");
    } catch (const std::exception& e) {
      report(e.what());
      known = false;
      for (int i = 0; i < 5 && !shipper.stop; ++i) std::this_thread::sleep_for(milliseconds(40));
    }
  }
}

std::vector<Replicator::BackupStatus> Replicator::Status() {
  std::vector<BackupStatus> out;
  const auto now = std::chrono::steady_clock::now();
  const uint64_t last = log_.LastPosition();
  {
    std::lock_guard lock(mutex_);
    std::set<std::string> seen;
    auto lag_seconds = [&](const std::string& node, uint64_t acked) {
      if (acked >= last) return 0.0;
      auto it = ack_received_.find(node);
      auto since = it == ack_received_.end() ? started_ : it->second;
      return std::chrono::duration<double>(now - since).count();
    };
    for (auto& [node, shipper] : shippers_) {
      BackupStatus b{node, shipper->address, tracker_.AckedBy(node).value_or(0), tracker_.IsMember(node),
                     shipper->problem};
      b.lag_seconds = lag_seconds(node, b.acked);
      out.push_back(b);
      seen.insert(node);
    }
    for (const std::string& m : tracker_.Members())
      if (!seen.count(m)) {
        BackupStatus b{m, "", tracker_.AckedBy(m).value_or(0), true, "not registered (down?)"};
        b.lag_seconds = lag_seconds(m, b.acked);
        out.push_back(b);
      }
  }
  // Counted outside the mutex: a read of the log must not hold up commits.
  for (auto& b : out) {
    b.lag_records = last > b.acked ? last - b.acked : 0;
    if (b.lag_records > 0) b.lag_bytes = log_.BytesAfter(b.acked, uint64_t{1} << 30);
  }
  return out;
}

}  // namespace tessera::cluster::replication
