#include "storage/mvcc/snapshot_tracker.h"

#include <algorithm>

#include "common/error.h"

namespace tessera::storage::mvcc {

Timestamp SnapshotTracker::Watermark() const {
  if (in_flight_.empty()) return oracle_->Last();
  return *in_flight_.begin() - 1;
}

Timestamp SnapshotTracker::OpenSnapshot() {
  Timestamp ts = Watermark();
  snapshots_.insert(ts);
  return ts;
}

void SnapshotTracker::CloseSnapshot(Timestamp ts) {
  auto it = snapshots_.find(ts);
  TS_ASSERT(it != snapshots_.end(), "closing a snapshot that is open");
  snapshots_.erase(it);
}

Timestamp SnapshotTracker::BeginCommit() {
  Timestamp ts = oracle_->Next();
  in_flight_.insert(ts);
  return ts;
}

void SnapshotTracker::FinishCommit(Timestamp ts) {
  TS_ASSERT(in_flight_.erase(ts) == 1, "finishing a commit that is in flight");
}

Timestamp SnapshotTracker::GcHorizon() const {
  Timestamp horizon = Watermark();
  if (!snapshots_.empty()) horizon = std::min(horizon, *snapshots_.begin());
  return horizon;
}

}  // namespace tessera::storage::mvcc
