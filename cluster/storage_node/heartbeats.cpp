#include "cluster/storage_node/heartbeats.h"

namespace tessera::cluster {

Heartbeats::Heartbeats(std::chrono::milliseconds interval) : interval_(interval) {
  thread_ = std::thread([this] { Loop(); });
}

Heartbeats::~Heartbeats() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Heartbeats::Guard::Guard(Heartbeats& owner, transport::ResponseStream& stream) : owner_(owner) {
  std::lock_guard lock(owner_.mutex_);
  id_ = owner_.next_id_++;
  owner_.streams_.emplace(id_, Entry{&stream, std::chrono::steady_clock::now()});
}

Heartbeats::Guard::~Guard() {
  std::lock_guard lock(owner_.mutex_);
  owner_.streams_.erase(id_);
}

void Heartbeats::Loop() {
  std::unique_lock lock(mutex_);
  while (!stop_) {
    wake_.wait_for(lock, interval_);
    auto now = std::chrono::steady_clock::now();
    for (auto& [id, entry] : streams_) {
      if (now - entry.since < interval_ || entry.stream->Cancelled()) continue;
      try {
        entry.stream->Send(std::string());
      } catch (const std::exception&) {
        // Cancelled or disconnected: the handler will notice on its own.
      }
    }
  }
}

}  // namespace tessera::cluster
