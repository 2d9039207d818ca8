// A watch on a key prefix, delivered on a thread of its own: the cluster's nodes follow metadata
// changes this way. It survives etcd restarts and failovers by reconnecting and resuming after
// the last revision it delivered, so callers see every change exactly once and in order — except
// after a compaction, when on_reset() tells them to re-read everything (events may then repeat
// what the re-read saw; apply them idempotently, e.g. by mod_revision).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cluster/etcd/etcd_types.h"

namespace tessera::cluster::etcd {

class Watcher {
 public:
  using EventsFn = std::function<void(const std::vector<WatchEvent>&, int64_t revision)>;

  // Watches keys starting with `prefix` from `start_revision` (0: from now). on_events gets each
  // batch with the revision of its last event; if it throws, the batch is delivered again after
  // a reconnect. On compaction: on_reset() runs and the watch resumes after the then current
  // revision. Callbacks run on the watcher's thread and must not destroy the Watcher.
  Watcher(std::string endpoints, std::string prefix, int64_t start_revision, EventsFn on_events,
          std::function<void()> on_reset = {});
  ~Watcher();  // stops the thread within ~100 ms (plus a running callback)
  Watcher(const Watcher&) = delete;
  Watcher& operator=(const Watcher&) = delete;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tessera::cluster::etcd
