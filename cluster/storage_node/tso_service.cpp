#include "cluster/storage_node/tso_service.h"

#include <spdlog/spdlog.h>

#include <chrono>

#include "cluster/common/etcd_keys.h"

namespace tessera::cluster {

TsoService::TsoService(etcd::Client& etcd, std::string my_address, std::function<bool()> authority)
    : etcd_(etcd), address_(std::move(my_address)), authority_(std::move(authority)) {
  publisher_ = std::thread([this] { Publish(); });
}

TsoService::~TsoService() {
  stop_ = true;
  if (publisher_.joinable()) publisher_.join();
}

uint64_t TsoService::Allocate(uint32_t count) {
  std::lock_guard lock(mutex_);
  if (!authority_()) {
    window_.reset();
    return 0;
  }
  if (!window_) window_ = std::make_unique<etcd::TimestampWindow>(etcd_, keys::kTsoWindow);
  uint64_t first = 0;
  try {
    first = window_->Allocate(count);
  } catch (const std::exception& e) {
    // etcd did not answer, or another oracle reserved the window (only a
    // deposed one can have): the next call loads the stored end again.
    spdlog::warn("timestamp oracle could not reserve a window: {}", e.what());
    window_.reset();
    return 0;
  }
  // Asked again now that the value is taken: see the header for why a value
  // taken without the lease must never be answered.
  if (!authority_()) {
    window_.reset();
    return 0;
  }
  return first;
}

// Every 50 ms: a new leader names itself at once (clients that lost the old
// one look the key up every 100 ms); a leader checks the key every second
// and writes it again if it names someone else (a deposed leader's late
// write) or vanished with a lost lease; a node that stopped leading revokes
// its lease, which removes the key unless a successor has overwritten it.
void TsoService::Publish() {
  bool announced = false;
  for (uint64_t tick = 0; !stop_; ++tick) {
    try {
      if (!authority_()) {
        if (published_on_) {
          published_on_.reset();
          spdlog::info("this node no longer serves the timestamp oracle");
        }
        announced = false;
      } else {
        if (!published_on_ || published_on_->Lost()) {
          published_on_ = std::make_unique<etcd::KeptLease>(etcd_, 3);
          announced = false;
        }
        bool named = announced;
        if (!announced || tick % 20 == 0) {
          auto current = etcd_.Get(keys::kTsoLeader);
          named = !current.kvs.empty() && current.kvs[0].value == address_;
        }
        if (!named) {
          etcd_.Put(keys::kTsoLeader, address_, published_on_->Id());
          if (!announced) spdlog::info("this node serves the timestamp oracle (group 0's primary)");
        }
        announced = true;
      }
    } catch (const std::exception& e) {
      // etcd is unreachable: serving goes on under the group's lease, which
      // needs no etcd; only clients that must look us up wait for it.
      if (tick % 20 == 0) spdlog::warn("timestamp oracle could not publish its address: {}", e.what());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace tessera::cluster
