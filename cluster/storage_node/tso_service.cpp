#include "cluster/storage_node/tso_service.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "cluster/common/etcd_keys.h"

namespace tessera::cluster {

TsoService::TsoService(etcd::Client& etcd, std::string my_address)
    : etcd_(etcd), election_(etcd, keys::kTsoLeader, std::move(my_address), 3) {
  campaigner_ = std::thread([this] { Campaign(); });
}

TsoService::~TsoService() {
  stop_ = true;
  if (campaigner_.joinable()) campaigner_.join();
}

void TsoService::Campaign() {
  while (!stop_) {
    bool leading = false;
    try {
      leading = election_.TryLead();
    } catch (const std::exception& e) {
      // etcd did not answer (it may be electing a leader of its own): a leader whose lease
      // still holds goes on leading; the lease's expiry is what ends it.
      leading = election_.IsLeader();
      spdlog::warn("timestamp oracle campaign: {}", e.what());
    }
    {
      std::lock_guard lock(mutex_);
      if (leading && !window_) {
        window_ = std::make_unique<etcd::TimestampWindow>(etcd_, keys::kTsoWindow);
        spdlog::info("this node is now the timestamp oracle leader");
      } else if (!leading && window_) {
        window_.reset();
        spdlog::info("this node is no longer the timestamp oracle leader");
      }
    }
    for (int i = 0; i < 5 && !stop_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
}

bool TsoService::IsLeader() {
  std::lock_guard lock(mutex_);
  return window_ != nullptr && election_.IsLeader();
}

uint64_t TsoService::Allocate(uint32_t count) {
  std::lock_guard lock(mutex_);
  if (!window_ || !election_.IsLeader()) return 0;
  try {
    return window_->Allocate(count);
  } catch (const std::exception& e) {
    // Someone else reserved the window: we are not the leader any more.
    spdlog::warn("timestamp oracle lost its window: {}", e.what());
    window_.reset();
    return 0;
  }
}

}  // namespace tessera::cluster
