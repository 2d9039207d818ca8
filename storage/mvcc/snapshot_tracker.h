// Which timestamps are safe to read at, and which versions nobody can see.
//
// A commit takes its timestamp before its LMDB write transaction lands (the
// timestamp is part of every key it writes), and with group commit a later
// timestamp may land before an earlier one. So a snapshot may not simply use
// the newest timestamp handed out: it uses the *visible watermark*, one below
// the oldest commit still in flight (or the newest handed out if none is).
// Every commit at or below the watermark is in LMDB, so a reader that opens
// its LMDB read transaction after taking the watermark sees each of those
// commits whole, and filters out the newer ones by timestamp: commits become
// visible atomically, and only once durable.
//
// The tracker also counts open snapshots, so GC knows its horizon: the oldest
// snapshot still open (or the watermark when none is).
//
// Deterministic core: not thread-safe, the engine holds its mutex around it.
#pragma once

#include <cstdint>
#include <set>

#include "storage/mvcc/timestamp_oracle.h"

namespace tessera::storage::mvcc {

class SnapshotTracker {
 public:
  explicit SnapshotTracker(TimestampOracle* oracle) : oracle_(oracle) {}

  // The newest timestamp whose commit, and every earlier one, is durable.
  Timestamp Watermark() const;
  // Opens a snapshot at the watermark; pair with CloseSnapshot.
  Timestamp OpenSnapshot();
  void CloseSnapshot(Timestamp ts);
  // A fresh commit timestamp, in flight until FinishCommit (success or not).
  Timestamp BeginCommit();
  void FinishCommit(Timestamp ts);
  // No open or future snapshot reads below this: versions shadowed by a
  // newer version at or below it can be dropped.
  Timestamp GcHorizon() const;
  size_t OpenSnapshots() const { return snapshots_.size(); }

 private:
  TimestampOracle* oracle_;
  std::multiset<Timestamp> snapshots_;
  std::set<Timestamp> in_flight_;
};

}  // namespace tessera::storage::mvcc
