#include "cluster/etcd/kept_lease.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "cluster/etcd/http_connection.h"

namespace tessera::cluster::etcd {

using std::chrono::milliseconds;

namespace {

constexpr milliseconds kRetryInterval{100};
constexpr milliseconds kRevokeTimeout{1000};

}  // namespace

KeptLease::KeptLease(Client& client, int64_t ttl_seconds, std::function<void()> on_lost,
                     std::atomic<int64_t>* expiry_out)
    : client_(client),
      ttl_seconds_(std::max<int64_t>(ttl_seconds, 1)),
      on_lost_(std::move(on_lost)),
      expiry_out_(expiry_out) {
  granted_at_ = Clock::now();
  id_ = client_.LeaseGrant(ttl_seconds_);
  SetExpiry(granted_at_ + std::chrono::seconds(ttl_seconds_));
  thread_ = std::thread([this] { Run(); });
}

KeptLease::~KeptLease() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
  if (!lost_) {
    try {
      client_.LeaseRevoke(id_, std::min(client_.Timeout(), kRevokeTimeout));
    } catch (const EtcdError& e) {
      // It expires on its own within the TTL.
      spdlog::warn("etcd lease {:x}: revoke failed: {}", id_, e.what());
    }
  }
}

void KeptLease::SetExpiry(std::chrono::steady_clock::time_point at) {
  expires_ns_ = at.time_since_epoch().count();
  if (expiry_out_ != nullptr) *expiry_out_ = at.time_since_epoch().count();
}

void KeptLease::MarkLost() {
  if (lost_.exchange(true)) return;
  spdlog::warn("etcd lease {:x} lost", id_);
  if (on_lost_) on_lost_();
}

void KeptLease::Run() {
  const milliseconds ttl(ttl_seconds_ * 1000);
  // Every ttl/6: when etcd's leader dies, no member renews a lease until a new one is elected
  // (1-2 s with etcd's defaults). Renewing every ttl/3, a 3 s lease last renewed up to 1 s
  // before had 2 s left, often too little, and every node lost its registration and the
  // oracle its leadership at each etcd leader change; now 2.5 s are left.
  const milliseconds interval = ttl / 6;
  // Taken before the grant / the successful renewal's request, so our estimate of the expiry is
  // never later than etcd's.
  auto renewed = granted_at_;
  auto wait = interval;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      if (cv_.wait_for(lock, wait, [&] { return stop_; })) return;
    }
    auto attempt = Clock::now();
    auto left = std::chrono::duration_cast<milliseconds>(renewed + ttl - attempt);
    try {
      if (left <= milliseconds(0)) throw EtcdError("no renewal within the TTL");
      if (!client_.LeaseKeepAlive(id_, std::min({client_.Timeout(), interval, left}))) {
        MarkLost();
        return;
      }
      renewed = attempt;
      SetExpiry(renewed + ttl);
      wait = interval;
    } catch (const EtcdError& e) {
      if (Clock::now() >= renewed + ttl) {
        spdlog::warn("etcd lease {:x}: {}", id_, e.what());
        MarkLost();
        return;
      }
      wait = kRetryInterval;
    }
  }
}

}  // namespace tessera::cluster::etcd
