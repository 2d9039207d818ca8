// Garbage collection of old versions. A version can go once no snapshot can
// read it: below the horizon (the oldest open snapshot, or the watermark when
// none is open; in cluster mode prepare_gate.h says how external snapshots
// and prepared transactions hold it back) each key needs only its newest
// version at or below the horizon, and not even that one if it is a
// tombstone, since "no version" and "deleted" read the same. Versions above
// the horizon all stay.
//
// A pass walks a database on one LMDB read snapshot, opened after taking the
// horizon, and deletes through the group committer in chunks. A key's
// deletions always share one chunk, so no reader ever sees a tombstone gone
// while the older version it hid is still there.
#pragma once

#include <lmdb.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>

#include "storage/mvcc/version_key.h"

namespace tessera::storage::mvcc {

class MvccEngine;

struct GcStats {
  uint64_t passes = 0;
  uint64_t versions_scanned = 0;
  uint64_t versions_removed = 0;
  Timestamp last_horizon = kNoTimestamp;
};

// The decision for one version of a key, seen newest first. Deterministic;
// `found_floor` carries over between the versions of one key (start false).
bool ShouldDropVersion(Timestamp ts, bool tombstone, Timestamp horizon, bool* found_floor);

class GarbageCollector {
 public:
  explicit GarbageCollector(MvccEngine* engine) : engine_(engine) {}
  ~GarbageCollector();  // stops the background thread

  // Runs a pass every `interval` on a background thread.
  void Start(std::chrono::milliseconds interval);
  void Stop();
  // One pass over both versioned databases, on the caller's thread.
  void RunPass();
  GcStats Stats() const;

 private:
  void Run(std::chrono::milliseconds interval);
  // Returns {scanned, removed} for one database.
  std::pair<uint64_t, uint64_t> CollectDatabase(MDB_dbi dbi, Timestamp horizon);

  MvccEngine* engine_;
  std::mutex pass_mutex_;  // one pass at a time
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
  GcStats stats_;
};

}  // namespace tessera::storage::mvcc
