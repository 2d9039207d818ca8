#include "storage/mvcc/prepare_gate.h"

#include <algorithm>

#include "common/error.h"

namespace tessera::storage::mvcc {

PrepareGate::PrepareGate(Timestamp max_committed, Timestamp gc_floor)
    : max_committed_(max_committed), max_known_(max_committed), gc_floor_(gc_floor) {}

SnapshotRequest PrepareGate::RequestSnapshot(Timestamp ts) {
  SnapshotRequest request;
  request.ts = ts == kNoTimestamp ? max_known_ : ts;
  request.before = next_ticket_;
  request.pending = !Ready(request);
  snapshots_.insert(request.ts);
  max_requested_ = std::max(max_requested_, request.ts);
  return request;
}

bool PrepareGate::Pending(PrepareTicket ticket, const Entry& entry, const SnapshotRequest& request) {
  if (ticket >= request.before) return false;      // prepared after the request: its C is above the snapshot
  if (entry.floor >= request.ts) return false;     // C > floor >= the snapshot
  return !entry.commit_ts || *entry.commit_ts <= request.ts;
}

bool PrepareGate::Touches(const Entry& entry, const ReadSpan& span) {
  if (entry.writes == nullptr) return true;
  if (entry.space != span.space) return false;
  if (span.point) return entry.writes->find(span.start) != entry.writes->end();
  auto it = entry.writes->lower_bound(span.start);
  return it != entry.writes->end() && (span.end.empty() || it->first < span.end);
}

bool PrepareGate::Ready(const SnapshotRequest& request) const {
  for (const auto& [ticket, entry] : prepared_) {
    if (ticket >= request.before) break;
    if (Pending(ticket, entry, request)) return false;
  }
  return true;
}

bool PrepareGate::ReadyFor(const SnapshotRequest& request, const ReadSpan& span) const {
  for (const auto& [ticket, entry] : prepared_) {
    if (ticket >= request.before) break;
    if (Pending(ticket, entry, request) && Touches(entry, span)) return false;
  }
  return true;
}

bool PrepareGate::OnlyLandingsPending(const SnapshotRequest& request) const {
  for (const auto& [ticket, entry] : prepared_) {
    if (ticket >= request.before) break;
    if (Pending(ticket, entry, request) && !entry.commit_ts) return false;  // undecided: its gateway may be gone
  }
  return true;
}

bool PrepareGate::OnlyLandingsPending(const SnapshotRequest& request, const ReadSpan& span) const {
  for (const auto& [ticket, entry] : prepared_) {
    if (ticket >= request.before) break;
    if (Pending(ticket, entry, request) && !entry.commit_ts && Touches(entry, span)) return false;
  }
  return true;
}

void PrepareGate::CloseSnapshot(Timestamp ts) {
  auto it = snapshots_.find(ts);
  TS_ASSERT(it != snapshots_.end(), "closing a snapshot that is open");
  snapshots_.erase(it);
}

std::optional<PrepareTicket> PrepareGate::Prepare(std::string_view external_id, Timestamp floor,
                                                  const WriteSet* writes, KeySpace space) {
  std::string id(external_id);
  if (!id.empty() && by_id_.count(id) != 0) return std::nullopt;
  PrepareTicket ticket = next_ticket_++;
  Entry entry;
  entry.external_id = id;
  entry.floor = std::max(floor, max_requested_);
  entry.writes = writes;
  entry.space = space;
  prepared_.emplace(ticket, std::move(entry));
  if (!id.empty()) by_id_.emplace(std::move(id), ticket);
  return ticket;
}

PrepareGate::Entry& PrepareGate::Find(PrepareTicket ticket) {
  auto it = prepared_.find(ticket);
  TS_ASSERT(it != prepared_.end(), "the transaction is prepared");
  return it->second;
}

const PrepareGate::Entry& PrepareGate::Find(PrepareTicket ticket) const {
  auto it = prepared_.find(ticket);
  TS_ASSERT(it != prepared_.end(), "the transaction is prepared");
  return it->second;
}

Timestamp PrepareGate::Floor(PrepareTicket ticket) const { return Find(ticket).floor; }

void PrepareGate::BeginCommit(PrepareTicket ticket, Timestamp commit_ts) {
  Entry& entry = Find(ticket);
  TS_ASSERT(!entry.commit_ts && commit_ts > entry.floor, "one commit at a time, above the floor");
  entry.commit_ts = commit_ts;
  max_known_ = std::max(max_known_, commit_ts);
}

void PrepareGate::AbortCommit(PrepareTicket ticket) {
  Entry& entry = Find(ticket);
  TS_ASSERT(entry.commit_ts.has_value(), "aborting a commit in flight");
  // Readers below the failed timestamp stopped waiting for us; a retry below
  // it would land under their snapshots.
  entry.floor = std::max(entry.floor, *entry.commit_ts - 1);
  entry.commit_ts.reset();
}

void PrepareGate::FinishCommit(PrepareTicket ticket, bool landed) {
  Entry& entry = Find(ticket);
  TS_ASSERT(entry.commit_ts.has_value(), "finishing a commit in flight");
  if (landed) max_committed_ = std::max(max_committed_, *entry.commit_ts);
  Erase(ticket);
}

void PrepareGate::Leave(PrepareTicket ticket) {
  Find(ticket);
  Erase(ticket);
}

void PrepareGate::Erase(PrepareTicket ticket) {
  auto it = prepared_.find(ticket);
  if (!it->second.external_id.empty()) by_id_.erase(it->second.external_id);
  prepared_.erase(it);
}

Timestamp PrepareGate::TakeGcHorizon() {
  Timestamp horizon = std::min(max_committed_, safe_point_);
  if (!snapshots_.empty()) horizon = std::min(horizon, *snapshots_.begin());
  gc_floor_ = std::max(gc_floor_, horizon);
  return horizon;
}

}  // namespace tessera::storage::mvcc
