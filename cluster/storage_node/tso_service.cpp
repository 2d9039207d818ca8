#include "cluster/storage_node/tso_service.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "cluster/common/etcd_keys.h"
#include "cluster/common/tso_client.h"

namespace tessera::cluster {

TsoService::TsoService(etcd::Client& etcd, std::string my_address, std::function<OracleStanding()> standing)
    : etcd_(etcd), address_(std::move(my_address)), standing_(std::move(standing)) {
  campaigner_ = std::thread([this] { Campaign(); });
}

TsoService::~TsoService() {
  stop_ = true;
  if (campaigner_.joinable()) campaigner_.join();
  std::shared_ptr<etcd::Election> election;
  {
    std::lock_guard window_lock(window_mutex_);
    window_.reset();
  }
  {
    std::lock_guard lock(election_mutex_);
    election = std::move(election_);
  }
  if (election) election->Resign();
}

bool TsoService::Authorized() {
  uint64_t election_epoch = 0;
  {
    std::lock_guard lock(election_mutex_);
    if (!election_ || !election_->IsLeader()) return false;
    election_epoch = election_epoch_;
  }
  OracleStanding me = standing_();
  // A standing that changed since the campaign began (a backup promoted, a
  // primary handed over) first campaigns again under the new one.
  if ((me.group0_primary ? me.epoch : 0) != election_epoch) return false;
  return !me.group0_primary || me.lease;
}

bool TsoService::IsLeader() { return Authorized(); }

uint64_t TsoService::Allocate(uint32_t count) {
  std::lock_guard lock(window_mutex_);
  if (!Authorized()) {
    window_.reset();
    return 0;
  }
  if (!window_) window_ = std::make_unique<etcd::TimestampWindow>(etcd_, keys::kTsoWindow);
  uint64_t first = 0;
  try {
    first = window_->Allocate(count);
  } catch (const std::exception& e) {
    // etcd did not answer, or another oracle reserved the window (one that
    // lost its authority since): the next call loads the stored end again.
    spdlog::warn("timestamp oracle could not reserve a window: {}", e.what());
    window_.reset();
    return 0;
  }
  // Asked again now that the value is taken: see the header for why a value
  // taken without authority must never be answered.
  if (!Authorized()) {
    window_.reset();
    return 0;
  }
  return first;
}

void TsoService::Campaign() {
  for (uint64_t tick = 0; !stop_; ++tick) {
    try {
      Step(tick);
    } catch (const std::exception& e) {
      // etcd did not answer (it may be electing a leader of its own): a
      // leader whose lease still holds goes on leading; its expiry ends it.
      if (tick % 20 == 0) spdlog::warn("timestamp oracle campaign: {}", e.what());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

bool TsoService::Group0Registered(uint64_t tick) {
  if (tick % 10 == 0) group0_registered_ = !etcd_.Get(keys::Node(0)).kvs.empty();
  return group0_registered_;
}

void TsoService::StepDown(const std::shared_ptr<etcd::Election>& election, const char* why) {
  const bool was_leading = election->IsLeader();
  {
    std::lock_guard lock(election_mutex_);
    if (election_ == election) election_.reset();
  }
  {
    std::lock_guard window_lock(window_mutex_);
    window_.reset();
  }
  election->Resign();
  if (was_leading) spdlog::info("this node no longer serves the timestamp oracle: {}", why);
}

void TsoService::Step(uint64_t tick) {
  const OracleStanding me = standing_();
  const uint64_t epoch = me.group0_primary ? me.epoch : 0;
  std::shared_ptr<etcd::Election> election, outdated;
  {
    std::lock_guard lock(election_mutex_);
    election = election_;
    if (election && election_epoch_ != epoch) outdated = std::move(election);
  }
  if (!election) {
    if (outdated) StepDown(outdated, "its standing in group 0 changed");
    election = std::make_shared<etcd::Election>(etcd_, keys::kTsoLeader, OracleKeyValue(address_, epoch), 3);
    std::lock_guard lock(election_mutex_);
    election_ = election;
    election_epoch_ = epoch;
  }
  if (election->IsLeader()) {
    if (!me.group0_primary && Group0Registered(tick)) StepDown(election, "group 0 has a primary again");
    return;
  }
  if (me.group0_primary) {
    if (!me.lease) return;
    if (election->TryLead()) {
      spdlog::info("this node serves the timestamp oracle (group 0's primary at epoch {})", epoch);
      return;
    }
    // The key may still name the primary this node superseded (its lease on
    // the key outlives its lease on the group): that one can serve no more.
    std::optional<std::string> holder = election->Leader();
    if (holder && OracleEpochIn(*holder) != 0 && OracleEpochIn(*holder) < epoch && election->TakeOver(*holder))
      spdlog::info("this node serves the timestamp oracle, taken over from group 0's primary of epoch {}",
                   OracleEpochIn(*holder));
    return;
  }
  if (!Group0Registered(tick) && election->TryLead())
    spdlog::info("this node serves the timestamp oracle while group 0 has no primary");
}

}  // namespace tessera::cluster
