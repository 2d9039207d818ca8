// The prepare gate: snapshots, prepared transactions and commits of an
// MvccEngine in cluster mode (MvccOptions::external_timestamps), where every
// timestamp comes from the cluster's timestamp oracle (TSO) and none from the
// local one. It is the cluster-mode counterpart of SnapshotTracker.
//
// Why a gate. The TSO issues a commit timestamp C only after every
// participant has prepared, and issues timestamps in strictly increasing
// order. So for a read at snapshot S arriving here:
//  - a transaction that prepares here after the snapshot was requested gets
//    C > S (C was issued after S; the floor below enforces it): the read can
//    ignore it;
//  - one that prepared here before may still get C <= S, and the read must
//    see its writes: it is "pending" for the snapshot until it has committed
//    (landed in LMDB) or rolled back, or has announced a C above S.
// A snapshot request notes the prepare ticket counter; the transactions
// pending for it are fixed then (a later prepare is never pending).
//
// Per key, as Percolator's lock column. A pending transaction matters only
// to reads of the keys it wrote: a read of a key (ReadyFor, a point span) or
// of a range (a range span: an insert or delete inside the range counts)
// waits only for pending transactions whose write set touches it, in the
// same key space. Commits only happen from the prepared state here, so every
// version at or below S that is not in LMDB when the snapshot is requested
// belongs to a pending transaction: a read that no pending transaction
// touches is complete from any LMDB view taken after the snapshot was
// requested, provided every pending transaction that landed meanwhile is in
// that view too. The engine therefore reads with an LMDB view taken after
// the check (mvcc_transaction.h) until Ready says nothing is pending any
// more; from then on one view serves the whole snapshot. A transaction with
// no write set given (tests of this class) touches every key.
//
// "Latest" (no timestamp given) resolves, when requested, to the newest
// commit timestamp this node knows (landed or in flight). Every such
// timestamp was issued before the request, so any transaction the read does
// not wait for gets a larger C. Resolving it later, after the wait, would be
// wrong: a commit that landed meanwhile may carry a C issued after a
// transaction that prepared meanwhile (and is not waited for) got a smaller
// one, which would then appear below the snapshot after it was taken.
//
// Commit-ts check. The same argument, read backwards: a transaction's C must
// be above every snapshot requested here before it prepared (those readers
// did not wait for it), recorded as its floor at Prepare. A C at or below
// the floor means the TSO or a gateway broke the protocol; the engine
// refuses it (XX000) instead of silently tearing a snapshot. A snapshot at
// or below a transaction's floor never waits for it.
//
// GC: the horizon is the oldest open snapshot (readers, waiting readers and
// prepared transactions, whose snapshot stays registered: their C is above
// it, so no commit can land below the horizon), capped by the newest landed
// commit and by an optional cluster safe point. A later request for a
// snapshot below a horizon already used is refused (TooOld): its versions
// may be gone.
//
// Deterministic core: no threads, no clock, not thread-safe; the engine holds
// its mutex around it and parks waiting reads on a WaitList until ReadyFor.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>

#include "storage/group_committer.h"
#include "storage/mvcc/version_key.h"

namespace tessera::storage::mvcc {

// Orders prepared transactions by when they joined the gate.
using PrepareTicket = uint64_t;

// Which versioned key space a transaction works on.
enum class KeySpace : uint8_t { kData, kMeta };

struct SnapshotRequest {
  Timestamp ts = kNoTimestamp;  // the snapshot, "latest" already resolved
  PrepareTicket before = 0;     // only prepared tickets below this can be pending
  bool pending = false;         // some were pending when last asked (Ready)
};

// The keys a read covers: one key (point), or [start, end) with an empty
// end meaning no bound.
struct ReadSpan {
  KeySpace space = KeySpace::kData;
  std::string_view start;
  std::string_view end;
  bool point = false;
};

class PrepareGate {
 public:
  // What the node knew before a restart: the newest landed commit and the
  // highest GC horizon ever used (durable_clock.h).
  PrepareGate(Timestamp max_committed, Timestamp gc_floor);

  // --- Snapshots. ---
  // True if versions a snapshot at `ts` needs may already be collected.
  bool TooOld(Timestamp ts) const { return ts != kNoTimestamp && ts < gc_floor_; }
  // Registers a snapshot at `ts` (kNoTimestamp: latest) as open at once, so
  // the GC keeps its versions while its reads wait; `pending` tells whether
  // any may have to. Check TooOld first.
  SnapshotRequest RequestSnapshot(Timestamp ts);
  // True once nothing is pending for the snapshot: no transaction prepared
  // before the request can still commit at or below its timestamp.
  bool Ready(const SnapshotRequest& request) const;
  // True once nothing pending for the snapshot touches `span`.
  bool ReadyFor(const SnapshotRequest& request, const ReadSpan& span) const;
  // True when every pending transaction (touching `span`, if given) is
  // landing (its commit timestamp is known): the wait will end without
  // anyone deciding anything, however long a large write takes.
  bool OnlyLandingsPending(const SnapshotRequest& request) const;
  bool OnlyLandingsPending(const SnapshotRequest& request, const ReadSpan& span) const;
  // Registers a snapshot that is not a read (a recovered prepared
  // transaction's): holds the GC horizon, does not count as served.
  void RegisterSnapshot(Timestamp ts) { snapshots_.insert(ts); }
  void CloseSnapshot(Timestamp ts);

  // --- Prepared transactions. ---
  // Joins the gate; nullopt if `external_id` (when not empty) is prepared
  // already. The floor is the highest snapshot requested so far, or
  // `floor` if higher (a recovered transaction's persisted floor). `writes`
  // (in `space`) must stay unchanged until the transaction leaves the gate;
  // nullptr: it touches every key.
  std::optional<PrepareTicket> Prepare(std::string_view external_id, Timestamp floor = kNoTimestamp,
                                       const WriteSet* writes = nullptr, KeySpace space = KeySpace::kData);
  // A commit timestamp must be above this.
  Timestamp Floor(PrepareTicket ticket) const;
  // The commit is in flight at `commit_ts` (checked against Floor by the
  // caller): readers at snapshots below it stop waiting.
  void BeginCommit(PrepareTicket ticket, Timestamp commit_ts);
  // The commit's LMDB write failed: prepared again. A retry must use a
  // timestamp at least as high, since readers below it stopped waiting.
  void AbortCommit(PrepareTicket ticket);
  // The commit landed (`landed`: something was written): leaves the gate.
  void FinishCommit(PrepareTicket ticket, bool landed);
  // Rolled back (or abandoned): leaves the gate.
  void Leave(PrepareTicket ticket);
  size_t Prepared() const { return prepared_.size(); }

  // --- Clock and GC. ---
  Timestamp MaxCommitted() const { return max_committed_; }
  // What a "latest" snapshot resolves to now.
  Timestamp Latest() const { return max_known_; }
  // The horizon for a GC pass; remembered as the new floor for TooOld.
  Timestamp TakeGcHorizon();
  Timestamp GcFloor() const { return gc_floor_; }
  // The cluster's promise that no snapshot below `ts` will be requested any
  // more; kMaxTimestamp (the default) leaves the horizon to local state.
  void SetSafePoint(Timestamp ts) { safe_point_ = ts; }
  size_t OpenSnapshots() const { return snapshots_.size(); }

 private:
  struct Entry {
    std::string external_id;
    Timestamp floor = kNoTimestamp;
    std::optional<Timestamp> commit_ts;  // set while the commit is in flight
    const WriteSet* writes = nullptr;    // nullptr: every key
    KeySpace space = KeySpace::kData;
  };

  // May still commit at or below the request's snapshot.
  static bool Pending(PrepareTicket ticket, const Entry& entry, const SnapshotRequest& request);
  static bool Touches(const Entry& entry, const ReadSpan& span);

  Entry& Find(PrepareTicket ticket);
  const Entry& Find(PrepareTicket ticket) const;
  void Erase(PrepareTicket ticket);

  PrepareTicket next_ticket_ = 1;
  std::map<PrepareTicket, Entry> prepared_;
  std::unordered_map<std::string, PrepareTicket> by_id_;
  std::multiset<Timestamp> snapshots_;
  Timestamp max_requested_ = kNoTimestamp;  // highest snapshot ever requested
  Timestamp max_committed_ = kNoTimestamp;  // newest landed commit
  Timestamp max_known_ = kNoTimestamp;      // newest commit landed or in flight
  Timestamp gc_floor_ = kNoTimestamp;
  Timestamp safe_point_ = kMaxTimestamp;
};

}  // namespace tessera::storage::mvcc
