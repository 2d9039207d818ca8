#include "cluster/etcd/election.h"

#include <spdlog/spdlog.h>

namespace tessera::cluster::etcd {

Election::Election(Client& client, std::string key, std::string my_value, int64_t ttl_seconds)
    : client_(client), key_(std::move(key)), value_(std::move(my_value)), ttl_seconds_(ttl_seconds) {}

Election::~Election() { Resign(); }

int64_t Election::LiveLease() {
  if (!lease_ || lease_->Lost()) {
    leading_ = false;
    lease_.reset();  // joins the old lease's thread: its on_lost cannot run after this
    lease_expires_ns_ = 0;
    lease_lost_ = false;
    // on_lost runs on the lease's thread, which our destructor joins: it may only touch atomics.
    lease_ = std::make_unique<KeptLease>(client_, ttl_seconds_, [this] {
      lease_lost_ = true;
      leading_ = false;
    }, &lease_expires_ns_);
  }
  return lease_->Id();
}

bool Election::Claimed(const TxnResult& result) {
  if (result.succeeded) {
    create_revision_ = result.revision;
  } else {
    // The key exists. It is ours if it is on our lease: we already lead, or an earlier claim
    // succeeded but its answer was lost.
    const auto& kvs = result.ranges.at(0).kvs;
    if (kvs.empty() || kvs[0].lease != lease_->Id()) {
      leading_ = false;
      return false;
    }
    create_revision_ = kvs[0].create_revision;
  }
  leading_ = !lease_->Lost();
  return leading_;
}

bool Election::TryLead() {
  std::lock_guard lock(mu_);
  const int64_t lease = LiveLease();
  return Claimed(client_.Txn({Compare::CreateRevision(key_, Compare::Result::kEqual, 0)},
                             {Op::Put(key_, value_, lease)}, {Op::Get(key_)}));
}

bool Election::TakeOver(const std::string& holder_value) {
  std::lock_guard lock(mu_);
  const int64_t lease = LiveLease();
  return Claimed(client_.Txn({Compare::Value(key_, Compare::Result::kEqual, holder_value)},
                             {Op::Put(key_, value_, lease)}, {Op::Get(key_)}));
}

// Without mu_: TryLead holds it across an etcd request, which takes up to the client's timeout
// when etcd is electing a leader of its own, and the oracle asks this on every allocation.
// lease_lost_ is set by the lease's on_lost, so a TryLead that read the lease as alive just
// before it was lost cannot make this true again.
bool Election::IsLeader() const {
  if (!leading_.load() || lease_lost_.load()) return false;
  return std::chrono::steady_clock::now().time_since_epoch().count() < lease_expires_ns_.load();
}

std::optional<std::string> Election::Leader() {
  RangeResult result = client_.Get(key_);
  if (result.kvs.empty()) return std::nullopt;
  return result.kvs[0].value;
}

void Election::Resign() {
  std::lock_guard lock(mu_);
  // Not leading before the key goes: once it is gone another may lead, and
  // IsLeader must not say this one still does.
  const bool was_leading = leading_.exchange(false);
  if (was_leading && lease_) {
    try {
      // Only our own key: after a lost lease someone else may lead already.
      client_.Txn({Compare::CreateRevision(key_, Compare::Result::kEqual, create_revision_),
                   Compare::Lease(key_, Compare::Result::kEqual, lease_->Id())},
                  {Op::Delete(key_)}, {});
    } catch (const EtcdError& e) {
      spdlog::warn("etcd election '{}': resign failed ({}); the key goes with our lease", key_, e.what());
    }
  }
  leading_ = false;
  lease_.reset();  // revokes the lease, which deletes the key if the delete above failed
  lease_expires_ns_ = 0;
}

}  // namespace tessera::cluster::etcd
